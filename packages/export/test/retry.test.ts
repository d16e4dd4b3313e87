import { describe, expect, it } from "vitest";
import { DeliveryError, parseRetryAfter, retryDelay, withRetry } from "../src/index.ts";

const policy = { attempts: 4, baseMs: 100, maxMs: 1_000, maxRetryAfterMs: 5_000 };

describe("retries", () => {
  it("backs off exponentially with full jitter, capped", () => {
    const busy = new DeliveryError("503", { retryable: true });
    expect([1, 2, 3, 4, 5].map((attempt) => retryDelay(attempt, policy, busy, () => 1))).toEqual([
      100, 200, 400, 800, 1000,
    ]);
    expect(retryDelay(3, policy, busy, () => 0)).toBe(0);
    expect(retryDelay(3, policy, busy, () => 0.5)).toBe(200);
  });

  it("honours Retry-After in seconds or as an HTTP date, within the cap", () => {
    const now = Date.parse("2026-11-22T04:00:00Z");
    expect(parseRetryAfter("3", now)).toBe(3000);
    expect(parseRetryAfter("Sun, 22 Nov 2026 04:00:10 GMT", now)).toBe(10_000);
    expect(parseRetryAfter("soon", now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
    expect(retryDelay(1, policy, new DeliveryError("429", { retryable: true, retryAfterMs: 3000 }))).toBe(3000);
    expect(retryDelay(1, policy, new DeliveryError("429", { retryable: true, retryAfterMs: 3_600_000 }))).toBe(5000);
  });

  it("stops at a final error or when the attempts are used up", async () => {
    const waits: number[] = [];
    const hooks = { sleep: async (ms: number) => void waits.push(ms), random: () => 1 };
    let calls = 0;
    await expect(
      withRetry(
        async () => {
          calls += 1;
          throw new DeliveryError("HTTP 400", { retryable: false });
        },
        policy,
        hooks,
      ),
    ).rejects.toThrow("HTTP 400");
    expect(calls).toBe(1);
    calls = 0;
    await expect(
      withRetry(
        async () => {
          calls += 1;
          throw new Error("ECONNRESET");
        },
        policy,
        hooks,
      ),
    ).rejects.toThrow("ECONNRESET");
    expect(calls).toBe(4);
    expect(waits).toEqual([100, 200, 400]);
    expect(await withRetry(async () => (calls += 1), policy, hooks)).toBe(5);
  });
});
