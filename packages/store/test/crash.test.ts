import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openStore, queryFindings, queryInventory } from "../src/index.ts";
import { endpoint, finding, observe, target } from "./observations.ts";

const writer = join(dirname(fileURLToPath(import.meta.url)), "fixtures", "writer.ts");
let dir: string;
let path: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "aigov-crash-"));
  path = join(dir, "aigov.db");
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function start(
  account: string,
  batches: number,
  flags: readonly ("finish" | "wait")[],
): { child: ChildProcess; lines: string[]; exit: Promise<number | null> } {
  const child = spawn(process.execPath, [writer, path, account, String(batches), ...flags], {
    stdio: [flags.includes("wait") ? "pipe" : "ignore", "pipe", "inherit"],
  });
  const lines: string[] = [];
  child.stdout!.setEncoding("utf8").on("data", (chunk: string) => lines.push(...chunk.split("\n").filter(Boolean)));
  const exit = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return { child, lines, exit };
}

function integrity(): string {
  const store = openStore(path);
  const result = (store.db.prepare("PRAGMA integrity_check").get() as { integrity_check: string }).integrity_check;
  store.close();
  return result;
}

describe("store under crashes and concurrency", () => {
  it("keeps the previous state when a sweep is SIGKILLed mid-write, and the next run recovers", async () => {
    const t = target("111111111111");
    const kept = endpoint("111111111111", "us-east-1", "kept");
    const before = openStore(path);
    const first = before.beginRun();
    before.record(first.id, [observe(t, kept, [finding("aws-public-endpoint", kept)])]);
    before.targetDone(first.id, t, "complete", 1);
    before.finishRun(first.id, { status: "complete", targetsTotal: 1, apiCalls: 0, errors: 0 });
    before.close();

    const { child, lines, exit } = start("111111111111", 100_000, ["finish"]);
    while (lines.length < 20) await new Promise((resolve) => setTimeout(resolve, 20));
    child.kill("SIGKILL");
    expect(await exit).toBeNull();
    expect(lines).not.toContain("done");

    expect(integrity()).toBe("ok");
    const after = openStore(path);
    // The killed run is recovered as aborted and left nothing behind in the lifecycle or the inventory.
    expect(after.runs().map((r) => [r.id, r.status])).toEqual([
      [2, "aborted"],
      [1, "complete"],
    ]);
    expect([...queryFindings(after)].map((f) => [f.subject.name, f.lifecycle.state])).toEqual([["kept", "new"]]);
    expect([...queryInventory(after)].map((s) => s.name)).toEqual(["kept"]);
    expect(after.all("SELECT COUNT(*) AS n FROM run_assets WHERE run_id = 2")[0]!.n).toBe(0);

    const next = after.beginRun();
    after.record(next.id, [observe(t, kept, [finding("aws-public-endpoint", kept)])]);
    after.targetDone(next.id, t, "complete", 1);
    expect(after.finishRun(next.id, { status: "complete", targetsTotal: 1, apiCalls: 0, errors: 0 })).toMatchObject({
      new: 0,
      open: 1,
    });
    after.close();
  });

  it("lets two sweeps write one store at the same time without losing or corrupting anything", async () => {
    openStore(path).close(); // create the schema once, as the first sweep on a machine would
    // Each begins its run, then both are told to go: on a busy machine one process could otherwise start after the
    // other had finished, and nothing would have been written at the same time.
    const one = start("111111111111", 100, ["finish", "wait"]);
    const two = start("222222222222", 100, ["finish", "wait"]);
    while (!one.lines.includes("begun") || !two.lines.includes("begun"))
      await new Promise((resolve) => setTimeout(resolve, 20));
    for (const { child } of [one, two]) child.stdin!.end("go\n");
    expect(await Promise.all([one.exit, two.exit])).toEqual([0, 0]);
    expect(integrity()).toBe("ok");
    const store = openStore(path);
    expect(store.runs().map((r) => r.status)).toEqual(["complete", "complete"]);
    // They overlapped: each began before the other finished.
    const [second, first] = store.runs();
    expect(first!.startedAt <= second!.finishedAt! && second!.startedAt <= first!.finishedAt!).toBe(true);
    expect([...queryInventory(store)]).toHaveLength(20000);
    const findings = [...queryFindings(store, { status: ["new"] })];
    expect(findings).toHaveLength(20000);
    expect(new Set(findings.map((f) => f.subject.account))).toEqual(new Set(["111111111111", "222222222222"]));
    store.close();
  });
});
