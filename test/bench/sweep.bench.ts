// A sweep of 500 AWS account-regions (100 accounts × 5 regions, plus each account's global IAM target) in cloud-sim,
// run as `aigov sweep` processes the way cron or Kubernetes runs them: wall time, peak RSS of the sweep process,
// API calls, and the lifecycle across three runs (first; same world again: 0 new; world changed: exactly the
// removed keys resolved, under a 128 MiB heap cap). The simulator runs in this process; the sweep in its own.
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startCloudSim } from "../../packages/cloud-sim/src/index.ts";
import { CLI, NODE } from "../e2e/run-cli.ts";
import { orgWorld, shadowRegion, simEnv } from "../e2e/sweep-world.ts";
import { median, writeBenchResult } from "./bench-result.ts";

// AIGOV_BENCH_ACCOUNTS scales the organization (memory vs size checks); the recorded result uses 100.
const ACCOUNTS = Number(process.env.AIGOV_BENCH_ACCOUNTS ?? 100);
const REGIONS = ["us-east-1", "us-east-2", "us-west-2", "eu-west-1", "eu-central-1"];
const CONCURRENCY = 32;
const HEAP_CAP_MIB = 128;

interface SweepRun {
  code: number | null;
  wallMs: number;
  peakRssKiB: number;
  json: {
    summary: {
      status: string;
      targets: { total: number; complete: number };
      assets: number;
      keys: number;
      apiCalls: number;
      retries: number;
      findings: { total: number; new: number; resolved: number };
    };
  };
}

/** Peak RSS of a child from /proc (VmHWM only grows, so the last sample before exit is the peak up to then). */
function vmHwm(pid: number): number {
  try {
    const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return match === null ? 0 : Number(match[1]);
  } catch {
    return 0;
  }
}

function sweep(args: string[], env: NodeJS.ProcessEnv): Promise<SweepRun> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(NODE, [CLI, "sweep", ...args], {
      env: { ...process.env, ...env },
      stdio: ["ignore", "pipe", "inherit"],
    });
    let peak = 0;
    const sampler = setInterval(() => {
      peak = Math.max(peak, vmHwm(child.pid!));
    }, 50);
    const out: Buffer[] = [];
    child.stdout.on("data", (chunk: Buffer) => {
      out.push(chunk);
      peak = Math.max(peak, vmHwm(child.pid!));
    });
    child.on("error", reject);
    child.on("close", (code) => {
      clearInterval(sampler);
      try {
        resolve({
          code,
          wallMs: performance.now() - started,
          peakRssKiB: peak,
          json: JSON.parse(Buffer.concat(out).toString("utf8")),
        });
      } catch (error) {
        reject(error);
      }
    });
  });
}

const dir = mkdtempSync(join(tmpdir(), "aigov-sweep-bench-"));
const sim = await startCloudSim({ world: orgWorld(ACCOUNTS, REGIONS), pageSize: 20 });
const policy = join(dir, "aigov.yaml");
writeFileSync(
  policy,
  `approved_models: { aws: ["chat-model-*"] }
approved_regions: [${REGIONS.join(", ")}]
targets:
  aws:
    organization: true
    role: OrganizationAccountAccessRole
    regions: [${REGIONS.join(", ")}]
`,
);
const env = simEnv(dir);
const store = join(dir, "aigov.db");
const args = [
  "--policy",
  policy,
  "--store",
  store,
  "--aws-endpoint",
  sim.url,
  "--format",
  "json",
  "--concurrency",
  String(CONCURRENCY),
  "--progress-interval",
  "30",
];

try {
  const first = await sweep(args, env);
  const second = await sweep(args, env);
  // The world changes: the OpenAI keys in Lambda are removed in the first 10 accounts (50 account-regions).
  const fixedAccounts = new Set(orgWorld(10, REGIONS).aws!.accounts.map((account) => account.id));
  sim.setWorld(
    orgWorld(ACCOUNTS, REGIONS, (account, region) =>
      fixedAccounts.has(account)
        ? { ...shadowRegion(account, region), lambda: { functions: [] } }
        : shadowRegion(account, region),
    ),
  );
  // The third run also shows memory does not grow with the estate: V8's old space is capped at 128 MiB.
  const third = await sweep(args, {
    ...env,
    NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ""} --max-old-space-size=${HEAP_CAP_MIB}`,
  });
  const runs = [first, second, third];
  for (const run of runs)
    if (run.code !== 1 || run.json.summary.status !== "complete")
      throw new Error(`sweep ended ${run.code} ${run.json.summary.status}`);
  const accountRegions = ACCOUNTS * REGIONS.length;
  writeBenchResult("sweep", {
    accountRegions,
    targets: first.json.summary.targets.total,
    concurrency: CONCURRENCY,
    simPageSize: 20,
    wallMs: {
      first: Math.round(first.wallMs),
      second: Math.round(second.wallMs),
      third: Math.round(third.wallMs),
      median: Math.round(median(runs.map((r) => r.wallMs))),
    },
    accountRegionsPerSecond: Math.round((accountRegions / (median(runs.map((r) => r.wallMs)) / 1000)) * 10) / 10,
    peakRssMiB: {
      first: Math.round(first.peakRssKiB / 1024),
      second: Math.round(second.peakRssKiB / 1024),
      thirdWithHeapCap: Math.round(third.peakRssKiB / 1024),
    },
    thirdRunHeapCapMiB: HEAP_CAP_MIB,
    apiCallsPerRun: first.json.summary.apiCalls,
    retries: runs.map((r) => r.json.summary.retries),
    assets: first.json.summary.assets,
    keys: first.json.summary.keys,
    findings: runs.map((r) => r.json.summary.findings),
    expected: { secondRunNew: 0, thirdRunResolved: 50 },
    lifecycleOk:
      second.json.summary.findings.new === 0 &&
      second.json.summary.findings.resolved === 0 &&
      third.json.summary.findings.new === 0 &&
      third.json.summary.findings.resolved === 50,
  });
  if (
    second.json.summary.findings.new !== 0 ||
    third.json.summary.findings.resolved !== 50 ||
    third.json.summary.findings.new !== 0
  ) {
    process.exitCode = 1;
  }
} finally {
  await sim.close();
  rmSync(dir, { recursive: true, force: true });
}
