import { AigovError, canonicalAzureLocation } from "@aigov/core";
import type { RateLimit } from "@aigov/scanner-kit";

/**
 * What to sweep and how. Everything but the targets has a default; `normalizeAzureConfig` validates and fills them.
 * Credentials come from `@azure/identity`'s DefaultAzureCredential (environment, workload identity, managed
 * identity, Azure CLI …) unless the scanner is created with a credential.
 */
export interface AzureScanConfig {
  /** Subscription ids to sweep. With neither this nor `managementGroup`: every subscription the identity can read. */
  readonly subscriptions?: readonly string[];
  /** Sweep the subscriptions under this management group (its id, e.g. `contoso-ai`; the tenant id for all of them). */
  readonly managementGroup?: string;
  readonly excludeSubscriptions?: readonly string[];
  /** Locations to report (any spelling: `East US` = `eastus`); default every location. */
  readonly locations?: readonly string[] | "all";
  /** The tenant to authenticate in (default: the credential's own, e.g. AZURE_TENANT_ID). */
  readonly tenantId?: string;
  /** Azure Resource Manager's URL (a sovereign cloud, Azure Stack, the simulator). Default https://management.azure.com. */
  readonly armEndpoint?: string;
  /** The audience ARM tokens are asked for (default: ARM's for the endpoint's cloud). */
  readonly armAudience?: string;
  /** Entra ID's URL (default: the public cloud's, or AZURE_AUTHORITY_HOST). Setting it turns off instance discovery. */
  readonly authorityHost?: string;
  /** A PEM CA certificate (or bundle) to trust for ARM and Entra ID besides the system's (a TLS-inspecting proxy, the simulator). */
  readonly caCertificate?: string;
  /** Requests in flight at once across the whole sweep. */
  readonly concurrency?: number;
  /** Attempts per request, including the first. */
  readonly maxAttempts?: number;
  readonly retryBaseDelayMs?: number;
  readonly retryMaxDelayMs?: number;
  readonly requestTimeoutMs?: number;
  /** Per subscription request rates; keys are services (`cognitiveservices`) or `service:Operation`. */
  readonly rateLimits?: Readonly<Record<string, RateLimit>>;
  /** Activity Log window. */
  readonly activityLogLookbackHours?: number;
  /** Stop reading one subscription's Activity Log after this many events (reported as a Truncated gap). */
  readonly activityLogMaxEvents?: number;
  /** Collectors to run (default: all but the opt-ins). */
  readonly services?: readonly AzureCollectorName[];
  /**
   * Read App Service / Functions app settings for third-party AI keys (WebApps_ListApplicationSettings). Off by
   * default: the permission it needs, Microsoft.Web/sites/config/list/action, is not part of Reader and returns
   * every setting in clear (connection strings, secrets): see docs/permissions/azure/README.md.
   */
  readonly readAppSettings?: boolean;
}

export const AZURE_COLLECTOR_NAMES = [
  "cognitive-services",
  "machine-learning",
  "search",
  "activity-log",
  "app-settings",
] as const;
export type AzureCollectorName = (typeof AZURE_COLLECTOR_NAMES)[number];

/** ARM's endpoints and token audiences per cloud; a custom endpoint keeps the public cloud's audience unless told. */
const ARM_AUDIENCES: Readonly<Record<string, string>> = {
  "https://management.azure.com": "https://management.azure.com/.default",
  "https://management.usgovcloudapi.net": "https://management.usgovcloudapi.net/.default",
  "https://management.chinacloudapi.cn": "https://management.chinacloudapi.cn/.default",
};
export const DEFAULT_ARM_ENDPOINT = "https://management.azure.com";

/**
 * ARM's read limits are per subscription (and per principal and ARM instance): a bucket of 250 refilled at 25 per
 * second in the current algorithm. Each service keeps well under it, so all of them together stay under it too.
 */
export const DEFAULT_RATE_LIMITS: Readonly<Record<string, RateLimit>> = {
  resources: { ratePerSecond: 10, burst: 10 },
  management: { ratePerSecond: 5, burst: 5 },
  cognitiveservices: { ratePerSecond: 10, burst: 30 },
  machinelearningservices: { ratePerSecond: 5, burst: 15 },
  search: { ratePerSecond: 5, burst: 5 },
  insights: { ratePerSecond: 10, burst: 30 },
  web: { ratePerSecond: 5, burst: 10 },
};

export interface NormalizedAzureConfig {
  readonly subscriptions: readonly string[];
  readonly managementGroup: string | undefined;
  readonly excludeSubscriptions: ReadonlySet<string>;
  /** Canonical locations, or undefined for all. */
  readonly locations: ReadonlySet<string> | undefined;
  readonly tenantId: string | undefined;
  readonly armEndpoint: string;
  readonly armAudience: string;
  readonly authorityHost: string | undefined;
  readonly caCertificate: string | undefined;
  readonly concurrency: number;
  readonly maxAttempts: number;
  readonly retryBaseDelayMs: number;
  readonly retryMaxDelayMs: number;
  readonly requestTimeoutMs: number;
  readonly rateLimits: Readonly<Record<string, RateLimit>>;
  readonly activityLogLookbackHours: number;
  readonly activityLogMaxEvents: number;
  readonly services: ReadonlySet<AzureCollectorName>;
  readonly readAppSettings: boolean;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function invalid(message: string, hint?: string): AigovError {
  return new AigovError("AZURE_CONFIG_INVALID", message, hint === undefined ? {} : { hint });
}

function positive(name: string, value: number | undefined, fallback: number, max = Number.MAX_SAFE_INTEGER): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 1 || value > max)
    throw invalid(`${name} must be an integer within 1..${max}, got ${value}`);
  return value;
}

function url(name: string, value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(value);
  } catch {
    throw invalid(`${name} is not a URL: ${value}`);
  }
  if (parsed.protocol !== "https:")
    throw invalid(`${name} must be an https URL (Azure SDKs send bearer tokens only over TLS): ${value}`);
  return value.replace(/\/+$/, "");
}

function subscriptionIds(name: string, ids: readonly string[] | undefined): string[] {
  return (ids ?? []).map((id) => {
    if (!GUID.test(id)) throw invalid(`${name}: '${id}' is not a subscription id (a GUID)`);
    return id.toLowerCase();
  });
}

export function normalizeAzureConfig(config: AzureScanConfig): NormalizedAzureConfig {
  const subscriptions = subscriptionIds("subscriptions", config.subscriptions);
  if (subscriptions.length > 0 && config.managementGroup !== undefined)
    throw invalid(
      "give subscriptions or a management group, not both",
      "a management group's subscriptions can be narrowed with exclude_subscriptions",
    );
  const armEndpoint = url("arm endpoint", config.armEndpoint) ?? DEFAULT_ARM_ENDPOINT;
  const services = config.services ?? AZURE_COLLECTOR_NAMES.filter((name) => name !== "app-settings");
  for (const service of services)
    if (!AZURE_COLLECTOR_NAMES.includes(service))
      throw invalid(`unknown Azure collector '${service}'`, `one of ${AZURE_COLLECTOR_NAMES.join(", ")}`);
  const readAppSettings = config.readAppSettings === true;
  return {
    subscriptions,
    managementGroup: config.managementGroup,
    excludeSubscriptions: new Set(subscriptionIds("exclude subscriptions", config.excludeSubscriptions)),
    locations:
      config.locations === undefined || config.locations === "all"
        ? undefined
        : new Set(config.locations.map(canonicalAzureLocation)),
    tenantId: config.tenantId,
    armEndpoint,
    armAudience: config.armAudience ?? ARM_AUDIENCES[armEndpoint] ?? ARM_AUDIENCES[DEFAULT_ARM_ENDPOINT]!,
    authorityHost: url("authority host", config.authorityHost),
    caCertificate: config.caCertificate,
    concurrency: positive("concurrency", config.concurrency, 32, 1000),
    maxAttempts: positive("max attempts", config.maxAttempts, 8, 20),
    retryBaseDelayMs: positive("retry base delay", config.retryBaseDelayMs, 200),
    retryMaxDelayMs: positive("retry max delay", config.retryMaxDelayMs, 20_000),
    requestTimeoutMs: positive("request timeout", config.requestTimeoutMs, 60_000),
    rateLimits: { ...DEFAULT_RATE_LIMITS, ...config.rateLimits },
    activityLogLookbackHours: positive("activity log lookback hours", config.activityLogLookbackHours, 24, 90 * 24),
    activityLogMaxEvents: positive("activity log max events", config.activityLogMaxEvents, 5000),
    // The opt-in turns its collector on; without it the collector never runs, whatever `services` says.
    services: new Set(
      readAppSettings && config.services === undefined
        ? [...services, "app-settings" as const]
        : services.filter((name) => name !== "app-settings" || readAppSettings),
    ),
    readAppSettings,
  };
}
