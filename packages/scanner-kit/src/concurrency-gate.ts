/** Bounds how many requests are in flight at once across the whole scanner (all accounts, regions, services). */
export class ConcurrencyGate {
  readonly limit: number;
  private active = 0;
  private peak = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(limit: number) {
    if (!Number.isInteger(limit) || limit < 1)
      throw new RangeError(`concurrency must be a positive integer, got ${limit}`);
    this.limit = limit;
  }

  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.active >= this.limit) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.active += 1;
    this.peak = Math.max(this.peak, this.active);
    try {
      return await work();
    } finally {
      // Hand the slot straight to the next waiter so `active` never dips and a newcomer cannot overtake.
      const next = this.waiting.shift();
      if (next === undefined) this.active -= 1;
      else next();
    }
  }

  /** The most requests that were ever in flight together. */
  peakInFlight(): number {
    return this.peak;
  }
}
