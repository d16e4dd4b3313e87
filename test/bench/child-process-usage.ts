// A benchmark's child process measured by itself: wall time from here, and the CPU time (all its threads) and peak
// RSS the child reports at its own exit, through a hook it imports first (`node --import`), so that neither the
// bench process nor a sibling is counted.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface ChildUsage {
  readonly ms: number;
  readonly cpuMs: number;
  /** The main thread's CPU time alone (not V8's compiler and GC threads, libuv's pool or workers). */
  readonly mainThreadCpuMs: number;
  readonly maxRssKiB: number;
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

const dir = mkdtempSync(join(tmpdir(), "aigov-bench-usage-"));
const hook = join(dir, "usage-hook.mjs");
const usageFile = join(dir, "usage.json");
writeFileSync(
  hook,
  // Built-ins as objects, not imports: an import of node:fs builds its ES module facade, which loads fs/promises,
  // readline and the file streams into the measured process (some 31 M instructions of a tiny aigov gate, which
  // loads none of them itself; a baseline that imports node:fs loads them either way).
  `const { writeFileSync } = process.getBuiltinModule("node:fs");
const { isMainThread } = process.getBuiltinModule("node:worker_threads");
if (isMainThread) process.on("exit", () => {
  const cpu = process.cpuUsage();
  const thread = process.threadCpuUsage();
  const usage = {
    cpuMs: (cpu.user + cpu.system) / 1000,
    mainThreadCpuMs: (thread.user + thread.system) / 1000,
    maxRssKiB: process.resourceUsage().maxRSS,
  };
  writeFileSync(${JSON.stringify(usageFile)}, JSON.stringify(usage));
});
`,
);

/** Runs `node <args>` (this bench's Node) to its end and measures it; stdout and stderr are collected. */
export function measuredChild(
  args: readonly string[],
  options: { env?: NodeJS.ProcessEnv; cwd?: string } = {},
): ChildUsage {
  const started = process.hrtime.bigint();
  const run = spawnSync(process.execPath, ["--import", hook, ...args], {
    env: options.env ?? process.env,
    ...(options.cwd === undefined ? {} : { cwd: options.cwd }),
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (run.status === null) throw new Error(`node ${args.join(" ")} ended by ${run.signal}: ${run.stderr}`);
  const usage = JSON.parse(readFileSync(usageFile, "utf8")) as {
    cpuMs: number;
    mainThreadCpuMs: number;
    maxRssKiB: number;
  };
  return { ms, ...usage, status: run.status, stdout: run.stdout, stderr: run.stderr };
}
