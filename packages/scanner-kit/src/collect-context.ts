import {
  type Asset,
  type CoverageGap,
  type GapCode,
  type GapItem,
  isUnknown,
  type Key,
  type Maybe,
  type Provider,
  type ScanItem,
  type Tri,
  unknown,
} from "@aigov/core";

/** How one cloud's errors read as coverage gaps. */
export interface CloudErrors {
  readonly provider: Provider;
  /** The stable class of an error (its SDK's error name, HTTP status, network code …). */
  code(error: unknown): GapCode;
  /** One line for a gap: the cloud's error name and message, never a request or response body. */
  message(error: unknown): string;
}

/** Where a gap was met. */
export interface GapPlace {
  readonly account: string;
  readonly region?: string | undefined;
  readonly service: string;
  readonly operation?: string | undefined;
}

export function gapFrom(errors: CloudErrors, error: unknown, where: GapPlace, code = errors.code(error)): CoverageGap {
  return {
    provider: errors.provider,
    account: where.account,
    ...(where.region === undefined ? {} : { region: where.region }),
    service: where.service,
    ...(where.operation === undefined ? {} : { operation: where.operation }),
    code,
    message: errors.message(error),
  };
}

export type Attempt<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly reason: string; readonly code: GapCode };

/**
 * What one collector run needs besides its cloud's clients: where it is (account, region), the sweep's clock, and
 * a place to record gaps so that each failure is reported once however many items it hid. A cloud's scanner
 * extends it with its clients and configuration.
 */
export class CollectContext {
  readonly provider: Provider;
  readonly account: string;
  readonly region: string;
  readonly now: Date;
  private readonly errors: CloudErrors;
  private readonly gaps = new Map<string, CoverageGap>();

  constructor(init: { errors: CloudErrors; account: string; region: string; now: Date }) {
    this.provider = init.errors.provider;
    this.errors = init.errors;
    this.account = init.account;
    this.region = init.region;
    this.now = init.now;
  }

  /** Runs one read; a failure becomes a gap (once per service+operation+code) and an `ok: false` the caller turns into unknown facts. */
  async attempt<T>(service: string, operation: string, read: () => Promise<T>): Promise<Attempt<T>> {
    try {
      return { ok: true, value: await read() };
    } catch (error) {
      const gap = this.recordGap(error, service, operation);
      return { ok: false, reason: `${gap.code} on ${operation}`, code: gap.code };
    }
  }

  recordGap(error: unknown, service: string, operation: string): CoverageGap {
    const code = this.errors.code(error);
    const key = `${service}|${operation}|${code}`;
    let gap = this.gaps.get(key);
    if (gap === undefined) {
      gap = gapFrom(this.errors, error, { account: this.account, region: this.region, service, operation }, code);
      this.gaps.set(key, gap);
    }
    return gap;
  }

  /** Whether a read of this service and operation failed in this run so far (a fact it would give is unknown). */
  hasGap(service: string, operation: string): boolean {
    for (const gap of this.gaps.values()) if (gap.service === service && gap.operation === operation) return true;
    return false;
  }

  /** A gap that is not an error (e.g. a listing cut at its configured cap). */
  addGap(gap: CoverageGap): void {
    this.gaps.set(`${gap.service}|${gap.operation}|${gap.code}`, gap);
  }

  /**
   * The gaps recorded so far, each once, and clears them. A region that is not enabled fails every call the same
   * way: then one gap says so, not one per operation.
   */
  *drainGaps(): Generator<GapItem> {
    const gaps = [...this.gaps.values()];
    this.gaps.clear();
    const [first, ...rest] = gaps;
    if (first?.code === "RegionDisabled" && rest.every((gap) => gap.code === "RegionDisabled")) {
      const { operation: _operation, ...where } = first;
      yield {
        type: "gap",
        gap: { ...where, service: "*", message: `region not enabled for the account (${first.message})` },
      };
      return;
    }
    for (const gap of gaps) yield { type: "gap", gap };
  }
}

/** Pages through a list call; a failure mid-way keeps what was already yielded and records the gap. */
export async function* listing<P>(
  ctx: CollectContext,
  service: string,
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

/** A fact read from a describe call: the value, or unknown when the describe failed. */
export function fact<T>(detail: Attempt<unknown>, read: () => T): T | ReturnType<typeof unknown> {
  return detail.ok ? read() : unknown(detail.reason);
}

export function tri(detail: Attempt<unknown>, read: () => boolean): Tri {
  return fact(detail, read);
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

/** Owner from the tags when one of the common owner tag keys is set; the policy's owner tags fill in the rest. */
export function ownerFromTags(tags: Asset["tags"]): Maybe<string> | undefined {
  if (isUnknown(tags)) return unknown(tags.reason);
  return tags.owner ?? tags.Owner;
}

export interface AssetFields extends Omit<Asset, "subject" | "provider" | "account" | "region"> {}

/** An asset found where the context is (provider, account, region), its owner from its tags unless given. */
export function asset(ctx: CollectContext, fields: AssetFields): Asset {
  const owner = fields.owner ?? ownerFromTags(fields.tags);
  return {
    subject: "asset",
    provider: ctx.provider,
    account: ctx.account,
    region: ctx.region,
    ...fields,
    ...(owner === undefined ? {} : { owner }),
  };
}
