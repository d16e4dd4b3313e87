// Stores written by the previous release (fixtures/README.md) open with this code, migrate, and keep every row.
import { copyFileSync, existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openStore, Outbox, queryFindings, queryInventory, SCHEMA_VERSION, type Store } from "../src/index.ts";

const FIXTURES = join(import.meta.dirname, "fixtures");

let dir: string;
const opened: Store[] = [];
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "aigov-migration-"));
});
afterEach(() => {
  for (const store of opened.splice(0)) store.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A copy of a fixture: the committed file is never opened for writing. */
function copyOf(fixture: string): string {
  const path = join(dir, fixture);
  copyFileSync(join(FIXTURES, fixture), path);
  return path;
}

function open(path: string, access: "create" | "read" = "create"): Store {
  const store = openStore(path, { access });
  opened.push(store);
  return store;
}

const version = (store: Store) => store.all("PRAGMA user_version")[0]?.user_version;

describe("a store written by the previous release", () => {
  it("migrates to the current schema with its runs, findings, gaps, inventory, outbox and log state intact", () => {
    const store = open(copyOf("release-store.db"));
    expect(version(store)).toBe(SCHEMA_VERSION);

    expect(store.runs().map((run) => [run.id, run.status, run.label, run.apiCalls, run.summary ?? null])).toEqual([
      [2, "complete", "release", 7, null],
      [1, "complete", "release", 12, { note: "first" }],
    ]);
    expect(
      [...queryFindings(store)].map((finding) => [finding.ruleId, finding.subject.name, finding.lifecycle.state]),
    ).toEqual([
      ["aws-unapproved-model", "chat-b", "resolved"],
      ["aws-public-endpoint", "chat-a", "open"],
    ]);
    expect(store.runGaps(1)).toEqual([
      {
        provider: "aws",
        account: "111122223333",
        region: "us-east-1",
        service: "bedrock",
        code: "ACCESS_DENIED",
        message: "denied",
      },
    ]);
    expect([...queryInventory(store)].map((item) => item.name)).toEqual(["chat-a"]);

    const outbox = new Outbox(store);
    expect(outbox.pending("siem", 10).map((entry) => [entry.attempts, entry.lastError])).toEqual([
      [1, "503 from the SIEM"],
    ]);
    expect(store.all("SELECT source, size, version, offset, line FROM log_read_state")).toEqual([
      { source: "file:/var/log/trail.ndjson", size: 2048, version: "1732060800000", offset: 2048, line: 12 },
    ]);
    expect(store.all("SELECT rule_id, group_key, first_time FROM log_first_seen")).toEqual([
      {
        rule_id: "ai-log-first-use-in-account",
        group_key: "provider=aws,account=111122223333,service=bedrock",
        first_time: "2026-11-20T10:00:00Z",
      },
    ]);
  });

  it("carries on where it stopped: the next run and the next export build on the old history", () => {
    const path = copyOf("release-store.db");
    const store = open(path);
    const run = store.beginRun();
    store.targetDone(
      run.id,
      { key: "aws:111122223333:us-east-1", provider: "aws", account: "111122223333", label: "acct" },
      "complete",
      0,
    );
    // Nothing seen in a target swept completely: the open finding is resolved, the resolved one stays so.
    expect(store.finishRun(run.id, { status: "complete", targetsTotal: 1, apiCalls: 0, errors: 0 })).toMatchObject({
      resolved: 1,
    });
    const [delivered] = store.all("SELECT record_id, hash FROM export_state WHERE sink = 'siem' ORDER BY seq LIMIT 1");
    expect(
      new Outbox(store).enqueue("siem", [
        { id: String(delivered?.record_id), hash: String(delivered?.hash), payload: "{}" },
      ]),
    ).toMatchObject({ unchanged: 1, enqueued: 0 });
  });

  it("is migrated once and then read read-only by a command that only reads", () => {
    const path = copyOf("release-store.db");
    const store = open(path, "read");
    expect(version(store)).toBe(SCHEMA_VERSION);
    expect([...queryFindings(store)]).toHaveLength(2);
    expect(() => store.db.exec("DELETE FROM findings")).toThrow(/readonly/);
  });

  it("the state file `aigov logs --state-db` wrote on its own becomes a store, keeping what it had read", () => {
    const store = open(copyOf("release-logs-state.db"));
    expect(version(store)).toBe(SCHEMA_VERSION);
    expect(store.runs()).toEqual([]);
    expect(store.all("SELECT source, size, version, offset, line FROM log_read_state")).toEqual([
      { source: "s3://org-trail/AWSLogs/a.json.gz", size: null, version: "etag-1", offset: 0, line: 0 },
    ]);
    expect(store.all("SELECT group_key FROM log_first_seen")).toEqual([
      { group_key: "provider=aws,account=444455556666,service=bedrock" },
    ]);
    expect(new Outbox(store).pendingCount("archive")).toBe(1);
  });
});

describe("opening for reading", () => {
  it("never creates a store: a missing file is STORE_NOT_FOUND, and stays missing", () => {
    const path = join(dir, "typo.db");
    for (const access of ["read", "write"] as const) {
      expect(() => openStore(path, { access })).toThrow(
        expect.objectContaining({
          code: "STORE_NOT_FOUND",
          message: `no store at ${path}: run \`aigov sweep\` first, or pass --store`,
        }),
      );
    }
    expect(existsSync(path)).toBe(false);
  });

  it("refuses a SQLite file that is not an aigov store, and writes nothing into it", () => {
    const path = join(dir, "notes.db");
    const other = new DatabaseSync(path);
    other.exec("CREATE TABLE notes (text TEXT)");
    other.close();
    expect(() => openStore(path, { access: "read" })).toThrow(expect.objectContaining({ code: "STORE_NOT_AIGOV" }));
    const after = new DatabaseSync(path, { readOnly: true });
    expect(after.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all()).toEqual([{ name: "notes" }]);
    after.close();
  });
});
