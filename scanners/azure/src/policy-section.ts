import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { AigovError, createSectionCheck, fileErrorReason } from "@aigov/core";
import type { ConfigSources, FlagTable, RateLimit } from "@aigov/scanner-kit";
import azureTargetsSchema from "../schema/targets-azure.schema.json" with { type: "json" };
import type { AzureCollectorName, AzureScanConfig } from "./config.ts";

// `targets.azure` of aigov.yaml and the --azure-* flags → AzureScanConfig. The schema checks the section (with
// positions); this module renames, merges and reads the CA file. It imports no SDK: the cli loads it with the plugin.

/** `targets.azure` as targets-azure.schema.json lets it be written (checked against it before it is read). */
export interface AzureTargetsSection {
  readonly subscriptions?: readonly string[];
  readonly management_group?: string;
  readonly exclude_subscriptions?: readonly string[];
  readonly tenant_id?: string;
  readonly locations?: "all" | readonly string[];
  readonly arm_endpoint?: string;
  readonly arm_audience?: string;
  readonly authority_host?: string;
  readonly ca_file?: string;
  readonly services?: readonly AzureCollectorName[];
  readonly concurrency?: number;
  readonly max_attempts?: number;
  readonly retry_base_delay_ms?: number;
  readonly retry_max_delay_ms?: number;
  readonly request_timeout_ms?: number;
  readonly rate_limits?: Readonly<Record<string, { readonly rate_per_second: number; readonly burst: number }>>;
  readonly activity_log_lookback_hours?: number;
  readonly activity_log_max_events?: number;
  readonly read_app_settings?: boolean;
}

export const AZURE_TARGETS_SCHEMA: object = azureTargetsSchema;

const checkSection = createSectionCheck<AzureTargetsSection>(azureTargetsSchema, ["targets", "azure"]);

/** The --azure-* flags: each overrides its `targets.azure` key for one run. */
export const AZURE_FLAGS = {
  "azure-subscription": {
    type: "string",
    multiple: true,
    description: "a subscription to sweep (or a comma-separated list); replaces targets.azure.management_group",
    example: "00000000-0000-0000-0000-000000000000",
  },
  "azure-management-group": {
    type: "string",
    description: "sweep the subscriptions under this management group; replaces targets.azure.subscriptions",
    example: "ID",
  },
  "azure-all-subscriptions": {
    type: "boolean",
    description: "sweep every subscription the identity can read",
  },
  "azure-tenant": { type: "string", description: "the tenant to authenticate in", example: "TENANT-ID" },
  "azure-location": {
    type: "string",
    multiple: true,
    description: "a location to report (any spelling), or all",
    example: "westeurope",
    default: "all",
  },
  "azure-arm-endpoint": {
    type: "string",
    description: "Azure Resource Manager's URL (a sovereign cloud, Azure Stack, a simulator)",
    example: "URL",
  },
  "azure-authority-host": { type: "string", description: "Entra ID's URL", example: "URL" },
  "azure-ca-file": {
    type: "string",
    description: "a PEM file of CA certificates to trust for ARM and Entra ID besides the system's",
    example: "FILE",
  },
  "azure-read-app-settings": {
    type: "boolean",
    description:
      "also read App Service / Functions app settings for AI keys (an opt-in: its permission returns every setting in clear; see docs/permissions/azure/README.md)",
  },
} as const satisfies FlagTable;

/** The Azure configuration from `targets.azure` and the flags, or undefined when neither is given. */
export function azureConfigFrom(sources: ConfigSources): AzureScanConfig | undefined {
  const { flags } = sources;
  if (sources.section === undefined && !flags.any()) return undefined;
  const section = sources.section === undefined ? {} : checkSection(sources.section);
  const subscriptionFlags = flags.list("azure-subscription");
  const group = flags.string("azure-management-group");
  const locationFlags = flags.list("azure-location");
  const caFile = flags.string("azure-ca-file") ?? section.ca_file;
  // A path in the policy is relative to the policy file; a flag's, to the working directory (resolve's default).
  const caPath =
    caFile === undefined
      ? undefined
      : resolve(flags.string("azure-ca-file") === undefined ? sources.policyDir : ".", caFile);
  const tenant = flags.string("azure-tenant") ?? section.tenant_id;
  const armEndpoint = flags.string("azure-arm-endpoint") ?? section.arm_endpoint;
  const authorityHost = flags.string("azure-authority-host") ?? section.authority_host;
  const everyReadable = flags.boolean("azure-all-subscriptions");
  return {
    ...fromSection(section),
    // Flags choose the subscriptions outright: each of these replaces the policy's choice.
    ...(subscriptionFlags === undefined ? {} : { subscriptions: subscriptionFlags, managementGroup: undefined }),
    ...(group === undefined ? {} : { managementGroup: group, subscriptions: [] }),
    ...(everyReadable ? { managementGroup: undefined, subscriptions: [] } : {}),
    ...(locationFlags === undefined
      ? {}
      : { locations: locationFlags.length === 1 && locationFlags[0] === "all" ? "all" : locationFlags }),
    ...(tenant === undefined ? {} : { tenantId: tenant }),
    ...(armEndpoint === undefined ? {} : { armEndpoint }),
    ...(authorityHost === undefined ? {} : { authorityHost }),
    ...(caPath === undefined ? {} : { caCertificate: readCa(caPath) }),
    ...(flags.boolean("azure-read-app-settings") ? { readAppSettings: true } : {}),
  };
}

function readCa(path: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch (error) {
    throw new AigovError("AZURE_CONFIG_INVALID", `cannot read the CA file ${path}: ${fileErrorReason(error)}`, {
      hint: "ca_file (or --azure-ca-file) names a PEM file of CA certificates",
    });
  }
}

function fromSection(section: AzureTargetsSection): AzureScanConfig {
  return {
    ...(section.subscriptions === undefined ? {} : { subscriptions: section.subscriptions }),
    ...(section.management_group === undefined ? {} : { managementGroup: section.management_group }),
    ...(section.exclude_subscriptions === undefined ? {} : { excludeSubscriptions: section.exclude_subscriptions }),
    ...(section.locations === undefined ? {} : { locations: section.locations }),
    ...(section.arm_audience === undefined ? {} : { armAudience: section.arm_audience }),
    ...(section.services === undefined ? {} : { services: section.services }),
    ...(section.concurrency === undefined ? {} : { concurrency: section.concurrency }),
    ...(section.max_attempts === undefined ? {} : { maxAttempts: section.max_attempts }),
    ...(section.retry_base_delay_ms === undefined ? {} : { retryBaseDelayMs: section.retry_base_delay_ms }),
    ...(section.retry_max_delay_ms === undefined ? {} : { retryMaxDelayMs: section.retry_max_delay_ms }),
    ...(section.request_timeout_ms === undefined ? {} : { requestTimeoutMs: section.request_timeout_ms }),
    ...(section.activity_log_lookback_hours === undefined
      ? {}
      : { activityLogLookbackHours: section.activity_log_lookback_hours }),
    ...(section.activity_log_max_events === undefined ? {} : { activityLogMaxEvents: section.activity_log_max_events }),
    ...(section.read_app_settings === undefined ? {} : { readAppSettings: section.read_app_settings }),
    ...(section.rate_limits === undefined
      ? {}
      : {
          rateLimits: Object.fromEntries(
            Object.entries(section.rate_limits).map(([key, limit]): [string, RateLimit] => [
              key,
              { ratePerSecond: limit.rate_per_second, burst: limit.burst },
            ]),
          ),
        }),
  };
}
