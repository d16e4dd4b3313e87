// The sweep orchestration against the Scanner interface alone (packages/core/src/scanner.ts): what any cloud's
// scanner gets from the sweep — the global concurrency bound, shard partitioning, failures turned into gaps,
// log calls in time order — checked with scanners built here from the interface.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type {
  ApiCall,
  Asset,
  CoverageGap,
  Provider,
  ScanItem,
  Scanner,
  ScanTarget,
  Subject,
} from "../../packages/core/src/index.ts";
import { inShard, parseShard } from "../../packages/cli/src/sweep/shard.ts";
import { progressLine, showProgress } from "../../packages/cli/src/sweep/sweep-progress.ts";
import { storeSettings } from "../../packages/cli/src/configured-store.ts";
import { newProgress, runSweep } from "../../packages/cli/src/sweep/sweep-run.ts";
import { createAggregator, createEngine, loadRules, parsePolicy } from "../../packages/core/src/index.ts";
import { openStore, type Store } from "../../packages/store/src/index.ts";

let dir: string;
let store: Store;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "aigov-orchestration-"));
  store = openStore(join(dir, "aigov.db"));
});
afterEach(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

interface Behaviour {
  readonly targets: number;
  readonly listingGap?: CoverageGap;
  readonly collect?: (target: ScanTarget) => AsyncIterable<ScanItem>;
}

/** A scanner of `provider` with `targets` accounts; each target yields one asset after a short wait. */
function scanner(provider: Provider, behaviour: Behaviour, inFlight: { now: number; peak: number }): Scanner<null> {
  let apiCalls = 0;
  return {
    provider,
    async *targets() {
      if (behaviour.listingGap !== undefined) yield { type: "gap", gap: behaviour.listingGap };
      for (let i = 0; i < behaviour.targets; i += 1) {
        yield { provider, key: `${provider}:acct-${i}`, account: `acct-${i}`, label: `account ${i}`, meta: {} };
      }
    },
    async *collect(target) {
      inFlight.now += 1;
      inFlight.peak = Math.max(inFlight.peak, inFlight.now);
      try {
        apiCalls += 1;
        await new Promise((resolve) => setTimeout(resolve, 5));
        if (behaviour.collect !== undefined) {
          yield* behaviour.collect(target);
          return;
        }
        const asset: Asset = {
          subject: "asset",
          provider,
          account: target.account,
          region: "r1",
          kind: "endpoint",
          type: "T",
          id: `${target.key}/ep`,
          name: `ep-${target.account}`,
          tags: {},
          native: {},
        };
        yield { type: "subject", subject: asset };
      } finally {
        inFlight.now -= 1;
      }
    },
    stats: () => ({ apiCalls, retries: 0 }),
  };
}

const sweepWith = (jobs: Scanner<null>[], extra: { concurrency?: number; evaluate?: (s: Subject) => [] } = {}) =>
  runSweep({
    jobs: jobs.map((s) => ({ scanner: s, config: null })),
    evaluate: extra.evaluate ?? (() => []),
    blocks: () => false,
    threshold: "high",
    store,
    concurrency: extra.concurrency ?? 4,
  });

describe("sweep orchestration", () => {
  it("runs every cloud's targets under one global concurrency bound", async () => {
    const inFlight = { now: 0, peak: 0 };
    const outcome = await sweepWith(
      [scanner("aws", { targets: 30 }, inFlight), scanner("gcp", { targets: 30 }, inFlight)],
      { concurrency: 5 },
    );
    expect(inFlight.peak).toBe(5);
    expect(outcome.summary.targets).toEqual({ total: 60, complete: 60, partial: 0, failed: 0 });
    expect(outcome.summary.assets).toBe(60);
    expect(outcome.summary.apiCalls).toBe(60);
    expect(outcome.summary.inventory.map((line) => [line.provider, line.count])).toEqual([
      ["aws", 30],
      ["gcp", 30],
    ]);
  });

  it("reads the scanners' request counters a few times a second and at each target's end, not once per item", async () => {
    let reads = 0;
    const many = scanner(
      "aws",
      {
        targets: 2,
        collect: (target) => ({
          [Symbol.asyncIterator]: async function* () {
            for (let i = 0; i < 500; i++) {
              const asset: Asset = {
                subject: "asset",
                provider: "aws",
                account: target.account,
                region: "r1",
                kind: "endpoint",
                type: "T",
                id: `${target.key}/ep-${i}`,
                name: `ep-${i}`,
                tags: {},
                native: {},
              };
              yield { type: "subject", subject: asset };
            }
          },
        }),
      },
      { now: 0, peak: 0 },
    );
    const stats = many.stats.bind(many);
    many.stats = () => {
      reads += 1;
      return stats();
    };
    const outcome = await sweepWith([many]);
    expect(outcome.summary.assets).toBe(1000);
    expect(outcome.summary.apiCalls).toBe(2);
    expect(reads).toBeLessThan(50);
  });

  it("turns a scanner that throws into a failed target and a gap; an account it could not enter is a failed target too", async () => {
    const inFlight = { now: 0, peak: 0 };
    const broken = scanner(
      "aws",
      {
        targets: 3,
        listingGap: {
          provider: "aws",
          account: "acct-9",
          service: "sts",
          operation: "AssumeRole",
          code: "AssumeRoleFailed",
          message: "denied",
        },
        collect: (target) => ({
          [Symbol.asyncIterator]: async function* () {
            if (target.account === "acct-1") throw new Error("socket hang up");
            yield* [];
          },
        }),
      },
      inFlight,
    );
    const outcome = await sweepWith([broken]);
    expect(outcome.summary.status).toBe("partial");
    expect(outcome.summary.targets).toEqual({ total: 4, complete: 2, partial: 0, failed: 2 });
    expect(store.runGaps(outcome.run.id).map((gap) => `${gap.account} ${gap.code}`)).toEqual([
      "acct-1 ScannerError",
      "acct-9 AssumeRoleFailed",
    ]);
    expect(outcome.run.status).toBe("partial");
  });

  it("gives log rules a target's API calls in time order, whatever order the log pages came in", async () => {
    const times = ["2026-11-20T03:00:00Z", "2026-11-20T01:00:00Z", "2026-11-20T02:00:00Z"];
    const seen: string[] = [];
    const calls = scanner(
      "aws",
      {
        targets: 1,
        collect: (target) => ({
          [Symbol.asyncIterator]: async function* () {
            for (const [i, time] of times.entries()) {
              const call: ApiCall = {
                subject: "api-call",
                provider: "aws",
                account: target.account,
                region: "r1",
                time,
                service: "bedrock",
                operation: "InvokeModel",
                principal: "p",
                authType: "iam",
                outcome: "success",
                eventId: `e${i}`,
                native: {},
              };
              yield { type: "subject", subject: call };
            }
          },
        }),
      },
      { now: 0, peak: 0 },
    );
    const outcome = await sweepWith([calls], {
      evaluate: (subject) => {
        if (subject.subject === "api-call") seen.push(subject.time);
        return [];
      },
    });
    expect(seen).toEqual([...times].sort());
    // Calls are evidence, not inventory: counted apart from assets.
    expect(outcome.summary.apiCallsObserved).toBe(3);
    expect([outcome.summary.assets, outcome.run.assets]).toEqual([0, 0]);
  });

  it("rolls a target's per-call findings up: one per rule and principal per window, with the count", async () => {
    const policy = parsePolicy("approved_principals: { aws: ['arn:aws:iam::*:role/ml-*'] }\n", "aigov.yaml");
    const rules = (await loadRules({ policy })).filter((rule) => rule.appliesTo.subject === "api-call");
    const engine = createEngine(rules, policy);
    const aggregator = createAggregator(rules, policy);
    const principals = [
      ...Array.from({ length: 300 }, () => "arn:aws:iam::111122223333:user/intern"),
      ...Array.from({ length: 10 }, () => "arn:aws:iam::111122223333:user/contractor"),
    ];
    const calls = scanner(
      "aws",
      {
        targets: 2,
        collect: (target) => ({
          [Symbol.asyncIterator]: async function* () {
            for (const [i, principal] of principals.entries()) {
              const call: ApiCall = {
                subject: "api-call",
                provider: "aws",
                account: target.account,
                region: "eu-west-1",
                time: new Date(Date.parse("2026-11-20T10:00:00Z") + i * 1000).toISOString(),
                service: "bedrock",
                operation: "InvokeModel",
                principal,
                actor: "human",
                usage: true,
                model: "anthropic.claude-3-haiku-20240307-v1:0",
                authType: "iam",
                outcome: "success",
                eventId: `${target.account}-e${i}`,
                native: {},
              };
              yield { type: "subject", subject: call };
            }
          },
        }),
      },
      { now: 0, peak: 0 },
    );
    const outcome = await runSweep({
      jobs: [{ scanner: calls, config: null }],
      evaluate: (subject) => engine.findings(subject),
      aggregate: (call) => aggregator.push(call),
      blocks: () => false,
      threshold: "high",
      store,
      concurrency: 2,
    });
    const unapproved = [...store.runFindings(outcome.run.id)].filter(
      (finding) => finding.ruleId === "ai-call-by-unapproved-principal",
    );
    const counts = unapproved
      .map((finding) => [
        finding.subject.account,
        finding.subject.id.split(",")[0],
        finding.evidence.find((item) => item.field === "count")?.value,
      ])
      .sort((a, b) => String(a).localeCompare(String(b)));
    expect(counts).toEqual([
      ["acct-0", "principal=arn:aws:iam::111122223333:user/contractor", 10],
      ["acct-0", "principal=arn:aws:iam::111122223333:user/intern", 300],
      ["acct-1", "principal=arn:aws:iam::111122223333:user/contractor", 10],
      ["acct-1", "principal=arn:aws:iam::111122223333:user/intern", 300],
    ]);
    expect(outcome.summary.apiCallsObserved).toBe(620);
  });

  it("splits target keys into disjoint shards that cover them all, the same way every time", () => {
    const keys = Array.from({ length: 1000 }, (_, i) => `aws:${String(100000000000 + i)}:us-east-1`);
    const shards = [0, 1, 2, 3].map((index) => keys.filter((key) => inShard(key, { index, count: 4 })));
    expect(shards.flat().sort()).toEqual([...keys].sort());
    expect(new Set(shards.flat()).size).toBe(keys.length);
    for (const shard of shards) expect(shard.length).toBeGreaterThan(200); // roughly even: 250 ± hash noise
    expect(keys.filter((key) => inShard(key, parseShard("2/4")))).toEqual(shards[2]);
    expect(() => parseShard("4/4")).toThrow(expect.objectContaining({ code: "SWEEP_BAD_SHARD" }));
  });
});

describe("sweep progress", () => {
  it("shows targets done/total, assets, API calls, errors and an ETA", () => {
    const progress = {
      ...newProgress(),
      startedAt: 0,
      targetsTotal: 10,
      targetsSeen: 10,
      targetsDone: 4,
      assets: 120,
      findings: 7,
      apiCalls: 900,
      errors: 1,
    };
    expect(progressLine(progress, 40_000)).toBe(
      "[########............] 4/10 targets · 120 assets · 7 findings · 900 API calls · 1 error · 40s elapsed · ETA 1m00s",
    );
    // Still listing targets: no total, no ETA.
    expect(progressLine({ ...progress, targetsTotal: undefined }, 40_000)).toMatch(
      /^4\/10\+ targets · .* 40s elapsed$/,
    );
  });

  it("redraws one line on a terminal and writes plain lines otherwise", async () => {
    const written = (tty: boolean) => {
      const chunks: string[] = [];
      const stream = {
        isTTY: tty,
        columns: 200,
        write: (chunk: string) => chunks.push(chunk) > 0,
      } as unknown as NodeJS.WritableStream & { isTTY?: boolean };
      return {
        chunks,
        display: showProgress({ ...newProgress(), targetsTotal: 2, targetsDone: 1 }, stream, { intervalMs: 5, tty }),
      };
    };
    const terminal = written(true);
    const log = written(false);
    await new Promise((resolve) => setTimeout(resolve, 30));
    terminal.display.stop();
    log.display.stop();
    expect(terminal.chunks[0]).toMatch(/^\r\x1b\[K\[#{10}\.{10}\] 1\/2 targets/);
    expect(terminal.chunks.at(-1)).toBe("\r\x1b[K");
    expect(log.chunks[0]).toMatch(/^aigov sweep: \[#{10}\.{10}\] 1\/2 targets .*\n$/);
    expect(log.chunks.join("")).not.toContain("\x1b");
  });
});

describe("store settings", () => {
  const env = { HOME: "/home/u" };
  it("reads path and retention from the policy, relative to the policy file; flags and AIGOV_STORE win", () => {
    const policy = parsePolicy(
      "store:\n  path: history/aigov.db\n  keep_runs: 30\n  keep_days: 90\n",
      "/etc/aigov/aigov.yaml",
    );
    expect(storeSettings(policy, {}, env, "/work")).toEqual({
      path: "/etc/aigov/history/aigov.db",
      retention: { keepRuns: 30, keepDays: 90 },
    });
    expect(storeSettings(policy, { store: "x.db", keepRuns: "5" }, env, "/work")).toEqual({
      path: "/work/x.db",
      retention: { keepRuns: 5, keepDays: 90 },
    });
    expect(storeSettings(policy, {}, { ...env, AIGOV_STORE: "/var/a.db" }, "/work").path).toBe("/var/a.db");
    expect(storeSettings(parsePolicy("{}\n", "/p/aigov.yaml"), {}, env, "/work")).toEqual({
      path: "/home/u/.local/state/aigov/aigov.db",
      retention: { keepRuns: 200, keepDays: 400 },
    });
  });

  it("points at the policy line of a bad store setting", () => {
    const policy = parsePolicy("store:\n  keep_runs: -1\n", "/p/aigov.yaml");
    expect(() => storeSettings(policy, {}, env, "/work")).toThrow(
      expect.objectContaining({ code: "STORE_SETTINGS_INVALID", position: expect.objectContaining({ line: 2 }) }),
    );
  });
});
