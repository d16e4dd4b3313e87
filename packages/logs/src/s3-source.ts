import { AigovError } from "@aigov/core";
import type { LogObject, SourceOptions } from "./log-source.ts";

/** `s3://bucket/prefix` → every object under the prefix, paged with ListObjectsV2, read with GetObject as a stream. */
export async function* s3Objects(url: string, options: SourceOptions): AsyncIterable<LogObject> {
  const { bucket, prefix } = parseS3Url(url);
  // The SDK is loaded only when an S3 input is given: it costs tens of MB of memory and start-up time.
  const { GetObjectCommand, ListObjectsV2Command, S3Client } = await import("@aws-sdk/client-s3");
  const endpoint = options.s3Endpoint ?? options.env.AIGOV_S3_ENDPOINT ?? options.env.AWS_ENDPOINT_URL_S3;
  const client = new S3Client({
    region: options.env.AWS_REGION ?? options.env.AWS_DEFAULT_REGION ?? "us-east-1",
    ...(endpoint === undefined ? {} : { endpoint, forcePathStyle: true }),
  });
  let token: string | undefined;
  try {
    do {
      const page = await client.send(
        new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }),
      );
      for (const item of page.Contents ?? []) {
        const key = item.Key;
        if (key === undefined || key.endsWith("/")) continue;
        yield {
          name: `s3://${bucket}/${key}`,
          stateKey: `s3://${bucket}/${key}`,
          remote: true,
          ...(item.Size === undefined ? {} : { size: item.Size }),
          version: item.ETag ?? item.LastModified?.toISOString() ?? "",
          open: async () => {
            const object = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
            if (object.Body === undefined) throw new Error("GetObject returned no body");
            return object.Body as AsyncIterable<Uint8Array>;
          },
        };
      }
      token = page.IsTruncated === true ? page.NextContinuationToken : undefined;
    } while (token !== undefined);
  } catch (error) {
    if (error instanceof AigovError) throw error;
    throw new AigovError("LOGS_S3_LIST", `cannot list ${url}: ${(error as Error).name}: ${(error as Error).message}`, {
      hint: "check the bucket name, the region (AWS_REGION) and that the credentials may s3:ListBucket",
      cause: error,
    });
  }
}

export function parseS3Url(url: string): { bucket: string; prefix: string } {
  const match = /^s3:\/\/([^/]+)\/?(.*)$/.exec(url);
  if (match === null || match[1] === undefined)
    throw new AigovError("LOGS_BAD_INPUT", `not an S3 URL: '${url}'`, { hint: "write s3://bucket/prefix" });
  return { bucket: match[1], prefix: match[2] ?? "" };
}
