// What the AWS sweep benchmarks (the scanner alone, aws-sweep.bench.ts, and `aigov sweep` as a user runs it,
// sweep-cli.bench.ts) share: the generated organization a case names, served by the simulator in a child process,
// and the fastest the simulated cloud lets a sweep of it finish, whatever aigov's concurrency.
import { DEFAULT_RATE_LIMITS, normalizeAwsConfig } from "../../scanners/aws/src/index.ts";
import { serveSimChild, type SimStats } from "./sweep-driver.ts";

/** The simulator's latency per call in the AWS sweep benchmarks. */
export const LATENCY_MS = 40;

const ALL_REGIONS = ["us-east-1", "us-west-2", "eu-west-1", "ap-southeast-2"];

/** A case of AIGOV_BENCH_CASES: `accounts[xregions][@concurrency]`, 4 regions and the scanner's default concurrency unless given. */
export interface OrganizationCase {
  readonly accounts: number;
  readonly regions: readonly string[];
  readonly concurrency: number | undefined;
}

export function parseOrganizationCase(text: string): OrganizationCase {
  const match = /^(\d+)(?:x(\d))?(?:@(\d+))?$/.exec(text);
  if (match === null) throw new Error(`AIGOV_BENCH_CASES: "${text}" is not accounts[xregions][@concurrency]`);
  return {
    accounts: Number(match[1]),
    regions: ALL_REGIONS.slice(0, Number(match[2] ?? ALL_REGIONS.length)),
    concurrency: match[3] === undefined ? undefined : Number(match[3]),
  };
}

/**
 * In the simulator's child process (the bench file run with `--sim <case>`): serves the case's generated organization
 * with every documented rate limit enforced, and page sizes as large as each API's own maximum (MaxResults), as real
 * AWS pages. Imported here only, so that the measured process does not load the simulator.
 */
export async function serveOrganization(caseText: string): Promise<void> {
  const { startCloudSim } = await import("../../packages/cloud-sim/src/index.ts");
  const { generatedWorld } = await import("../../scanners/aws/test/generated-world.ts");
  const { accounts, regions } = parseOrganizationCase(caseText);
  serveSimChild(
    await startCloudSim({
      world: generatedWorld(accounts, regions),
      latencyMs: LATENCY_MS,
      rateLimits: true,
      pageSize: 1000,
    }),
  );
}

/**
 * The fastest the cloud lets this sweep finish, whatever the scanner's concurrency: the largest of
 *  - rate: the calls to the busiest rate-limited bucket (one account+region+operation), as the simulated cloud
 *    counted them, cannot be answered faster than (calls − burst) / rate;
 *  - organizations: the management account's Organizations calls (ListAccounts pages, the OU walk, one
 *    ListTagsForResource per account) at AWS's throttle for Organizations, which AWS does not publish and the
 *    simulator does not enforce: aigov's default (10 per second) stands for it;
 *  - chain: the calls the last account waits for one after another: GetCallerIdentity, the ListAccounts pages before
 *    it, its ListTagsForResource and AssumeRole, then one LookupEvents per event source, which the cloud's bucket
 *    spaces 1/rate apart after its one-second burst.
 * The old bound (calls × latency / aigov's own concurrency) is kept beside it for comparison with earlier results.
 * `listings`: the processes that each listed the organization whole (`--shard i/N` processes, each with its own
 * throttle); the bound is one listing's, the same organization's as for one sweep.
 */
export function awsCloudBound(
  accounts: number,
  byOperation: Record<string, number>,
  busiest: SimStats["busiestRateBucket"],
  listings = 1,
) {
  const latency = LATENCY_MS / 1000;
  const rate = busiest?.seconds ?? 0;
  const org = DEFAULT_RATE_LIMITS.organizations!;
  const orgCalls =
    Object.entries(byOperation)
      .filter(([op]) => op.startsWith("organizations:"))
      .reduce((sum, [, n]) => sum + n, 0) / listings;
  const organizations = Math.max(0, orgCalls - org.burst) / org.ratePerSecond;
  const sources = normalizeAwsConfig({ organization: true }).cloudTrailEventSources.length;
  const lookupRate = busiest?.ratePerSecond ?? Number.POSITIVE_INFINITY;
  const listAccountsPages = Math.ceil(accounts / 20);
  const chain =
    (1 /* GetCallerIdentity */ + listAccountsPages + 1 /* ListTagsForResource */ + 1 /* AssumeRole */ + 1) * latency +
    Math.max(0, sources - lookupRate) / lookupRate;
  return {
    seconds: Math.max(rate, organizations, chain),
    components: { rateSeconds: rate, organizationsSeconds: organizations, chainSeconds: chain },
    explanation:
      `max(rate, organizations, chain). rate = busiest bucket the cloud enforces, ${busiest?.key ?? "none"}: ` +
      `(${busiest?.calls ?? 0} calls − burst ${busiest?.ratePerSecond ?? 0}) / ${busiest?.ratePerSecond ?? 0} per s = ${rate.toFixed(2)} s; ` +
      `organizations = (${orgCalls} calls${listings === 1 ? "" : ` per listing, ${listings} listings`} ` +
      `− burst ${org.burst}) / ${org.ratePerSecond} per s = ${organizations.toFixed(2)} s ` +
      `(AWS's unpublished Organizations throttle, aigov's default standing for it; the simulator does not enforce it); ` +
      `chain = (GetCallerIdentity + ${listAccountsPages} ListAccounts pages + ListTagsForResource + AssumeRole + LookupEvents) × ${LATENCY_MS} ms ` +
      `+ ${sources} LookupEvents past the burst at ${lookupRate} per s = ${chain.toFixed(2)} s.`,
  };
}

/**
 * Every case measured with every build, for AIGOV_BENCH_ROUNDS rounds (default 1). Builds take turns, case by case,
 * so that each pair shares the machine's load.
 */
export async function casesTakingTurns<B extends { readonly label: string }, R extends object>(
  cases: readonly string[],
  builds: readonly B[],
  measure: (name: string, build: B) => Promise<R>,
): Promise<({ build: string; round: number } & R)[]> {
  const rounds = Number(process.env.AIGOV_BENCH_ROUNDS ?? 1);
  const measured: ({ build: string; round: number } & R)[] = [];
  for (let round = 1; round <= rounds; round++) {
    for (const name of cases) {
      for (const build of builds) {
        process.stderr.write(`case ${name}, ${build.label}, round ${round}\n`);
        measured.push({ build: build.label, round, ...(await measure(name, build)) });
      }
    }
  }
  return measured;
}

/**
 * The `+…` parts of an AIGOV_BENCH_BUILDS entry: `+--flag[=value]` is a Node flag, `+VAR=value` an environment
 * variable the build runs with.
 */
export function buildSettings(parts: readonly string[]): {
  nodeFlags: string[];
  env: Record<string, string>;
} {
  const nodeFlags = parts.filter((part) => part.startsWith("--"));
  const env = parts.filter((part) => !part.startsWith("--")).map((part) => part.split(/=(.*)/s, 2));
  return { nodeFlags, env: Object.fromEntries(env) };
}
