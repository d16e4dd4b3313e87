import type { Asset, ScanItem } from "@aigov/core";
import { unknown } from "@aigov/core";
import {
  type AccountEnforcedGuardrailOutputConfiguration,
  BedrockClient,
  GetCustomModelCommand,
  GetFoundationModelAvailabilityCommand,
  GetGuardrailCommand,
  GetImportedModelCommand,
  GetMarketplaceModelEndpointCommand,
  GetModelInvocationLoggingConfigurationCommand,
  ListFoundationModelsCommand,
  ListTagsForResourceCommand,
  paginateListCustomModels,
  paginateListEnforcedGuardrailsConfiguration,
  paginateListGuardrails,
  paginateListImportedModels,
  paginateListInferenceProfiles,
  paginateListMarketplaceModelEndpoints,
  paginateListProvisionedModelThroughputs,
} from "@aws-sdk/client-bedrock";
import { modelId } from "@aigov/normalize";
import { type Attempt, asset, eachItem, fact, listing, merge, subjects, tri } from "@aigov/scanner-kit";
import { type AwsCollectContext, iso, nativeOf, pageSize } from "../collect-context.ts";

const MAX_PAGE = 1000;

async function tags(ctx: AwsCollectContext, client: BedrockClient, arn: string | undefined): Promise<Asset["tags"]> {
  if (arn === undefined) return unknown("resource has no ARN");
  const read = await ctx.attempt("bedrock", "ListTagsForResource", () =>
    client.send(new ListTagsForResourceCommand({ resourceARN: arn })),
  );
  if (!read.ok) return unknown(read.reason);
  return Object.fromEntries((read.value.tags ?? []).map((tag) => [tag.key ?? "", tag.value ?? ""]));
}

/**
 * Bedrock custom/imported models, provisioned throughput, invocation logging, guardrails and the account's enforced
 * guardrails, application inference profiles, marketplace endpoints, and the foundation models whose access
 * agreement was accepted.
 */
export async function* collectBedrock(ctx: AwsCollectContext): AsyncGenerator<ScanItem> {
  const client = ctx.client(BedrockClient, "bedrock");
  const paging = { client, pageSize: pageSize(ctx, MAX_PAGE) };
  yield* merge([
    invocationLogging(ctx, client),
    enforcedGuardrailAssets(ctx),
    modelAgreements(ctx, client),
    listing(ctx, "bedrock", "ListCustomModels", paginateListCustomModels(paging, {}), (page) =>
      eachItem(page.modelSummaries, async (summary) => {
        const arn = summary.modelArn ?? "";
        const [detail, tagMap] = await Promise.all([
          ctx.attempt("bedrock", "GetCustomModel", () =>
            client.send(new GetCustomModelCommand({ modelIdentifier: arn })),
          ),
          tags(ctx, client, arn),
        ]);
        const d = detail.ok ? detail.value : undefined;
        const base = summary.baseModelArn ?? d?.baseModelArn;
        return subjects([
          asset(ctx, {
            kind: "model",
            type: "AWS::Bedrock::CustomModel",
            id: arn,
            name: summary.modelName ?? arn,
            tags: tagMap,
            cmk: tri(detail, () => Boolean(d?.modelKmsKeyArn)),
            models: base === undefined ? unknown("base model not reported") : [modelId(base)],
            createdAt: iso(summary.creationTime) ?? unknown("no creation time"),
            native: nativeOf(summary, d ?? {}),
          }),
        ]);
      }),
    ),
    listing(ctx, "bedrock", "ListImportedModels", paginateListImportedModels(paging, {}), (page) =>
      eachItem(page.modelSummaries, async (summary) => {
        const arn = summary.modelArn ?? "";
        const [detail, tagMap] = await Promise.all([
          ctx.attempt("bedrock", "GetImportedModel", () =>
            client.send(new GetImportedModelCommand({ modelIdentifier: arn })),
          ),
          tags(ctx, client, arn),
        ]);
        const d = detail.ok ? detail.value : undefined;
        return subjects([
          asset(ctx, {
            kind: "model",
            type: "AWS::Bedrock::ImportedModel",
            id: arn,
            name: summary.modelName ?? arn,
            tags: tagMap,
            cmk: tri(detail, () => Boolean(d?.modelKmsKeyArn)),
            models: fact(detail, () => [d?.modelArchitecture ?? summary.modelName ?? arn]),
            createdAt: iso(summary.creationTime) ?? unknown("no creation time"),
            native: nativeOf(summary, d ?? {}),
          }),
        ]);
      }),
    ),
    listing(
      ctx,
      "bedrock",
      "ListProvisionedModelThroughputs",
      paginateListProvisionedModelThroughputs(paging, {}),
      (page) =>
        eachItem(page.provisionedModelSummaries, async (summary) => {
          const arn = summary.provisionedModelArn ?? "";
          const model = summary.foundationModelArn ?? summary.modelArn;
          return subjects([
            asset(ctx, {
              kind: "provisioned-throughput",
              type: "AWS::Bedrock::ProvisionedModelThroughput",
              id: arn,
              name: summary.provisionedModelName ?? arn,
              tags: await tags(ctx, client, arn),
              models: model === undefined ? unknown("model not reported") : [modelId(model)],
              createdAt: iso(summary.creationTime) ?? unknown("no creation time"),
              native: nativeOf(summary),
            }),
          ]);
        }),
    ),
    listing(ctx, "bedrock", "ListGuardrails", paginateListGuardrails(paging, {}), (page) =>
      eachItem(page.guardrails, async (summary) => {
        const arn = summary.arn ?? "";
        const [detail, tagMap] = await Promise.all([
          ctx.attempt("bedrock", "GetGuardrail", () =>
            client.send(new GetGuardrailCommand({ guardrailIdentifier: summary.id ?? arn })),
          ),
          tags(ctx, client, arn),
        ]);
        const d = detail.ok ? detail.value : undefined;
        const promptAttack = d?.contentPolicy?.filters?.find((filter) => filter.type === "PROMPT_ATTACK");
        return subjects([
          asset(ctx, {
            kind: "guardrail",
            type: "AWS::Bedrock::Guardrail",
            id: arn,
            name: summary.name ?? arn,
            tags: tagMap,
            cmk: tri(detail, () => Boolean(d?.kmsKeyArn)),
            createdAt: iso(summary.createdAt) ?? unknown("no creation time"),
            native: nativeOf(summary, d ?? {}, {
              // Flattened for rules: how strongly the guardrail blocks prompt attacks, and whether it filters PII.
              promptAttackInputStrength:
                d === undefined ? unknown(detail.ok ? "" : detail.reason) : (promptAttack?.inputStrength ?? "NONE"),
              contentFilterTypes:
                d === undefined
                  ? unknown(detail.ok ? "" : detail.reason)
                  : (d.contentPolicy?.filters ?? [])
                      .filter((f) => f.inputStrength !== "NONE" || f.outputStrength !== "NONE")
                      .map((f) => f.type ?? ""),
              sensitiveInformationFilter:
                d === undefined
                  ? unknown(detail.ok ? "" : detail.reason)
                  : (d.sensitiveInformationPolicy?.piiEntities?.length ?? 0) +
                      (d.sensitiveInformationPolicy?.regexes?.length ?? 0) >
                    0,
            }),
          }),
        ]);
      }),
    ),
    listing(
      ctx,
      "bedrock",
      "ListInferenceProfiles",
      paginateListInferenceProfiles(paging, { typeEquals: "APPLICATION" }),
      (page) =>
        eachItem(page.inferenceProfileSummaries, async (summary) => {
          const arn = summary.inferenceProfileArn ?? "";
          return subjects([
            asset(ctx, {
              kind: "inference-profile",
              type: "AWS::Bedrock::ApplicationInferenceProfile",
              id: arn,
              name: summary.inferenceProfileName ?? arn,
              tags: await tags(ctx, client, arn),
              models: (summary.models ?? []).map((m) => modelId(m.modelArn ?? "")).filter((m) => m !== ""),
              createdAt: iso(summary.createdAt) ?? unknown("no creation time"),
              native: nativeOf(summary),
            }),
          ]);
        }),
    ),
    listing(
      ctx,
      "bedrock",
      "ListMarketplaceModelEndpoints",
      paginateListMarketplaceModelEndpoints(paging, {}),
      (page) =>
        eachItem(page.marketplaceModelEndpoints, async (summary) => {
          const arn = summary.endpointArn ?? "";
          const [detail, tagMap] = await Promise.all([
            ctx.attempt("bedrock", "GetMarketplaceModelEndpoint", () =>
              client.send(new GetMarketplaceModelEndpointCommand({ endpointArn: arn })),
            ),
            tags(ctx, client, arn),
          ]);
          const sageMaker = detail.ok ? detail.value.marketplaceModelEndpoint?.endpointConfig?.sageMaker : undefined;
          return subjects([
            asset(ctx, {
              kind: "endpoint",
              type: "AWS::Bedrock::MarketplaceModelEndpoint",
              id: arn,
              name: arn.split("/").pop() ?? arn,
              tags: tagMap,
              cmk: tri(detail, () => Boolean(sageMaker?.kmsEncryptionKey)),
              privateNetwork: tri(detail, () => (sageMaker?.vpc?.subnetIds?.length ?? 0) > 0),
              models:
                summary.modelSourceIdentifier === undefined
                  ? unknown("model source not reported")
                  : [summary.modelSourceIdentifier],
              createdAt: iso(summary.createdAt) ?? unknown("no creation time"),
              native: nativeOf(summary, detail.ok ? (detail.value.marketplaceModelEndpoint ?? {}) : {}),
            }),
          ]);
        }),
    ),
  ]);
}

/** The region's model invocation logging configuration, as one asset so rules can require it. */
async function* invocationLogging(ctx: AwsCollectContext, client: BedrockClient): AsyncGenerator<ScanItem> {
  const read = await ctx.attempt("bedrock", "GetModelInvocationLoggingConfiguration", () =>
    client.send(new GetModelInvocationLoggingConfigurationCommand({})),
  );
  if (!read.ok && (read.code === "RegionDisabled" || read.code === "NotAvailable")) return;
  const config = read.ok ? read.value.loggingConfig : undefined;
  yield* subjects([
    asset(ctx, {
      kind: "logging-config",
      type: "AWS::Bedrock::ModelInvocationLoggingConfiguration",
      id: `arn:aws:bedrock:${ctx.region}:${ctx.account}:model-invocation-logging-configuration`,
      name: `bedrock-invocation-logging ${ctx.account} ${ctx.region}`,
      tags: {},
      logging: tri(
        read,
        () =>
          config !== undefined &&
          (config.s3Config?.bucketName !== undefined || config.cloudWatchConfig?.logGroupName !== undefined),
      ),
      native: nativeOf({ loggingConfig: read.ok ? (config ?? null) : unknown(read.reason) }),
    }),
  ]);
}

/**
 * The region's account-level enforced guardrail configurations (applied to every Bedrock inference call of the
 * account in the region), read once per target: Bedrock lists them and AgentCore runtimes are covered by them.
 */
export function enforcedGuardrails(
  ctx: AwsCollectContext,
): Promise<Attempt<AccountEnforcedGuardrailOutputConfiguration[]>> {
  return ctx.once("bedrock:enforced-guardrails", () =>
    ctx.attempt("bedrock", "ListEnforcedGuardrailsConfiguration", async () => {
      const configs: AccountEnforcedGuardrailOutputConfiguration[] = [];
      // The API takes no page size; the paginator follows its tokens.
      const client = ctx.client(BedrockClient, "bedrock");
      for await (const page of paginateListEnforcedGuardrailsConfiguration({ client }, {}))
        configs.push(...(page.guardrailsConfig ?? []));
      return configs;
    }),
  );
}

async function* enforcedGuardrailAssets(ctx: AwsCollectContext): AsyncGenerator<ScanItem> {
  const read = await enforcedGuardrails(ctx);
  if (!read.ok) return;
  yield* subjects(
    read.value.map((config) =>
      asset(ctx, {
        kind: "guardrail",
        type: "AWS::Bedrock::EnforcedGuardrailConfiguration",
        id: `arn:aws:bedrock:${ctx.region}:${ctx.account}:enforced-guardrail-configuration/${config.configId ?? ""}`,
        name: `enforced ${config.guardrailId ?? config.guardrailArn ?? ""}:${config.guardrailVersion ?? ""}`,
        // The configuration takes no tags: it is owned through the guardrail it enforces.
        tags: {},
        part: true,
        guardrail: true,
        createdAt: iso(config.createdAt) ?? unknown("no creation time"),
        native: nativeOf(config),
      }),
    ),
  );
}

/**
 * Foundation models whose Marketplace agreement was accepted (or is being accepted) in the region: an explicit
 * grant of model access, one `setting` per model so the model rules judge it. Models open without an agreement
 * (Amazon's, or every serverless model since model access became automatic) are not a decision anyone made and
 * are not reported.
 */
async function* modelAgreements(ctx: AwsCollectContext, client: BedrockClient): AsyncGenerator<ScanItem> {
  const list = await ctx.attempt("bedrock", "ListFoundationModels", () =>
    client.send(new ListFoundationModelsCommand({})),
  );
  if (!list.ok) return;
  const found = await eachItem(list.value.modelSummaries, async (model) => {
    const id = model.modelId ?? "";
    const read = await ctx.attempt("bedrock", "GetFoundationModelAvailability", () =>
      client.send(new GetFoundationModelAvailabilityCommand({ modelId: id })),
    );
    const agreement = read.ok ? read.value.agreementAvailability?.status : undefined;
    if (agreement !== "AVAILABLE" && agreement !== "PENDING") return [];
    return subjects([
      asset(ctx, {
        kind: "setting",
        type: "AWS::Bedrock::FoundationModelAgreement",
        id: `arn:aws:bedrock:${ctx.region}:${ctx.account}:foundation-model-agreement/${id}`,
        name: `model access ${id}`,
        tags: {},
        models: [modelId(id)],
        native: nativeOf(read.ok ? read.value : {}, { modelName: model.modelName, providerName: model.providerName }),
      }),
    ]);
  });
  yield* found;
}
