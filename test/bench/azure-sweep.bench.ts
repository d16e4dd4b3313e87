// Azure sweep at estate scale: 100 subscriptions × 20 AI accounts against cloud-sim with 40 ms latency per call, with
// the real @azure/arm-* clients and @azure/identity over HTTPS. Reports wall time, API calls, peak RSS, and the ratio
// to the lower bound that the configured concurrency and the per-subscription rate limits allow (target <= 1.3).
//
// The simulator runs in a child process (this file with --sim), so the scanner's own CPU and memory are measured
// alone and the two share the machine's cores as they would in production.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { startCloudSim } from "../../packages/cloud-sim/src/index.ts";
import {
  type AzureScanConfig,
  applicationCredential,
  createAzureScanner,
  DEFAULT_RATE_LIMITS,
} from "../../scanners/azure/src/index.ts";
import { GENERATED_TENANT, generatedAzureWorld } from "../../scanners/azure/test/generated-world.ts";
import { median, writeBenchResult } from "./bench-result.ts";
import { driveSweep, measureRuns, type SimHandle, serveSimChild, startSimChild, sweepReport } from "./sweep-driver.ts";

const SUBSCRIPTIONS = Number(process.env.AIGOV_BENCH_SUBSCRIPTIONS ?? 100);
const ACCOUNTS = Number(process.env.AIGOV_BENCH_AZURE_ACCOUNTS ?? 20);
const LATENCY_MS = 40;
const CONCURRENCY = Number(process.env.AIGOV_BENCH_CONCURRENCY ?? 32);
const RUNS = Number(process.env.AIGOV_BENCH_RUNS ?? 3);
const NOW = new Date("2026-11-22T00:00:00Z");

if (process.argv[2] === "--sim") {
  // Child: serve the generated estate. ARM's list pages hold up to a thousand items; every account's lists fit in one.
  serveSimChild(
    await startCloudSim({
      world: generatedAzureWorld(SUBSCRIPTIONS, ACCOUNTS, NOW.toISOString()),
      latencyMs: LATENCY_MS,
      pageSize: 1000,
    }),
  );
} else {
  await main();
}

async function sweep(sim: SimHandle) {
  const caCertificate = readFileSync(sim.caCertificateFile, "utf8");
  const scanner = createAzureScanner({
    credential: applicationCredential({
      tenantId: GENERATED_TENANT,
      clientId: "b0b0b0b0-0000-4000-8000-00000000be7c",
      secret: "bench",
      authorityHost: sim.httpsUrl,
      caCertificate,
    }),
    now: () => NOW,
  });
  const config: AzureScanConfig = {
    armEndpoint: sim.httpsUrl,
    caCertificate,
    tenantId: GENERATED_TENANT,
    concurrency: CONCURRENCY,
  };
  const run = await driveSweep(scanner, config, CONCURRENCY * 2);
  const stats = scanner.stats();
  scanner.close();
  return { ...run, stats };
}

/**
 * The fastest any scanner could finish this sweep with the same calls, concurrency and rate limits: the largest of
 * three bounds, each a floor the sweep cannot beat.
 *  - work: every call occupies one of `concurrency` slots for at least the latency: calls × latency / concurrency.
 *  - rate: calls to one rate-limited bucket (one subscription + service) cannot go faster than its rate allows:
 *    (calls − burst) / rate, for the busiest bucket (a subscription's Cognitive Services or Insights calls).
 *  - chain: calls that depend on each other run one after another: the token (OpenID configuration, then the token
 *    endpoint), Subscriptions_List, then in a subscription Accounts_List and an account's deployments.
 */
function lowerBound(byOperation: Record<string, number>, apiCalls: number, subscriptions: number) {
  const latency = LATENCY_MS / 1000;
  const work = (apiCalls * latency) / CONCURRENCY;
  const perSubscription = (service: string) =>
    Object.entries(byOperation)
      .filter(([op]) => op.startsWith(`${service}:`))
      .reduce((sum, [, n]) => sum + n, 0) / subscriptions;
  const buckets = ["cognitiveservices", "insights", "machinelearningservices"].map((service) => {
    const limit = DEFAULT_RATE_LIMITS[service]!;
    return { service, seconds: Math.max(0, perSubscription(service) - limit.burst) / limit.ratePerSecond };
  });
  const busiest = buckets.reduce((a, b) => (b.seconds > a.seconds ? b : a));
  const chain = 2 * latency /* OpenID configuration, token */ + latency /* Subscriptions_List */ + 2 * latency;
  return {
    seconds: Math.max(work, busiest.seconds, chain),
    components: { workSeconds: work, rateSeconds: busiest.seconds, chainSeconds: chain },
    explanation:
      `max(work, rate, chain). work = ${apiCalls} calls × ${LATENCY_MS} ms / ${CONCURRENCY} in flight = ${work.toFixed(2)} s; ` +
      `rate = the busiest per-subscription bucket (${busiest.service}) beyond its burst = ${busiest.seconds.toFixed(2)} s; ` +
      `chain = token + Subscriptions_List + Accounts_List + Deployments_List = ${chain.toFixed(2)} s.`,
  };
}

async function main(): Promise<void> {
  const sim = await startSimChild(fileURLToPath(import.meta.url));
  try {
    const runs = await measureRuns(sim, RUNS, () => sweep(sim));
    const last = runs[runs.length - 1]!;
    const bound = lowerBound(last.stats.byOperation, last.stats.apiCalls, last.counts.targets);
    const wallSeconds = median(runs.map((r) => r.wallMs / 1000));
    writeBenchResult("azure-sweep", {
      setup: {
        subscriptions: SUBSCRIPTIONS,
        accountsPerSubscription: ACCOUNTS,
        targets: last.counts.targets,
        latencyMs: LATENCY_MS,
        concurrency: CONCURRENCY,
        runs: RUNS,
        transport: "HTTPS, real @azure/arm-* clients, @azure/identity ClientSecretCredential",
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
