import { AigovError, type Policy, type Provider } from "@aigov/core";
import type { AwsScanConfig } from "@aigov/scanner-aws";

/** What the sweep should cover, per cloud, in each scanner's own configuration type. */
export interface SweepTargets {
  readonly aws?: AwsScanConfig;
}

/** Flags that describe AWS targets without a policy file (they override the policy's `targets.aws` field by field). */
export interface AwsTargetFlags {
  readonly accounts?: readonly string[];
  readonly organization?: boolean;
  readonly role?: string;
  readonly externalId?: string;
  readonly regions?: readonly string[];
  readonly endpoint?: string;
  readonly readSsmParameterValues?: boolean;
}

type Path = readonly (string | number)[];

/** snake_case policy key → AwsScanConfig field, with the type each must have. */
const AWS_KEYS: Readonly<
  Record<string, { field: keyof AwsScanConfig; type: "string" | "number" | "boolean" | "special" }>
> = {
  organization: { field: "organization", type: "special" },
  accounts: { field: "accounts", type: "special" },
  role: { field: "roleName", type: "string" },
  external_id: { field: "externalId", type: "string" },
  session_name: { field: "sessionName", type: "string" },
  assume_role_in_own_account: { field: "assumeRoleInOwnAccount", type: "boolean" },
  regions: { field: "regions", type: "special" },
  home_region: { field: "homeRegion", type: "string" },
  endpoint: { field: "endpoint", type: "string" },
  services: { field: "services", type: "special" },
  concurrency: { field: "concurrency", type: "number" },
  max_attempts: { field: "maxAttempts", type: "number" },
  request_timeout_ms: { field: "requestTimeoutMs", type: "number" },
  rate_limits: { field: "rateLimits", type: "special" },
  cloudtrail_lookback_hours: { field: "cloudTrailLookbackHours", type: "number" },
  cloudtrail_event_sources: { field: "cloudTrailEventSources", type: "special" },
  cloudtrail_max_events: { field: "cloudTrailMaxEvents", type: "number" },
  job_lookback_days: { field: "jobLookbackDays", type: "number" },
  page_size: { field: "pageSize", type: "number" },
  read_ssm_parameter_values: { field: "readSsmParameterValues", type: "boolean" },
};

/** Clouds the `targets:` section may name; those without a scanner yet are refused, never skipped silently. */
const SCANNED: readonly Provider[] = ["aws"];

/**
 * Reads the policy's `targets:` section (and flags) into scanner configurations. Every defect names the policy
 * file position. The section's shape (one key per cloud) leaves room for `azure:` tenants/subscriptions and `gcp:`
 * organizations/projects when their scanners land.
 */
export function sweepTargets(policy: Policy, flags: AwsTargetFlags = {}): SweepTargets {
  const fail = (path: Path, message: string, hint?: string): never => {
    const position = policy.locate(["targets", ...path]);
    throw new AigovError(
      "SWEEP_TARGETS_INVALID",
      `targets${path.map((p) => (typeof p === "number" ? `[${p}]` : `.${p}`)).join("")}: ${message}`,
      {
        ...(position === undefined ? {} : { position }),
        ...(hint === undefined ? {} : { hint }),
      },
    );
  };
  const raw = policy.targets;
  if (raw !== undefined && raw !== null && (typeof raw !== "object" || Array.isArray(raw)))
    fail(
      [],
      "must be a mapping of cloud → targets",
      "e.g. targets: { aws: { organization: true, regions: [us-east-1] } }",
    );
  const section = (raw ?? {}) as Record<string, unknown>;
  for (const cloud of Object.keys(section)) {
    if (!(["aws", "azure", "gcp"] as string[]).includes(cloud))
      fail([cloud], `unknown cloud '${cloud}'`, "one of aws, azure, gcp");
    if (!SCANNED.includes(cloud as Provider))
      fail([cloud], `this aigov has no ${cloud} scanner yet`, "remove the section, or sweep it with a newer aigov");
  }
  const hasFlags = Object.values(flags).some((value) => value !== undefined && value !== false);
  const fromFlags = awsFromFlags(flags);
  const fromPolicy = awsFromPolicy(section.aws, fail);
  // Flags choose the accounts outright: --aws-account replaces the policy's organization, and the reverse.
  if (fromFlags.accounts !== undefined) delete (fromPolicy as { organization?: unknown }).organization;
  if (fromFlags.organization !== undefined) delete (fromPolicy as { accounts?: unknown }).accounts;
  const aws = section.aws === undefined && !hasFlags ? undefined : { ...fromPolicy, ...fromFlags };
  if (aws === undefined) {
    throw new AigovError(
      "SWEEP_NO_TARGETS",
      "nothing to sweep: the policy has no targets: section and no target flags were given",
      {
        hint: "add targets: { aws: { accounts: [...], regions: [...] } } to aigov.yaml, or pass --aws-account/--aws-organization and --aws-region; `aigov demo` sweeps a simulated organization",
      },
    );
  }
  if (aws.accounts === undefined && aws.organization === undefined) {
    fail(
      ["aws"],
      "no accounts: give accounts: [...] or organization: true",
      "flags: --aws-account ID (repeatable) or --aws-organization",
    );
  }
  return { aws };
}

function awsFromPolicy(value: unknown, fail: (path: Path, message: string, hint?: string) => never): AwsScanConfig {
  if (value === undefined || value === null) return {};
  if (typeof value !== "object" || Array.isArray(value)) fail(["aws"], "must be a mapping");
  const config: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
    const path: Path = ["aws", key];
    const spec = AWS_KEYS[key];
    if (spec === undefined) fail(path, `unknown key '${key}'`, `allowed: ${Object.keys(AWS_KEYS).join(", ")}`);
    switch (key) {
      case "organization":
        if (typeof item === "boolean") config.organization = item;
        else if (typeof item === "object" && item !== null && !Array.isArray(item)) {
          const exclude = (item as Record<string, unknown>).exclude_accounts;
          config.organization = { excludeAccounts: accountList(exclude ?? [], [...path, "exclude_accounts"], fail) };
        } else fail(path, "must be true, false or { exclude_accounts: [...] }");
        break;
      case "accounts":
        config.accounts = accounts(item, path, fail);
        break;
      case "regions":
        if (item === "all-enabled") config.regions = "all-enabled";
        else config.regions = stringList(item, path, fail, "a list of regions or all-enabled");
        break;
      case "services":
        config.services = stringList(item, path, fail, "a list of collector names");
        break;
      case "cloudtrail_event_sources":
        config.cloudTrailEventSources = stringList(
          item,
          path,
          fail,
          "a list of event sources such as bedrock.amazonaws.com",
        );
        break;
      case "rate_limits": {
        if (typeof item !== "object" || item === null || Array.isArray(item))
          fail(path, "must map service (or service:Operation) → { rate_per_second, burst }");
        const limits: Record<string, { ratePerSecond: number; burst: number }> = {};
        for (const [service, limit] of Object.entries(
          item as Record<string, { rate_per_second?: unknown; burst?: unknown }>,
        )) {
          if (typeof limit?.rate_per_second !== "number" || typeof limit.burst !== "number")
            fail([...path, service], "needs rate_per_second and burst numbers");
          limits[service] = { ratePerSecond: limit.rate_per_second as number, burst: limit.burst as number };
        }
        config.rateLimits = limits;
        break;
      }
      default:
        if (typeof item !== spec!.type) fail(path, `must be a ${spec!.type}`);
        config[spec!.field] = item;
    }
  }
  return config as AwsScanConfig;
}

function awsFromFlags(flags: AwsTargetFlags): AwsScanConfig {
  const config: Record<string, unknown> = {};
  if (flags.accounts !== undefined && flags.accounts.length > 0)
    config.accounts = flags.accounts.flatMap((a) => a.split(",")).map((id) => ({ id: id.trim() }));
  if (flags.organization === true) config.organization = true;
  if (flags.role !== undefined) config.roleName = flags.role;
  if (flags.externalId !== undefined) config.externalId = flags.externalId;
  if (flags.regions !== undefined && flags.regions.length > 0) {
    const regions = flags.regions.flatMap((r) => r.split(",")).map((r) => r.trim());
    config.regions = regions.length === 1 && regions[0] === "all-enabled" ? "all-enabled" : regions;
  }
  if (flags.endpoint !== undefined) config.endpoint = flags.endpoint;
  if (flags.readSsmParameterValues === true) config.readSsmParameterValues = true;
  return config as AwsScanConfig;
}

function accounts(
  value: unknown,
  path: Path,
  fail: (path: Path, message: string, hint?: string) => never,
): AwsScanConfig["accounts"] {
  if (!Array.isArray(value)) fail(path, "must be a list of account ids or { id, name, role_arn }");
  return (value as unknown[]).map((item, index) => {
    if (typeof item === "string") return { id: item };
    if (typeof item === "number")
      fail(
        [...path, index],
        "an account id must be quoted (YAML reads 012345678901 as a number and drops the leading zero)",
      );
    if (typeof item !== "object" || item === null)
      fail([...path, index], "must be an account id or { id, name, role_arn }");
    const entry = item as Record<string, unknown>;
    for (const key of Object.keys(entry))
      if (!["id", "name", "role_arn"].includes(key))
        fail([...path, index, key], `unknown key '${key}'`, "allowed: id, name, role_arn");
    if (typeof entry.id !== "string") fail([...path, index, "id"], "must be a quoted 12-digit account id");
    return {
      id: entry.id as string,
      ...(typeof entry.name === "string" ? { name: entry.name } : {}),
      ...(typeof entry.role_arn === "string" ? { roleArn: entry.role_arn } : {}),
    };
  });
}

function accountList(
  value: unknown,
  path: Path,
  fail: (path: Path, message: string, hint?: string) => never,
): string[] {
  return stringList(value, path, fail, "a list of quoted account ids");
}

function stringList(
  value: unknown,
  path: Path,
  fail: (path: Path, message: string, hint?: string) => never,
  what: string,
): string[] {
  if (!Array.isArray(value)) fail(path, `must be ${what}`);
  return (value as unknown[]).map((item, index) => {
    if (typeof item !== "string") fail([...path, index], `must be a string (${what})`);
    return item as string;
  });
}
