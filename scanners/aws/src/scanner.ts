import type { ScanItem, ScanNotice, Scanner, ScanTarget } from "@aigov/core";
import { addRequestStats, defineScanner, merge, type RequestStats } from "@aigov/scanner-kit";
import { AwsClientFactory, type CredentialsProvider } from "./aws-clients.ts";
import { assumeRoleGap } from "./aws-error.ts";
import { CLOUDTRAIL_AHEAD, CloudTrailAhead } from "./cloudtrail-ahead.ts";
import { AccountReads, AwsCollectContext, UnreadSsmValues } from "./collect-context.ts";
import { collectBedrock } from "./collectors/bedrock.ts";
import { collectBedrockAgent } from "./collectors/bedrock-agent.ts";
import { collectBedrockAgentCore } from "./collectors/bedrock-agentcore.ts";
import { collectBedrockApiKeys } from "./collectors/bedrock-api-keys.ts";
import { collectBedrockFullAccessHolders } from "./collectors/iam-privileges.ts";
import { collectCloudTrail } from "./collectors/cloudtrail.ts";
import { collectEcsKeys, collectLambdaKeys, collectSsmKeys } from "./collectors/compute-config-keys.ts";
import { collectQBusiness } from "./collectors/qbusiness.ts";
import { collectSageMaker } from "./collectors/sagemaker.ts";
import { SharedAgentRoles } from "./shared-agent-roles.ts";
import {
  type AwsScanConfig,
  type CollectorName,
  type NormalizedAwsConfig,
  normalizeAwsConfig,
  targetsInFlight,
} from "./config.ts";
import { BedrockRegionUse } from "./bedrock-region-use.ts";
import { AccountCredentials, defaultCredentials } from "./credentials.ts";
import { awsNotices } from "./notices.ts";
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
  /** Closes pooled connections. */
  close(): void;
}

type RegionalCollector = (ctx: AwsCollectContext) => AsyncIterable<ScanItem>;
const REGIONAL: readonly [CollectorName, RegionalCollector][] = [
  ["sagemaker", collectSageMaker],
  ["bedrock", collectBedrock],
  ["bedrock-agent", collectBedrockAgent],
  ["bedrock-agentcore", collectBedrockAgentCore],
  ["qbusiness", collectQBusiness],
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
  readonly accountReads: AccountReads;
  readonly cloudTrailAhead: CloudTrailAhead;
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
      const credentials = new AccountCredentials(normalized, clients, baseCredentials);
      const created: Omit<SweepState, "cloudTrailAhead"> = {
        config: normalized,
        clients,
        credentials,
        unreadSsmValues: new UnreadSsmValues(),
        accountReads: new AccountReads(),
      };
      state = {
        ...created,
        cloudTrailAhead: new CloudTrailAhead(
          async (target) =>
            contextFor(created, target, await credentials.assume(target.account, target.meta.roleArn), now()),
          CLOUDTRAIL_AHEAD,
        ),
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
      return collectTarget(stateFor(config), target, now());
    },
    queued(target: ScanTarget<AwsTargetMeta>, config: AwsScanConfig, signal?: AbortSignal) {
      const state = stateFor(config);
      if (target.region !== undefined && state.config.services.has("cloudtrail"))
        state.cloudTrailAhead.queue(target, signal);
    },
    stats() {
      const total: RequestStats = { apiCalls: 0, retries: 0, byOperation: {}, peakInFlight: 0, requestSeconds: 0 };
      for (const { clients } of states.values()) addRequestStats(total, clients.limiter.stats);
      return total;
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
      for (const { clients } of states.values()) clients.close();
      states.clear();
    },
  });
}

/** A target's collect context: where it is, with the account's credentials and the sweep's shared counters. */
function contextFor(
  state: Omit<SweepState, "cloudTrailAhead">,
  target: ScanTarget<AwsTargetMeta>,
  credentials: CredentialsProvider,
  now: Date,
): AwsCollectContext {
  return new AwsCollectContext({
    account: target.account,
    region: target.region ?? state.config.homeRegion,
    config: state.config,
    factory: state.clients,
    credentials,
    now,
    unreadSsmValues: state.unreadSsmValues,
    accountReads: state.accountReads,
  });
}

async function* collectTarget(
  state: SweepState,
  target: ScanTarget<AwsTargetMeta>,
  now: Date,
): AsyncGenerator<ScanItem> {
  // Lookups started ahead come with the context they record their gaps in: the target continues in it.
  const ahead = await state.cloudTrailAhead.take(target);
  let ctx: AwsCollectContext;
  if (ahead !== undefined) ctx = ahead.ctx;
  else {
    const roleArn = target.meta.roleArn;
    try {
      ctx = contextFor(state, target, await state.credentials.assume(target.account, roleArn), now);
    } catch (error) {
      yield { type: "gap", gap: assumeRoleGap(error, { account: target.account, region: target.region }, roleArn) };
      return;
    }
  }
  const enabled = state.config.services;
  if (target.region === undefined) {
    if (enabled.has("bedrock-api-keys")) yield* collectBedrockApiKeys(ctx);
    if (enabled.has("iam")) yield* collectBedrockFullAccessHolders(ctx);
  } else {
    const bedrockUse = new BedrockRegionUse();
    const agents = new SharedAgentRoles();
    const collectors = REGIONAL.filter(([name]) => enabled.has(name)).map(([name, collector]) =>
      name === "cloudtrail" && ahead !== undefined ? ahead.items : collector(ctx),
    );
    for await (const item of merge(collectors)) {
      bedrockUse.observe(item);
      const passed = agents.pass(item);
      if (passed !== undefined) yield passed;
    }
    yield* agents.release();
    // Only when the Bedrock collector ran: without it, the region's guardrails were not read and its use is partial.
    if (enabled.has("bedrock")) {
      for (const summary of [bedrockUse.guardrailCoverage(ctx), await bedrockUse.privateAccess(ctx)])
        if (summary !== undefined) yield { type: "subject", subject: summary };
    }
  }
  yield* ctx.drainGaps();
}
