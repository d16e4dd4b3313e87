import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { SWEEP_NODE_FLAGS, sweepEnvironment, sweepRelaunchFlags } from "../bin/sweep-process.js";
import { CLI, NODE } from "../../../test/e2e/run-cli.ts";

describe("the Node flags aigov sweep runs with (bin/sweep-process.js)", () => {
  it("relaunches a sweep with every flag it lacks, and no other command", () => {
    expect(sweepRelaunchFlags(["sweep", "--format", "json"], [], undefined)).toEqual([...SWEEP_NODE_FLAGS]);
    expect(sweepRelaunchFlags(["gate", "plan.json"], [], undefined)).toBe(undefined);
    expect(sweepRelaunchFlags([], [], undefined)).toBe(undefined);
    expect(sweepRelaunchFlags(["sweep"], [...SWEEP_NODE_FLAGS], undefined)).toBe(undefined);
  });

  it("leaves a flag the user chose, on node's command line or in NODE_OPTIONS, as the user chose it", () => {
    expect(sweepRelaunchFlags(["sweep"], ["--max-semi-space-size=32"], undefined)).toEqual(
      SWEEP_NODE_FLAGS.filter((flag) => !flag.startsWith("--max-semi-space-size")),
    );
    expect(sweepRelaunchFlags(["sweep"], ["--maglev"], "--heap_growing_percent=50 --max-semi-space-size=4")).toBe(
      undefined,
    );
    expect(sweepRelaunchFlags(["sweep"], ["--maglev"], undefined)).not.toContain("--no-maglev");
  });

  // What a user of `aigov sweep` gets: the same process (pid), now with the flags; a preload module given in
  // NODE_OPTIONS reports each start of Node.
  const starts = (nodeOptions: string, nodeArgs: readonly string[] = []) => {
    const preload = join(mkdtempSync(join(tmpdir(), "aigov-sweep-flags-")), "report-start.cjs");
    writeFileSync(
      preload,
      'process.stderr.write("start " + JSON.stringify({ pid: process.pid, execArgv: process.execArgv, arenas: process.env.MALLOC_ARENA_MAX }) + "\\n");\n',
    );
    const run = spawnSync(NODE, [...nodeArgs, CLI, "sweep", "--help"], {
      encoding: "utf8",
      env: { ...process.env, MALLOC_ARENA_MAX: undefined, NODE_OPTIONS: `--require ${preload} ${nodeOptions}` },
    });
    expect(run.status).toBe(0);
    expect(run.stdout).toContain("aigov sweep");
    return run.stderr
      .split("\n")
      .filter((line) => line.startsWith("start "))
      .map((line) => JSON.parse(line.slice("start ".length)) as { pid: number; execArgv: string[]; arenas?: string });
  };

  it("replaces the process of `aigov sweep` by one with the flags, keeping its pid", () => {
    const [first, second, ...more] = starts("");
    expect(more).toEqual([]);
    expect(first!.execArgv).not.toContain(SWEEP_NODE_FLAGS[0]);
    expect(second!.pid).toBe(first!.pid);
    expect(second!.execArgv).toEqual(expect.arrayContaining([...SWEEP_NODE_FLAGS]));
    expect(first!.arenas).toBe(undefined);
    expect(second!.arenas).toBe("2");
  });

  it("runs with two malloc arenas unless the user chose a number", () => {
    expect(sweepEnvironment({ HOME: "/home/me" })).toEqual({ HOME: "/home/me", MALLOC_ARENA_MAX: "2" });
    expect(sweepEnvironment({ MALLOC_ARENA_MAX: "4" }).MALLOC_ARENA_MAX).toBe("4");
  });

  it("does not relaunch when the user already set every flag (NODE_OPTIONS takes only some of V8's)", () => {
    expect(starts("--max-semi-space-size=16", ["--heap-growing-percent=50", "--maglev"])).toHaveLength(1);
  });
});
