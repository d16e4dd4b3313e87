import type { ScanItem, ScanTarget } from "@aigov/core";
import { merge } from "@aigov/scanner-kit";
import type { AwsClientFactory, CredentialsProvider } from "./aws-clients.ts";
import { BedrockRegionUse } from "./bedrock-region-use.ts";
import { type AccountReads, AwsCollectContext, type UnreadSsmValues } from "./collect-context.ts";
import { collectBedrock } from "./collectors/bedrock.ts";
import { collectBedrockAgent } from "./collectors/bedrock-agent.ts";
import { collectBedrockAgentCore } from "./collectors/bedrock-agentcore.ts";
import { collectBedrockApiKeys } from "./collectors/bedrock-api-keys.ts";
import { collectCloudTrail } from "./collectors/cloudtrail.ts";
import { collectEcsKeys, collectLambdaKeys, collectSsmKeys } from "./collectors/compute-config-keys.ts";
import { collectBedrockFullAccessHolders } from "./collectors/iam-privileges.ts";
import { collectQBusiness } from "./collectors/qbusiness.ts";
import { collectSageMaker } from "./collectors/sagemaker.ts";
import type { CollectorName, NormalizedAwsConfig } from "./config.ts";
import { SharedAgentRoles } from "./shared-agent-roles.ts";
import type { AwsTargetMeta } from "./targets.ts";

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

/** What collecting a target needs, in whichever thread collects it (see scan-threads.ts). */
export interface CollectState {
  readonly config: NormalizedAwsConfig;
  readonly clients: AwsClientFactory;
  readonly unreadSsmValues: UnreadSsmValues;
  readonly accountReads: AccountReads;
}

/** One target's items, with the account's credentials already assumed. */
export async function* collectTarget(
  state: CollectState,
  target: ScanTarget<AwsTargetMeta>,
  credentials: CredentialsProvider,
  now: Date,
): AsyncGenerator<ScanItem> {
  const ctx = new AwsCollectContext({
    account: target.account,
    region: target.region ?? state.config.homeRegion,
    config: state.config,
    factory: state.clients,
    credentials,
    now,
    unreadSsmValues: state.unreadSsmValues,
    accountReads: state.accountReads,
  });
  const enabled = state.config.services;
  if (target.region === undefined) {
    if (enabled.has("bedrock-api-keys")) yield* collectBedrockApiKeys(ctx);
    if (enabled.has("iam")) yield* collectBedrockFullAccessHolders(ctx);
  } else {
    const bedrockUse = new BedrockRegionUse();
    const agents = new SharedAgentRoles();
    for await (const item of merge(
      REGIONAL.filter(([name]) => enabled.has(name)).map(([, collector]) => collector(ctx)),
    )) {
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
