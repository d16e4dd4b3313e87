import { AwsError, escapeXml } from "../protocol.ts";
import { type AwsService, read, regionOf } from "../service.ts";

/**
 * S3 (restXml, path-style requests): the default encryption of a bucket, which the scanner reads for Bedrock's
 * invocation logs. A bucket lives in one region of its account; every bucket has default encryption since 2023
 * (SSE-S3 when the world names none).
 */
export const s3: AwsService = {
  name: "s3",
  signingName: "s3",
  protocol: "restXml",
  global: false,
  routes: [{ method: "GET", path: "/{Bucket}", query: "encryption", operation: "GetBucketEncryption" }],
  throttle: { code: "SlowDown", status: 503 },
  internalError: { code: "InternalError", status: 500 },
  errors: {
    accessDenied: { code: "AccessDenied", status: 403 },
    invalidToken: { code: "InvalidAccessKeyId", status: 403 },
    unavailable: { code: "ServiceUnavailable", status: 503 },
  },
  operations: {
    GetBucketEncryption: read((call) => {
      const name = String(call.input.Bucket ?? "");
      const bucket = (regionOf(call).raw.s3?.buckets ?? []).find((b) => b.Name === name);
      if (bucket === undefined) throw new AwsError("NoSuchBucket", "The specified bucket does not exist", 404);
      const rule = bucket.encryption ?? { SSEAlgorithm: "AES256" };
      const key =
        rule.KMSMasterKeyID === undefined ? "" : `<KMSMasterKeyID>${escapeXml(rule.KMSMasterKeyID)}</KMSMasterKeyID>`;
      return (
        `<ServerSideEncryptionConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Rule>` +
        `<ApplyServerSideEncryptionByDefault><SSEAlgorithm>${escapeXml(rule.SSEAlgorithm)}</SSEAlgorithm>${key}` +
        `</ApplyServerSideEncryptionByDefault><BucketKeyEnabled>${rule.BucketKeyEnabled ?? false}</BucketKeyEnabled>` +
        `</Rule></ServerSideEncryptionConfiguration>`
      );
    }),
  },
};
