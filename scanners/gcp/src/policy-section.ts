import { createSectionCheck } from "@aigov/core";
import { type ConfigSources, type FlagTable, noTargets, type RateLimit } from "@aigov/scanner-kit";
import gcpTargetsSchema from "../schema/targets-gcp.schema.json" with { type: "json" };
import type { CollectorName, GcpScanConfig } from "./config.ts";

// `targets.gcp` of aigov.yaml and the --gcp-* flags → GcpScanConfig. The schema checks the section (with positions);
// this module only renames and merges. It imports no SDK: the cli loads it with the plugin for every sweep.

/** `targets.gcp` as targets-gcp.schema.json lets it be written (checked against it before it is read). */
export interface GcpTargetsSection {
  readonly organization?: string;
  readonly folders?: readonly string[];
  readonly projects?: readonly string[];
  readonly exclude_projects?: readonly string[];
  readonly locations?: "all" | readonly string[];
  readonly endpoint?: string;
  readonly collectors?: readonly CollectorName[];
  readonly concurrency?: number;
  readonly max_attempts?: number;
  readonly retry_base_delay_ms?: number;
  readonly retry_max_delay_ms?: number;
  readonly request_timeout_ms?: number;
  readonly page_size?: number;
  readonly rate_limits?: Readonly<Record<string, { readonly rate_per_second: number; readonly burst: number }>>;
  readonly audit_log_lookback_hours?: number;
  readonly audit_log_max_entries?: number;
}

export const GCP_TARGETS_SCHEMA: object = gcpTargetsSchema;

const checkSection = createSectionCheck<GcpTargetsSection>(gcpTargetsSchema, ["targets", "gcp"]);

/** The --gcp-* flags: each overrides its `targets.gcp` key for one run. */
export const GCP_FLAGS = {
  "gcp-organization": {
    type: "string",
    description:
      "sweep every ACTIVE project under this organization; replaces targets.gcp's organization, folders and projects",
    example: "ORGANIZATION_ID",
  },
  "gcp-folder": {
    type: "string",
    multiple: true,
    description:
      "sweep every ACTIVE project under this folder (or a comma-separated list); replaces targets.gcp's targets",
    example: "FOLDER_ID",
  },
  "gcp-project": {
    type: "string",
    multiple: true,
    description: "a project to sweep (or a comma-separated list); replaces targets.gcp's targets",
    example: "PROJECT_ID",
  },
  "gcp-location": {
    type: "string",
    multiple: true,
    description: "a Vertex AI location to read, or all",
    example: "us-central1",
    default: "all",
  },
  "gcp-endpoint": {
    type: "string",
    description: "send every Google API request here (a simulator)",
    example: "URL",
  },
} as const satisfies FlagTable;

/** The GCP configuration from `targets.gcp` and the flags, or undefined when neither is given. */
export function gcpConfigFrom(sources: ConfigSources): GcpScanConfig | undefined {
  const { flags } = sources;
  if (sources.section === undefined && !flags.any()) return undefined;
  const section = sources.section === undefined ? {} : checkSection(sources.section);
  const organization = flags.string("gcp-organization");
  const folders = flags.list("gcp-folder");
  const projects = flags.list("gcp-project");
  const locations = flags.list("gcp-location");
  const endpoint = flags.string("gcp-endpoint");
  // Flags choose the targets outright: any of them replaces the policy's organization, folders and projects.
  const targetFlags = organization !== undefined || folders !== undefined || projects !== undefined;
  const config: GcpScanConfig = {
    ...fromSection(section),
    ...(targetFlags ? { organization, folders: folders ?? [], projects: projects ?? [] } : {}),
    ...(locations === undefined
      ? {}
      : { locations: locations.length === 1 && locations[0] === "all" ? "all" : locations }),
    ...(endpoint === undefined ? {} : { endpoint }),
  };
  if (config.organization === undefined && (config.folders ?? []).length === 0 && (config.projects ?? []).length === 0)
    throw noTargets(
      "gcp",
      sources.section,
      "no projects: give organization, folders or projects",
      "flags: --gcp-organization ID, --gcp-folder ID or --gcp-project ID (repeatable)",
    );
  return config;
}

function fromSection(section: GcpTargetsSection): GcpScanConfig {
  return {
    organization: section.organization,
    folders: section.folders,
    projects: section.projects,
    excludeProjects: section.exclude_projects,
    locations: section.locations,
    endpoint: section.endpoint,
    collectors: section.collectors,
    concurrency: section.concurrency,
    maxAttempts: section.max_attempts,
    retryBaseDelayMs: section.retry_base_delay_ms,
    retryMaxDelayMs: section.retry_max_delay_ms,
    requestTimeoutMs: section.request_timeout_ms,
    pageSize: section.page_size,
    auditLogLookbackHours: section.audit_log_lookback_hours,
    auditLogMaxEntries: section.audit_log_max_entries,
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
