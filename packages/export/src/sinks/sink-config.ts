import { dirname, isAbsolute, resolve } from "node:path";
import { AigovError, createSectionCheck, type Policy, type Position, type YamlSource } from "@aigov/core";
import sinksSchema from "../../schema/sinks.schema.json" with { type: "json" };
import type { RetryPolicy } from "./retry.ts";
import type { BatchLimits } from "./sink.ts";

// `sinks:` of aigov.yaml → SinkConfig. The schema (schema/sinks.schema.json) checks the section, with positions, and
// fills in its defaults; this module renames keys, makes paths absolute, and checks what a schema cannot say.

/** The JSON Schema of `sinks:`, for the composed policy schema. */
export const SINKS_SCHEMA: object = sinksSchema;

export type SinkType = SinkConfig["type"];

export const RECORD_FORMATS = ["ocsf", "asff", "ecs", "cef", "syslog"] as const;
export type RecordFormat = (typeof RECORD_FORMATS)[number];

interface Common {
  readonly name: string;
  readonly limits: BatchLimits;
  readonly retry: RetryPolicy;
  readonly timeoutMs: number;
  /** Where the sink was declared, for errors raised when it is created (a missing environment variable). */
  readonly position: (key: string) => Position;
}

export interface FileSinkConfig extends Common {
  readonly type: "file";
  /** `-` is stdout. */
  readonly path: string;
  readonly format: RecordFormat;
  readonly accountId?: string;
  readonly region?: string;
}
export interface SplunkHecSinkConfig extends Common {
  readonly type: "splunk-hec";
  readonly url: string;
  readonly tokenEnv: string;
  readonly format: "ocsf" | "ecs";
  readonly index?: string;
  readonly source: string;
  readonly sourcetype: string;
  readonly host?: string;
  readonly ack: boolean;
  readonly ackTimeoutMs: number;
}
export interface ElasticSinkConfig extends Common {
  readonly type: "elastic";
  readonly url: string;
  readonly dataStream: string;
  /** PUT aigov's component and index templates before the first batch (needs the manage_index_templates privilege). */
  readonly installTemplate: boolean;
  readonly auth: { readonly apiKeyEnv: string } | { readonly username: string; readonly passwordEnv: string };
}
export interface SentinelSinkConfig extends Common {
  readonly type: "sentinel";
  readonly endpoint: string;
  readonly dcrImmutableId: string;
  readonly stream: string;
  readonly tenantId: string;
  readonly clientId: string;
  readonly clientSecretEnv: string;
  readonly tokenEndpoint: string;
}
export interface SecurityHubSinkConfig extends Common {
  readonly type: "security-hub";
  readonly region: string;
  readonly accountId: string;
  readonly partition: string;
  readonly endpoint?: string;
  /**
   * A role in each member account that aigov assumes to import that account's findings (BatchImportFindings takes
   * a finding only from the account in its AwsAccountId). Without it, only the home account's findings are sent.
   */
  readonly roleName?: string;
  readonly externalIdEnv?: string;
  readonly stsEndpoint?: string;
}
export interface SyslogSinkConfig extends Common {
  readonly type: "syslog";
  readonly host: string;
  readonly port: number;
  readonly protocol: "tls" | "tcp" | "udp";
  readonly format: "cef" | "rfc5424";
  readonly facility: number;
  readonly hostname?: string;
  readonly caFile?: string;
}
export interface WebhookSinkConfig extends Common {
  readonly type: "webhook";
  readonly url: string;
  readonly secretEnv: string;
  readonly format: "ocsf" | "ecs" | "asff";
  readonly accountId?: string;
  readonly region?: string;
}

export type SinkConfig =
  | FileSinkConfig
  | SplunkHecSinkConfig
  | ElasticSinkConfig
  | SentinelSinkConfig
  | SecurityHubSinkConfig
  | SyslogSinkConfig
  | WebhookSinkConfig;

/** A sink as sinks.schema.json lets it be written, with the schema's defaults filled in. */
interface EntryCommon {
  readonly name: string;
  readonly timeout_ms: number;
  readonly batch: { readonly max_records: number; readonly max_bytes: number };
  readonly retry: {
    readonly attempts: number;
    readonly base_ms: number;
    readonly max_ms: number;
    readonly max_retry_after_ms: number;
  };
}
type SinkEntry = EntryCommon &
  (
    | {
        readonly type: "file";
        readonly path: string;
        readonly format: RecordFormat;
        readonly account_id?: string;
        readonly region?: string;
      }
    | {
        readonly type: "splunk-hec";
        readonly url: string;
        readonly token_env: string;
        readonly format: "ocsf" | "ecs";
        readonly index?: string;
        readonly source: string;
        readonly sourcetype?: string;
        readonly host?: string;
        readonly ack: boolean;
        readonly ack_timeout_ms: number;
      }
    | ({
        readonly type: "elastic";
        readonly url: string;
        readonly data_stream: string;
        readonly install_template: boolean;
      } & (
        | { readonly api_key_env: string; readonly username?: string; readonly password_env?: string }
        | { readonly api_key_env?: undefined; readonly username: string; readonly password_env: string }
      ))
    | {
        readonly type: "sentinel";
        readonly endpoint: string;
        readonly dcr_immutable_id: string;
        readonly stream: string;
        readonly tenant_id: string;
        readonly client_id: string;
        readonly client_secret_env: string;
        readonly token_endpoint?: string;
      }
    | {
        readonly type: "security-hub";
        readonly region: string;
        readonly account_id: string;
        readonly partition: string;
        readonly endpoint?: string;
        readonly role_name?: string;
        readonly external_id_env?: string;
        readonly sts_endpoint?: string;
      }
    | {
        readonly type: "syslog";
        readonly host: string;
        readonly port?: number;
        readonly protocol: "tls" | "tcp" | "udp";
        readonly format: "cef" | "rfc5424";
        readonly facility: number;
        readonly hostname?: string;
        readonly ca_file?: string;
      }
    | {
        readonly type: "webhook";
        readonly url: string;
        readonly secret_env: string;
        readonly format: "ocsf" | "ecs" | "asff";
        readonly account_id?: string;
        readonly region?: string;
      }
  );

// EXPORT_SINK_CONFIG: the code scripts knew before the section had a schema.
const checkSinks = createSectionCheck<readonly SinkEntry[]>(sinksSchema, ["sinks"], {
  code: "EXPORT_SINK_CONFIG",
  defaults: true,
});

/**
 * The policy's `sinks:` section, checked against sinks.schema.json (known types, known keys of the right types,
 * secrets only as names of environment variables) and for unique names; every error carries the file position.
 */
export function parseSinks(policy: Pick<Policy, "file" | "section">): SinkConfig[] {
  const source = policy.section(["sinks"]);
  if (source === undefined || source.value === null) return [];
  const entries = checkSinks(source);
  const base = policy.file === undefined ? process.cwd() : dirname(resolve(policy.file));
  const relative = (path: string) => (path === "-" || isAbsolute(path) ? path : resolve(base, path));
  const names = new Set<string>();
  return entries.map((entry, index) => {
    if (names.has(entry.name)) {
      throw new AigovError("EXPORT_SINK_CONFIG", `sinks[${index}]: a sink named '${entry.name}' is already defined`, {
        position: source.locate([index, "name"]),
        hint: "give each sink a name of its own",
      });
    }
    names.add(entry.name);
    return sinkConfig(entry, commonOf(entry, index, source), relative);
  });
}

function commonOf(entry: SinkEntry, index: number, source: YamlSource): Common {
  const { batch, retry } = entry;
  return {
    name: entry.name,
    limits: { maxRecords: batch.max_records, maxBytes: batch.max_bytes },
    retry: {
      attempts: retry.attempts,
      baseMs: retry.base_ms,
      maxMs: retry.max_ms,
      maxRetryAfterMs: retry.max_retry_after_ms,
    },
    timeoutMs: entry.timeout_ms,
    position: (key) => source.locate([index, key]),
  };
}

function sinkConfig(entry: SinkEntry, common: Common, relative: (path: string) => string): SinkConfig {
  switch (entry.type) {
    case "file":
      return {
        ...common,
        type: entry.type,
        path: relative(entry.path),
        format: entry.format,
        ...optional("accountId", entry.account_id),
        ...optional("region", entry.region),
      };
    case "splunk-hec":
      return {
        ...common,
        type: entry.type,
        url: entry.url,
        tokenEnv: entry.token_env,
        format: entry.format,
        ...optional("index", entry.index),
        source: entry.source,
        sourcetype: entry.sourcetype ?? `aigov:${entry.format}`,
        ...optional("host", entry.host),
        ack: entry.ack,
        ackTimeoutMs: entry.ack_timeout_ms,
      };
    case "elastic":
      return {
        ...common,
        type: entry.type,
        url: entry.url,
        dataStream: entry.data_stream,
        installTemplate: entry.install_template,
        auth:
          entry.api_key_env === undefined
            ? { username: entry.username, passwordEnv: entry.password_env }
            : { apiKeyEnv: entry.api_key_env },
      };
    case "sentinel":
      return {
        ...common,
        type: entry.type,
        endpoint: entry.endpoint,
        dcrImmutableId: entry.dcr_immutable_id,
        stream: entry.stream,
        tenantId: entry.tenant_id,
        clientId: entry.client_id,
        clientSecretEnv: entry.client_secret_env,
        tokenEndpoint: entry.token_endpoint ?? `https://login.microsoftonline.com/${entry.tenant_id}/oauth2/v2.0/token`,
      };
    case "security-hub":
      return {
        ...common,
        type: entry.type,
        region: entry.region,
        accountId: entry.account_id,
        partition: entry.partition,
        ...optional("endpoint", entry.endpoint),
        ...optional("roleName", entry.role_name),
        ...optional("externalIdEnv", entry.external_id_env),
        ...optional("stsEndpoint", entry.sts_endpoint),
      };
    case "syslog":
      return {
        ...common,
        type: entry.type,
        host: entry.host,
        port: entry.port ?? (entry.protocol === "tls" ? 6514 : 514),
        protocol: entry.protocol,
        format: entry.format,
        facility: entry.facility,
        ...optional("hostname", entry.hostname),
        ...optional("caFile", entry.ca_file === undefined ? undefined : relative(entry.ca_file)),
      };
    case "webhook":
      return {
        ...common,
        type: entry.type,
        url: entry.url,
        secretEnv: entry.secret_env,
        format: entry.format,
        ...optional("accountId", entry.account_id),
        ...optional("region", entry.region),
      };
  }
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}
