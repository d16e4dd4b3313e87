import type { ScanItem, ScanTarget } from "@aigov/core";
import type { AwsCollectContext } from "./collect-context.ts";
import { collectCloudTrail } from "./collectors/cloudtrail.ts";
import type { AwsTargetMeta } from "./targets.ts";

/**
 * Region targets whose CloudTrail lookups may run ahead of them, at most (running, or done and not yet collected).
 * Each holds its collect context, requests and the API calls found. On a quiet machine, 100 x 4 (aws-sweep bench,
 * targets listed ahead): 32 ran in 21.1/21.3 s at 190.7/195.7 MiB peak RSS, 96 in 20.3/21.1 s at 206.8/208.8 MiB,
 * none ahead in 34.3/34.5 s at 186.8/191.2 MiB (test/bench/results/aws-sweep-cloudtrail-ahead.json). 48 stayed over
 * 190.7 MiB in `aigov sweep` 1,000 x 4 even with the SDK middleware order kept per command (195.0/201.5 MiB against
 * 187.8/189.2 with 32; results/sweep-cli-1000-order-cache-and-ahead-48-under-load.json).
 */
export const CLOUDTRAIL_AHEAD = 32;

/** One target's CloudTrail lookups started ahead: its collect context, and the items found so far. */
interface Lookup {
  readonly ctx: AwsCollectContext;
  readonly items: ScanItem[];
  ended: boolean;
  failure: unknown;
  wake: (() => void) | undefined;
}

/**
 * CloudTrail lookups of region targets queued but not collected yet. A region's lookups are a chain of calls
 * spaced by CloudTrail's 2 requests per second (one per AI event source: about 2.2 s for five), the longest of a
 * target's collectors by far; run inside the target, they held one of the few targets in flight (which memory
 * bounds) waiting on a rate limit. Started when the sweep queues the target, in queue order, they run while earlier
 * targets are collected, and the target takes what they found (and their gaps, in the same collect context) when
 * its turn comes. The same calls, in the same buckets, under the same concurrency bound.
 */
export class CloudTrailAhead {
  private readonly queued = new Map<string, { target: ScanTarget<AwsTargetMeta>; signal?: AbortSignal }>();
  /** Lookups running or done and not yet taken; undefined: the target could not be entered. */
  private readonly started = new Map<string, Promise<Lookup | undefined>>();
  private readonly start: (target: ScanTarget<AwsTargetMeta>) => Promise<AwsCollectContext>;
  private readonly limit: number;

  /** `start` gives the target's collect context; a failure (no role) is met and reported by the target itself. */
  constructor(start: (target: ScanTarget<AwsTargetMeta>) => Promise<AwsCollectContext>, limit: number) {
    this.start = start;
    this.limit = limit;
  }

  /**
   * The sweep will collect this region target: its lookups start when fewer than the limit are ahead. Once `signal`
   * (the sweep's) aborts, they do not start, and those running ask for no further page.
   */
  queue(target: ScanTarget<AwsTargetMeta>, signal?: AbortSignal): void {
    this.queued.set(target.key, signal === undefined ? { target } : { target, signal });
    this.pump();
  }

  /**
   * The target's lookups, if they were started ahead: their context, and their items as a stream that ends when
   * they do. Undefined when the target runs them itself. Each target is taken once.
   */
  async take(
    target: ScanTarget<AwsTargetMeta>,
  ): Promise<{ ctx: AwsCollectContext; items: AsyncIterable<ScanItem> } | undefined> {
    if (this.queued.delete(target.key)) return undefined;
    const started = this.started.get(target.key);
    if (started === undefined) return undefined;
    this.started.delete(target.key);
    this.pump();
    const lookup = await started;
    return lookup === undefined ? undefined : { ctx: lookup.ctx, items: drain(lookup) };
  }

  private pump(): void {
    for (const [key, { target, signal }] of this.queued) {
      if (this.started.size >= this.limit) return;
      // A stopped sweep collects no more targets: a lookup left queued is never taken, and runs no request.
      if (signal?.aborted) return;
      this.queued.delete(key);
      this.started.set(key, this.run(key, target, signal));
    }
  }

  private async run(key: string, target: ScanTarget<AwsTargetMeta>, signal?: AbortSignal): Promise<Lookup | undefined> {
    let ctx: AwsCollectContext;
    try {
      ctx = await this.start(target);
    } catch {
      this.started.delete(key);
      this.pump();
      return undefined;
    }
    const lookup: Lookup = { ctx, items: [], ended: false, failure: undefined, wake: undefined };
    void (async () => {
      try {
        for await (const item of collectCloudTrail(ctx, signal)) {
          lookup.items.push(item);
          lookup.wake?.();
        }
      } catch (error) {
        lookup.failure = error;
      } finally {
        lookup.ended = true;
        lookup.wake?.();
      }
    })();
    return lookup;
  }
}

/** A lookup's items: those found so far, then each as it comes; its failure, if it failed, at the end. */
async function* drain(lookup: Lookup): AsyncGenerator<ScanItem> {
  for (;;) {
    const item = lookup.items.shift();
    if (item !== undefined) {
      yield item;
      continue;
    }
    if (lookup.ended) break;
    await new Promise<void>((resolve) => {
      lookup.wake = resolve;
    });
    lookup.wake = undefined;
  }
  if (lookup.failure !== undefined) throw lookup.failure;
}
