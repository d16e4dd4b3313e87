import { AigovError } from "@aigov/core";
import type { RateLimit } from "@aigov/scanner-kit";

/** One account to scan when the organization is not listed. */
export interface AwsAccountTarget {
  readonly id: string;
  readonly name?: string;
  /** Overrides the role template for this account. */
  readonly roleArn?: string;
}

/**
 * What to sweep and how. Everything but the targets has a default; `normalizeAwsConfig` validates and fills them.
 * Credentials come from the standard AWS chain (env, profile, SSO, web identity, instance metadata).
 */
export interface AwsScanConfig {
  /** The accounts to scan; ignored when `organization` is set. */
  readonly accounts?: readonly AwsAccountTarget[];
  /** List the organization's ACTIVE accounts (Organizations ListAccounts) from the management or delegated admin account. */
  readonly organization?: boolean | { readonly excludeAccounts?: readonly string[] };
  /**
   * Role to assume in each account: a role name (default `AigovReadOnly`, the read-only role the templates in
   * docs/permissions/aws create) or an ARN template with `{account}` (`arn:aws:iam::{account}:role/path/Aigov`).
   * The account the scanner's own credentials belong to is scanned with those credentials unless
   * `assumeRoleInOwnAccount` is set. An administrator role (`OrganizationAccountAccessRole`) works, with a warning.
   */
  readonly roleName?: string;
  readonly externalId?: string;
  readonly sessionName?: string;
  readonly assumeRoleInOwnAccount?: boolean;
  /** Regions to scan, or "all-enabled" (Account ListRegions per account, ENABLED and ENABLED_BY_DEFAULT). */
  readonly regions?: readonly string[] | "all-enabled";
  /** Region for global services (STS, IAM, Organizations, Account). */
  readonly homeRegion?: string;
  /** Send every request here instead of AWS (the cloud simulator, LocalStack …). */
  readonly endpoint?: string;
  /** Requests in flight at once across the whole sweep. */
  readonly concurrency?: number;
  /** Attempts per request, including the first. */
  readonly maxAttempts?: number;
  readonly retryBaseDelayMs?: number;
  readonly retryMaxDelayMs?: number;
  /** Socket timeout per request attempt. */
  readonly requestTimeoutMs?: number;
  readonly connectionTimeoutMs?: number;
  /** Per account+region+service request rates; keys are services or `service:Operation`. */
  readonly rateLimits?: Readonly<Record<string, RateLimit>>;
  /** CloudTrail LookupEvents window. */
  readonly cloudTrailLookbackHours?: number;
  readonly cloudTrailEventSources?: readonly string[];
  /** Stop reading CloudTrail for one account+region after this many events (reported as a Truncated gap). */
  readonly cloudTrailMaxEvents?: number;
  /** Training and processing jobs created within this many days. */
  readonly jobLookbackDays?: number;
  /** Services to collect (default: all). */
  readonly services?: readonly CollectorName[];
  /** Page size asked of list operations, within each API's maximum. */
  readonly pageSize?: number;
  /**
   * Read the values of SSM String/StringList parameters (GetParameters, never decrypted) to find AI keys in them.
   * Off by default: the permission it needs, ssm:GetParameters, also lets whoever holds the role read SecureString
   * values encrypted with the default `aws/ssm` key. Off, parameters are listed by their metadata only.
   */
  readonly readSsmParameterValues?: boolean;
}

/** The read-only role the shipped templates create in every member account, and the scanner's default. */
export const DEFAULT_MEMBER_ROLE_NAME = "AigovReadOnly";

/**
 * Roles that exist in member accounts with AdministratorAccess: Organizations creates OrganizationAccountAccessRole
 * in every account it creates, Control Tower AWSControlTowerExecution. A sweep works through them, but whoever
 * holds the sweep's credentials then holds administrator access to every account.
 */
export const ADMIN_ROLE_NAMES: readonly string[] = ["OrganizationAccountAccessRole", "AWSControlTowerExecution"];

export const COLLECTOR_NAMES = [
  "sagemaker",
  "bedrock",
  "bedrock-agent",
  "bedrock-agentcore",
  "qbusiness",
  "bedrock-api-keys",
  "iam",
  "lambda",
  "ecs",
  "ssm",
  "cloudtrail",
] as const;
export type CollectorName = (typeof COLLECTOR_NAMES)[number];

/**
 * Rates below the documented or observed per-account per-region limits. CloudTrail LookupEvents is documented
 * at 2 requests/second per account per region; burst 1 keeps any 1-second window at 2 requests or fewer.
 */
export const DEFAULT_RATE_LIMITS: Readonly<Record<string, RateLimit>> = {
  "cloudtrail:LookupEvents": { ratePerSecond: 2, burst: 1 },
  organizations: { ratePerSecond: 10, burst: 10 },
  sts: { ratePerSecond: 50, burst: 50 },
  iam: { ratePerSecond: 10, burst: 10 },
  account: { ratePerSecond: 5, burst: 5 },
  sagemaker: { ratePerSecond: 20, burst: 20 },
  bedrock: { ratePerSecond: 10, burst: 10 },
  "bedrock-agent": { ratePerSecond: 10, burst: 10 },
  "bedrock-agentcore": { ratePerSecond: 5, burst: 5 },
  qbusiness: { ratePerSecond: 5, burst: 5 },
  lambda: { ratePerSecond: 15, burst: 15 },
  ecs: { ratePerSecond: 20, burst: 20 },
  ssm: { ratePerSecond: 20, burst: 20 },
  cloudtrail: { ratePerSecond: 2, burst: 1 },
  ec2: { ratePerSecond: 20, burst: 20 },
  logs: { ratePerSecond: 5, burst: 5 },
  s3: { ratePerSecond: 20, burst: 20 },
};

/**
 * Requests in flight across the sweep when the config does not say. The rate limits are per account + region +
 * service, so across an organization they leave hundreds of requests to run at once; what bounds a sweep is the
 * targets in flight (see below), the scanner's CPU and its memory. Requests in flight cost no memory of their own
 * (targets do): with SDK clients shared across accounts, `aigov sweep` 200 × 4 peaked at 160.6 MiB with 128 and
 * 160.2 with 64. Under load, 128 finished the scanner's 100 × 4 sweep 21% sooner than 64; on a quiet machine the
 * 32 targets bound it either way (34.1 s at 128, 34.9 s at 64 in the previous quiet run).
 */
export const DEFAULT_CONCURRENCY = 128;

/**
 * Targets (account × region) a sweep collects at once, at most. Memory follows targets, not requests: each holds
 * what it found, its paginators and pending reads until done. A region target runs its collectors side by side, so
 * 32 targets keep 128 requests in flight. More targets finish sooner, since each waits on its own rate-limited
 * buckets (CloudTrail's 2 per second per account and region), but hold more: `aigov sweep` of 1,000 accounts × 4
 * regions took 324 s at 185 MiB with 32, 208 s at 209 MiB with 64
 * (test/bench/results/sweep-cli-targets-in-flight.json).
 * 32 keeps a sweep under 200 MB; `aigov sweep --concurrency 64` trades the memory for time.
 */
export const MAX_TARGETS_IN_FLIGHT = 32;

/** The targets a sweep of `config` collects at once: half its requests in flight, at most 32. */
export function targetsInFlight(config: NormalizedAwsConfig): number {
  return Math.max(1, Math.min(MAX_TARGETS_IN_FLIGHT, Math.floor(config.concurrency / 2)));
}

export interface NormalizedAwsConfig {
  readonly accounts: readonly AwsAccountTarget[];
  readonly organization: { readonly excludeAccounts: readonly string[] } | undefined;
  readonly roleName: string;
  readonly externalId: string | undefined;
  readonly sessionName: string;
  readonly assumeRoleInOwnAccount: boolean;
  readonly regions: readonly string[] | "all-enabled";
  readonly homeRegion: string;
  readonly endpoint: string | undefined;
  readonly concurrency: number;
  readonly maxAttempts: number;
  readonly retryBaseDelayMs: number;
  readonly retryMaxDelayMs: number;
  readonly requestTimeoutMs: number;
  readonly connectionTimeoutMs: number;
  readonly rateLimits: Readonly<Record<string, RateLimit>>;
  readonly cloudTrailLookbackHours: number;
  readonly cloudTrailEventSources: readonly string[];
  readonly cloudTrailMaxEvents: number;
  readonly jobLookbackDays: number;
  readonly services: ReadonlySet<CollectorName>;
  readonly pageSize: number;
  readonly readSsmParameterValues: boolean;
}

const ACCOUNT_ID = /^\d{12}$/;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;

function invalid(message: string, hint?: string): AigovError {
  return new AigovError("AWS_CONFIG_INVALID", message, hint === undefined ? {} : { hint });
}

function positive(name: string, value: number | undefined, fallback: number, integer = true): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value <= 0 || (integer && !Number.isInteger(value)))
    throw invalid(`aws.${name} must be a positive ${integer ? "integer" : "number"}, got ${value}`);
  return value;
}

/** Validates an AwsScanConfig and fills defaults. Throws AigovError AWS_CONFIG_INVALID. */
export function normalizeAwsConfig(config: AwsScanConfig): NormalizedAwsConfig {
  const organization =
    config.organization === true
      ? { excludeAccounts: [] }
      : config.organization
        ? { excludeAccounts: config.organization.excludeAccounts ?? [] }
        : undefined;
  const accounts = config.accounts ?? [];
  if (organization === undefined && accounts.length === 0)
    throw invalid("aws: no targets: give `accounts` or `organization: true`");
  for (const account of accounts)
    if (!ACCOUNT_ID.test(account.id)) throw invalid(`aws.accounts: "${account.id}" is not a 12-digit account id`);
  const regions = config.regions ?? "all-enabled";
  if (regions !== "all-enabled") {
    if (regions.length === 0) throw invalid("aws.regions is empty", 'list regions or use "all-enabled"');
    for (const region of regions)
      if (!REGION.test(region)) throw invalid(`aws.regions: "${region}" is not a region name`);
  }
  const services = new Set<CollectorName>(config.services ?? COLLECTOR_NAMES);
  for (const service of services)
    if (!COLLECTOR_NAMES.includes(service))
      throw invalid(`aws.services: unknown collector "${service}"`, `one of ${COLLECTOR_NAMES.join(", ")}`);
  const roleName = config.roleName ?? DEFAULT_MEMBER_ROLE_NAME;
  if (roleName.startsWith("arn:") && !roleName.includes("{account}"))
    throw invalid(`aws.roleName "${roleName}" is an ARN without {account}`);
  for (const [key, limit] of Object.entries(config.rateLimits ?? {})) {
    const [service] = key.split(":");
    if (!(service! in DEFAULT_RATE_LIMITS) && !key.includes(":"))
      throw invalid(`aws.rateLimits: unknown service "${key}"`);
    positive(`rateLimits.${key}.ratePerSecond`, limit.ratePerSecond, 1, false);
    positive(`rateLimits.${key}.burst`, limit.burst, 1);
  }
  return {
    accounts,
    organization,
    roleName,
    externalId: config.externalId,
    sessionName: config.sessionName ?? "aigov-sweep",
    assumeRoleInOwnAccount: config.assumeRoleInOwnAccount ?? false,
    regions,
    homeRegion: config.homeRegion ?? "us-east-1",
    endpoint: config.endpoint,
    concurrency: positive("concurrency", config.concurrency, DEFAULT_CONCURRENCY),
    maxAttempts: positive("maxAttempts", config.maxAttempts, 8),
    retryBaseDelayMs: positive("retryBaseDelayMs", config.retryBaseDelayMs, 100),
    retryMaxDelayMs: positive("retryMaxDelayMs", config.retryMaxDelayMs, 20_000),
    requestTimeoutMs: positive("requestTimeoutMs", config.requestTimeoutMs, 30_000),
    connectionTimeoutMs: positive("connectionTimeoutMs", config.connectionTimeoutMs, 5_000),
    rateLimits: { ...DEFAULT_RATE_LIMITS, ...config.rateLimits },
    cloudTrailLookbackHours: positive("cloudTrailLookbackHours", config.cloudTrailLookbackHours, 24, false),
    // bedrock-mantle is Bedrock's OpenAI-compatible endpoint, called with bearer tokens (Bedrock API keys). AgentCore
    // and Q Business record their management events here; invoking an AgentCore agent or tool is a data event, which
    // LookupEvents does not return (see the coverage notice).
    cloudTrailEventSources: config.cloudTrailEventSources ?? [
      "bedrock.amazonaws.com",
      "bedrock-mantle.amazonaws.com",
      "bedrock-agentcore.amazonaws.com",
      "qbusiness.amazonaws.com",
      "sagemaker.amazonaws.com",
    ],
    cloudTrailMaxEvents: positive("cloudTrailMaxEvents", config.cloudTrailMaxEvents, 10_000),
    jobLookbackDays: positive("jobLookbackDays", config.jobLookbackDays, 30, false),
    services,
    pageSize: positive("pageSize", config.pageSize, 100),
    readSsmParameterValues: config.readSsmParameterValues ?? false,
  };
}

/** The role ARN to assume in an account. */
export function roleArnFor(config: NormalizedAwsConfig, account: AwsAccountTarget | string): string {
  const id = typeof account === "string" ? account : account.id;
  if (typeof account !== "string" && account.roleArn !== undefined) return account.roleArn;
  return config.roleName.startsWith("arn:")
    ? config.roleName.replaceAll("{account}", id)
    : `arn:aws:iam::${id}:role/${config.roleName}`;
}

/** The role name an ARN or ARN template ends in: `arn:aws:iam::{account}:role/path/Aigov` → `Aigov`. */
export function roleNameOf(roleNameOrArn: string): string {
  return roleNameOrArn.slice(roleNameOrArn.lastIndexOf("/") + 1);
}
