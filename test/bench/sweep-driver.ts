// What the sweep benchmarks share: the simulator in a child process (so the scanner's own CPU and memory are
// measured alone, and the two share the machine's cores as they would in production), and one sweep driven the way
// `aigov sweep` drives it, counting subjects instead of keeping them.
import { type ChildProcess, spawn } from "node:child_process";
import { appendFileSync, readFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { createInterface } from "node:readline";
import { getHeapSpaceStatistics, writeHeapSnapshot } from "node:v8";
import type { Scanner, ScanTarget } from "@aigov/core";
import type { CloudSim, RequestRecord } from "../../packages/cloud-sim/src/index.ts";
import { median } from "./bench-result.ts";

/** What the parent learns of the child's simulator. */
export interface SimAddress {
  readonly url: string;
  readonly httpsUrl: string;
  readonly caCertificateFile: string;
}

export interface SimStats {
  readonly requests: number;
  readonly throttled: number;
  /** The rate-limited bucket (cloud/service/operation/account/region) that received the most requests. */
  readonly busiestRateBucket: RateBucket | undefined;
  /** Requests per `service:Operation`, as the cloud received them (the scanner's own count is in its stats). */
  readonly byOperation: Record<string, number>;
  readonly maxRssKiB: number;
  readonly cpuSeconds: number;
}

export interface SimHandle extends SimAddress {
  stats(): Promise<SimStats>;
  close(): void;
}

/**
 * One bucket the simulated cloud rate-limits, as the cloud counted it: `calls` requests at `ratePerSecond` with one
 * second of burst cannot be answered in less than `seconds` = (calls − burst) / rate.
 */
export interface RateBucket {
  readonly key: string;
  readonly calls: number;
  readonly ratePerSecond: number;
  readonly seconds: number;
}

function busiestRateBucket(records: readonly RequestRecord[]): RateBucket | undefined {
  const buckets = new Map<string, { calls: number; ratePerSecond: number }>();
  for (const r of records) {
    if (r.ratePerSecond === undefined) continue;
    const key = `${r.cloud}/${r.service}/${r.operation}/${r.account}/${r.region}`;
    const bucket = buckets.get(key) ?? { calls: 0, ratePerSecond: r.ratePerSecond };
    bucket.calls += 1;
    buckets.set(key, bucket);
  }
  let busiest: RateBucket | undefined;
  for (const [key, { calls, ratePerSecond }] of buckets) {
    const seconds = Math.max(0, calls - ratePerSecond) / ratePerSecond;
    if (busiest === undefined || seconds > busiest.seconds) busiest = { key, calls, ratePerSecond, seconds };
  }
  return busiest;
}

/** In the child: prints the simulator's address, answers `stats` on stdin, stops when stdin ends. */
export function serveSimChild(sim: CloudSim): void {
  const address: SimAddress = { url: sim.url, httpsUrl: sim.httpsUrl, caCertificateFile: sim.caCertificateFile };
  process.stdout.write(`${JSON.stringify(address)}\n`);
  process.stdin.on("data", (chunk) => {
    if (!String(chunk).includes("stats")) return;
    const all = sim.requests.all();
    const throttled = all.filter(
      (r) => r.errorCode !== undefined && /Throttl|TooManyRequests|RATE_LIMIT_EXCEEDED/.test(r.errorCode),
    ).length;
    const usage = process.resourceUsage();
    const stats: SimStats = {
      requests: all.length,
      throttled,
      busiestRateBucket: busiestRateBucket(all),
      byOperation: Object.fromEntries(
        [...Map.groupBy(all, (r) => `${r.service}:${r.operation}`)].map(([key, records]) => [key, records.length]),
      ),
      maxRssKiB: usage.maxRSS,
      cpuSeconds: (usage.userCPUTime + usage.systemCPUTime) / 1e6,
    };
    process.stdout.write(`${JSON.stringify(stats)}\n`);
    sim.requests.clear();
  });
  process.stdin.on("end", () => void sim.close().then(() => process.exit(0)));
}

/** In the parent: runs `benchFile --sim` and talks to it. */
export async function startSimChild(benchFile: string, args: readonly string[] = []): Promise<SimHandle> {
  const child: ChildProcess = spawn(process.execPath, [benchFile, "--sim", ...args], {
    stdio: ["pipe", "pipe", "inherit"],
  });
  const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
  const address = JSON.parse((await lines.next()).value as string) as SimAddress;
  return {
    ...address,
    async stats() {
      child.stdin!.write("stats\n");
      return JSON.parse((await lines.next()).value as string) as SimStats;
    },
    close: () => child.stdin!.end(),
  };
}

/**
 * Targets are listed as fast as the scanner lists them into a queue that `targetsInFlight` workers take from, as
 * `aigov sweep` does (packages/cli/src/sweep/sweep-run.ts), and each queued target is announced to the scanner
 * (`Scanner.queued`) unless AIGOV_BENCH_QUEUED=0. AIGOV_BENCH_LIST_AHEAD=0: a target is listed only when a slot is
 * free (how this driver ran before the sweep announced queued targets).
 */
const LIST_AHEAD = process.env.AIGOV_BENCH_LIST_AHEAD !== "0";
const ANNOUNCE_QUEUED = process.env.AIGOV_BENCH_QUEUED !== "0";

/** How the driver hands targets to the scanner, for a result's setup. */
export const TARGETS_LISTED = !LIST_AHEAD
  ? "one per free slot"
  : ANNOUNCE_QUEUED
    ? "ahead into a queue, each announced to the scanner as queued, as aigov sweep"
    : "ahead into a queue, not announced to the scanner";

async function listAheadAndCollect<Config, Meta>(
  scanner: Scanner<Config, Meta>,
  config: Config,
  targetsInFlight: number,
  counts: { targets: number; gaps: number },
  collect: (target: ScanTarget<Meta>) => Promise<void>,
): Promise<void> {
  const queue: ScanTarget<Meta>[] = [];
  let listed = false;
  const waiting: (() => void)[] = [];
  const listing = (async () => {
    try {
      for await (const item of scanner.targets(config)) {
        if ("type" in item) {
          counts.gaps += 1;
          continue;
        }
        counts.targets += 1;
        queue.push(item);
        if (ANNOUNCE_QUEUED) scanner.queued?.(item, config);
        waiting.shift()?.();
      }
    } finally {
      listed = true;
      for (const resume of waiting.splice(0)) resume();
    }
  })();
  const worker = async () => {
    for (;;) {
      const target = queue.shift();
      if (target !== undefined) await collect(target);
      else if (listed) return;
      else await new Promise<void>((resolve) => waiting.push(resolve));
    }
  };
  await Promise.all([listing, ...Array.from({ length: targetsInFlight }, worker)]);
}

/** One sweep: targets stream in and are collected concurrently; subjects are counted, not kept. */
export async function driveSweep<Config, Meta>(
  scanner: Scanner<Config, Meta> & { close?(): void },
  config: Config,
  targetsInFlight: number,
) {
  const counts = { targets: 0, assets: 0, keys: 0, calls: 0, gaps: 0 };
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  const mainThreadBefore = process.threadCpuUsage();
  const peakMiB = { rss: 0, heapUsed: 0, heapTotal: 0, external: 0, arrayBuffers: 0 };
  let atPeakRss: Record<string, number> = {};
  const sampler = setInterval(() => {
    const usage = process.memoryUsage();
    if (usage.rss / 1048576 > peakMiB.rss) atPeakRss = memoryAtPeak(usage);
    for (const part of Object.keys(peakMiB) as (keyof typeof peakMiB)[])
      peakMiB[part] = Math.max(peakMiB[part], usage[part] / 1048576);
  }, 200);
  sampler.unref();
  const trace = memoryTrace(counts);
  const progress = { started: 0, finished: 0 };
  const timeline = sweepTimeline(scanner, counts, progress);
  const running = new Set<Promise<void>>();
  const collect = async (target: ScanTarget<Meta>) => {
    progress.started += 1;
    for await (const item of scanner.collect(target, config)) {
      if (item.type === "gap") counts.gaps += 1;
      else if (item.subject.subject === "asset") counts.assets += 1;
      else if (item.subject.subject === "key") counts.keys += 1;
      else counts.calls += 1;
    }
    progress.finished += 1;
  };
  if (LIST_AHEAD) await listAheadAndCollect(scanner, config, targetsInFlight, counts, collect);
  else {
    for await (const item of scanner.targets(config)) {
      if ("type" in item) {
        counts.gaps += 1;
        continue;
      }
      counts.targets += 1;
      const job = collect(item).finally(() => running.delete(job));
      running.add(job);
      if (running.size >= targetsInFlight) await Promise.race(running);
    }
    await Promise.all(running);
  }
  const wallMs = performance.now() - started;
  clearInterval(sampler);
  trace?.end();
  timeline?.end();
  const cpu = process.cpuUsage(cpuBefore);
  const mainThread = process.threadCpuUsage(mainThreadBefore);
  return {
    wallMs,
    counts,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    mainThreadCpuSeconds: (mainThread.user + mainThread.system) / 1e6,
    peakMiB,
    atPeakRss,
  };
}

/**
 * A debugging aid, off unless asked for (never part of a measured result): AIGOV_BENCH_MEMORY_TRACE=file appends,
 * every 2 s, one JSON line of where the scanner's memory is (memoryAtPeak's parts, and RSS by kind of mapping from
 * /proc/self/smaps: the allocator's brk heap, other anonymous memory, files), beside the targets done, so that two
 * organization sizes can be compared at the same point of their sweeps. AIGOV_BENCH_HEAP_SNAPSHOT=directory also
 * writes V8 heap snapshots when half the targets are done and at the end, before the scanner is closed.
 */
function memoryTrace(counts: { targets: number; assets: number }) {
  const file = process.env.AIGOV_BENCH_MEMORY_TRACE;
  const snapshots = process.env.AIGOV_BENCH_HEAP_SNAPSHOT;
  if (file === undefined && snapshots === undefined) return undefined;
  const started = performance.now();
  const sample = (label: string) => {
    if (file === undefined) return;
    const line = {
      label,
      seconds: Math.round((performance.now() - started) / 100) / 10,
      targets: counts.targets,
      assets: counts.assets,
      ...memoryAtPeak(process.memoryUsage()),
      mapped: rssByMapping(),
    };
    appendFileSync(file, `${JSON.stringify(line)}\n`);
  };
  const snapshot = (label: string) => {
    if (snapshots !== undefined)
      writeHeapSnapshot(`${snapshots}/${process.pid}-${counts.targets}-${label}.heapsnapshot`);
  };
  let halfWritten = false;
  const timer = setInterval(() => {
    sample("tick");
    if (!halfWritten && counts.targets >= Number(process.env.AIGOV_BENCH_SNAPSHOT_AT_TARGETS ?? Infinity)) {
      halfWritten = true;
      snapshot("mid");
    }
  }, 2000);
  timer.unref();
  return {
    end() {
      clearInterval(timer);
      sample("end");
      snapshot("end");
    },
  };
}

/**
 * A debugging aid, off unless asked for (never part of a measured result): AIGOV_BENCH_TIMELINE=file appends one
 * JSON line per AIGOV_BENCH_TIMELINE_SECONDS (default 5) of where the sweep is: targets listed (discovered), started
 * and finished, API calls made and per second, the mean requests in flight (request time over the interval), the
 * main thread's and the process's CPU over the interval (1 = one core busy), and RSS. It tells a sweep that falls
 * behind target discovery all along (throughput) from one with a long tail at the end.
 */
function sweepTimeline(scanner: object, counts: { targets: number }, progress: { started: number; finished: number }) {
  const file = process.env.AIGOV_BENCH_TIMELINE;
  if (file === undefined) return undefined;
  const stats = () => (scanner as { stats?(): SweepStats }).stats?.();
  const everyMs = Number(process.env.AIGOV_BENCH_TIMELINE_SECONDS ?? 5) * 1000;
  const started = performance.now();
  let last = { at: started, calls: stats()?.apiCalls ?? 0, requestSeconds: stats()?.requestSeconds ?? 0 };
  let lastMain = process.threadCpuUsage();
  let lastCpu = process.cpuUsage();
  const sample = () => {
    const at = performance.now();
    const now = stats();
    const seconds = (at - last.at) / 1000;
    const main = process.threadCpuUsage(lastMain);
    const cpu = process.cpuUsage(lastCpu);
    lastMain = process.threadCpuUsage();
    lastCpu = process.cpuUsage();
    const calls = now?.apiCalls ?? 0;
    const requestSeconds = now?.requestSeconds ?? 0;
    const round = (n: number) => Math.round(n * 100) / 100;
    const line = {
      seconds: round((at - started) / 1000),
      listed: counts.targets,
      started: progress.started,
      finished: progress.finished,
      calls,
      callsPerSecond: round((calls - last.calls) / seconds),
      meanInFlight: round((requestSeconds - last.requestSeconds) / seconds),
      mainThreadBusy: round((main.user + main.system) / 1e6 / seconds),
      processCpu: round((cpu.user + cpu.system) / 1e6 / seconds),
      rssMiB: round(process.memoryUsage.rss() / 1048576),
    };
    last = { at, calls, requestSeconds };
    appendFileSync(file, `${JSON.stringify(line)}\n`);
  };
  const timer = setInterval(sample, everyMs);
  timer.unref();
  return {
    end() {
      clearInterval(timer);
      sample();
    },
  };
}

/**
 * RSS in MiB of a process (this one unless given) by kind of mapping (/proc/<pid>/smaps): `[heap]` (glibc's brk
 * heap, the main thread's allocations), anonymous (V8's heap pages, other threads' allocator arenas), the node
 * binary's pages (shared with every node process, but counted in each one's RSS) and other files.
 */
export function rssByMapping(pid: number | "self" = "self"): Record<string, number> {
  const kinds: Record<string, number> = {};
  let kind = "";
  for (const line of readFileSync(`/proc/${pid}/smaps`, "utf8").split("\n")) {
    const header = /^[0-9a-f]+-[0-9a-f]+ \S+ \S+ \S+ \S+\s*(.*)$/.exec(line);
    if (header !== null) {
      const name = header[1] ?? "";
      kind = name === "" ? "anonymous" : name.startsWith("[") ? name : name.includes("node") ? "node binary" : "files";
      continue;
    }
    const rss = /^Rss:\s+(\d+) kB/.exec(line);
    if (rss !== null) kinds[kind] = (kinds[kind] ?? 0) + Number(rss[1]) / 1024;
  }
  return Object.fromEntries(Object.entries(kinds).map(([name, mib]) => [name, Math.round(mib * 10) / 10]));
}

/**
 * Where the memory is at the sample of highest RSS, in MiB: each V8 heap space's size (code_space: compiled code;
 * old_space: live objects and garbage not yet collected; trusted spaces: bytecode), buffers outside the heap, and
 * `native`, what is left of RSS (the node binary's pages, the allocator's memory, V8's compiler and Node's own).
 */
function memoryAtPeak(usage: NodeJS.MemoryUsage): Record<string, number> {
  const mib = (bytes: number) => Math.round((bytes / 1048576) * 10) / 10;
  const spaces = getHeapSpaceStatistics().filter((space) => space.space_size > 0);
  return {
    rss: mib(usage.rss),
    heapTotal: mib(usage.heapTotal),
    heapUsed: mib(usage.heapUsed),
    external: mib(usage.external),
    native: mib(usage.rss - usage.heapTotal - usage.external),
    ...Object.fromEntries(spaces.map((space) => [space.space_name, mib(space.space_size)])),
  };
}

/** The request counters a scanner keeps (the kit's RequestStats). */
interface SweepStats {
  readonly apiCalls: number;
  readonly retries: number;
  readonly peakInFlight: number;
  readonly requestSeconds: number;
  readonly byOperation: Readonly<Record<string, number>>;
}

type SweepRun = Awaited<ReturnType<typeof driveSweep>> & { readonly stats: SweepStats };

/** `runs` sweeps one after another against the child, each with the simulator's own counts beside it. */
export async function measureRuns<R extends SweepRun>(sim: SimHandle, runs: number, sweep: () => Promise<R>) {
  const measured = [];
  let simCpuBefore = (await sim.stats()).cpuSeconds;
  for (let i = 0; i < runs; i++) {
    const load = loadavg()[0]!;
    const run = await sweep();
    const simStats = await sim.stats();
    measured.push({ ...run, simStats, simCpuSeconds: simStats.cpuSeconds - simCpuBefore, loadAverageAtStart: load });
    simCpuBefore = simStats.cpuSeconds;
    process.stderr.write(
      `run ${i + 1}: ${(run.wallMs / 1000).toFixed(2)} s, ${run.stats.apiCalls} calls, peak ${run.stats.peakInFlight} in flight, ${run.counts.gaps} gaps\n`,
    );
  }
  return measured;
}

/**
 * The measured part of a sweep benchmark's result, medians of the runs. `slots` says where the time went: how full
 * the concurrency slots were, and how long a request took against the simulated latency; ratio to the lower bound ≈
 * (meanRequestMs / latency) / busyFraction, the first factor the host (CPU contention stretching each request), the
 * second the scanner's scheduling (slots left idle). The machine is shared: CPU seconds and the load average say how
 * much of the wall time was spent waiting for a core rather than for the simulated network.
 */
export function sweepReport(
  runs: Awaited<ReturnType<typeof measureRuns<SweepRun>>>,
  setup: { readonly concurrency: number; readonly latencyMs: number },
) {
  const last = runs[runs.length - 1]!;
  const meanRequestMs = median(runs.map((r) => (r.stats.requestSeconds / r.stats.apiCalls) * 1000));
  return {
    wallSeconds: { median: median(runs.map((r) => r.wallMs / 1000)), samples: runs.map((r) => r.wallMs / 1000) },
    apiCalls: {
      median: median(runs.map((r) => r.stats.apiCalls)),
      retries: median(runs.map((r) => r.stats.retries)),
      receivedBySim: last.simStats.requests,
      throttledBySim: last.simStats.throttled,
    },
    peakInFlight: last.stats.peakInFlight,
    slots: {
      busyFraction: median(runs.map((r) => r.stats.requestSeconds / ((r.wallMs / 1000) * setup.concurrency))),
      meanRequestMs,
      requestStretch: meanRequestMs / setup.latencyMs,
      cpuMsPerCall: median(runs.map((r) => (r.cpuSeconds / r.stats.apiCalls) * 1000)),
    },
    cpuSeconds: {
      scanner: median(runs.map((r) => r.cpuSeconds)),
      // The scanner's main JavaScript thread alone (the rest: its worker threads, V8's GC and compiler threads):
      // on a machine with cores to spare, the busiest thread's CPU bounds the wall time.
      scannerMainThread: median(runs.map((r) => r.mainThreadCpuSeconds)),
      simulator: median(runs.map((r) => r.simCpuSeconds)),
      cores: cpus().length,
      loadAverageAtStart: runs.map((r) => r.loadAverageAtStart),
    },
    found: last.counts,
    peakRssMiB: { scanner: process.resourceUsage().maxRSS / 1024, simulator: last.simStats.maxRssKiB / 1024 },
    // Where the scanner's memory is, each part's peak sampled every 200 ms (medians of the runs): the JavaScript heap
    // in use and reserved (RSS above heapTotal is code, stacks and the allocator), and buffers outside the heap.
    peakMemoryMiB: {
      // The last run's parts at its sample of highest RSS (see memoryAtPeak).
      scannerAtPeakRss: last.atPeakRss,
      scanner: Object.fromEntries(
        (["rss", "heapUsed", "heapTotal", "external", "arrayBuffers"] as const).map((part) => [
          part,
          median(runs.map((r) => r.peakMiB[part])),
        ]),
      ),
    },
  };
}
