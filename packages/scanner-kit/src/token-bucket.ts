/** A request rate: `ratePerSecond` on average, at most `burst` at once. */
export interface RateLimit {
  readonly ratePerSecond: number;
  readonly burst: number;
}

/**
 * A token bucket: at most `burst` requests at once, refilled at `ratePerSecond`. Clouds document request rates per
 * account and region (AWS CloudTrail LookupEvents: 2/s), per subscription (Azure Resource Manager reads) or per
 * project (Google APIs' quotas); staying under them avoids throttling instead of retrying through it. Waiters are
 * served in arrival order so no caller starves.
 */
export class TokenBucket {
  readonly ratePerSecond: number;
  readonly burst: number;
  private tokens: number;
  private last: number;
  private queue: (() => void)[] = [];
  private timer: NodeJS.Timeout | undefined;
  /** Requests that asked for a token and have not completed. */
  private unfinished = 0;

  constructor(ratePerSecond: number, burst: number) {
    if (!(ratePerSecond > 0) || !(burst >= 1))
      throw new RangeError(`token bucket needs rate > 0 and burst >= 1, got ${ratePerSecond}/${burst}`);
    this.ratePerSecond = ratePerSecond;
    this.burst = burst;
    this.tokens = burst;
    this.last = performance.now();
  }

  /** Resolves when a token is taken. */
  take(): Promise<void> {
    this.unfinished += 1;
    this.refill();
    if (this.queue.length === 0 && this.tokens >= 1) {
      this.tokens -= 1;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      this.queue.push(resolve);
      this.schedule();
    });
  }

  /**
   * Call this when the request that took a token finished. With burst 1, the next token is then counted from the
   * response, not from the send. A server measures arrival times, and a request that left late but arrived early
   * would otherwise appear to break the rate; spacing from completion keeps every arrival at least 1/rate apart.
   */
  completed(): void {
    this.unfinished = Math.max(0, this.unfinished - 1);
    if (this.burst !== 1) return;
    this.refill();
    this.tokens = Math.min(this.tokens, 0);
    this.last = performance.now();
  }

  /** True when no request holds or waits for a token and the bucket is full: a new bucket would be the same. */
  idle(): boolean {
    if (this.unfinished > 0) return false;
    this.refill();
    return this.tokens >= this.burst;
  }

  private refill(): void {
    const now = performance.now();
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.ratePerSecond);
    this.last = now;
  }

  private schedule(): void {
    if (this.timer !== undefined) return;
    const wait = Math.max(0, ((1 - this.tokens) / this.ratePerSecond) * 1000);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.refill();
      for (let next = this.queue[0]; next !== undefined && this.tokens >= 1; next = this.queue[0]) {
        this.tokens -= 1;
        this.queue.shift();
        next();
      }
      if (this.queue.length > 0) this.schedule();
    }, Math.ceil(wait));
  }
}
