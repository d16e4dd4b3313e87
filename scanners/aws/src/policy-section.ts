import { createSectionCheck } from "@aigov/core";
import { type ConfigSources, type FlagTable, noTargets, type RateLimit } from "@aigov/scanner-kit";
import awsTargetsSchema from "../schema/targets-aws.schema.json" with { type: "json" };
import type { AwsAccountTarget, AwsScanConfig, CollectorName } from "./config.ts";

// `targets.aws` of aigov.yaml and the --aws-* flags → AwsScanConfig. The schema checks the section (with positions);
// this module only renames and merges. It imports no SDK: the cli loads it with the plugin for every sweep.

/** `targets.aws` as targets-aws.schema.json lets it be written (checked against it before it is read). */
export interface AwsTargetsSection {
  readonly organization?: boolean | { readonly exclude_accounts?: readonly string[] };
  readonly accounts?: readonly (string | { readonly id: string; readonly name?: string; readonly role_arn?: string })[];
  readonly role?: string;
  readonly external_id?: string;
  readonly session_name?: string;
  readonly assume_role_in_own_account?: boolean;
  readonly regions?: "all-enabled" | readonly string[];
  readonly home_region?: string;
  readonly endpoint?: string;
  readonly services?: readonly CollectorName[];
  readonly concurrency?: number;
  readonly max_attempts?: number;
  readonly retry_base_delay_ms?: number;
  readonly retry_max_delay_ms?: number;
  readonly request_timeout_ms?: number;
  readonly connection_timeout_ms?: number;
  readonly page_size?: number;
  readonly rate_limits?: Readonly<Record<string, { readonly rate_per_second: number; readonly burst: number }>>;
  readonly cloudtrail_lookback_hours?: number;
  readonly cloudtrail_event_sources?: readonly string[];
  readonly cloudtrail_max_events?: number;
  readonly job_lookback_days?: number;
  readonly read_ssm_parameter_values?: boolean;
}

export const AWS_TARGETS_SCHEMA: object = awsTargetsSchema;

const checkSection = createSectionCheck<AwsTargetsSection>(awsTargetsSchema, ["targets", "aws"]);

/** The --aws-* flags: each overrides its `targets.aws` key for one run. */
export const AWS_FLAGS = {
  "aws-account": {
    type: "string",
    multiple: true,
    description: "an account to sweep (or a comma-separated list); replaces targets.aws.organization",
    example: "111122223333",
  },
  "aws-organization": {
    type: "boolean",
    description: "sweep the organization's ACTIVE accounts; replaces targets.aws.accounts",
  },
  "aws-role": {
    type: "string",
    description: "the role to assume in each account: a name or an ARN template with {account}",
    example: "NAME|ARN-TEMPLATE",
    default: "AigovReadOnly",
  },
  "aws-external-id": {
    type: "string",
    description: "the external id the role's trust policy requires",
    example: "ID",
  },
  "aws-region": {
    type: "string",
    multiple: true,
    description: "a region to sweep, or all-enabled",
    example: "eu-west-1",
    default: "all-enabled",
  },
  "aws-endpoint": {
    type: "string",
    description: "send every AWS request here (a simulator, LocalStack)",
    example: "URL",
  },
  "aws-read-ssm-parameter-values": {
    type: "boolean",
    description:
      "also read SSM String/StringList values for AI keys (an opt-in: its permission can read SecureStrings under the aws/ssm key; see docs/permissions/aws/README.md)",
  },
} as const satisfies FlagTable;

/** The AWS configuration from `targets.aws` and the flags, or undefined when neither is given. */
export function awsConfigFrom(sources: ConfigSources): AwsScanConfig | undefined {
  const { flags } = sources;
  if (sources.section === undefined && !flags.any()) return undefined;
  const section = sources.section === undefined ? {} : checkSection(sources.section);
  const fromPolicy = fromSection(section);
  const accountFlags = flags.list("aws-account");
  const regionFlags = flags.list("aws-region");
  const role = flags.string("aws-role");
  const externalId = flags.string("aws-external-id");
  const endpoint = flags.string("aws-endpoint");
  const config: AwsScanConfig = {
    ...fromPolicy,
    // Flags choose the accounts outright: --aws-account replaces the policy's organization, and the reverse.
    ...(accountFlags === undefined ? {} : { accounts: accountFlags.map((id) => ({ id })), organization: false }),
    ...(flags.boolean("aws-organization") ? { organization: true, accounts: [] } : {}),
    ...(role === undefined ? {} : { roleName: role }),
    ...(externalId === undefined ? {} : { externalId }),
    ...(regionFlags === undefined
      ? {}
      : { regions: regionFlags.length === 1 && regionFlags[0] === "all-enabled" ? "all-enabled" : regionFlags }),
    ...(endpoint === undefined ? {} : { endpoint }),
    ...(flags.boolean("aws-read-ssm-parameter-values") ? { readSsmParameterValues: true } : {}),
  };
  if (!config.organization && (config.accounts ?? []).length === 0)
    throw noTargets(
      "aws",
      sources.section,
      "no accounts: give accounts: [...] or organization: true",
      "flags: --aws-account ID (repeatable) or --aws-organization",
    );
  return config;
}

function fromSection(section: AwsTargetsSection): AwsScanConfig {
  const organization = section.organization;
  return {
    organization:
      typeof organization === "object" ? { excludeAccounts: organization.exclude_accounts ?? [] } : organization,
    accounts: section.accounts?.map(accountOf),
    roleName: section.role,
    externalId: section.external_id,
    sessionName: section.session_name,
    assumeRoleInOwnAccount: section.assume_role_in_own_account,
    regions: section.regions,
    homeRegion: section.home_region,
    endpoint: section.endpoint,
    services: section.services,
    concurrency: section.concurrency,
    maxAttempts: section.max_attempts,
    retryBaseDelayMs: section.retry_base_delay_ms,
    retryMaxDelayMs: section.retry_max_delay_ms,
    requestTimeoutMs: section.request_timeout_ms,
    connectionTimeoutMs: section.connection_timeout_ms,
    pageSize: section.page_size,
    cloudTrailLookbackHours: section.cloudtrail_lookback_hours,
    cloudTrailEventSources: section.cloudtrail_event_sources,
    cloudTrailMaxEvents: section.cloudtrail_max_events,
    jobLookbackDays: section.job_lookback_days,
    readSsmParameterValues: section.read_ssm_parameter_values,
    rateLimits:
      section.rate_limits &&
      Object.fromEntries(
        Object.entries(section.rate_limits).map(([key, limit]): [string, RateLimit] => [
          key,
          { ratePerSecond: limit.rate_per_second, burst: limit.burst },
        ]),
      ),
  };
}

function accountOf(account: NonNullable<AwsTargetsSection["accounts"]>[number]): AwsAccountTarget {
  if (typeof account === "string") return { id: account };
  return {
    id: account.id,
    ...(account.name === undefined ? {} : { name: account.name }),
    ...(account.role_arn === undefined ? {} : { roleArn: account.role_arn }),
  };
}
