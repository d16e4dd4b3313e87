import { type CloudSim, type RequestRecord, startCloudSim } from "@aigov/cloud-sim";
import { gapKeys, subjectKeys } from "@aigov/scanner-kit/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AwsScanConfig, createAwsScanner } from "../src/index.ts";
import { FAKE_CREDENTIALS, runSweep, type SweepResult } from "./run-sweep.ts";

const WORLD = new URL("./fixtures/org-world.yaml", import.meta.url).pathname;
const NOW = new Date("2026-11-22T00:00:00Z");

// The fixture organization swept twice against one simulator that enforces the services' rate limits (CloudTrail
// LookupEvents: 2 requests/second per account and region): with one collecting thread, then with two.
let sim: CloudSim;
const records: RequestRecord[] = [];

const configOf = (threads: number): AwsScanConfig => ({
  organization: true,
  regions: "all-enabled",
  endpoint: sim.url,
  concurrency: 8,
  roleName: "OrganizationAccountAccessRole",
  sessionName: "aigov-test",
  readSsmParameterValues: false,
  threads,
});

async function sweep(threads: number) {
  const scanner = createAwsScanner({ credentials: FAKE_CREDENTIALS, now: () => NOW });
  const config = configOf(threads);
  const first = records.length;
  try {
    const result = await runSweep(scanner, config);
    return {
      result,
      requests: records.slice(first),
      stats: scanner.stats(),
      threadStats: scanner.threadStats(config),
      notices: scanner.notices(config),
    };
  } finally {
    scanner.close();
  }
}

const sorted = (values: readonly string[]) => [...values].sort();
const summary = (result: SweepResult) => ({
  targets: sorted(result.targets.map((target) => target.key)),
  subjects: sorted(subjectKeys(result)),
  gaps: sorted(gapKeys(result.gaps)),
});

let one: Awaited<ReturnType<typeof sweep>>;
let two: Awaited<ReturnType<typeof sweep>>;

beforeAll(async () => {
  sim = await startCloudSim({ world: WORLD, pageSize: 1, rateLimits: true, onRequest: (r) => records.push(r) });
  one = await sweep(1);
  two = await sweep(2);
});

afterAll(async () => {
  await sim?.close();
});

describe("an AWS sweep over two threads", () => {
  it("collects on both threads, each under its half of the requests in flight", () => {
    expect(one.threadStats.map((stats) => stats.apiCalls > 0)).toEqual([true]);
    expect(two.threadStats.map((stats) => stats.apiCalls > 0)).toEqual([true, true]);
    expect(two.threadStats.map((stats) => stats.peakInFlight <= 4)).toEqual([true, true]);
  });

  it("finds the same targets, assets, keys, calls and gaps as one thread, with the same requests", () => {
    expect(summary(two.result)).toEqual(summary(one.result));
    expect(two.result.assets).toHaveLength(one.result.assets.length);
    expect(two.result.gaps.length).toBeGreaterThan(0);
    expect(sorted(two.requests.map((r) => `${r.service}:${r.operation}`))).toEqual(
      sorted(one.requests.map((r) => `${r.service}:${r.operation}`)),
    );
    expect(two.stats.apiCalls).toBe(one.stats.apiCalls);
    expect(two.notices).toEqual(one.notices);
  });

  it("assumes each account's role once for the sweep, on the main thread", () => {
    const assumed = (requests: readonly RequestRecord[]) => requests.filter((r) => r.operation === "AssumeRole").length;
    expect(assumed(two.requests)).toBe(assumed(one.requests));
  });

  it("keeps within the cloud's rate limits across threads: nothing throttled, nothing retried", () => {
    expect(two.requests.filter((r) => r.fault === "rate-limit")).toEqual([]);
    expect(two.requests.filter((r) => r.operation === "LookupEvents").length).toBeGreaterThan(0);
    expect(two.stats.retries).toBe(0);
  });
});
