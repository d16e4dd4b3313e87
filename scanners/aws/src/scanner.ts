import {
  type CoverageGap,
  type ScanItem,
  type ScanNotice,
  type Scanner,
  type ScanStats,
  type ScanTarget,
  screenScanItems,
  screenTargets,
} from "@aigov/core";
import { AwsClientFactory, type AwsScanStats, type CredentialsProvider } from "./aws-clients.ts";
import { assumeRoleGap } from "./aws-error.ts";
import { merge } from "./async-streams.ts";
import { CollectContext, UnreadSsmValues } from "./collect-context.ts";
import { collectBedrock } from "./collectors/bedrock.ts";
import { collectBedrockAgent } from "./collectors/bedrock-agent.ts";
import { collectBedrockApiKeys } from "./collectors/bedrock-api-keys.ts";
import { collectCloudTrail } from "./collectors/cloudtrail.ts";
import { collectEcsKeys, collectLambdaKeys, collectSsmKeys } from "./collectors/compute-config-keys.ts";
import { collectSageMaker } from "./collectors/sagemaker.ts";
import {
  type AwsScanConfig,
  type CollectorName,
  type NormalizedAwsConfig,
  normalizeAwsConfig,
  roleArnFor,
} from "./config.ts";
import { AccountCredentials, defaultCredentials } from "./credentials.ts";
import { awsNotices } from "./notices.ts";
import { type AwsTargetMeta, discoverTargets, type TargetItem } from "./targets.ts";

export interface AwsScannerOptions {
  /** Base credentials; default: the standard AWS chain (env, profile, SSO, web identity, instance metadata). */
  readonly credentials?: CredentialsProvider;
  /** The sweep's clock (CloudTrail window, job lookback, key age). */
  readonly now?: () => Date;
}

export interface AwsScanner extends Scanner<AwsScanConfig> {
  stats(): ScanStats & AwsScanStats;
  notices(config: AwsScanConfig): readonly ScanNotice[];
  /** Closes pooled connections. */
  close(): void;
}

type RegionalCollector = (ctx: CollectContext) => AsyncIterable<ScanItem>;
const REGIONAL: readonly [CollectorName, RegionalCollector][] = [
  ["sagemaker", collectSageMaker],
  ["bedrock", collectBedrock],
  ["bedrock-agent", collectBedrockAgent],
  ["lambda", collectLambdaKeys],
  ["ecs", collectEcsKeys],
  ["ssm", collectSsmKeys],
  ["cloudtrail", collectCloudTrail],
];

interface SweepState {
  readonly config: NormalizedAwsConfig;
  readonly clients: AwsClientFactory;
  readonly credentials: AccountCredentials;
  readonly unreadSsmValues: UnreadSsmValues;
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
      const clients = new AwsClientFactory(normalized);
      state = {
        config: normalized,
        clients,
        credentials: new AccountCredentials(normalized, clients, baseCredentials),
        unreadSsmValues: new UnreadSsmValues(),
      };
      states.set(config, state);
    }
    return state;
  };

  return {
    provider: "aws",
    targets(config: AwsScanConfig, signal?: AbortSignal): AsyncIterable<TargetItem> {
      const state = stateFor(config);
      return untilAborted(screenTargets(discoverTargets(state.config, state.clients, state.credentials)), signal);
    },
    collect(target: ScanTarget, config: AwsScanConfig, signal?: AbortSignal): AsyncIterable<ScanItem> {
      // Every string collected passes the AI key detector here, before anything is stored or printed.
      return untilAborted(screenScanItems(collectTarget(stateFor(config), target, now())), signal);
    },
    stats() {
      const total: ScanStats & AwsScanStats = {
        apiCalls: 0,
        retries: 0,
        byOperation: {},
        peakInFlight: 0,
        requestSeconds: 0,
      };
      for (const { clients } of states.values()) {
        total.apiCalls += clients.stats.apiCalls;
        total.retries += clients.stats.retries;
        total.requestSeconds += clients.stats.requestSeconds;
        total.peakInFlight = Math.max(total.peakInFlight, clients.stats.peakInFlight);
        for (const [key, count] of Object.entries(clients.stats.byOperation))
          total.byOperation[key] = (total.byOperation[key] ?? 0) + count;
      }
      return total;
    },
    notices(config: AwsScanConfig) {
      const state = stateFor(config);
      return awsNotices(state.config, state.unreadSsmValues);
    },
    close() {
      for (const { clients } of states.values()) clients.close();
      states.clear();
    },
  };
}

async function* collectTarget(state: SweepState, target: ScanTarget, now: Date): AsyncGenerator<ScanItem> {
  const meta = target.meta as Partial<AwsTargetMeta>;
  const region = target.region ?? state.config.homeRegion;
  let credentials: CredentialsProvider;
  const roleArn = meta.roleArn ?? roleArnFor(state.config, target.account);
  try {
    credentials = await state.credentials.assume(target.account, roleArn);
  } catch (error) {
    yield { type: "gap", gap: assumeRoleGap(error, { account: target.account, region: target.region }, roleArn) };
    return;
  }
  const ctx = new CollectContext({
    account: target.account,
    region,
    config: state.config,
    factory: state.clients,
    credentials,
    now,
    unreadSsmValues: state.unreadSsmValues,
  });
  const enabled = state.config.services;
  if (target.region === undefined) {
    if (enabled.has("bedrock-api-keys")) yield* collectBedrockApiKeys(ctx);
  } else {
    yield* merge(REGIONAL.filter(([name]) => enabled.has(name)).map(([, collector]) => collector(ctx)));
  }
  yield* collapseRegionDisabled([...ctx.drainGaps()]);
}

/** A region that is not enabled fails every call the same way: one gap says it, not one per operation. */
function* collapseRegionDisabled(items: readonly ScanItem[]): Generator<ScanItem> {
  const gaps = items.filter((item): item is { type: "gap"; gap: CoverageGap } => item.type === "gap");
  const disabled = gaps.filter((item) => item.gap.code === "RegionDisabled");
  if (disabled.length > 0 && disabled.length === gaps.length) {
    const { operation: _operation, ...first } = disabled[0]!.gap;
    yield {
      type: "gap",
      gap: { ...first, service: "*", message: `region not enabled for the account (${first.message})` },
    };
    return;
  }
  yield* items;
}

async function* untilAborted<T>(source: AsyncIterable<T>, signal: AbortSignal | undefined): AsyncGenerator<T> {
  for await (const item of source) {
    if (signal?.aborted) return;
    yield item;
  }
}
