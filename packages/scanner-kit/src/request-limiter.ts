import { ConcurrencyGate } from "./concurrency-gate.ts";
import { type RateLimit, TokenBucket } from "./token-bucket.ts";

const MIN_PRUNE_AT = 1024;

/** Counters since the limiter was created. */
export interface RequestStats {
  apiCalls: number;
  retries: number;
  /** Attempts per `service:Operation`. */
  readonly byOperation: Record<string, number>;
  /** Most requests in flight at once. */
  peakInFlight: number;
  /** Sum of the time requests spent in flight (send to response), in seconds: with wall time and concurrency it says how busy the slots were. */
  requestSeconds: number;
}

/** Where one request goes: what its rate limit and its count are kept per. */
export interface RequestScope {
  /** Account, subscription or project. */
  readonly account: string;
  readonly region: string;
  readonly service: string;
  readonly operation: string;
}

/**
 * Every request attempt of a sweep passes here: it waits for the token bucket of its account + region + service
 * (or of the operation, when `rateLimits` names `service:Operation`), then for a slot under the sweep-wide
 * concurrency bound, and is counted. A scanner calls `send` from its SDK's per-attempt hook, inside the SDK's retry
 * loop, so retries wait for the rate limit too.
 */
export class RequestLimiter {
  readonly stats: RequestStats = { apiCalls: 0, retries: 0, byOperation: {}, peakInFlight: 0, requestSeconds: 0 };
  private readonly gate: ConcurrencyGate;
  private readonly rateLimits: Readonly<Record<string, RateLimit>>;
  private readonly buckets = new Map<string, TokenBucket>();
  /** When the bucket map reaches this size, idle buckets are dropped (see `bucket`). */
  private pruneAt = MIN_PRUNE_AT;

  /** `rateLimits` keys are services (`sagemaker`) or operations (`cloudtrail:LookupEvents`). */
  constructor(options: { readonly concurrency: number; readonly rateLimits: Readonly<Record<string, RateLimit>> }) {
    this.gate = new ConcurrencyGate(options.concurrency);
    this.rateLimits = options.rateLimits;
  }

  async send<T>(scope: RequestScope, attempt: () => Promise<T>): Promise<T> {
    const bucket = this.bucket(scope);
    await bucket?.take();
    try {
      return await this.gate.run(async () => {
        this.stats.apiCalls += 1;
        const key = `${scope.service}:${scope.operation}`;
        this.stats.byOperation[key] = (this.stats.byOperation[key] ?? 0) + 1;
        this.stats.peakInFlight = this.gate.peakInFlight();
        const sent = performance.now();
        try {
          return await attempt();
        } finally {
          this.stats.requestSeconds += (performance.now() - sent) / 1000;
        }
      });
    } finally {
      bucket?.completed();
    }
  }

  /** Rate-limit buckets held now: about those of the accounts, regions and services with requests in flight. */
  heldBuckets(): number {
    return this.buckets.size;
  }

  /** Counts one retry (called by the scanner's retry hook). */
  countRetry(): void {
    this.stats.retries += 1;
  }

  private bucket(scope: RequestScope): TokenBucket | undefined {
    const own = this.rateLimits[`${scope.service}:${scope.operation}`];
    const limit = own ?? this.rateLimits[scope.service];
    if (limit === undefined) return undefined;
    const key = `${scope.account}|${scope.region}|${scope.service}${own === undefined ? "" : `:${scope.operation}`}`;
    let bucket = this.buckets.get(key);
    if (bucket === undefined) {
      // Pruned before the new bucket is in the map: it is idle until its request takes a token.
      if (this.buckets.size >= this.pruneAt) this.prune();
      bucket = new TokenBucket(limit.ratePerSecond, limit.burst);
      this.buckets.set(key, bucket);
    }
    return bucket;
  }

  /**
   * A sweep creates a bucket per account, region and service it reaches, and an organization has thousands: an idle,
   * full bucket is the same as a new one, so it is dropped, and the map holds about what is in flight. Pruning when
   * the map has doubled since the last prune keeps the work per request constant.
   */
  private prune(): void {
    for (const [key, bucket] of this.buckets) if (bucket.idle()) this.buckets.delete(key);
    this.pruneAt = Math.max(MIN_PRUNE_AT, this.buckets.size * 2);
  }
}

/** Adds `from` into `into`: the stats of several limiters (one per sweep configuration) as one. */
export function addRequestStats(into: RequestStats, from: RequestStats): void {
  into.apiCalls += from.apiCalls;
  into.retries += from.retries;
  into.requestSeconds += from.requestSeconds;
  into.peakInFlight = Math.max(into.peakInFlight, from.peakInFlight);
  for (const [key, count] of Object.entries(from.byOperation))
    into.byOperation[key] = (into.byOperation[key] ?? 0) + count;
}
