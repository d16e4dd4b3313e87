import type {
  AwsSecurityFinding,
  BatchImportFindingsCommandOutput,
  BatchUpdateFindingsCommandOutput,
  SecurityHubClient,
  SecurityHubClientConfig,
} from "@aws-sdk/client-securityhub";
import { type AsffTarget, type AsffWorkflow, asffAccount, asffFinding, asffProductArn, asffWorkflow } from "../asff.ts";
import { secretFromEnv } from "./secret-env.ts";
import type { SecurityHubSinkConfig } from "./sink-config.ts";
import { DeliveryError, type Sink, type SinkRecord } from "./sink.ts";

interface SdkError {
  readonly name?: string;
  readonly message?: string;
  readonly $metadata?: { httpStatusCode?: number };
}

/** BatchImportFindings and BatchUpdateFindings take at most 100 findings each. */
const MAX_PER_CALL = 100;
/** Security Hub refuses a finding over 240 KB. */
const MAX_FINDING_BYTES = 240 * 1024;

type SecurityHubModule = typeof import("@aws-sdk/client-securityhub");
type Credentials = NonNullable<SecurityHubClientConfig["credentials"]>;

/**
 * AWS Security Hub through the AWS SDK: BatchImportFindings for the findings, BatchUpdateFindings for their
 * workflow (waived, resolved, reopened), which BatchImportFindings ignores on a finding that exists.
 *
 * BatchImportFindings accepts a finding only from the account named in its AwsAccountId (a custom integration's
 * default product ARN). So each finding is imported by its own account: the home account (`account_id`) with the
 * credential chain's identity, a member account through `role_name` assumed in it. A finding of a member account
 * when no role is configured is never sent; it is set aside as rejected with the reason. The SDK's own retries
 * are off so the one delivery loop does backoff and the outbox bookkeeping.
 */
export function securityHubSink(config: SecurityHubSinkConfig, env: NodeJS.ProcessEnv): Sink {
  const target: AsffTarget = { accountId: config.accountId, region: config.region, partition: config.partition };
  const externalId =
    config.externalIdEnv === undefined
      ? undefined
      : secretFromEnv(env, config.externalIdEnv, config.name, config.position("external_id_env"));
  const staticCredentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string } | undefined =
    env.AWS_ACCESS_KEY_ID !== undefined && env.AWS_SECRET_ACCESS_KEY !== undefined
      ? {
          accessKeyId: env.AWS_ACCESS_KEY_ID,
          secretAccessKey: env.AWS_SECRET_ACCESS_KEY,
          ...(env.AWS_SESSION_TOKEN === undefined ? {} : { sessionToken: env.AWS_SESSION_TOKEN }),
        }
      : undefined;
  // The SDKs are loaded on the first send: `aigov gate` and stdout exports import this package and never need them.
  let sdk: Promise<SecurityHubModule> | undefined;
  const load = () => (sdk ??= import("@aws-sdk/client-securityhub"));
  const clients = new Map<string, SecurityHubClient>();

  async function clientFor(account: string): Promise<SecurityHubClient> {
    const existing = clients.get(account);
    if (existing !== undefined) return existing;
    const module = await load();
    const credentials = account === config.accountId ? staticCredentials : await memberCredentials(account);
    const client = new module.SecurityHubClient({
      region: config.region,
      maxAttempts: 1,
      requestHandler: { requestTimeout: config.timeoutMs, connectionTimeout: config.timeoutMs },
      ...(config.endpoint === undefined ? {} : { endpoint: config.endpoint }),
      ...(credentials === undefined ? {} : { credentials }),
    });
    clients.set(account, client);
    return client;
  }

  async function memberCredentials(account: string): Promise<Credentials> {
    const { fromTemporaryCredentials } = await import("@aws-sdk/credential-providers");
    return fromTemporaryCredentials({
      params: {
        RoleArn: `arn:${config.partition}:iam::${account}:role/${config.roleName}`,
        RoleSessionName: "aigov-securityhub-import",
        ...(externalId === undefined ? {} : { ExternalId: externalId }),
      },
      ...(staticCredentials === undefined ? {} : { masterCredentials: staticCredentials }),
      clientConfig: {
        region: config.region,
        maxAttempts: 1,
        ...(config.stsEndpoint === undefined ? {} : { endpoint: config.stsEndpoint }),
      },
    });
  }

  async function call<T>(what: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (caught) {
      const error = caught as SdkError;
      const status = error.$metadata?.httpStatusCode;
      const throttled = status === 429 || /Throttl|LimitExceeded|TooManyRequests/.test(error.name ?? "");
      throw new DeliveryError(`${config.name}: ${what} failed: ${error.name ?? "Error"}: ${error.message ?? ""}`, {
        retryable: throttled || status === undefined || status >= 500,
        ...(status === undefined ? {} : { status }),
        cause: caught,
      });
    }
  }

  async function importFindings(account: string, findings: AwsSecurityFinding[], signal?: AbortSignal) {
    const client = await clientFor(account);
    const { BatchImportFindingsCommand } = await load();
    const output: BatchImportFindingsCommandOutput = await call(`BatchImportFindings (account ${account})`, () =>
      client.send(
        new BatchImportFindingsCommand({ Findings: findings }),
        signal === undefined ? {} : { abortSignal: signal },
      ),
    );
    return (output.FailedFindings ?? []).map((failed) => ({
      id: failed.Id ?? "",
      reason: `${failed.ErrorCode ?? "Error"} ${failed.ErrorMessage ?? ""}`.trim(),
    }));
  }

  async function updateWorkflow(
    account: string,
    records: readonly { record: SinkRecord; workflow: AsffWorkflow }[],
    signal?: AbortSignal,
  ) {
    const client = await clientFor(account);
    const { BatchUpdateFindingsCommand } = await load();
    const productArn = asffProductArn(account, target);
    // One call sets one workflow status and note for all its findings: group by them.
    const groups = new Map<string, { workflow: AsffWorkflow; ids: string[] }>();
    for (const { record, workflow } of records) {
      const key = JSON.stringify(workflow);
      const group = groups.get(key) ?? { workflow, ids: [] };
      group.ids.push(record.finding.id);
      groups.set(key, group);
    }
    const failed: { id: string; reason: string }[] = [];
    for (const { workflow, ids } of groups.values()) {
      for (let start = 0; start < ids.length; start += MAX_PER_CALL) {
        const identifiers = ids.slice(start, start + MAX_PER_CALL).map((Id) => ({ Id, ProductArn: productArn }));
        const output: BatchUpdateFindingsCommandOutput = await call(`BatchUpdateFindings (account ${account})`, () =>
          client.send(
            new BatchUpdateFindingsCommand({
              FindingIdentifiers: identifiers,
              Workflow: { Status: workflow.status },
              ...(workflow.note === undefined ? {} : { Note: workflow.note }),
            }),
            signal === undefined ? {} : { abortSignal: signal },
          ),
        );
        for (const unprocessed of output.UnprocessedFindings ?? []) {
          failed.push({
            id: unprocessed.FindingIdentifier?.Id ?? "",
            reason:
              `workflow ${workflow.status} not set: ${unprocessed.ErrorCode ?? "Error"} ${unprocessed.ErrorMessage ?? ""}`.trim(),
          });
        }
      }
    }
    return failed;
  }

  return {
    name: config.name,
    type: "security-hub",
    limits: { maxRecords: Math.min(MAX_PER_CALL, config.limits.maxRecords), maxBytes: config.limits.maxBytes },
    encode: (record) => JSON.stringify(asffFinding(record.finding, target, record.change)),
    refuse(record, encoded) {
      const account = asffAccount(record.finding, target);
      if (account !== config.accountId && config.roleName === undefined) {
        return (
          `findings of account ${account}: Security Hub imports a finding only from the account in its AwsAccountId, ` +
          `and the sink has credentials for ${config.accountId} only; set role_name to import through a role in each account`
        );
      }
      const bytes = Buffer.byteLength(encoded, "utf8");
      if (bytes > MAX_FINDING_BYTES) return `a finding of ${bytes} bytes is over Security Hub's 240 KB limit`;
      return undefined;
    },
    async send(encoded, records, signal) {
      const byAccount = new Map<string, { findings: AwsSecurityFinding[]; records: SinkRecord[] }>();
      encoded.forEach((text, index) => {
        const finding = JSON.parse(text) as AwsSecurityFinding;
        const group = byAccount.get(finding.AwsAccountId!) ?? { findings: [], records: [] };
        group.findings.push(finding);
        group.records.push(records[index]!);
        byAccount.set(finding.AwsAccountId!, group);
      });
      const failed: { id: string; reason: string }[] = [];
      for (const [account, group] of byAccount) {
        const refused = await importFindings(account, group.findings, signal);
        failed.push(...refused);
        const imported = new Set(group.findings.map((finding) => finding.Id));
        for (const { id } of refused) imported.delete(id);
        const workflows = group.records.flatMap((record) => {
          const workflow = asffWorkflow(record.finding, record.change);
          return workflow !== undefined && imported.has(record.finding.id) ? [{ record, workflow }] : [];
        });
        if (workflows.length > 0) failed.push(...(await updateWorkflow(account, workflows, signal)));
      }
      if (failed.length > 0) {
        const first = failed[0]!;
        // A refused finding is a defect of the record, not of the service: retrying it would fail again.
        throw new DeliveryError(
          `${config.name}: Security Hub refused ${failed.length} findings (first ${first.id}: ${first.reason})`,
          { retryable: false, rejectedIds: failed.map((item) => item.id) },
        );
      }
    },
    async close() {
      for (const client of clients.values()) client.destroy();
      clients.clear();
    },
  };
}
