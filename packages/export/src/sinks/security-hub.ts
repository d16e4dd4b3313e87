import type {
  AwsSecurityFinding,
  BatchImportFindingsCommandOutput,
  SecurityHubClient,
} from "@aws-sdk/client-securityhub";
import { asffFinding } from "../asff.ts";
import type { SecurityHubSinkConfig } from "./sink-config.ts";
import { DeliveryError, type Sink } from "./sink.ts";

interface SdkError {
  readonly name?: string;
  readonly message?: string;
  readonly $metadata?: { httpStatusCode?: number };
}

/**
 * AWS Security Hub BatchImportFindings (at most 100 ASFF findings per call) through the AWS SDK, with the SDK's
 * own retries off so the one delivery loop does backoff and the outbox bookkeeping. Credentials come from the
 * standard AWS chain (environment, profile, role); `endpoint` points it elsewhere (tests, VPC endpoints).
 */
export function securityHubSink(config: SecurityHubSinkConfig, env: NodeJS.ProcessEnv): Sink {
  const staticCredentials =
    env.AWS_ACCESS_KEY_ID !== undefined && env.AWS_SECRET_ACCESS_KEY !== undefined
      ? {
          credentials: {
            accessKeyId: env.AWS_ACCESS_KEY_ID,
            secretAccessKey: env.AWS_SECRET_ACCESS_KEY,
            ...(env.AWS_SESSION_TOKEN === undefined ? {} : { sessionToken: env.AWS_SESSION_TOKEN }),
          },
        }
      : {};
  // The SDK is loaded on the first send: `aigov gate` and stdout exports import this package and never need it.
  let sdk:
    | Promise<{
        client: SecurityHubClient;
        command: typeof import("@aws-sdk/client-securityhub").BatchImportFindingsCommand;
      }>
    | undefined;
  const load = () =>
    (sdk ??= import("@aws-sdk/client-securityhub").then((module) => ({
      client: new module.SecurityHubClient({
        region: config.region,
        maxAttempts: 1,
        requestHandler: { requestTimeout: config.timeoutMs, connectionTimeout: config.timeoutMs },
        ...(config.endpoint === undefined ? {} : { endpoint: config.endpoint }),
        ...staticCredentials,
      }),
      command: module.BatchImportFindingsCommand,
    })));
  const target = { accountId: config.accountId, region: config.region, partition: config.partition };
  return {
    name: config.name,
    type: "security-hub",
    // BatchImportFindings takes at most 100 findings per request.
    limits: { maxRecords: Math.min(100, config.limits.maxRecords), maxBytes: config.limits.maxBytes },
    encode: (record) => JSON.stringify(asffFinding(record.finding, target, record.change)),
    async send(encoded, _records, signal) {
      const findings = encoded.map((text) => JSON.parse(text) as AwsSecurityFinding);
      let output: BatchImportFindingsCommandOutput;
      try {
        const { client, command } = await load();
        output = await client.send(
          new command({ Findings: findings }),
          signal === undefined ? {} : { abortSignal: signal },
        );
      } catch (caught) {
        const error = caught as SdkError;
        const status = error.$metadata?.httpStatusCode;
        const throttled = status === 429 || /Throttl|LimitExceeded|TooManyRequests/.test(error.name ?? "");
        throw new DeliveryError(
          `${config.name}: BatchImportFindings failed: ${error.name ?? "Error"}: ${error.message ?? ""}`,
          {
            retryable: throttled || status === undefined || status >= 500,
            ...(status === undefined ? {} : { status }),
            cause: caught,
          },
        );
      }
      if ((output.FailedCount ?? 0) > 0) {
        const failed = output.FailedFindings ?? [];
        const first = failed[0];
        // A rejected finding is a defect of the record, not of the service: retrying it would fail again.
        throw new DeliveryError(
          `${config.name}: Security Hub rejected ${output.FailedCount} findings (first ${first?.Id}: ${first?.ErrorCode} ${first?.ErrorMessage})`,
          {
            retryable: false,
            rejectedIds: failed.map((item) => item.Id ?? ""),
          },
        );
      }
    },
    async close() {
      if (sdk !== undefined) (await sdk).client.destroy();
    },
  };
}
