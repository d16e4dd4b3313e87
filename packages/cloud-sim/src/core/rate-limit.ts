/**
 * Documented request rates (CloudTrail LookupEvents: 2 per second per account and region), enforced as the cloud
 * does: a token bucket per key holding one second of burst.
 */
export class RateLimits {
  readonly #buckets = new Map<string, { tokens: number; at: number }>();

  /** Takes one request from the bucket of `key`; false when the rate is exceeded. */
  take(key: string, ratePerSecond: number): boolean {
    const now = performance.now();
    const bucket = this.#buckets.get(key) ?? { tokens: ratePerSecond, at: now };
    bucket.tokens = Math.min(ratePerSecond, bucket.tokens + ((now - bucket.at) / 1000) * ratePerSecond);
    bucket.at = now;
    this.#buckets.set(key, bucket);
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  }
}
