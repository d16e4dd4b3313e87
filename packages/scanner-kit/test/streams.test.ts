import { describe, expect, it } from "vitest";
import { mapConcurrent, merge, untilAborted } from "../src/async-streams.ts";

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function* slowly<T>(items: readonly T[], ms: number): AsyncGenerator<T> {
  for (const item of items) {
    await pause(ms);
    yield item;
  }
}

describe("async streams", () => {
  it("merge yields values as they arrive, from every stream", async () => {
    const out: string[] = [];
    for await (const value of merge([slowly(["slow"], 40), slowly(["fast1", "fast2"], 5)])) out.push(value);
    expect(out).toEqual(["fast1", "fast2", "slow"]);
  });

  it("mapConcurrent runs at most `limit` items at once and does not wait for a slow one", async () => {
    let running = 0;
    let peak = 0;
    const out: number[] = [];
    for await (const value of mapConcurrent([40, 5, 5, 5, 5], 2, async function* (ms) {
      running += 1;
      peak = Math.max(peak, running);
      await pause(ms);
      running -= 1;
      yield ms;
    }))
      out.push(value);
    expect(peak).toBe(2);
    expect(out).toEqual([5, 5, 5, 5, 40]);
  });

  it("untilAborted ends the stream at the first item after the signal", async () => {
    const abort = new AbortController();
    const out: number[] = [];
    for await (const value of untilAborted(slowly([1, 2, 3, 4], 1), abort.signal)) {
      out.push(value);
      if (value === 2) abort.abort();
    }
    expect(out).toEqual([1, 2]);
  });
});
