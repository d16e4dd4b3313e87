// `pnpm bench sweep-cli`: what a user gets from `aigov sweep`, not only the scanner. aws-sweep.bench.ts drives the
// AWS scanner alone and counts subjects; here the whole command runs as a user runs it (bin/aigov.js, the bundle,
// its defaults: targets at once, request concurrency, the sweep's Node flags), judges every subject with the rule
// pack and writes the store, against the same simulated organization (40 ms per call, rate limits enforced).
// Reports wall time, its ratio to the cloud's bound (aws-organization.ts), the process's peak RSS and CPU time, and
// the calls the simulated cloud received. Cases: AIGOV_BENCH_CASES, `accounts[xregions]` (default 200).
import { spawn } from "node:child_process";
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { simEnv } from "../e2e/sweep-world.ts";
import {
  awsCloudBound,
  buildSettings,
  casesTakingTurns,
  LATENCY_MS,
  parseOrganizationCase,
  serveOrganization,
} from "./aws-organization.ts";
import { requireFreshBundle } from "./fresh-bundle.ts";
import { writeBenchResult } from "./bench-result.ts";
import { rssByMapping, startSimChild } from "./sweep-driver.ts";

const here = fileURLToPath(import.meta.url);
const root = join(dirname(here), "../..");
const CASES = (process.env.AIGOV_BENCH_CASES ?? "200").split(",");

/** An aigov to run: its bin/aigov.js, environment variables it runs with beside the user's, and Node flags. */
interface Build {
  readonly label: string;
  readonly bin: string;
  readonly env: Readonly<Record<string, string>>;
  /** Before bin/aigov.js, as a user would give them: the sweep's relaunch keeps them, and they win over its own. */
  readonly nodeFlags: readonly string[];
  /** `aigov sweep --shard i/N` processes run at once on this machine, sharing one store; 1: one sweep, unsharded. */
  readonly shards: number;
}

/**
 * AIGOV_BENCH_BUILDS compares builds side by side in one run: `label=path/to/bin/aigov.js[+VAR=value…]`, separated
 * by commas (another checkout's, a copy of an earlier dist; `+--flag[=value]` gives a Node flag), each case run once per build per round, the builds
 * taking turns, for AIGOV_BENCH_ROUNDS rounds (default 1). `+shards=N` runs the build as N `--shard i/N` processes at
 * once, sharing one store (the wall is until the last ends; peak RSS is the largest shard's, each shard's beside it).
 * Default: this checkout's bin/aigov.js alone.
 */
function parseBuilds(text: string | undefined): Build[] {
  if (text === undefined)
    return [{ label: "this", bin: join(root, "packages/cli/bin/aigov.js"), env: {}, nodeFlags: [], shards: 1 }];
  return text.split(",").map((entry) => {
    const [label, rest] = entry.split(/=(.*)/s, 2);
    const [bin, ...parts] = (rest ?? "").split("+");
    if (!label || !bin) throw new Error(`AIGOV_BENCH_BUILDS: "${entry}" is not label=path/to/bin/aigov.js[+VAR=value]`);
    const shards = parts
      .filter((part) => /^shards=\d+$/.test(part))
      .map((part) => Number(part.slice("shards=".length)));
    const assignments = parts.filter((part) => !/^shards=\d+$/.test(part));
    return { label, bin, ...buildSettings(assignments), shards: Math.max(1, shards.at(-1) ?? 1) };
  });
}

if (process.argv[2] === "--sim") {
  await serveOrganization(process.argv[3]!);
} else {
  const builds = parseBuilds(process.env.AIGOV_BENCH_BUILDS);
  const cases = await casesTakingTurns(CASES, builds, measureCase);
  writeBenchResult("sweep-cli", {
    command: "aigov sweep --policy aigov.yaml --store sweep.db --aws-endpoint SIM (bin/aigov.js, the bundle, defaults)",
    cases,
    target: "ratioToLowerBound <= 1.3 (the cloud's bound); peak RSS <= 200 MB",
  });
}

/** User and system CPU seconds in the text of a /proc stat file (a process's or one of its threads'). */
function statCpu(stat: string): { userCpuSeconds: number; systemCpuSeconds: number } {
  // Fields after the command name (which may hold spaces): utime and stime are the 12th and 13th, in 1/100 s.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return { userCpuSeconds: Number(fields[11]) / 100, systemCpuSeconds: Number(fields[12]) / 100 };
}

/** Peak RSS (VmHWM) and CPU seconds of a running process, read from /proc; undefined once it has exited. */
function procSample(pid: number): { hwmKiB: number; cpuSeconds: number; systemCpuSeconds: number } | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const { userCpuSeconds, systemCpuSeconds } = statCpu(readFileSync(`/proc/${pid}/stat`, "utf8"));
    return {
      hwmKiB: Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0),
      cpuSeconds: userCpuSeconds + systemCpuSeconds,
      systemCpuSeconds,
    };
  } catch {
    return undefined;
  }
}

async function measureCase(name: string, build: Build) {
  const { accounts, regions, concurrency } = parseOrganizationCase(name);
  // The command is measured with its own defaults; aws-sweep.bench.ts varies the scanner's concurrency.
  if (concurrency !== undefined)
    throw new Error(`AIGOV_BENCH_CASES: "${name}": sweep-cli runs aigov's defaults, no @concurrency`);
  requireFreshBundle("before", join(dirname(build.bin), "../dist"));
  const dir = mkdtempSync(join(tmpdir(), "aigov-sweep-cli-bench-"));
  const sim = await startSimChild(here, [name]);
  try {
    const policy = join(dir, "aigov.yaml");
    writeFileSync(
      policy,
      `approved_regions: [${regions.join(", ")}]\ntargets:\n  aws:\n    organization: true\n    regions: [${regions.join(", ")}]\n`,
    );
    const env = { ...process.env, ...build.env, ...simEnv(dir) };
    const shardArgs = (index: number) => (build.shards === 1 ? [] : ["--shard", `${index}/${build.shards}`]);
    const args = (index: number) => [
      ...build.nodeFlags,
      build.bin,
      "sweep",
      "--policy",
      policy,
      // Shards share one store, as on one machine (docs/operations, "Shards").
      "--store",
      join(dir, "sweep.db"),
      "--aws-endpoint",
      sim.url,
      "--format",
      "json",
      "--output",
      join(dir, `sweep-${index}.json`),
      "--progress-interval",
      // Progress lines only beside a memory trace, which quotes them.
      process.env.AIGOV_BENCH_MEMORY_TRACE === undefined ? "0" : "2",
      ...shardArgs(index),
    ];
    const loadAtStart = loadavg().slice(0, 2);
    const started = performance.now();
    const processes = await Promise.all(Array.from({ length: build.shards }, (_, index) => runSweep(args(index), env)));
    const wallSeconds = (performance.now() - started) / 1000;
    requireFreshBundle("after", join(dirname(build.bin), "../dist"));
    const summaries = processes.map((_, index) => {
      const { summary } = JSON.parse(readFileSync(join(dir, `sweep-${index}.json`), "utf8")) as {
        summary: {
          targets: Record<"total" | "complete" | "partial" | "failed", number>;
          assets: number;
          keys: number;
          findings: { total: number };
          gaps: number;
          durationMs: number;
          apiCalls: number;
          requestSeconds?: number;
          peakRequestsInFlight?: number;
        };
      };
      return summary;
    });
    const total = (of: (summary: (typeof summaries)[number]) => number) =>
      summaries.reduce((sum, summary) => sum + of(summary), 0);
    const summary = {
      targets: {
        total: total((s) => s.targets.total),
        complete: total((s) => s.targets.complete),
        partial: total((s) => s.targets.partial),
        failed: total((s) => s.targets.failed),
      },
      assets: total((s) => s.assets),
      keys: total((s) => s.keys),
      findings: { total: total((s) => s.findings.total) },
      gaps: total((s) => s.gaps),
      durationMs: Math.max(...summaries.map((s) => s.durationMs)),
      apiCalls: total((s) => s.apiCalls),
      requestSeconds: summaries.some((s) => s.requestSeconds === undefined)
        ? undefined
        : total((s) => s.requestSeconds!),
      peakRequestsInFlight: summaries.some((s) => s.peakRequestsInFlight === undefined)
        ? undefined
        : total((s) => s.peakRequestsInFlight!),
    };
    const last = {
      // Each shard's own peak; the largest is what one runner must have, their sum what one machine held at most.
      hwmKiB: Math.max(...processes.map((p) => p.hwmKiB)),
      cpuSeconds: processes.reduce((sum, p) => sum + p.cpuSeconds, 0),
      systemCpuSeconds: processes.reduce((sum, p) => sum + p.systemCpuSeconds, 0),
    };
    const simStats = await sim.stats();
    const bound = awsCloudBound(accounts, simStats.byOperation, simStats.busiestRateBucket, build.shards);
    return {
      case: name,
      setup: {
        accounts,
        regions: regions.length,
        latencyMs: LATENCY_MS,
        simRateLimitsEnforced: true,
        exitCode: Math.max(...processes.map((p) => p.code)),
        shards: build.shards,
        nodeFlags: build.nodeFlags,
        env: build.env,
      },
      wallSeconds,
      apiCalls: simStats.requests,
      throttledBySim: simStats.throttled,
      peakRssMiB: last.hwmKiB / 1024,
      ...(build.shards === 1 ? {} : { peakRssMiBPerShard: processes.map((p) => p.hwmKiB / 1024) }),
      cpuSeconds: last.cpuSeconds,
      // The kernel's share of it (system calls: sockets, and memory the allocator maps and returns).
      systemCpuSeconds: last.systemCpuSeconds,
      cpuMsPerCall: (last.cpuSeconds * 1000) / simStats.requests,
      simulatorCpuSeconds: simStats.cpuSeconds,
      loadAverageAtStart: loadAtStart,
      lowerBound: bound,
      ratioToLowerBound: wallSeconds / bound.seconds,
      found: {
        targets: summary.targets,
        assets: summary.assets,
        keys: summary.keys,
        findings: summary.findings.total,
        gaps: summary.gaps,
      },
      sweepSecondsReported: summary.durationMs / 1000,
      // As the sweep reports them (builds before it did: absent). A call far slower than the simulator's LATENCY_MS,
      // with the requests in flight near the scanner's bound, is a sweep its own thread kept waiting. meanInFlight
      // is over the sweep's whole duration, the end of the run (no requests) included.
      requests:
        summary.requestSeconds === undefined
          ? undefined
          : {
              meanMs: (summary.requestSeconds * 1000) / summary.apiCalls,
              meanInFlight: summary.requestSeconds / (summary.durationMs / 1000),
              peakInFlight: summary.peakRequestsInFlight,
            },
    };
  } finally {
    sim.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Runs one `aigov sweep` process to its exit: its exit code (0 or 1; anything else throws with its stderr), and its
 * peak RSS and CPU seconds as /proc read them while it ran.
 */
async function runSweep(args: readonly string[], env: NodeJS.ProcessEnv) {
  const child = spawn(process.execPath, args, { env, stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  child.stderr.on("data", (chunk) => {
    stderr += chunk;
  });
  // The sweep replaces itself (execve, same pid) with its Node flags: the high-water mark read last is the sweep's.
  let last = { hwmKiB: 0, cpuSeconds: 0, systemCpuSeconds: 0 };
  // A process that has exited but is not yet reaped reads as no memory: the high-water mark only ever rises.
  const sampler = setInterval(() => {
    const sample = procSample(child.pid!);
    if (sample !== undefined)
      last = {
        hwmKiB: Math.max(last.hwmKiB, sample.hwmKiB),
        cpuSeconds: Math.max(last.cpuSeconds, sample.cpuSeconds),
        systemCpuSeconds: Math.max(last.systemCpuSeconds, sample.systemCpuSeconds),
      };
  }, 100);
  const trace = memoryTrace(child.pid!, () => stderr);
  const code = await new Promise<number | null>((resolve) => child.on("exit", resolve));
  clearInterval(sampler);
  clearInterval(trace);
  // 1: findings at or above the threshold, as a sweep of shadow AI has; 2 would be a sweep that could not run.
  if (code !== 0 && code !== 1) throw new Error(`aigov sweep exited ${code}:\n${stderr}`);
  return { code: code as 0 | 1, ...last };
}

/** CPU seconds of one thread of a process (/proc/<pid>/task/<tid>/stat), undefined once it has exited. */
function threadCpuSeconds(pid: number, tid: number): number | undefined {
  try {
    const { userCpuSeconds, systemCpuSeconds } = statCpu(readFileSync(`/proc/${pid}/task/${tid}/stat`, "utf8"));
    return userCpuSeconds + systemCpuSeconds;
  } catch {
    return undefined;
  }
}

/**
 * A debugging aid, off unless asked for (never part of a measured result): AIGOV_BENCH_MEMORY_TRACE=file appends,
 * every 2 s, one JSON line of the sweep's RSS by kind of mapping (rssByMapping) and CPU time (the process's and its
 * main thread's) beside its last progress line (targets done and seen, API calls): a timeline of the sweep.
 */
function memoryTrace(pid: number, stderr: () => string): NodeJS.Timeout | undefined {
  const file = process.env.AIGOV_BENCH_MEMORY_TRACE;
  if (file === undefined) return undefined;
  const started = performance.now();
  return setInterval(() => {
    try {
      const status = readFileSync(`/proc/${pid}/status`, "utf8");
      const line = {
        seconds: Math.round((performance.now() - started) / 100) / 10,
        rss: Math.round(Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 102.4) / 10,
        // CPU seconds so far, the process's and its main thread's (whose share of the wall time bounds the sweep).
        cpuSeconds: procSample(pid)?.cpuSeconds,
        mainThreadCpuSeconds: threadCpuSeconds(pid, pid),
        mapped: rssByMapping(pid),
        progress: stderr().trim().split("\n").at(-1),
      };
      appendFileSync(file, `${JSON.stringify(line)}\n`);
    } catch {
      // The sweep has exited.
    }
  }, 2000);
}
