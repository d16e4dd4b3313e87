import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  currentGaps,
  defaultStorePath,
  openStore,
  Outbox,
  prune,
  queryFindings,
  queryInventory,
  resolveStorePath,
  runTrends,
  SCHEMA_VERSION,
  type Store,
} from "../src/index.ts";
import { endpoint, finding, observe, target } from "./observations.ts";

let dir: string;
let store: Store;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "aigov-store-"));
  store = openStore(join(dir, "aigov.db"));
});
afterEach(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

const t1 = target("111111111111");
const t2 = target("222222222222");
const a = endpoint("111111111111", "us-east-1", "a");
const b = endpoint("111111111111", "us-east-1", "b");
const c = endpoint("222222222222", "us-east-1", "c");
const fa = finding("aws-public-endpoint", a);
const fb = finding("aws-public-endpoint", b, "critical");
const fc = finding("aws-unapproved-model", c, "medium");

function sweep(targets: { t: typeof t1; status?: "complete" | "partial"; seen: [typeof a, (typeof fa)[]][] }[]) {
  const run = store.beginRun();
  for (const { t, status, seen } of targets) {
    store.record(
      run.id,
      seen.map(([asset, findings]) => observe(t, asset, findings)),
    );
    store.targetDone(run.id, t, status ?? "complete", seen.length);
  }
  return {
    run,
    changes: store.finishRun(run.id, { status: "complete", targetsTotal: targets.length, apiCalls: 10, errors: 0 }),
  };
}

/** A sweep of both targets that finds every finding: a's and b's on t1, c's on t2. */
function sweepAllFound() {
  return sweep([
    {
      t: t1,
      seen: [
        [a, [fa]],
        [b, [fb]],
      ],
    },
    { t: t2, seen: [[c, [fc]]] },
  ]);
}

function states(): Record<string, string> {
  return Object.fromEntries([...queryFindings(store)].map((f) => [f.subject.name, f.lifecycle.state]));
}

describe("finding lifecycle", () => {
  it("moves findings through new, open, resolved and reopened", () => {
    const first = sweepAllFound();
    expect(first.changes).toEqual({ new: 3, open: 0, reopened: 0, waived: 0, resolved: 0 });
    expect(states()).toEqual({ a: "new", b: "new", c: "new" });

    // b was fixed; c's account is not swept this time, so c stays as it was.
    const second = sweep([
      {
        t: t1,
        seen: [
          [a, [fa]],
          [b, []],
        ],
      },
    ]);
    expect(second.changes).toEqual({ new: 0, open: 1, reopened: 0, waived: 0, resolved: 1 });
    expect(states()).toEqual({ a: "open", b: "resolved", c: "new" });
    const resolved = [...queryFindings(store, { status: ["resolved"] })];
    expect(resolved.map((f) => [f.subject.name, f.status, f.lifecycle.resolvedRun])).toEqual([
      ["b", "resolved", second.run.id],
    ]);

    const third = sweepAllFound();
    expect(third.changes).toEqual({ new: 0, open: 2, reopened: 1, waived: 0, resolved: 0 });
    const reopened = [...queryFindings(store, { status: ["reopened"] })];
    expect(reopened).toHaveLength(1);
    expect(reopened[0]!.lifecycle).toMatchObject({ firstRun: first.run.id, lastRun: third.run.id, reopened: 1 });
    expect(reopened[0]!.lifecycle.resolvedAt).toBeUndefined();
  });

  it("judges a run's changes by the lifecycle when it finishes, not when it saw them", () => {
    // Two sweeps of one store overlap: the long one sees a and b before the short one finishes.
    const long = store.beginRun();
    store.record(long.id, [observe(t1, a, [fa]), observe(t1, b, [fb])]);
    store.targetDone(long.id, t1, "complete", 2);
    // The short one finds a first (new to the store), and c.
    sweep([
      { t: t1, seen: [[a, [fa]]] },
      { t: t2, seen: [[c, [fc]]] },
    ]);
    // Until it finishes, the long run has no findings to give: what its rows hold is provisional.
    expect([...store.runFindings(long.id)]).toEqual([]);
    const changes = store.finishRun(long.id, { status: "complete", targetsTotal: 1, apiCalls: 10, errors: 0 });
    expect([...store.runFindings(long.id)].map((f) => [f.subject.name, f.lifecycle.state])).toEqual([
      ["b", "new"],
      ["a", "open"],
    ]);
    // a was new when the long sweep saw it, and no longer when it finished; b was new either way.
    expect(changes).toEqual({ new: 1, open: 1, reopened: 0, waived: 0, resolved: 0 });
    expect(states()).toEqual({ a: "open", b: "new", c: "new" });
  });

  it("gives a run's findings and assets as the JSON text of what runFindings and runAssets yield", () => {
    // Text JSON.stringify escapes (a line separator, a lone surrogate) and text it keeps (accents, emoji).
    const d = { ...endpoint("111111111111", "us-east-1", "d\u2028é🙂\ud800"), tags: { owner: 'quote " back \\' } };
    const fd = { ...finding("aws-public-endpoint", d, "low", "waived"), message: "naïve\u2028\udfff" };
    sweepAllFound();
    sweep([
      {
        t: t1,
        seen: [
          [a, [fa]],
          [b, []],
        ],
      },
    ]);
    const third = sweep([
      {
        t: t1,
        seen: [
          [a, [fa]],
          [b, [fb]],
          [d, [fd]],
        ],
      },
      { t: t2, seen: [[c, []]] },
    ]);
    expect(third.changes).toEqual({ new: 0, open: 1, reopened: 1, waived: 1, resolved: 1 });
    for (const run of store.runs()) {
      const findings = [...store.runFindings(run.id)];
      expect([...store.runFindingsJson(run.id)]).toEqual(findings.map((item) => JSON.stringify(item)));
      const assets = [...store.runAssets(run.id)];
      expect([...store.runAssetsJson(run.id)]).toEqual(assets.map((item) => JSON.stringify(item)));
      expect(findings.length + assets.length).toBeGreaterThan(0);
    }
  });

  it("does not resolve findings of a target that was covered only partly", () => {
    sweep([{ t: t1, seen: [[a, [fa]]] }]);
    const second = sweep([{ t: t1, status: "partial", seen: [] }]);
    expect(second.changes.resolved).toBe(0);
    expect(states()).toEqual({ a: "new" });
  });

  it("keeps waived findings apart from open ones", () => {
    sweep([{ t: t1, seen: [[a, [finding("aws-public-endpoint", a, "high", "waived")]]] }]);
    expect([...queryFindings(store, { status: ["waived"] })].map((f) => f.subject.name)).toEqual(["a"]);
    expect([...queryFindings(store, { status: ["new"] })]).toHaveLength(0);
  });

  it("lists what a run saw with what it did to each finding", () => {
    sweep([
      {
        t: t1,
        seen: [
          [a, [fa]],
          [b, [fb]],
        ],
      },
    ]);
    const { run } = sweep([{ t: t1, seen: [[a, [fa]]] }]);
    const seen = [...store.runFindings(run.id)].map((f) => [f.subject.name, f.status, f.lifecycle.state]);
    expect(seen.sort()).toEqual([
      ["a", "open", "open"],
      ["b", "resolved", "resolved"],
    ]);
  });
});

describe("queries", () => {
  it("filters findings by severity, status, rule, account and kind", () => {
    sweepAllFound();
    const names = (filter: Parameters<typeof queryFindings>[1]) =>
      [...queryFindings(store, filter)].map((f) => f.subject.name);
    expect(names({})).toEqual(["b", "a", "c"]); // critical first
    expect(names({ severity: ["medium"] })).toEqual(["c"]);
    expect(names({ rule: ["aws-public-endpoint"] })).toEqual(["b", "a"]);
    expect(names({ account: ["222222222222"] })).toEqual(["c"]);
    expect(names({ kind: ["notebook"] })).toEqual([]);
    expect(names({ status: ["active"], severity: ["critical", "high"] })).toEqual(["b", "a"]);
  });

  it("combines the newest inventory of every target, as shards writing to one store need", () => {
    sweep([
      {
        t: t1,
        seen: [
          [a, []],
          [b, []],
        ],
      },
    ]);
    sweep([{ t: t2, seen: [[c, []]] }]); // another shard: only t2
    expect([...queryInventory(store)].map((s) => s.name)).toEqual(["a", "b", "c"]);
    sweep([{ t: t1, seen: [[a, []]] }]); // b deleted from the cloud
    expect([...queryInventory(store)].map((s) => s.name)).toEqual(["a", "c"]);
    expect([...queryInventory(store, { account: ["222222222222"] })].map((s) => s.name)).toEqual(["c"]);
    expect([...queryInventory(store, { run: 1 })].map((s) => s.name)).toEqual(["a", "b"]);
  });

  it("reports coverage gaps and trends per run", () => {
    const run = store.beginRun();
    store.record(
      run.id,
      [observe(t1, a, [fa])],
      [
        {
          targetKey: t1.key,
          provider: "aws",
          account: t1.account,
          region: "us-east-1",
          service: "bedrock",
          code: "AccessDenied",
          message: "denied",
        },
      ],
    );
    store.targetDone(run.id, t1, "partial", 1);
    store.finishRun(run.id, { status: "partial", targetsTotal: 1, apiCalls: 3, errors: 1 });
    expect(currentGaps(store).map((g) => `${g.account}/${g.service}/${g.code}`)).toEqual([
      "111111111111/bedrock/AccessDenied",
    ]);
    sweep([{ t: t1, seen: [[a, []]] }]);
    expect(currentGaps(store)).toEqual([]);
    const trends = runTrends(store);
    expect(trends.map((t) => [t.status, t.gaps, t.bySeverity.high, t.new, t.resolved])).toEqual([
      ["partial", 1, 1, 1, 0],
      ["complete", 0, 0, 0, 1],
    ]);
  });
});

describe("retention", () => {
  it("keeps the newest runs and never drops the latest inventory of a target", () => {
    sweep([{ t: t2, seen: [[c, [fc]]] }]);
    for (let i = 0; i < 4; i += 1) sweep([{ t: t1, seen: [[a, [fa]]] }]);
    const pruned = prune(store, { keepRuns: 2 });
    expect(pruned.runs).toBe(2); // runs 2 and 3; run 1 holds t2's latest inventory
    expect(store.runs().map((r) => r.id)).toEqual([5, 4, 1]);
    expect([...queryInventory(store)].map((s) => s.name)).toEqual(["a", "c"]);
  });

  it("drops runs older than the day limit", () => {
    const old = openStore(join(dir, "old.db"), { now: () => new Date("2026-01-01T00:00:00Z") });
    const run = old.beginRun();
    old.targetDone(run.id, t1, "complete", 0);
    old.finishRun(run.id, { status: "complete", targetsTotal: 1, apiCalls: 0, errors: 0 });
    const run2 = old.beginRun();
    old.finishRun(run2.id, { status: "complete", targetsTotal: 0, apiCalls: 0, errors: 0 });
    expect(prune(old, { keepDays: 30 }, new Date("2026-03-01T00:00:00Z")).runs).toBe(1);
    expect(old.runs().map((r) => r.id)).toEqual([1]);
    old.close();
  });

  it("drops export outbox entries delivered before the oldest kept run, but each record's latest", () => {
    const path = join(dir, "outbox-retention.db");
    const early = openStore(path, { now: () => new Date("2026-01-01T00:00:00Z") });
    const outbox = new Outbox(early, { now: () => new Date("2026-01-01T00:00:00Z") });
    for (const hash of ["h1", "h2"]) {
      outbox.enqueue("siem", [{ id: "finding-1", hash, payload: `{"v":"${hash}"}` }]);
      outbox.markDelivered(outbox.pending("siem", 10).map((entry) => entry.seq));
    }
    early.close();
    const later = openStore(path, { now: () => new Date("2026-02-01T00:00:00Z") });
    const run = later.beginRun();
    later.finishRun(run.id, { status: "complete", targetsTotal: 0, apiCalls: 0, errors: 0 });
    expect(prune(later, {}, new Date("2026-02-02T00:00:00Z")).outboxEntries).toBe(1);
    expect(new Outbox(later).enqueue("siem", [{ id: "finding-1", hash: "h2", payload: "{}" }]).unchanged).toBe(1);
    later.close();
  });
});

describe("schema and location", () => {
  it("records its schema version and refuses a store from a newer aigov", () => {
    const path = join(dir, "aigov.db");
    const raw = new DatabaseSync(path);
    expect((raw.prepare("PRAGMA user_version").get() as { user_version: number }).user_version).toBe(SCHEMA_VERSION);
    expect((raw.prepare("PRAGMA journal_mode").get() as { journal_mode: string }).journal_mode).toBe("wal");
    raw.exec(`PRAGMA user_version = ${SCHEMA_VERSION + 1}`);
    raw.close();
    expect(() => openStore(path)).toThrow(expect.objectContaining({ code: "STORE_TOO_NEW" }));
  });

  it("folds its write-ahead log back into the file at 10,000 pages (40 MB), not SQLite's 1,000", () => {
    expect(
      (store.db.prepare("PRAGMA wal_autocheckpoint").get() as { wal_autocheckpoint: number }).wal_autocheckpoint,
    ).toBe(10_000);
  });

  it("migrates a version-1 store in place, keeping its history", () => {
    sweep([{ t: t1, seen: [[a, [fa]]] }]);
    store.close();
    const path = join(dir, "aigov.db");
    // A version-1 store: the same tables without the runs' heartbeat column.
    const raw = new DatabaseSync(path);
    raw.exec("ALTER TABLE runs DROP COLUMN heartbeat_at; PRAGMA user_version = 1");
    raw.close();
    store = openStore(path);
    expect((store.db.prepare("PRAGMA user_version").get() as { user_version: number }).user_version).toBe(
      SCHEMA_VERSION,
    );
    expect(store.all("SELECT heartbeat_at = finished_at AS same FROM runs")).toEqual([{ same: 1 }]);
    expect(states()).toEqual({ a: "new" });
    expect(sweep([{ t: t1, seen: [[a, [fa]]] }]).changes.open).toBe(1);
  });

  it("recovers a run abandoned on another host once its heartbeat is an hour old, and leaves a live one alone", () => {
    const path = join(dir, "aigov.db");
    const insert = store.db.prepare(
      "INSERT INTO runs (started_at, heartbeat_at, status, host, pid) VALUES (?, ?, 'running', 'other-pod', 1)",
    );
    const now = Date.now();
    insert.run(new Date(now - 5 * 3_600_000).toISOString(), new Date(now - 2 * 3_600_000).toISOString());
    insert.run(new Date(now - 5 * 3_600_000).toISOString(), new Date(now - 10 * 60_000).toISOString());
    store.close();
    store = openStore(path);
    expect(store.runs().map((r) => [r.id, r.status])).toEqual([
      [2, "running"],
      [1, "aborted"],
    ]);
  });

  it("reads the path from --store, then AIGOV_STORE, then the policy, then the state directory", () => {
    const env = { HOME: "/home/u", AIGOV_STORE: "/env.db" };
    expect(resolveStorePath({ flag: "/flag.db", policy: "/p.db", env })).toBe("/flag.db");
    expect(resolveStorePath({ policy: "/p.db", env })).toBe("/env.db");
    expect(resolveStorePath({ policy: "/p.db", env: { HOME: "/home/u" } })).toBe("/p.db");
    expect(defaultStorePath({ HOME: "/home/u" })).toBe("/home/u/.local/state/aigov/aigov.db");
    expect(defaultStorePath({ HOME: "/home/u", XDG_STATE_HOME: "/state" })).toBe("/state/aigov/aigov.db");
  });
});
