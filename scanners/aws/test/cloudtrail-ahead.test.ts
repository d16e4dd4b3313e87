import type { ScanTarget } from "@aigov/core";
import { type CloudSim, type RequestRecord, startCloudSim } from "@aigov/cloud-sim";
import { gapKeys, subjectKeys } from "@aigov/scanner-kit/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AwsScanConfig, type AwsTargetMeta, createAwsScanner } from "../src/index.ts";
import { FAKE_CREDENTIALS, runSweep, type SweepResult } from "./run-sweep.ts";

const WORLD = new URL("./fixtures/org-world.yaml", import.meta.url).pathname;
const NOW = new Date("2026-11-22T00:00:00Z");

// The fixture organization swept twice against one simulator that enforces CloudTrail's 2 requests/second per
// account and region: as the kit's driver sweeps (each target collected in turn), and as `aigov sweep` does, every
// target listed and announced as queued before any is collected.
let sim: CloudSim;
const records: RequestRecord[] = [];
/** When each of `records` arrived, on this process's clock (the simulator runs in it). */
const arrivals: number[] = [];

const configOf = (): AwsScanConfig => ({
  organization: true,
  regions: "all-enabled",
  endpoint: sim.url,
  concurrency: 8,
  roleName: "OrganizationAccountAccessRole",
  sessionName: "aigov-test",
});

const sorted = (values: readonly string[]) => [...values].sort();
const summary = (result: SweepResult) => ({
  targets: sorted(result.targets.map((target) => target.key)),
  subjects: sorted(subjectKeys(result)),
  gaps: sorted(gapKeys(result.gaps)),
});
const lookups = (requests: readonly RequestRecord[]) => requests.filter((r) => r.operation === "LookupEvents");

let inTurn: { result: SweepResult; requests: RequestRecord[] };
let queuedFirst: { result: SweepResult; requests: RequestRecord[]; lookupsBeforeCollect: number };

beforeAll(async () => {
  sim = await startCloudSim({
    world: WORLD,
    pageSize: 1,
    rateLimits: true,
    onRequest: (r) => {
      records.push(r);
      arrivals.push(performance.now());
    },
  });
  {
    const scanner = createAwsScanner({ credentials: FAKE_CREDENTIALS, now: () => NOW });
    const first = records.length;
    const result = await runSweep(scanner, configOf());
    scanner.close();
    inTurn = { result, requests: records.slice(first) };
  }
  {
    const scanner = createAwsScanner({ credentials: FAKE_CREDENTIALS, now: () => NOW });
    const config = configOf();
    const first = records.length;
    const result: SweepResult = { targets: [], assets: [], keys: [], calls: [], gaps: [] };
    for await (const item of scanner.targets(config)) {
      if ("type" in item) result.gaps.push(item.gap);
      else {
        result.targets.push(item);
        scanner.queued?.(item, config);
      }
    }
    // Every target is listed and none collected yet: the lookups of the queued region targets run meanwhile.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const lookupsBeforeCollect = lookups(records.slice(first)).length;
    for (const target of result.targets as ScanTarget<AwsTargetMeta>[])
      for await (const item of scanner.collect(target, config)) {
        if (item.type === "gap") result.gaps.push(item.gap);
        else if (item.subject.subject === "asset") result.assets.push(item.subject);
        else if (item.subject.subject === "key") result.keys.push(item.subject);
        else result.calls.push(item.subject);
      }
    scanner.close();
    queuedFirst = { result, requests: records.slice(first), lookupsBeforeCollect };
  }
});

afterAll(async () => {
  await sim?.close();
});

describe("CloudTrail lookups of queued targets", () => {
  it("run before their targets are collected", () => {
    expect(queuedFirst.lookupsBeforeCollect).toBeGreaterThan(0);
  });

  it("find the same API calls, subjects and gaps as lookups run inside each target, with the same requests", () => {
    expect(queuedFirst.result.calls.length).toBeGreaterThan(0);
    expect(summary(queuedFirst.result)).toEqual(summary(inTurn.result));
    expect(queuedFirst.result.gaps.length).toBeGreaterThan(0);
    const operations = (requests: readonly RequestRecord[]) =>
      sorted(requests.map((r) => `${r.account}|${r.region}|${r.service}:${r.operation}`));
    expect(operations(queuedFirst.requests)).toEqual(operations(inTurn.requests));
  });

  it("keep within CloudTrail's rate limit: nothing throttled", () => {
    expect(lookups(queuedFirst.requests).length).toBeGreaterThan(0);
    expect(queuedFirst.requests.filter((r) => r.fault === "rate-limit")).toEqual([]);
  });
});

describe("CloudTrail lookups ahead of a sweep that stops", () => {
  const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
  /** Queues every target (as `aigov sweep` does), lets the lookups run 300 ms, stops the sweep or not: what came later. */
  const lookupsAfterStop = async (stop: boolean) => {
    const scanner = createAwsScanner({ credentials: FAKE_CREDENTIALS, now: () => NOW });
    const config = configOf();
    const controller = new AbortController();
    for await (const item of scanner.targets(config))
      if (!("type" in item)) scanner.queued?.(item, config, controller.signal);
    await pause(300);
    if (stop) controller.abort(new Error("interrupted"));
    const stoppedAt = performance.now();
    const sentBefore = records.length;
    await pause(1500);
    const late = records
      .slice(sentBefore)
      .filter((record, i) => record.operation === "LookupEvents" && arrivals[sentBefore + i]! > stoppedAt + 700);
    controller.abort(new Error("the test is over"));
    scanner.close();
    // A request already waiting for its rate-limit token at the stop (at most 0.5 s at 2 per second) still goes.
    return late;
  };

  it("start no more chains and ask for no further page once the sweep's signal aborts", async () => {
    expect(await lookupsAfterStop(true)).toEqual([]);
    // The same queue, not stopped, is still looking up 0.7 s later: the test tells the two apart.
    expect((await lookupsAfterStop(false)).length).toBeGreaterThan(0);
  });
});
