// AWS sweep at organization scale: 100, 200 and 1,000 accounts × 4 regions against cloud-sim with 40 ms latency per
// call, with the real SDK clients over HTTP. Each size runs in its own process, so its peak RSS is its own: memory
// must stay flat from 100 to 1,000 accounts. Reports wall time, API calls, peak RSS, and the ratio to the lower bound
// the cloud itself sets (its rate-limited buckets and the longest chain of dependent calls; target <= 1.3), beside
// the old bound that assumed aigov's own fixed concurrency.
//
// The simulator runs in a child process (this file with --sim), so the scanner's own CPU and memory are measured
// alone and the two share the machine's cores as they would in production (the cloud is not on the scanner's host).
import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { type AwsScanConfig, createAwsScanner } from "../../scanners/aws/src/index.ts";
import {
  awsCloudBound,
  buildSettings,
  casesTakingTurns,
  LATENCY_MS,
  type OrganizationCase,
  parseOrganizationCase,
  serveOrganization,
} from "./aws-organization.ts";
import { median, writeBenchResult } from "./bench-result.ts";
import { SWEEP_NODE_FLAGS, sweepEnvironment } from "../../packages/cli/bin/sweep-process.js";
import { driveSweep, measureRuns, startSimChild, sweepReport, TARGETS_LISTED } from "./sweep-driver.ts";

const here = fileURLToPath(import.meta.url);
// Cases, each `accounts[xregions][@concurrency]`: 4 regions and the scanner's default concurrency unless given.
// 200 is the size earlier results were measured at; 100 and 1,000 show whether memory stays flat; `100@32` beside
// `100` compares the old fixed concurrency with the default.
const CASES = (process.env.AIGOV_BENCH_CASES ?? "100,200,1000").split(",");

// Two runs keep the 100- and 200-account cases under ~3 minutes on a shared 2-core machine; the 1,000-account case
// (5,000 targets, ~220,000 calls) runs once.
const runsFor = (accounts: number) => Number(process.env.AIGOV_BENCH_RUNS ?? (accounts >= 1000 ? 1 : 2));
const NOW = new Date("2026-11-22T00:00:00Z");

if (process.argv[2] === "--sim") {
  await serveOrganization(process.argv[3]!);
} else if (process.argv[2] === "--case") {
  process.stdout.write(`${JSON.stringify(await measureCase(process.argv[3]!))}\n`);
} else {
  await main();
}

async function sweep(url: string, { regions, concurrency: given }: OrganizationCase) {
  const scanner = createAwsScanner({
    credentials: async () => ({ accessKeyId: "AKIAFAKEFAKEFAKEFAKE", secretAccessKey: "bench" }),
    now: () => NOW,
  });
  const config: AwsScanConfig = {
    organization: true,
    regions,
    endpoint: url,
    ...(given === undefined ? {} : { concurrency: given }),
  };
  const concurrency = scanner.concurrency(config);
  // Targets in flight: each holds its SDK clients, paginators and found items until it is done, so memory grows
  // with them; half the scanner's request concurrency keeps its slots busy (a target has several requests in
  // flight) with a quarter of the memory the earlier 2 × concurrency held (128 targets: 640 MiB peak RSS, 32: 540,
  // 16: 516 without the sweep's Node flags; CPU per call 1.22, 1.04, 0.99 ms, all three in one run at load 10).
  const targetsInFlight = Number(process.env.AIGOV_BENCH_TARGETS_IN_FLIGHT ?? scanner.targetsInFlight(config));
  const run = await driveSweep(scanner, config, targetsInFlight);
  const stats = scanner.stats();
  scanner.close();
  return { ...run, stats, concurrency, targetsInFlight };
}

/** One organization size, in this process: its sweeps, the simulator's counts, and this process's peak RSS. */
async function measureCase(name: string) {
  const measured = parseOrganizationCase(name);
  const { accounts, regions } = measured;
  const sim = await startSimChild(here, [name]);
  try {
    const runs = await measureRuns(sim, runsFor(accounts), () => sweep(sim.url, measured));
    const last = runs[runs.length - 1]!;
    const concurrency = last.concurrency;
    const bound = awsCloudBound(accounts, last.stats.byOperation, last.simStats.busiestRateBucket);
    const wallSeconds = median(runs.map((r) => r.wallMs / 1000));
    const ownConcurrencyBound = (last.stats.apiCalls * LATENCY_MS) / 1000 / concurrency;
    return {
      case: name,
      setup: {
        accounts,
        regions: regions.length,
        targets: last.counts.targets,
        latencyMs: LATENCY_MS,
        concurrency,
        targetsInFlight: last.targetsInFlight,
        targetsListed: TARGETS_LISTED,
        runs: runs.length,
        simRateLimitsEnforced: true,
        nodeFlags: process.execArgv,
        mallocArenaMax: process.env.MALLOC_ARENA_MAX,
      },
      ...sweepReport(runs, { concurrency, latencyMs: LATENCY_MS }),
      lowerBound: bound,
      ratioToLowerBound: wallSeconds / bound.seconds,
      oldBound: {
        seconds: ownConcurrencyBound,
        explanation: `calls × latency / aigov's own ${concurrency} in flight (the bound earlier results were measured against)`,
      },
      ratioToOldBound: wallSeconds / ownConcurrencyBound,
    };
  } finally {
    sim.close();
  }
}

/**
 * How the scanner is bundled, to compare side by side in one run (AIGOV_BENCH_BUILDS, `label=shipped|sdk-external`
 * with optional `+VAR=value` environment variables and `+--flag[=value]` Node flags, which come after the sweep's
 * own and so win over them, separated by commas; default `shipped`):
 *  - shipped: as aigov ships it, with the CLI's build settings (packages/cli/scripts/build.ts: the AWS SDK bundled
 *    from its ES modules);
 *  - sdk-external: the SDK loaded from node_modules, each client's CommonJS build whole (aigov's bundle until then);
 *  - bundle:<path>: a bundle this bench wrote earlier (scanners/aws/node_modules/.aigov-bench/aws-sweep-*.mjs), run
 *    as it is: a copy of main's beside this checkout's, taking turns in one run.
 */
interface Build {
  readonly label: string;
  readonly sdk: "shipped" | "sdk-external";
  readonly bundle?: string;
  readonly env: Readonly<Record<string, string>>;
  readonly nodeFlags: readonly string[];
}

function parseBuilds(text: string): Build[] {
  return text.split(",").map((entry) => {
    const [label, rest] = entry.split(/=(.*)/s, 2);
    const [sdk, ...assignments] = (rest ?? label ?? "").split("+");
    if (label && sdk?.startsWith("bundle:"))
      return { label, sdk: "shipped", bundle: sdk.slice("bundle:".length), ...buildSettings(assignments) };
    if (!label || (sdk !== "shipped" && sdk !== "sdk-external"))
      throw new Error(
        `AIGOV_BENCH_BUILDS: "${entry}" is not label=shipped|sdk-external|bundle:<path>[+VAR=value][+--flag]`,
      );
    return { label, sdk, ...buildSettings(assignments) };
  });
}

/**
 * The scanner as aigov ships it: its sources bundled into one JavaScript file (no type stripping at run time, as
 * `aigov` runs its bundle). Written beside the scanner's own node_modules so its imports resolve as they do for the
 * scanner; the simulator (only the --sim child loads it) stays a TypeScript import.
 */
async function bundleThisFile(sdk: Build["sdk"]): Promise<string> {
  const { BUNDLE_OPTIONS } = await import("../../packages/cli/scripts/build.ts");
  // esbuild as the CLI's build uses it (its devDependency).
  const { build } = createRequire(join(dirname(here), "../../packages/cli/package.json"))(
    "esbuild",
  ) as typeof import("../../packages/cli/node_modules/esbuild/lib/main.js");
  const outfile = join(dirname(here), `../../scanners/aws/node_modules/.aigov-bench/aws-sweep-${sdk}.mjs`);
  const local = {
    name: "simulator-external",
    setup(plugin: import("../../packages/cli/node_modules/esbuild/lib/main.js").PluginBuild) {
      plugin.onResolve({ filter: /cloud-sim\/src\/index\.ts$|generated-world\.ts$|scripts\/build\.ts$/ }, (args) => ({
        path: join(args.resolveDir, args.path),
        external: true,
      }));
      if (sdk === "sdk-external")
        plugin.onResolve({ filter: /^[^./#]/ }, (args) =>
          args.path.startsWith("@aigov/") ? undefined : { path: args.path, external: true },
        );
    },
  };
  await build({
    ...BUNDLE_OPTIONS,
    ...(sdk === "sdk-external" ? { conditions: ["aigov-bundle"], mainFields: ["main", "module"] } : {}),
    entryPoints: [here],
    outfile,
    plugins: [local, ...BUNDLE_OPTIONS.plugins],
  });
  return outfile;
}

/**
 * Runs the bundled `--case <case>` per case, one after another, with the Node flags and environment `aigov sweep` runs with, and
 * collects each case's line of JSON.
 */
function runCase(bundle: string, name: string, { env, nodeFlags }: Build): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const flags = [...SWEEP_NODE_FLAGS, ...nodeFlags, ...process.execArgv];
    const child = spawn(process.execPath, [...flags, bundle, "--case", name], {
      stdio: ["ignore", "pipe", "inherit"],
      env: sweepEnvironment({ ...process.env, ...env }),
    });
    let out = "";
    child.stdout.on("data", (chunk) => {
      out += chunk;
    });
    child.on("exit", (code) =>
      code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`case ${name} exited ${code}`)),
    );
  });
}

async function main(): Promise<void> {
  const builds = parseBuilds(process.env.AIGOV_BENCH_BUILDS ?? "shipped");
  const bundles = new Map<Build["sdk"], string>();
  for (const { sdk, bundle } of builds)
    if (bundle === undefined && !bundles.has(sdk)) bundles.set(sdk, await bundleThisFile(sdk));
  const cases = await casesTakingTurns(CASES, builds, (name, build) =>
    runCase(build.bundle ?? bundles.get(build.sdk)!, name, build),
  );
  writeBenchResult("aws-sweep", {
    cases,
    target:
      "ratioToLowerBound <= 1.3 (the cloud's bound); peakRssMiB.scanner <= 200 and flat from 100 to 1,000 accounts",
  });
}
