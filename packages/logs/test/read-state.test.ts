import { appendFileSync, readFileSync, writeFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { memoryFirstSeenStore } from "@aigov/core";
import { openStore, type Store } from "@aigov/store";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { emptyStats, readLogs, storeFirstSeen, storeReadState } from "../src/index.ts";
import { FIXTURES } from "./corpus-paths.ts";

const lines = readFileSync(join(FIXTURES, "cloudtrail/bedrock-activity.ndjson"), "utf8").trimEnd().split("\n");

describe("incremental reading", () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "aigov-state-"));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  async function run(
    store: Store,
    input: string,
  ): Promise<{ ids: string[]; lines: number[]; stats: ReturnType<typeof emptyStats> }> {
    const state = storeReadState(store);
    const stats = emptyStats();
    const ids: string[] = [];
    const at: number[] = [];
    for await (const event of readLogs([input], { env: {}, state }, stats)) {
      if (event.type === "call") {
        ids.push(event.call.eventId);
        at.push(event.call.source?.line ?? 0);
      }
    }
    state.commit();
    return { ids, lines: at, stats };
  }

  it("reads only the lines appended to an NDJSON log since the last run, with their true line numbers", async () => {
    const file = join(dir, "bedrock.ndjson");
    const dbFile = join(dir, "aigov.db");
    writeFileSync(file, `${lines.slice(0, 6).join("\n")}\n`);
    const first = await run(openStore(dbFile), file);
    expect(first.ids).toEqual(["llm-1", "llm-2", "llm-3", "llm-4", "llm-5", "llm-6"]);

    const unchanged = await run(openStore(dbFile), file);
    expect(unchanged.ids).toEqual([]);
    expect(unchanged.stats.unchanged).toBe(1);

    appendFileSync(file, `${lines.slice(6).join("\n")}\n`);
    const appended = await run(openStore(dbFile), file);
    expect(appended.ids).toEqual(["ok-1", "bearer-1", "mantle-1", "sm-1", "llm-7"]);
    expect(appended.lines).toEqual([7, 8, 9, 10, 12]);
  });

  it("keeps its state in the store's file, beside the sweep's run history", async () => {
    const path = join(dir, "shared.db");
    const writer = openStore(path);
    const state = storeReadState(writer);
    state.set("file:/x", { size: 1, version: "1", offset: 0, line: 1 });
    state.commit();
    writer.close();
    const store = openStore(path);
    expect(storeReadState(store).get("file:/x")).toEqual({ size: 1, version: "1", offset: 0, line: 1 });
    const tables = store.db
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
      .all()
      .map((row) => row.name);
    expect(tables).toEqual(expect.arrayContaining(["log_first_seen", "log_read_state", "runs"]));
    store.close();
  });

  it("remembers first-seen groups only after commit, and across connections", () => {
    const file = join(dir, "seen.db");
    const seen = storeFirstSeen(openStore(file));
    seen.add("ai-log-first-use-in-account", "provider=aws,account=1,service=bedrock", "2026-11-20T10:00:00Z");
    expect(seen.has("ai-log-first-use-in-account", "provider=aws,account=1,service=bedrock")).toBe(true);
    expect(
      storeFirstSeen(openStore(file)).has("ai-log-first-use-in-account", "provider=aws,account=1,service=bedrock"),
    ).toBe(false);
    seen.commit();
    expect(
      storeFirstSeen(openStore(file)).has("ai-log-first-use-in-account", "provider=aws,account=1,service=bedrock"),
    ).toBe(true);
    expect(memoryFirstSeenStore().has("ai-log-first-use-in-account", "x")).toBe(false);
  });
});
