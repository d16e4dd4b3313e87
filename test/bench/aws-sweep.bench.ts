// AWS sweep at organization scale: 200 accounts × 4 regions against cloud-sim with 40 ms latency per call, with the
// real SDK clients over HTTP. Reports wall time, API calls, peak RSS, and the ratio to the lower bound that the
// configured concurrency and the APIs' rate limits allow (target <= 1.3).
//
// The simulator runs in a child process (this file with --sim), so the scanner's own CPU and memory are measured
// alone and the two share the machine's cores as they would in production (the cloud is not on the scanner's host).
import { fileURLToPath } from "node:url";
import { startCloudSim } from "../../packages/cloud-sim/src/index.ts";
import { type AwsScanConfig, createAwsScanner, DEFAULT_RATE_LIMITS } from "../../scanners/aws/src/index.ts";
import { generatedWorld } from "../../scanners/aws/test/generated-world.ts";
import { median, writeBenchResult } from "./bench-result.ts";
import { driveSweep, measureRuns, serveSimChild, startSimChild, sweepReport } from "./sweep-driver.ts";

const ACCOUNTS = Number(process.env.AIGOV_BENCH_ACCOUNTS ?? 200);
const REGIONS = ["us-east-1", "us-west-2", "eu-west-1", "ap-southeast-2"];
const LATENCY_MS = 40;
const CONCURRENCY = Number(process.env.AIGOV_BENCH_CONCURRENCY ?? 32);
// Two runs keep the benchmark under ~3 minutes on a shared 2-core machine (one sweep takes 60–120 s there).
const RUNS = Number(process.env.AIGOV_BENCH_RUNS ?? 2);
const NOW = new Date("2026-11-22T00:00:00Z");

if (process.argv[2] === "--sim") {
  // Child: serve the generated organization with every documented rate limit enforced.
  // Page sizes as large as each API's own maximum (MaxResults), as real AWS pages.
  serveSimChild(
    await startCloudSim({
      world: generatedWorld(ACCOUNTS, REGIONS),
      latencyMs: LATENCY_MS,
      rateLimits: true,
      pageSize: 1000,
    }),
  );
} else {
  await main();
}

async function sweep(url: string) {
  const scanner = createAwsScanner({
    credentials: async () => ({ accessKeyId: "AKIAFAKEFAKEFAKEFAKE", secretAccessKey: "bench" }),
    now: () => NOW,
  });
  const config: AwsScanConfig = { organization: true, regions: REGIONS, endpoint: url, concurrency: CONCURRENCY };
  const run = await driveSweep(scanner, config, CONCURRENCY);
  const stats = scanner.stats();
  scanner.close();
  return { ...run, stats };
}

/**
 * The fastest any scanner could finish this sweep with the same calls, the same concurrency and the same rate limits:
 * the largest of three bounds, each a floor the sweep cannot beat.
 *  - work: every call occupies one of `concurrency` slots for at least the latency: calls × latency / concurrency.
 *  - rate: calls to one rate-limited bucket (one account+region+service) cannot go faster than its rate allows:
 *    (calls − burst) / rate. The biggest bucket is the management account's Organizations bucket (ListAccounts pages,
 *    the OU walk and one ListTagsForResource per account).
 *  - chain: calls that depend on each other run one after another: AssumeRole, then per region the two CloudTrail
 *    LookupEvents (one per event source) spaced 1/rate apart, each taking the latency.
 */
function lowerBound(byOperation: Record<string, number>, apiCalls: number) {
  const latency = LATENCY_MS / 1000;
  const work = (apiCalls * latency) / CONCURRENCY;
  const org = DEFAULT_RATE_LIMITS.organizations!;
  const orgCalls = Object.entries(byOperation)
    .filter(([op]) => op.startsWith("organizations:"))
    .reduce((sum, [, n]) => sum + n, 0);
  const rate = Math.max(0, orgCalls - org.burst) / org.ratePerSecond;
  const lookup = DEFAULT_RATE_LIMITS["cloudtrail:LookupEvents"]!;
  const sources = 3; // bedrock, bedrock-mantle, sagemaker: one LookupEvents each, 1/rate apart
  const chain =
    latency /* GetCallerIdentity */ +
    latency /* AssumeRole */ +
    sources * latency +
    (sources - 1) / lookup.ratePerSecond;
  return {
    seconds: Math.max(work, rate, chain),
    components: { workSeconds: work, rateSeconds: rate, chainSeconds: chain },
    explanation:
      `max(work, rate, chain). work = ${apiCalls} calls × ${LATENCY_MS} ms / ${CONCURRENCY} in flight = ${work.toFixed(2)} s; ` +
      `rate = (${orgCalls} Organizations calls − burst ${org.burst}) / ${org.ratePerSecond} per s = ${rate.toFixed(2)} s (the largest single rate-limited bucket); ` +
      `chain = GetCallerIdentity + AssumeRole + ${sources} LookupEvents ${1000 / lookup.ratePerSecond} ms apart = ${chain.toFixed(2)} s.`,
  };
}

async function main(): Promise<void> {
  const sim = await startSimChild(fileURLToPath(import.meta.url));
  try {
    const runs = await measureRuns(sim, RUNS, () => sweep(sim.url));
    const last = runs[runs.length - 1]!;
    const bound = lowerBound(last.stats.byOperation, last.stats.apiCalls);
    const wallSeconds = median(runs.map((r) => r.wallMs / 1000));
    writeBenchResult("aws-sweep", {
      setup: {
        accounts: ACCOUNTS,
        regions: REGIONS.length,
        targets: last.counts.targets,
        latencyMs: LATENCY_MS,
        concurrency: CONCURRENCY,
        runs: RUNS,
        simRateLimitsEnforced: true,
      },
      ...sweepReport(runs, { concurrency: CONCURRENCY, latencyMs: LATENCY_MS }),
      lowerBound: bound,
      ratioToLowerBound: wallSeconds / bound.seconds,
      target: "ratioToLowerBound <= 1.3",
    });
  } finally {
    sim.close();
  }
}
