import type { Asset, CoverageGap, Key, Maybe, ScanItem, Tri } from "@aigov/core";
import { isUnknown, unknown } from "@aigov/core";
import type { AwsClientFactory, CredentialsProvider } from "./aws-clients.ts";
import { classifyAwsError, gapFrom } from "./aws-error.ts";
import type { AwsService } from "./command-catalogue.ts";
import type { NormalizedAwsConfig } from "./config.ts";

// biome-ignore lint/suspicious/noExplicitAny: SDK client constructors take service-specific config types
type ClientConstructor<C> = new (config: any) => C;

export type Attempt<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly reason: string; readonly code: string };

/** SSM parameters whose values a sweep left unread (readSsmParameterValues off), counted for its coverage notice. */
export class UnreadSsmValues {
  parameters = 0;
  readonly places = new Set<string>();

  add(account: string, region: string, parameters: number): void {
    if (parameters === 0) return;
    this.parameters += parameters;
    this.places.add(`${account}:${region}`);
  }
}

/** What one collector run needs: the target, clients that carry its credentials, and a place to record gaps. */
export class CollectContext {
  readonly account: string;
  readonly region: string;
  readonly config: NormalizedAwsConfig;
  readonly now: Date;
  readonly unreadSsmValues: UnreadSsmValues;
  private readonly factory: AwsClientFactory;
  private readonly credentials: CredentialsProvider;
  private readonly clients = new Map<string, unknown>();
  private readonly gaps = new Map<string, CoverageGap>();

  constructor(init: {
    account: string;
    region: string;
    config: NormalizedAwsConfig;
    factory: AwsClientFactory;
    credentials: CredentialsProvider;
    now: Date;
    unreadSsmValues?: UnreadSsmValues;
  }) {
    this.account = init.account;
    this.region = init.region;
    this.config = init.config;
    this.factory = init.factory;
    this.credentials = init.credentials;
    this.now = init.now;
    this.unreadSsmValues = init.unreadSsmValues ?? new UnreadSsmValues();
  }

  client<C>(Client: ClientConstructor<C>, service: AwsService): C {
    let client = this.clients.get(service) as C | undefined;
    if (client === undefined) {
      client = this.factory.create(Client, service, {
        account: this.account,
        region: this.region,
        credentials: this.credentials,
      });
      this.clients.set(service, client);
    }
    return client;
  }

  /** Runs one read; a failure becomes a gap (once per service+operation+code) and an `ok: false` the caller turns into unknown facts. */
  async attempt<T>(service: AwsService, operation: string, read: () => Promise<T>): Promise<Attempt<T>> {
    try {
      return { ok: true, value: await read() };
    } catch (error) {
      const gap = this.recordGap(error, service, operation);
      return { ok: false, reason: `${gap.code} on ${operation}`, code: gap.code };
    }
  }

  recordGap(error: unknown, service: AwsService, operation: string): CoverageGap {
    const code = classifyAwsError(error);
    const key = `${service}|${operation}|${code}`;
    let gap = this.gaps.get(key);
    if (gap === undefined) {
      gap = gapFrom(error, { account: this.account, region: this.region, service, operation }, code);
      this.gaps.set(key, gap);
    }
    return gap;
  }

  /** A gap that is not an error (e.g. a truncated CloudTrail window). */
  addGap(gap: CoverageGap): void {
    this.gaps.set(`${gap.service}|${gap.operation}|${gap.code}`, gap);
  }

  /** The gaps recorded so far, each once; clears them. */
  *drainGaps(): Generator<ScanItem> {
    for (const gap of this.gaps.values()) yield { type: "gap", gap };
    this.gaps.clear();
  }
}

// Environment maps (SageMaker containers and jobs) routinely hold secrets: keys are scanned by config-keys.ts,
// and `native` keeps only the variable names.
const ENVIRONMENT_FIELDS = new Set(["Environment", "environment"]);
export const REDACTED_VALUE = "[redacted]";

function redactEnvironment(value: unknown): unknown {
  if (Array.isArray(value))
    return value.map((pair) =>
      pair !== null && typeof pair === "object" && "value" in pair
        ? { ...pair, value: REDACTED_VALUE }
        : REDACTED_VALUE,
    );
  if (value !== null && typeof value === "object")
    return Object.fromEntries(Object.keys(value).map((name) => [name, REDACTED_VALUE]));
  return REDACTED_VALUE;
}

/** Converts SDK output to plain JSON data: Dates become ISO strings, `$metadata` is dropped, environment values are redacted. */
export function plain(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map(plain);
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      if (key === "$metadata" || item === undefined) continue;
      out[key] = ENVIRONMENT_FIELDS.has(key) ? redactEnvironment(item) : plain(item);
    }
    return out;
  }
  return value;
}

export function nativeOf(...parts: unknown[]): Record<string, unknown> {
  return Object.assign({}, ...parts.map((part) => plain(part) ?? {})) as Record<string, unknown>;
}

export function iso(value: Date | string | undefined): Maybe<string> | undefined {
  if (value === undefined) return undefined;
  return value instanceof Date ? value.toISOString() : new Date(value).toISOString();
}

/** A fact read from a describe call: the value, or unknown when the describe failed. */
export function fact<T>(detail: Attempt<unknown>, read: () => T): T | ReturnType<typeof unknown> {
  return detail.ok ? read() : unknown(detail.reason);
}

export function tri(detail: Attempt<unknown>, read: () => boolean): Tri {
  return fact(detail, read);
}

/** Owner from the tags when one of the common owner tag keys is set; the policy's owner tags fill in the rest. */
export function ownerFromTags(tags: Asset["tags"]): Maybe<string> | undefined {
  if (isUnknown(tags)) return unknown(tags.reason);
  return tags.owner ?? tags.Owner;
}

export interface AssetFields extends Omit<Asset, "subject" | "provider" | "account" | "region"> {}

export function awsAsset(ctx: CollectContext, fields: AssetFields): Asset {
  const owner = fields.owner ?? ownerFromTags(fields.tags);
  return {
    subject: "asset",
    provider: "aws",
    account: ctx.account,
    region: ctx.region,
    ...fields,
    ...(owner === undefined ? {} : { owner }),
  };
}

/** The page size for an API whose maximum is `max`. */
export function pageSize(ctx: CollectContext, max: number): number {
  return Math.min(ctx.config.pageSize, max);
}

/** Runs `work` for every item of a page concurrently and returns what they found, in page order. */
export async function eachItem<T>(
  items: readonly T[] | undefined,
  work: (item: T) => Promise<readonly ScanItem[]>,
): Promise<ScanItem[]> {
  return (await Promise.all((items ?? []).map(work))).flat();
}

export function subjects(items: readonly (Asset | Key | undefined)[]): ScanItem[] {
  return items.filter((item) => item !== undefined).map((subject) => ({ type: "subject", subject }));
}

/** Pages through a list call; a failure mid-way keeps what was already yielded and records the gap. */
export async function* listing<P>(
  ctx: CollectContext,
  service: AwsService,
  operation: string,
  pages: AsyncIterable<P>,
  each: (page: P) => Promise<readonly ScanItem[]>,
): AsyncGenerator<ScanItem> {
  try {
    for await (const page of pages) yield* await each(page);
  } catch (error) {
    ctx.recordGap(error, service, operation);
  }
}
