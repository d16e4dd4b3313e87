import { AigovError } from "@aigov/core";
import type { RateLimit } from "@aigov/scanner-kit";

/**
 * What to sweep in Google Cloud and how. Everything but the targets has a default; `normalizeGcpConfig` validates
 * and fills them. Credentials are Application Default Credentials (GOOGLE_APPLICATION_CREDENTIALS, gcloud's
 * application-default login, Workload Identity Federation, the metadata server).
 */
export interface GcpScanConfig {
  /** Every ACTIVE project under this organization (its numeric id, or `organizations/ID`), folder by folder. */
  readonly organization?: string;
  /** Every ACTIVE project under these folders (numeric ids, or `folders/ID`), their subfolders included. */
  readonly folders?: readonly string[];
  /** These projects (project ids), besides those under the organization or folders. */
  readonly projects?: readonly string[];
  /** Project ids not to sweep. */
  readonly excludeProjects?: readonly string[];
  /** Vertex AI locations to read, or "all" (the locations Vertex AI lists for each project). */
  readonly locations?: readonly string[] | "all";
  /** Send every request to this base URL instead of Google's hosts (the cloud simulator); plain HTTP only to loopback. */
  readonly endpoint?: string;
  /** What to collect (default: all). Enabled APIs are always read: they decide which APIs are worth reading. */
  readonly collectors?: readonly CollectorName[];
  /** Requests in flight at once across the whole sweep. */
  readonly concurrency?: number;
  /** Attempts per request, including the first. */
  readonly maxAttempts?: number;
  readonly retryBaseDelayMs?: number;
  readonly retryMaxDelayMs?: number;
  /** Timeout of one request attempt. */
  readonly requestTimeoutMs?: number;
  /** Per project+location+API request rates; keys are APIs (`aiplatform`) or `api:operation` (`logging:entries.list`). */
  readonly rateLimits?: Readonly<Record<string, RateLimit>>;
  /** The audit log window, in hours back from the sweep's start. */
  readonly auditLogLookbackHours?: number;
  /** Stop reading a project's audit log after this many entries (reported as a Truncated gap). */
  readonly auditLogMaxEntries?: number;
  /** Page size asked of list calls, within each API's maximum. */
  readonly pageSize?: number;
}

export const COLLECTOR_NAMES = ["vertex-ai", "workbench", "api-keys", "audit-logs"] as const;
export type CollectorName = (typeof COLLECTOR_NAMES)[number];

/**
 * Rates under Google's default per-project quotas: Vertex AI allows 600 resource management requests a minute per
 * project and region, Cloud Logging 60 entries.list requests a minute per project, Resource Manager and Service
 * Usage a few hundred reads a minute per project. Buckets are kept per project, location and API.
 */
export const DEFAULT_RATE_LIMITS: Readonly<Record<string, RateLimit>> = {
  cloudresourcemanager: { ratePerSecond: 5, burst: 5 },
  serviceusage: { ratePerSecond: 10, burst: 10 },
  apikeys: { ratePerSecond: 5, burst: 5 },
  aiplatform: { ratePerSecond: 8, burst: 10 },
  notebooks: { ratePerSecond: 5, burst: 5 },
  "logging:entries.list": { ratePerSecond: 1, burst: 1 },
};

export interface NormalizedGcpConfig {
  /** `organizations/ID` and `folders/ID` whose projects are swept. */
  readonly parents: readonly string[];
  readonly projects: readonly string[];
  readonly excludeProjects: readonly string[];
  readonly locations: readonly string[] | "all";
  readonly endpoint: URL | undefined;
  readonly collectors: ReadonlySet<CollectorName>;
  readonly concurrency: number;
  readonly maxAttempts: number;
  readonly retryBaseDelayMs: number;
  readonly retryMaxDelayMs: number;
  readonly requestTimeoutMs: number;
  readonly rateLimits: Readonly<Record<string, RateLimit>>;
  readonly auditLogLookbackHours: number;
  readonly auditLogMaxEntries: number;
  readonly pageSize: number;
}

const PROJECT_ID = /^[a-z][a-z0-9-]{4,28}[a-z0-9]$/;
const LOCATION = /^[a-z]+(-[a-z]+)+\d+$/;
const NUMERIC = /^\d{1,19}$/;
const LOOPBACK = new Set(["127.0.0.1", "localhost", "[::1]"]);

function invalid(message: string, hint?: string): AigovError {
  return new AigovError("GCP_CONFIG_INVALID", message, hint === undefined ? {} : { hint });
}

function positive(name: string, value: number | undefined, fallback: number, integer = true): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value <= 0 || (integer && !Number.isInteger(value)))
    throw invalid(`gcp.${name} must be a positive ${integer ? "integer" : "number"}, got ${value}`);
  return value;
}

/** `123`, `organizations/123` → `organizations/123`; anything else is refused. */
function parentName(kind: "organizations" | "folders", value: string): string {
  const id = value.startsWith(`${kind}/`) ? value.slice(kind.length + 1) : value;
  if (!NUMERIC.test(id))
    throw invalid(`gcp: "${value}" is not ${kind === "folders" ? "a folder" : "an organization"} id`);
  return `${kind}/${id}`;
}

function endpointOf(value: string | undefined): URL | undefined {
  if (value === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw invalid(`gcp.endpoint "${value}" is not a URL`);
  }
  // Bearer tokens must not cross a network in clear: plain HTTP is only for a simulator on this machine.
  if (url.protocol !== "https:" && !(url.protocol === "http:" && LOOPBACK.has(url.hostname)))
    throw invalid(`gcp.endpoint "${value}" must be https (http only to 127.0.0.1, localhost or [::1])`);
  return url;
}

/** Validates a GcpScanConfig and fills defaults. Throws AigovError GCP_CONFIG_INVALID. */
export function normalizeGcpConfig(config: GcpScanConfig): NormalizedGcpConfig {
  const parents = [
    ...(config.organization === undefined ? [] : [parentName("organizations", config.organization)]),
    ...(config.folders ?? []).map((folder) => parentName("folders", folder)),
  ];
  const projects = config.projects ?? [];
  if (parents.length === 0 && projects.length === 0)
    throw invalid("gcp: no targets: give `organization`, `folders` or `projects`");
  for (const project of projects)
    if (!PROJECT_ID.test(project)) throw invalid(`gcp.projects: "${project}" is not a project id`);
  const locations = config.locations ?? "all";
  if (locations !== "all") {
    if (locations.length === 0) throw invalid("gcp.locations is empty", 'list locations or use "all"');
    for (const location of locations)
      if (!LOCATION.test(location)) throw invalid(`gcp.locations: "${location}" is not a location name`);
  }
  const collectors = new Set<CollectorName>(config.collectors ?? COLLECTOR_NAMES);
  for (const collector of collectors)
    if (!COLLECTOR_NAMES.includes(collector))
      throw invalid(`gcp.collectors: unknown collector "${collector}"`, `one of ${COLLECTOR_NAMES.join(", ")}`);
  for (const [key, limit] of Object.entries(config.rateLimits ?? {})) {
    positive(`rateLimits.${key}.ratePerSecond`, limit.ratePerSecond, 1, false);
    positive(`rateLimits.${key}.burst`, limit.burst, 1);
  }
  return {
    parents,
    projects,
    excludeProjects: config.excludeProjects ?? [],
    locations,
    endpoint: endpointOf(config.endpoint),
    collectors,
    concurrency: positive("concurrency", config.concurrency, 32),
    maxAttempts: positive("maxAttempts", config.maxAttempts, 8),
    retryBaseDelayMs: positive("retryBaseDelayMs", config.retryBaseDelayMs, 100),
    retryMaxDelayMs: positive("retryMaxDelayMs", config.retryMaxDelayMs, 20_000),
    requestTimeoutMs: positive("requestTimeoutMs", config.requestTimeoutMs, 30_000),
    rateLimits: { ...DEFAULT_RATE_LIMITS, ...config.rateLimits },
    auditLogLookbackHours: positive("auditLogLookbackHours", config.auditLogLookbackHours, 24, false),
    auditLogMaxEntries: positive("auditLogMaxEntries", config.auditLogMaxEntries, 10_000),
    pageSize: positive("pageSize", config.pageSize, 100),
  };
}
