import type { Tri } from "@aigov/core";
import { unknown } from "@aigov/core";
import { triAnd } from "@aigov/normalize";
import type { LoggingConfig } from "@aws-sdk/client-bedrock";
import { CloudWatchLogsClient, paginateDescribeLogGroups } from "@aws-sdk/client-cloudwatch-logs";
import { GetBucketEncryptionCommand, S3Client } from "@aws-sdk/client-s3";
import { type AwsCollectContext, pageSize } from "../collect-context.ts";

const MAX_LOG_GROUPS_PAGE = 50;
// S3's own key: encryption at rest, but not one the customer controls (its policy, rotation, revocation).
const AWS_MANAGED_S3_KEY = /(^|:)alias\/aws\/s3$/;

/** One place invocation logs are delivered to, and the key that encrypts them there. */
export interface LogDestination {
  readonly kind: "s3" | "cloudwatch-logs";
  /** The bucket or log group. */
  readonly name: string;
  /** The bucket's default encryption (`AES256`, `aws:kms`, `aws:kms:dsse`); log groups have none to name. */
  readonly algorithm?: string;
  readonly kmsKeyId?: string;
  /** Encrypted with a customer-managed KMS key. */
  readonly cmk: Tri;
}

/**
 * Where a Bedrock model invocation logging configuration delivers (its S3 bucket, its CloudWatch Logs log group and
 * that one's bucket for large data) and whether each encrypts with a customer-managed key: a bucket's default
 * encryption is SSE-KMS or DSSE-KMS under a key of its own, a log group names a KMS key. `cmk` is true when every
 * destination does, unknown when a destination could not be read; undefined when nothing is delivered.
 */
export async function logDestinations(
  ctx: AwsCollectContext,
  config: LoggingConfig,
): Promise<{ readonly destinations: readonly LogDestination[]; readonly cmk: Tri | undefined }> {
  const buckets = [config.s3Config?.bucketName, config.cloudWatchConfig?.largeDataDeliveryS3Config?.bucketName].filter(
    (name): name is string => name !== undefined && name !== "",
  );
  const logGroup = config.cloudWatchConfig?.logGroupName;
  const destinations = await Promise.all([
    ...[...new Set(buckets)].map((bucket) => bucketDestination(ctx, bucket)),
    ...(logGroup === undefined || logGroup === "" ? [] : [logGroupDestination(ctx, logGroup)]),
  ]);
  return {
    destinations,
    cmk: destinations.length === 0 ? undefined : triAnd(...destinations.map((destination) => destination.cmk)),
  };
}

async function bucketDestination(ctx: AwsCollectContext, bucket: string): Promise<LogDestination> {
  const client = ctx.client(S3Client, "s3");
  const read = await ctx.attempt("s3", "GetBucketEncryption", async () => {
    try {
      const reply = await client.send(new GetBucketEncryptionCommand({ Bucket: bucket }));
      return reply.ServerSideEncryptionConfiguration?.Rules?.[0]?.ApplyServerSideEncryptionByDefault;
    } catch (error) {
      // Buckets created before 2023 may still have no default encryption: a fact, not a failed read.
      if (error instanceof Error && error.name === "ServerSideEncryptionConfigurationNotFoundError") return undefined;
      throw error;
    }
  });
  if (!read.ok) return { kind: "s3", name: bucket, cmk: unknown(`bucket ${bucket}: ${read.reason}`) };
  const algorithm = read.value?.SSEAlgorithm;
  const kmsKeyId = read.value?.KMSMasterKeyID;
  return {
    kind: "s3",
    name: bucket,
    ...(algorithm === undefined ? {} : { algorithm }),
    ...(kmsKeyId === undefined ? {} : { kmsKeyId }),
    cmk:
      (algorithm === "aws:kms" || algorithm === "aws:kms:dsse") &&
      kmsKeyId !== undefined &&
      !AWS_MANAGED_S3_KEY.test(kmsKeyId),
  };
}

async function logGroupDestination(ctx: AwsCollectContext, name: string): Promise<LogDestination> {
  const client = ctx.client(CloudWatchLogsClient, "logs");
  const read = await ctx.attempt("logs", "DescribeLogGroups", async () => {
    const pages = paginateDescribeLogGroups(
      { client, pageSize: pageSize(ctx, MAX_LOG_GROUPS_PAGE) },
      { logGroupNamePrefix: name },
    );
    for await (const page of pages) {
      const group = page.logGroups?.find((candidate) => candidate.logGroupName === name);
      if (group !== undefined) return group;
    }
    return undefined;
  });
  if (!read.ok) return { kind: "cloudwatch-logs", name, cmk: unknown(`log group ${name}: ${read.reason}`) };
  // Bedrock cannot deliver to a log group that does not exist: nothing is stored, so there is no key to judge.
  if (read.value === undefined)
    return { kind: "cloudwatch-logs", name, cmk: unknown(`log group ${name} does not exist in the region`) };
  const kmsKeyId = read.value.kmsKeyId;
  return {
    kind: "cloudwatch-logs",
    name,
    ...(kmsKeyId === undefined ? {} : { kmsKeyId }),
    cmk: kmsKeyId !== undefined && kmsKeyId !== "",
  };
}
