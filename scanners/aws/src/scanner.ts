import type { ScanItem, ScanNotice, Scanner, ScanTarget } from "@aigov/core";
import { addRequestStats, defineScanner, type RequestStats } from "@aigov/scanner-kit";
import { AwsClientFactory, type CredentialsProvider } from "./aws-clients.ts";
import { assumeRoleGap } from "./aws-error.ts";
import { AccountReads, UnreadSsmValues } from "./collect-context.ts";
import { type CollectState, collectTarget } from "./collect-target.ts";
import { type AwsScanConfig, normalizeAwsConfig, targetsInFlight } from "./config.ts";
import { AccountCredentials, defaultCredentials } from "./credentials.ts";
import { awsNotices } from "./notices.ts";
import { ScanThreads } from "./scan-threads.ts";
import { type AwsTargetMeta, discoverTargets } from "./targets.ts";

export interface AwsScannerOptions {
  /** Base credentials; default: the standard AWS chain (env, profile, SSO, web identity, instance metadata). */
  readonly credentials?: CredentialsProvider;
  /** The sweep's clock (CloudTrail window, job lookback, key age). */
  readonly now?: () => Date;
}

export interface AwsScanner extends Scanner<AwsScanConfig, AwsTargetMeta> {
  stats(): RequestStats;
  notices(config: AwsScanConfig): readonly ScanNotice[];
  /** The requests a sweep with `config` keeps in flight at most (its `concurrency`, or the default). */
  concurrency(config: AwsScanConfig): number;
  /** The targets a sweep with `config` collects at once: half its requests, at most 32 (memory follows targets). */
  targetsInFlight(config: AwsScanConfig): number;
  /** The request counters of each thread that collects targets (config `threads`), the main thread's first. */
  threadStats(config: AwsScanConfig): RequestStats[];
  /** Closes pooled connections and stops the scan threads. */
  close(): void;
}

interface SweepState extends CollectState {
  readonly credentials: AccountCredentials;
  /** The worker threads that collect some accounts' targets (config `threads`), if any. */
  readonly threads: ScanThreads | undefined;
}

/**
 * The AWS scanner: targets are accounts (configured or the organization's) × regions, plus one global target per
 * account for IAM; collect streams normalized Assets, Keys and ApiCalls; every failure is a CoverageGap.
 * Rate limits and the concurrency bound are shared by every call made with the same config object.
 */
export function createAwsScanner(options: AwsScannerOptions = {}): AwsScanner {
  const states = new Map<AwsScanConfig, SweepState>();
  const baseCredentials = options.credentials ?? defaultCredentials();
  const now = options.now ?? (() => new Date());

  const stateFor = (config: AwsScanConfig): SweepState => {
    let state = states.get(config);
    if (state === undefined) {
      const normalized = normalizeAwsConfig(config);
      // This thread's share of the requests in flight: all of them, or thread 0's when workers take the rest.
      const clients = new AwsClientFactory({ ...normalized, concurrency: ScanThreads.concurrency(normalized, 0) });
      const unreadSsmValues = new UnreadSsmValues();
      state = {
        config: normalized,
        clients,
        credentials: new AccountCredentials(normalized, clients, baseCredentials),
        unreadSsmValues,
        accountReads: new AccountReads(),
        threads: ScanThreads.count(normalized) > 1 ? new ScanThreads(normalized, unreadSsmValues) : undefined,
      };
      states.set(config, state);
    }
    return state;
  };

  return defineScanner({
    provider: "aws",
    targets(config: AwsScanConfig) {
      const state = stateFor(config);
      return discoverTargets(state.config, state.clients, state.credentials);
    },
    collect(target: ScanTarget<AwsTargetMeta>, config: AwsScanConfig) {
      return collectAssumed(stateFor(config), target, now());
    },
    stats() {
      const total: RequestStats = { apiCalls: 0, retries: 0, byOperation: {}, peakInFlight: 0, requestSeconds: 0 };
      for (const { clients, threads } of states.values()) {
        addRequestStats(total, clients.limiter.stats);
        for (const stats of threads?.stats() ?? []) addRequestStats(total, stats);
      }
      return total;
    },
    threadStats(config: AwsScanConfig) {
      const { clients, threads } = stateFor(config);
      return [clients.limiter.stats, ...(threads?.stats() ?? [])];
    },
    concurrency(config: AwsScanConfig) {
      return stateFor(config).config.concurrency;
    },
    targetsInFlight(config: AwsScanConfig) {
      return targetsInFlight(stateFor(config).config);
    },
    notices(config: AwsScanConfig) {
      const state = stateFor(config);
      return awsNotices(state.config, state.unreadSsmValues);
    },
    close() {
      for (const { clients, threads } of states.values()) {
        clients.close();
        void threads?.close();
      }
      states.clear();
    },
  });
}

/** A target's items: its account's role is assumed here (once per account), then one thread collects it. */
async function* collectAssumed(
  state: SweepState,
  target: ScanTarget<AwsTargetMeta>,
  now: Date,
): AsyncGenerator<ScanItem> {
  let credentials: CredentialsProvider;
  const roleArn = target.meta.roleArn;
  try {
    credentials = await state.credentials.assume(target.account, roleArn);
  } catch (error) {
    yield { type: "gap", gap: assumeRoleGap(error, { account: target.account, region: target.region }, roleArn) };
    return;
  }
  const worker = state.threads?.worker(target.account);
  yield* worker === undefined
    ? collectTarget(state, target, credentials, now)
    : worker.collect(target, credentials, now);
}
