// GCP sweep at organization scale: 300 projects × 3 Vertex AI locations against cloud-sim with 40 ms latency per
// call, with the real @google-cloud clients on their REST transport over HTTP. Reports wall time, API calls, peak
// RSS, and the ratio to the lower bound that the configured concurrency and the APIs' rate limits allow (target
// <= 1.3).
//
// The simulator runs in a child process (this file with --sim), so the scanner's own CPU and memory are measured
// alone and the two share the machine's cores as they would in production.
import { generateKeyPairSync } from "node:crypto";
import { fileURLToPath } from "node:url";
import { startCloudSim } from "../../packages/cloud-sim/src/index.ts";
import type { RequestStats } from "../../packages/scanner-kit/src/index.ts";
import { createGcpScanner, DEFAULT_RATE_LIMITS } from "../../scanners/gcp/src/index.ts";
import { generatedWorld, ORGANIZATION } from "../../scanners/gcp/test/generated-world.ts";
import { median, writeBenchResult } from "./bench-result.ts";
import { driveSweep, measureRuns, type SimHandle, serveSimChild, startSimChild, sweepReport } from "./sweep-driver.ts";

const PROJECTS = Number(process.env.AIGOV_BENCH_PROJECTS ?? 300);
const LOCATIONS = ["us-central1", "europe-west4", "asia-northeast1"];
const LATENCY_MS = 40;
const CONCURRENCY = Number(process.env.AIGOV_BENCH_CONCURRENCY ?? 32);
// Three runs, so the median is a sweep by a process that has loaded the Google client libraries and parsed their
// protos (the first run's extra seconds, a process's start-up cost, stay in the samples).
const RUNS = Number(process.env.AIGOV_BENCH_RUNS ?? 3);
const NOW = new Date("2026-11-22T00:00:00Z");

// Made before the top-level await below runs the sweep that signs with it.
const privateKey = generateKeyPairSync("rsa", { modulusLength: 2048 })
  .privateKey.export({ type: "pkcs8", format: "pem" })
  .toString();

if (process.argv[2] === "--sim") {
  // Child: serve the generated organization with every documented rate limit enforced, page sizes as large as each
  // API's own maximum, as Google pages.
  serveSimChild(
    await startCloudSim({
      world: generatedWorld(PROJECTS, LOCATIONS, "2026-11-21T12:00:00Z"),
      latencyMs: LATENCY_MS,
      pageSize: 1000,
      rateLimits: true,
    }),
  );
} else {
  await main();
}

async function sweep(sim: SimHandle) {
  const scanner = createGcpScanner({
    serviceAccount: { email: "aigov-bench@sec-tools.iam.gserviceaccount.com", privateKey },
    now: () => NOW,
  });
  const config = { organization: ORGANIZATION, locations: LOCATIONS, endpoint: sim.url, concurrency: CONCURRENCY };
  const run = await driveSweep(scanner, config, CONCURRENCY * 2);
  const stats = scanner.stats();
  await scanner.close();
  return { ...run, stats };
}

/**
 * The fastest any scanner could finish this sweep with the same calls, the same concurrency and the same rate limits:
 * the largest of three bounds, each a floor the sweep cannot beat.
 *  - work: every call occupies one of `concurrency` slots for at least the latency: calls × latency / concurrency.
 *  - rate: calls to one rate-limited bucket (one project + location + API) cannot go faster than its rate allows:
 *    (calls − burst) / rate. The biggest bucket is the organization's Resource Manager bucket (the project search
 *    and folder walk pages, the organization's and folders' IAM policies).
 *  - chain: calls that depend on each other run one after another: the first search page before any project, then
 *    a project's enabled services, then per location its models before its endpoints.
 */
function lowerBound({ byOperation, apiCalls }: RequestStats) {
  const latency = LATENCY_MS / 1000;
  const work = (apiCalls * latency) / CONCURRENCY;
  const manager = DEFAULT_RATE_LIMITS.cloudresourcemanager!;
  const organizationCalls = ["projects.search", "folders.list", "folders.getIamPolicy", "organizations.getIamPolicy"]
    .map((operation) => byOperation[`cloudresourcemanager:${operation}`] ?? 0)
    .reduce((sum, n) => sum + n, 0);
  const rate = Math.max(0, organizationCalls - manager.burst) / manager.ratePerSecond;
  const chain = latency /* projects.search */ + latency /* services.list */ + 2 * latency; /* models, endpoints */
  return {
    seconds: Math.max(work, rate, chain),
    components: { workSeconds: work, rateSeconds: rate, chainSeconds: chain },
    explanation:
      `max(work, rate, chain). work = ${apiCalls} calls × ${LATENCY_MS} ms / ${CONCURRENCY} in flight = ${work.toFixed(2)} s; ` +
      `rate = (${organizationCalls} organization-level Resource Manager calls − burst ${manager.burst}) / ${manager.ratePerSecond} per s = ${rate.toFixed(2)} s (the largest single rate-limited bucket); ` +
      `chain = projects.search + services.list + models.list + endpoints.list = ${chain.toFixed(2)} s.`,
  };
}

async function main(): Promise<void> {
  const sim = await startSimChild(fileURLToPath(import.meta.url));
  try {
    const runs = await measureRuns(sim, RUNS, () => sweep(sim));
    const last = runs[runs.length - 1]!;
    const bound = lowerBound(last.stats);
    const wallSeconds = median(runs.map((r) => r.wallMs / 1000));
    writeBenchResult("gcp-sweep", {
      setup: {
        projects: PROJECTS,
        locations: LOCATIONS.length,
        targets: last.counts.targets,
        latencyMs: LATENCY_MS,
        concurrency: CONCURRENCY,
        runs: RUNS,
        simRateLimitsEnforced: true,
        transport: "HTTP, real @google-cloud/* clients on their REST transport, a service account's self-signed JWTs",
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
