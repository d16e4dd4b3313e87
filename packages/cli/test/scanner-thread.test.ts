import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AigovError, type ScanItem, type Scanner, type ScanTarget } from "@aigov/core";
import { type CloudSim, startCloudSim } from "../../cloud-sim/src/index.ts";
import { createAwsScanner, type AwsScanConfig } from "../../../scanners/aws/src/index.ts";
import { generatedWorld } from "../../../scanners/aws/test/generated-world.ts";
import { simEnv } from "../../../test/e2e/sweep-world.ts";
import { SWEEP_NODE_FLAGS } from "../bin/sweep-process.js";
import { scannerInThread } from "../src/sweep/scanner-thread.ts";

const REGIONS = ["us-east-1", "eu-west-1"];
const environment = { ...process.env };
let sim: CloudSim;
let config: AwsScanConfig;

beforeAll(async () => {
  sim = await startCloudSim({ world: generatedWorld(3, REGIONS), pageSize: 2 });
  // The thread reads the standard credential chain from the environment it is started with, as `aigov sweep` does.
  Object.assign(process.env, simEnv());
  config = { organization: true, regions: REGIONS, endpoint: sim.url };
});
afterAll(async () => {
  process.env = environment;
  await sim.close();
});

/** A whole sweep of one scanner, as the sweep drives it: targets listed and queued, then each collected. */
async function sweepWith(scanner: Scanner<unknown, unknown>) {
  const targets: ScanTarget<unknown>[] = [];
  const listingGaps: unknown[] = [];
  for await (const item of scanner.targets(config)) {
    if ("type" in item) listingGaps.push(item);
    else {
      targets.push(item);
      scanner.queued?.(item, config);
    }
  }
  const found = new Map<string, string[]>();
  await Promise.all(
    targets.map(async (target) => {
      const items: ScanItem[] = [];
      for await (const item of scanner.collect(target, config)) items.push(item);
      // A target's collectors run side by side: the order of their items is the order the cloud answered in.
      found.set(target.key, items.map((item) => JSON.stringify(item)).sort());
    }),
  );
  return { targets, listingGaps, found, calls: scanner.stats().apiCalls, notices: scanner.notices?.(config) };
}

describe("a scanner in a thread of its own", () => {
  it("lists, finds and counts what the same scanner finds in the sweep's thread", async () => {
    const inProcess = createAwsScanner() as Scanner<unknown, unknown>;
    const expected = await sweepWith(inProcess);
    inProcess.close?.();
    const threaded = await scannerInThread("aws", config);
    try {
      expect(threaded.concurrency?.(config)).toBe(inProcess.concurrency?.(config));
      expect(threaded.targetsInFlight?.(config)).toBe(inProcess.targetsInFlight?.(config));
      const actual = await sweepWith(threaded);
      // 3 member accounts and the management account, × 2 Regions and each account's global target.
      expect(actual.targets.map((target) => target.key)).toEqual(expected.targets.map((target) => target.key));
      expect(actual.targets).toHaveLength(12);
      expect(actual.listingGaps).toEqual(expected.listingGaps);
      expect(new Map([...actual.found].sort())).toEqual(new Map([...expected.found].sort()));
      expect([...actual.found.values()].flat().filter((item) => item.includes('"subject":"key"'))).not.toHaveLength(0);
      expect(actual.calls).toBe(expected.calls);
      expect(actual.calls).toBeGreaterThan(100);
      expect(actual.notices).toEqual(expected.notices);
    } finally {
      threaded.close?.();
    }
  });

  it("fails to start with the scanner's own error, code and message, for a configuration it refuses", async () => {
    const refused = { regions: REGIONS, endpoint: sim.url };
    const inProcess = createAwsScanner();
    let expected: unknown;
    try {
      inProcess.concurrency(refused as AwsScanConfig);
    } catch (error) {
      expected = error;
    }
    expect(expected).toBeInstanceOf(AigovError);
    const error = await scannerInThread("aws", refused).catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(AigovError);
    expect((error as AigovError).code).toBe((expected as AigovError).code);
    expect((error as AigovError).message).toBe((expected as AigovError).message);
  });

  it("fails to start for a provider no installed scanner sweeps", async () => {
    await expect(scannerInThread("nocloud", {})).rejects.toThrow("no installed scanner for nocloud");
  });

  it("gives the scanner's thread an 8 MiB semi-space and leaves the sweep's thread at the sweep's 1 MiB", () => {
    const script = fileURLToPath(new URL("./scanner-thread-semi-space.ts", import.meta.url));
    const youngGeneration = (flags: readonly string[]) =>
      JSON.parse(execFileSync(process.execPath, [...flags, script], { encoding: "utf8" })) as Record<string, number>;
    // New space is two semi-spaces.
    expect(youngGeneration(SWEEP_NODE_FLAGS)).toEqual({ sweepThread: 2, scannerThread: 16 });
    // Without the sweep's flags (a user's own, or none), both threads keep what V8 chose for the process.
    const unchosen = youngGeneration([]);
    expect(unchosen.scannerThread).toBe(unchosen.sweepThread);
  });
});
