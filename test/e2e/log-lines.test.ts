import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { runCli } from "./run-cli.ts";

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe("values from outside cannot write log lines of their own", () => {
  it("an error quoting a file name with CR/LF stays one line (aigov gate)", async () => {
    const run = await runCli(["gate", "plan\r\naigov: gate passed.json"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("aigov: cannot read plan\\r\\naigov: gate passed.json");
    expect(run.stderr.split("\n").filter((line) => line.startsWith("aigov: gate passed"))).toEqual([]);
    expect(run.stderr).not.toContain("\r");
  });

  it("a malformed log file's name with a line break is escaped in its message (aigov logs)", async () => {
    const dir = mkdtempSync(join(tmpdir(), "aigov-log-lines-"));
    dirs.push(dir);
    writeFileSync(join(dir, "bad\naigov: all logs read.json"), "not json");
    const run = await runCli(["logs", dir, "--no-state"]);
    expect(run.stderr).toContain("bad\\naigov: all logs read.json (byte 0): not a JSON log");
    expect(run.stderr.split("\n").filter((line) => line.startsWith("aigov: all logs read"))).toEqual([]);
  });
});
