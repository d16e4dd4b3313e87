import { dirname, isAbsolute, resolve } from "node:path";
import { AigovError, type Position } from "@aigov/core";
import { DEFAULT_RETRY, type RetryPolicy } from "./retry.ts";
import type { BatchLimits } from "./sink.ts";

/** The policy file's raw `sinks:` section and a way to name a file position for any path in it. */
export interface SinkSource {
  /** The policy file: relative paths in sinks (file `path`, syslog `ca_file`) are relative to its directory. */
  readonly file?: string;
  readonly sinks?: unknown;
  locate(path: readonly (string | number)[]): Position | undefined;
}

export const SINK_TYPES = ["file", "splunk-hec", "elastic", "sentinel", "security-hub", "syslog", "webhook"] as const;
export type SinkType = (typeof SINK_TYPES)[number];

export const RECORD_FORMATS = ["ocsf", "asff", "ecs", "cef", "syslog"] as const;
export type RecordFormat = (typeof RECORD_FORMATS)[number];

interface Common {
  readonly name: string;
  readonly limits: BatchLimits;
  readonly retry: RetryPolicy;
  readonly timeoutMs: number;
  /** Where the sink was declared, for errors raised when it is created (a missing environment variable). */
  readonly position: (key: string) => Position | undefined;
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
  readonly apiKeyEnv?: string;
  readonly username?: string;
  readonly passwordEnv?: string;
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

type FieldSpec =
  | { kind: "string"; required?: boolean; pattern?: RegExp; hint?: string }
  | { kind: "enum"; values: readonly string[] }
  | { kind: "integer"; min: number; max: number }
  | { kind: "boolean" }
  | { kind: "env" };

const URL_PATTERN = /^https?:\/\/[^\s]+$/;
const COMMON_FIELDS: Record<string, FieldSpec> = {
  name: { kind: "string", required: true, pattern: /^[A-Za-z0-9][A-Za-z0-9_.-]*$/, hint: "letters, digits, . _ -" },
  type: { kind: "enum", values: SINK_TYPES },
  timeout_ms: { kind: "integer", min: 100, max: 600_000 },
};

const FIELDS: Record<SinkType, Record<string, FieldSpec>> = {
  file: {
    path: { kind: "string", required: true },
    format: { kind: "enum", values: RECORD_FORMATS },
    account_id: { kind: "string", pattern: /^\d{12}$/, hint: "the 12-digit account that imports the findings" },
    region: { kind: "string" },
  },
  "splunk-hec": {
    url: { kind: "string", required: true, pattern: URL_PATTERN, hint: "https://splunk.example.com:8088" },
    token_env: { kind: "env" },
    format: { kind: "enum", values: ["ocsf", "ecs"] },
    index: { kind: "string" },
    source: { kind: "string" },
    sourcetype: { kind: "string" },
    host: { kind: "string" },
    ack: { kind: "boolean" },
    ack_timeout_ms: { kind: "integer", min: 100, max: 600_000 },
  },
  elastic: {
    url: { kind: "string", required: true, pattern: URL_PATTERN, hint: "https://elastic.example.com:9200" },
    data_stream: { kind: "string", pattern: /^[a-z0-9][a-z0-9._-]*$/, hint: "logs-aigov.findings-default" },
    install_template: { kind: "boolean" },
    api_key_env: { kind: "env" },
    username: { kind: "string" },
    password_env: { kind: "env" },
  },
  sentinel: {
    endpoint: {
      kind: "string",
      required: true,
      pattern: URL_PATTERN,
      hint: "the data collection endpoint's logs ingestion URL",
    },
    dcr_immutable_id: { kind: "string", required: true, pattern: /^dcr-[0-9a-f]+$/, hint: "dcr-0123…" },
    stream: { kind: "string", required: true, pattern: /^Custom-[A-Za-z0-9_]+$/, hint: "Custom-AigovFindings_CL" },
    tenant_id: { kind: "string", required: true },
    client_id: { kind: "string", required: true },
    client_secret_env: { kind: "env" },
    token_endpoint: { kind: "string", pattern: URL_PATTERN },
  },
  "security-hub": {
    region: { kind: "string", required: true, pattern: /^[a-z]{2}(-[a-z]+)+-\d$/, hint: "us-east-1" },
    account_id: {
      kind: "string",
      required: true,
      pattern: /^\d{12}$/,
      hint: "the 12-digit account that imports the findings",
    },
    partition: { kind: "enum", values: ["aws", "aws-cn", "aws-us-gov"] },
    endpoint: { kind: "string", pattern: URL_PATTERN },
    role_name: {
      kind: "string",
      pattern: /^[\w+=,.@/-]{1,64}$/,
      hint: "the name (not the ARN) of the import role in every member account, e.g. aigov-securityhub-import",
    },
    external_id_env: { kind: "env" },
    sts_endpoint: { kind: "string", pattern: URL_PATTERN },
  },
  syslog: {
    host: { kind: "string", required: true },
    port: { kind: "integer", min: 1, max: 65_535 },
    protocol: { kind: "enum", values: ["tls", "tcp", "udp"] },
    format: { kind: "enum", values: ["cef", "rfc5424"] },
    facility: { kind: "integer", min: 0, max: 23 },
    hostname: { kind: "string" },
    ca_file: { kind: "string" },
  },
  webhook: {
    url: { kind: "string", required: true, pattern: URL_PATTERN },
    secret_env: { kind: "env" },
    format: { kind: "enum", values: ["ocsf", "ecs", "asff"] },
    account_id: { kind: "string", pattern: /^\d{12}$/, hint: "the 12-digit account that imports the findings" },
    region: { kind: "string" },
  },
};

/** Keys that would put a secret into the policy file; each has an `_env` twin that names a variable instead. */
const SECRET_KEYS = ["token", "password", "secret", "api_key", "client_secret", "key", "hmac_secret"];
const REQUIRED_ENV: Partial<Record<SinkType, readonly string[]>> = {
  "splunk-hec": ["token_env"],
  sentinel: ["client_secret_env"],
  webhook: ["secret_env"],
};

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Validates the policy's `sinks:` section: a list of sinks with unique names, known types, known keys of the
 * right types, and secrets only as names of environment variables. Every error carries the file position.
 */
export function parseSinks(source: SinkSource): SinkConfig[] {
  const raw = source.sinks;
  if (raw === undefined || raw === null) return [];
  const error = (path: (string | number)[], message: string, hint?: string): never => {
    const position = source.locate(["sinks", ...path]);
    throw new AigovError("EXPORT_SINK_CONFIG", message, {
      ...(position === undefined ? {} : { position }),
      ...(hint === undefined ? {} : { hint }),
    });
  };
  if (!Array.isArray(raw))
    error([], "`sinks` must be a list of sinks", "sinks:\n  - name: splunk\n    type: splunk-hec …");
  const names = new Set<string>();
  return (raw as unknown[]).map((entry, index) => {
    if (!isRecord(entry)) return error([index], `sinks[${index}] must be a mapping with name and type`);
    const type = entry.type;
    if (typeof type !== "string" || !(SINK_TYPES as readonly string[]).includes(type)) {
      return error([index, "type"], `sinks[${index}].type must be one of: ${SINK_TYPES.join(", ")}`);
    }
    const fields: Record<string, FieldSpec> = { ...COMMON_FIELDS, ...FIELDS[type as SinkType] };
    for (const [key, value] of Object.entries(entry)) {
      if (key === "batch" || key === "retry") continue;
      if (SECRET_KEYS.includes(key)) {
        error(
          [index, key],
          `sinks[${index}].${key}: secrets never go in the policy file`,
          `name an environment variable instead: ${key}_env: MY_${key.toUpperCase()}`,
        );
      }
      const spec = fields[key];
      if (spec === undefined)
        error(
          [index, key],
          `sinks[${index}]: unknown key '${key}' for a ${type} sink`,
          `known keys: ${Object.keys(fields).join(", ")}, batch, retry`,
        );
      checkField(spec!, value, (message, hint) => error([index, key], `sinks[${index}].${key} ${message}`, hint));
    }
    for (const [key, spec] of Object.entries(fields)) {
      const required =
        (spec.kind === "string" && spec.required === true) || REQUIRED_ENV[type as SinkType]?.includes(key) === true;
      if (required && entry[key] === undefined) error([index], `sinks[${index}] (${type}) needs '${key}'`);
    }
    const name = entry.name as string;
    if (names.has(name)) error([index, "name"], `sinks[${index}]: a sink named '${name}' is already defined`);
    names.add(name);
    const limits = parseBatch(
      entry.batch,
      (key, message) => error([index, "batch", ...key], `sinks[${index}].batch${message}`),
      type as SinkType,
    );
    const retry = parseRetry(entry.retry, (key, message) =>
      error([index, "retry", ...key], `sinks[${index}].retry${message}`),
    );
    const common: Common = {
      name,
      limits,
      retry,
      timeoutMs: (entry.timeout_ms as number | undefined) ?? 30_000,
      position: (key) => source.locate(["sinks", index, key]),
    };
    if (entry.format === "asff" && (entry.account_id === undefined || entry.region === undefined)) {
      // ProductArn names the importing account and region; without them the first non-AWS finding would fail mid-export.
      error(
        [index, "format"],
        `sinks[${index}]: format asff needs account_id and region (the Security Hub account that imports the findings)`,
      );
    }
    const base = source.file === undefined ? process.cwd() : dirname(resolve(source.file));
    const relative = (path: string | undefined) =>
      path === undefined || path === "-" || isAbsolute(path) ? path : resolve(base, path);
    return build(type as SinkType, entry, common, relative, (message) => error([index], `sinks[${index}] ${message}`));
  });
}

function checkField(spec: FieldSpec, value: unknown, fail: (message: string, hint?: string) => never): void {
  switch (spec.kind) {
    case "string":
    case "env":
      if (typeof value !== "string" || value === "") fail("must be a non-empty string");
      if (spec.kind === "env" && !/^[A-Za-z_][A-Za-z0-9_]*$/.test(value as string))
        fail("must name an environment variable", "e.g. SPLUNK_HEC_TOKEN");
      if (spec.kind === "string" && spec.pattern !== undefined && !spec.pattern.test(value as string))
        fail(`'${String(value)}' is not valid`, spec.hint);
      return;
    case "enum":
      if (!spec.values.includes(value as string)) fail(`must be one of: ${spec.values.join(", ")}`);
      return;
    case "integer":
      if (!Number.isInteger(value) || (value as number) < spec.min || (value as number) > spec.max)
        fail(`must be an integer from ${spec.min} to ${spec.max}`);
      return;
    case "boolean":
      if (typeof value !== "boolean") fail("must be true or false");
      return;
  }
}

/** Each service's own request limits are the defaults and the ceiling. */
const MAX_LIMITS: Record<SinkType, BatchLimits> = {
  file: { maxRecords: 10_000, maxBytes: 64 * 1024 * 1024 },
  "splunk-hec": { maxRecords: 1_000, maxBytes: 1024 * 1024 },
  elastic: { maxRecords: 1_000, maxBytes: 10 * 1024 * 1024 },
  sentinel: { maxRecords: 1_000, maxBytes: 1024 * 1024 },
  "security-hub": { maxRecords: 100, maxBytes: 100 * 240 * 1024 },
  syslog: { maxRecords: 500, maxBytes: 1024 * 1024 },
  webhook: { maxRecords: 500, maxBytes: 5 * 1024 * 1024 },
};

function parseBatch(raw: unknown, fail: (path: string[], message: string) => never, type: SinkType): BatchLimits {
  const max = MAX_LIMITS[type];
  if (raw === undefined) return max;
  if (!isRecord(raw)) return fail([], " must be a mapping: { max_records, max_bytes }");
  const records = raw.max_records ?? max.maxRecords;
  const bytes = raw.max_bytes ?? max.maxBytes;
  for (const key of Object.keys(raw))
    if (key !== "max_records" && key !== "max_bytes") fail([key], `: unknown key '${key}'`);
  if (!Number.isInteger(records) || (records as number) < 1 || (records as number) > max.maxRecords) {
    fail(["max_records"], `.max_records must be an integer from 1 to ${max.maxRecords}`);
  }
  if (!Number.isInteger(bytes) || (bytes as number) < 1024 || (bytes as number) > max.maxBytes) {
    fail(["max_bytes"], `.max_bytes must be an integer from 1024 to ${max.maxBytes}`);
  }
  return { maxRecords: records as number, maxBytes: bytes as number };
}

function parseRetry(raw: unknown, fail: (path: string[], message: string) => never): RetryPolicy {
  if (raw === undefined) return DEFAULT_RETRY;
  if (!isRecord(raw)) return fail([], " must be a mapping: { attempts, base_ms, max_ms }");
  const keys: Record<string, keyof RetryPolicy> = {
    attempts: "attempts",
    base_ms: "baseMs",
    max_ms: "maxMs",
    max_retry_after_ms: "maxRetryAfterMs",
  };
  const policy: Record<string, number> = { ...DEFAULT_RETRY };
  for (const [key, value] of Object.entries(raw)) {
    const target = keys[key];
    if (target === undefined) fail([key], `: unknown key '${key}' (known: ${Object.keys(keys).join(", ")})`);
    if (!Number.isInteger(value) || (value as number) < (key === "attempts" ? 1 : 0) || (value as number) > 3_600_000) {
      fail([key], `.${key} must be a non-negative integer`);
    }
    policy[target!] = value as number;
  }
  return policy as unknown as RetryPolicy;
}

function str(entry: Record<string, unknown>, key: string): string | undefined {
  return entry[key] as string | undefined;
}

function build(
  type: SinkType,
  entry: Record<string, unknown>,
  common: Common,
  relative: (path: string | undefined) => string | undefined,
  fail: (message: string) => never,
): SinkConfig {
  switch (type) {
    case "file":
      return {
        ...common,
        type,
        path: relative(str(entry, "path"))!,
        format: (str(entry, "format") ?? "ocsf") as RecordFormat,
        ...optional("accountId", str(entry, "account_id")),
        ...optional("region", str(entry, "region")),
      };
    case "splunk-hec":
      return {
        ...common,
        type,
        url: str(entry, "url")!,
        tokenEnv: str(entry, "token_env")!,
        format: (str(entry, "format") ?? "ocsf") as "ocsf" | "ecs",
        ...optional("index", str(entry, "index")),
        source: str(entry, "source") ?? "aigov",
        sourcetype: str(entry, "sourcetype") ?? (str(entry, "format") === "ecs" ? "aigov:ecs" : "aigov:ocsf"),
        ...optional("host", str(entry, "host")),
        ack: (entry.ack as boolean | undefined) ?? false,
        ackTimeoutMs: (entry.ack_timeout_ms as number | undefined) ?? 60_000,
      };
    case "elastic": {
      const apiKeyEnv = str(entry, "api_key_env");
      const username = str(entry, "username");
      const passwordEnv = str(entry, "password_env");
      if (apiKeyEnv === undefined && (username === undefined || passwordEnv === undefined)) {
        fail("(elastic) needs api_key_env, or username and password_env");
      }
      return {
        ...common,
        type,
        url: str(entry, "url")!,
        dataStream: str(entry, "data_stream") ?? "logs-aigov.findings-default",
        installTemplate: entry.install_template === true,
        ...optional("apiKeyEnv", apiKeyEnv),
        ...optional("username", username),
        ...optional("passwordEnv", passwordEnv),
      };
    }
    case "sentinel":
      return {
        ...common,
        type,
        endpoint: str(entry, "endpoint")!,
        dcrImmutableId: str(entry, "dcr_immutable_id")!,
        stream: str(entry, "stream")!,
        tenantId: str(entry, "tenant_id")!,
        clientId: str(entry, "client_id")!,
        clientSecretEnv: str(entry, "client_secret_env")!,
        tokenEndpoint:
          str(entry, "token_endpoint") ??
          `https://login.microsoftonline.com/${str(entry, "tenant_id")}/oauth2/v2.0/token`,
      };
    case "security-hub":
      return {
        ...common,
        type,
        region: str(entry, "region")!,
        accountId: str(entry, "account_id")!,
        partition: str(entry, "partition") ?? "aws",
        ...optional("endpoint", str(entry, "endpoint")),
        ...optional("roleName", str(entry, "role_name")),
        ...optional("externalIdEnv", str(entry, "external_id_env")),
        ...optional("stsEndpoint", str(entry, "sts_endpoint")),
      };
    case "syslog": {
      const protocol = (str(entry, "protocol") ?? "tls") as "tls" | "tcp" | "udp";
      return {
        ...common,
        type,
        host: str(entry, "host")!,
        port: (entry.port as number | undefined) ?? (protocol === "tls" ? 6514 : 514),
        protocol,
        format: (str(entry, "format") ?? "cef") as "cef" | "rfc5424",
        facility: (entry.facility as number | undefined) ?? 13,
        ...optional("hostname", str(entry, "hostname")),
        ...optional("caFile", relative(str(entry, "ca_file"))),
      };
    }
    case "webhook":
      return {
        ...common,
        type,
        url: str(entry, "url")!,
        secretEnv: str(entry, "secret_env")!,
        format: (str(entry, "format") ?? "ocsf") as "ocsf" | "ecs" | "asff",
        ...optional("accountId", str(entry, "account_id")),
        ...optional("region", str(entry, "region")),
      };
  }
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}
