import { describe, expect, it } from "vitest";
import { backoffDelay, mayRetry } from "../src/backoff.ts";
import { RequestLimiter } from "../src/request-limiter.ts";
import { TokenBucket } from "../src/token-bucket.ts";

describe("TokenBucket", () => {
  it("lets a burst through at once, then spaces requests at the rate", async () => {
    const bucket = new TokenBucket(20, 2);
    const start = performance.now();
    const times: number[] = [];
    await Promise.all(Array.from({ length: 6 }, () => bucket.take().then(() => times.push(performance.now() - start))));
    times.sort((a, b) => a - b);
    expect(times[1]!).toBeLessThan(45); // the two burst tokens, before the first refill at 50 ms
    // 4 more tokens at 20/s: the last one no earlier than 200 ms.
    expect(times[5]!).toBeGreaterThanOrEqual(195);
  });

  it("with burst 1, counts the interval from the previous response", async () => {
    const bucket = new TokenBucket(10, 1);
    await bucket.take();
    await new Promise((resolve) => setTimeout(resolve, 80)); // a slow response
    bucket.completed();
    const start = performance.now();
    await bucket.take();
    expect(performance.now() - start).toBeGreaterThanOrEqual(95);
  });
});

describe("backoff", () => {
  it("waits below a ceiling that doubles per retry up to the maximum, longer when the server asks, and stops at maxAttempts", () => {
    const options = { maxAttempts: 4, baseDelayMs: 100, maxDelayMs: 250, random: () => 0.999 };
    expect([0, 1, 2, 3].map((retries) => backoffDelay(options, retries))).toEqual([99, 199, 249, 249]);
    expect(backoffDelay({ ...options, random: () => 0 }, 0, new Date(Date.now() + 200))).toBeGreaterThan(150);
    expect(backoffDelay({ ...options, random: () => 0 }, 0, new Date(Date.now() + 60_000))).toBe(250);
    expect([1, 2, 3, 4].map((attempts) => mayRetry(options, attempts))).toEqual([true, true, true, false]);
  });
});

describe("RequestLimiter", () => {
  const scope = { account: "a", region: "r", service: "logs", operation: "Read" };
  const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  it("keeps requests in flight under the bound and counts them by operation", async () => {
    const limiter = new RequestLimiter({ concurrency: 3, rateLimits: {} });
    let now = 0;
    let peak = 0;
    await Promise.all(
      Array.from({ length: 12 }, () =>
        limiter.send(scope, async () => {
          now += 1;
          peak = Math.max(peak, now);
          await pause(5);
          now -= 1;
        }),
      ),
    );
    expect(peak).toBe(3);
    expect(limiter.stats).toMatchObject({ apiCalls: 12, peakInFlight: 3, byOperation: { "logs:Read": 12 } });
  });

  it("rate-limits per account, region and service, and an operation with its own limit on its own", async () => {
    const limiter = new RequestLimiter({
      concurrency: 10,
      rateLimits: { logs: { ratePerSecond: 10, burst: 1 }, "logs:Slow": { ratePerSecond: 5, burst: 1 } },
    });
    const timed = async (at: typeof scope) => {
      const start = performance.now();
      await limiter.send(at, async () => {});
      return performance.now() - start;
    };
    await timed(scope);
    // Another account and another operation of an own limit do not wait for the bucket just used.
    expect(await timed({ ...scope, account: "b" })).toBeLessThan(50);
    expect(await timed({ ...scope, operation: "Slow" })).toBeLessThan(50);
    expect(await timed(scope)).toBeGreaterThanOrEqual(90);
  });

  it("holds buckets for what is in flight, not for every account a sweep reached, and still limits a busy one", async () => {
    const limiter = new RequestLimiter({
      concurrency: 64,
      rateLimits: { logs: { ratePerSecond: 10, burst: 1 }, s3: { ratePerSecond: 1000, burst: 5 } },
    });
    let finishSlow = () => {};
    const slow = limiter.send(scope, () => new Promise<void>((resolve) => (finishSlow = resolve)));
    // An organization's accounts, one after another, while the request in account "a" is still in flight.
    for (let account = 0; account < 5000; account++) {
      await limiter.send({ ...scope, service: "s3", account: `other-${account}` }, async () => {});
      if (account % 500 === 0) await pause(10);
    }
    expect(limiter.heldBuckets()).toBeLessThan(2048);
    await pause(150);
    finishSlow();
    await slow;
    // Account "a" kept its bucket: its next request waits a full interval after the slow response.
    const start = performance.now();
    await limiter.send(scope, async () => {});
    expect(performance.now() - start).toBeGreaterThanOrEqual(90);
  });
});
