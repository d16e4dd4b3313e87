// What the sweep benchmarks share: the simulator in a child process (so the scanner's own CPU and memory are
// measured alone, and the two share the machine's cores as they would in production), and one sweep driven the way
// `aigov sweep` drives it, counting subjects instead of keeping them.
import { type ChildProcess, spawn } from "node:child_process";
import { createInterface } from "node:readline";
import type { Scanner, ScanTarget } from "@aigov/core";
import type { CloudSim } from "../../packages/cloud-sim/src/index.ts";

/** What the parent learns of the child's simulator. */
export interface SimAddress {
  readonly url: string;
  readonly httpsUrl: string;
  readonly caCertificateFile: string;
}

export interface SimStats {
  readonly requests: number;
  readonly throttled: number;
  readonly maxRssKiB: number;
  readonly cpuSeconds: number;
}

export interface SimHandle extends SimAddress {
  stats(): Promise<SimStats>;
  close(): void;
}

/** In the child: prints the simulator's address, answers `stats` on stdin, stops when stdin ends. */
export function serveSimChild(sim: CloudSim): void {
  const address: SimAddress = { url: sim.url, httpsUrl: sim.httpsUrl, caCertificateFile: sim.caCertificateFile };
  process.stdout.write(`${JSON.stringify(address)}\n`);
  process.stdin.on("data", (chunk) => {
    if (!String(chunk).includes("stats")) return;
    const all = sim.requests.all();
    const throttled = all.filter(
      (r) => r.errorCode !== undefined && /Throttl|TooManyRequests/.test(r.errorCode),
    ).length;
    const usage = process.resourceUsage();
    const stats: SimStats = {
      requests: all.length,
      throttled,
      maxRssKiB: usage.maxRSS,
      cpuSeconds: (usage.userCPUTime + usage.systemCPUTime) / 1e6,
    };
    process.stdout.write(`${JSON.stringify(stats)}\n`);
    sim.requests.clear();
  });
  process.stdin.on("end", () => void sim.close().then(() => process.exit(0)));
}

/** In the parent: runs `benchFile --sim` and talks to it. */
export async function startSimChild(benchFile: string): Promise<SimHandle> {
  const child: ChildProcess = spawn(process.execPath, [benchFile, "--sim"], { stdio: ["pipe", "pipe", "inherit"] });
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

/** One sweep: targets stream in and are collected concurrently; subjects are counted, not kept. */
export async function driveSweep<Config, Meta>(
  scanner: Scanner<Config, Meta> & { close?(): void },
  config: Config,
  concurrency: number,
) {
  const counts = { targets: 0, assets: 0, keys: 0, calls: 0, gaps: 0 };
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  let peakHeapMiB = 0;
  const sampler = setInterval(() => {
    peakHeapMiB = Math.max(peakHeapMiB, process.memoryUsage().heapUsed / 1048576);
  }, 200);
  const running = new Set<Promise<void>>();
  const collect = async (target: ScanTarget<Meta>) => {
    for await (const item of scanner.collect(target, config)) {
      if (item.type === "gap") counts.gaps += 1;
      else if (item.subject.subject === "asset") counts.assets += 1;
      else if (item.subject.subject === "key") counts.keys += 1;
      else counts.calls += 1;
    }
  };
  for await (const item of scanner.targets(config)) {
    if ("type" in item) {
      counts.gaps += 1;
      continue;
    }
    counts.targets += 1;
    const job = collect(item).finally(() => running.delete(job));
    running.add(job);
    // Enough targets in flight that the scanner's own concurrency bound, not the driver, limits the sweep.
    if (running.size >= concurrency * 2) await Promise.race(running);
  }
  await Promise.all(running);
  const wallMs = performance.now() - started;
  clearInterval(sampler);
  const cpu = process.cpuUsage(cpuBefore);
  return { wallMs, counts, cpuSeconds: (cpu.user + cpu.system) / 1e6, peakHeapMiB };
}
