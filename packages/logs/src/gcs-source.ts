import { AigovError } from "@aigov/core";
import type { LogObject, SourceOptions } from "./log-source.ts";
import { bearerToken, httpBody, httpJson } from "./object-http.ts";

/**
 * `gs://bucket/prefix` through the Cloud Storage JSON API (objects.list, then `alt=media` downloads), with an OAuth
 * access token from GOOGLE_OAUTH_ACCESS_TOKEN (e.g. `gcloud auth print-access-token`). STORAGE_EMULATOR_HOST points it
 * at an emulator, as the Google client libraries do.
 */
export async function* gcsObjects(url: string, options: SourceOptions): AsyncIterable<LogObject> {
  const match = /^gs:\/\/([^/]+)\/?(.*)$/.exec(url);
  if (match === null || match[1] === undefined)
    throw new AigovError("LOGS_BAD_INPUT", `not a GCS URL: '${url}'`, { hint: "write gs://bucket/prefix" });
  const bucket = match[1];
  const prefix = match[2] ?? "";
  const base = (options.env.STORAGE_EMULATOR_HOST ?? "https://storage.googleapis.com").replace(/\/$/, "");
  const token = bearerToken(options.env, ["GOOGLE_OAUTH_ACCESS_TOKEN", "CLOUDSDK_AUTH_ACCESS_TOKEN"], url);
  const doFetch = options.fetch ?? fetch;
  let pageToken: string | undefined;
  do {
    const query = new URLSearchParams({ prefix, fields: "items(name,size,etag,generation),nextPageToken" });
    if (pageToken !== undefined) query.set("pageToken", pageToken);
    const page = (await httpJson(
      doFetch,
      `${base}/storage/v1/b/${encodeURIComponent(bucket)}/o?${query}`,
      token,
      url,
    )) as {
      items?: { name: string; size?: string; etag?: string; generation?: string }[];
      nextPageToken?: string;
    };
    for (const item of page.items ?? []) {
      if (item.name.endsWith("/")) continue;
      const media = `${base}/storage/v1/b/${encodeURIComponent(bucket)}/o/${encodeURIComponent(item.name)}?alt=media`;
      yield {
        name: `gs://${bucket}/${item.name}`,
        stateKey: `gs://${bucket}/${item.name}`,
        remote: true,
        ...(item.size === undefined ? {} : { size: Number(item.size) }),
        version: item.generation ?? item.etag ?? "",
        open: () => httpBody(doFetch, media, token, `gs://${bucket}/${item.name}`),
      };
    }
    pageToken = page.nextPageToken;
  } while (pageToken !== undefined);
}
