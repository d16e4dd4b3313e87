import { type Asset, type Maybe, unknown } from "@aigov/core";
import { FieldValues, type GoogleFacts } from "@aigov/normalize";
import { asset, CollectContext } from "@aigov/scanner-kit";
import type { NormalizedGcpConfig } from "./config.ts";
import type { GcpClients } from "./gcp-clients.ts";
import { GCP_ERRORS } from "./gcp-errors.ts";
import type { GcpTargetMeta } from "./targets.ts";

/**
 * What a collector needs for one project: the clients, the configuration, what the target listing learnt of the
 * project (number, labels, ancestors), and the kit's gap bookkeeping. A context is per location: Vertex AI's
 * collectors get one for each location they read (`at`), so their assets and gaps name it.
 */
export class GcpCollectContext extends CollectContext {
  readonly clients: GcpClients;
  readonly config: NormalizedGcpConfig;
  readonly project: GcpTargetMeta;

  constructor(init: {
    clients: GcpClients;
    config: NormalizedGcpConfig;
    account: string;
    region: string;
    project: GcpTargetMeta;
    now: Date;
  }) {
    super({ errors: GCP_ERRORS, account: init.account, region: init.region, now: init.now });
    this.clients = init.clients;
    this.config = init.config;
    this.project = init.project;
  }

  /** The same project read at another location. */
  at(location: string): GcpCollectContext {
    return new GcpCollectContext({
      clients: this.clients,
      config: this.config,
      account: this.account,
      region: location,
      project: this.project,
      now: this.now,
    });
  }

  /** Call options for a paged list: the configured page size, the clients' own auto-paging off. */
  paged<R extends object>(request: R): R & { pageSize: number } {
    return { ...request, pageSize: this.config.pageSize };
  }
}

/**
 * A decoded Google message as plain JSON in the REST API's shape, for `native` and for the facts: Timestamps as
 * RFC 3339 strings, and the fields the decoder fills with their defaults when they were not set (null messages,
 * empty strings) left out, as the REST API leaves them out. False, zero and empty lists stay: they are answers.
 */
export function restJson(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(restJson);
  if (value === null || typeof value !== "object" || Buffer.isBuffer(value)) return value;
  const record = value as Record<string, unknown>;
  if (isTimestamp(record)) return timestampText(record);
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(record)) {
    if (item === null || item === undefined || item === "" || Buffer.isBuffer(item)) continue;
    out[key] = restJson(item);
  }
  return out;
}

function isTimestamp(record: Record<string, unknown>): boolean {
  const keys = Object.keys(record);
  return keys.length === 2 && "seconds" in record && "nanos" in record;
}

function timestampText(record: Record<string, unknown>): string {
  const ms = Number(record.seconds) * 1000 + Math.floor(Number(record.nanos) / 1e6);
  return new Date(ms).toISOString();
}

/** The last segment of a resource name: `projects/1/locations/l/endpoints/42` → `42`. */
export function resourceId(name: string): string {
  return name.slice(name.lastIndexOf("/") + 1);
}

/** A Vertex AI or Workbench resource as an Asset: its REST body in `native`, its labels as tags, the shared facts. */
export function googleAsset(
  ctx: GcpCollectContext,
  fields: {
    readonly kind: Asset["kind"];
    readonly type: string;
    readonly body: Readonly<Record<string, unknown>>;
    readonly facts?: GoogleFacts;
    readonly models?: Maybe<readonly string[]>;
  },
): Asset {
  const { name: factName, ...facts } = fields.facts ?? {};
  const id = String(fields.body.name ?? "");
  const displayName = typeof factName === "string" ? factName : fields.body.displayName;
  const labels = fields.body.labels;
  const createTime = fields.body.createTime;
  return asset(ctx, {
    kind: fields.kind,
    type: fields.type,
    id,
    name: typeof displayName === "string" && displayName !== "" ? displayName : resourceId(id),
    tags: typeof labels === "object" && labels !== null ? (labels as Record<string, string>) : {},
    ...(typeof createTime === "string" ? { createdAt: createTime } : {}),
    ...facts,
    ...(fields.models === undefined ? {} : { models: fields.models }),
    native: fields.body,
  });
}

/** The REST body of a decoded message, and the reader the shared facts take. */
export function bodyOf(message: unknown): { body: Readonly<Record<string, unknown>>; fields: FieldValues } {
  const body = restJson(message) as Record<string, unknown>;
  return { body, fields: new FieldValues(body) };
}

/** A fact that could not be read, because `reason`. */
export const notRead = (reason: string) => unknown(reason);
