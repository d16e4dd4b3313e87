import type { Asset, ScanItem } from "@aigov/core";
import { unknown } from "@aigov/core";
import { modelId } from "@aigov/normalize";
import {
  BedrockAgentClient,
  type DataSource,
  GetAgentCommand,
  GetDataSourceCommand,
  GetKnowledgeBaseCommand,
  ListTagsForResourceCommand,
  paginateListAgents,
  paginateListDataSources,
  paginateListKnowledgeBases,
} from "@aws-sdk/client-bedrock-agent";
import { asset, eachItem, fact, listing, merge, subjects, tri } from "@aigov/scanner-kit";
import { type AwsCollectContext, iso, nativeOf, pageSize } from "../collect-context.ts";

const MAX_PAGE = 1000;

async function tags(
  ctx: AwsCollectContext,
  client: BedrockAgentClient,
  arn: string | undefined,
): Promise<Asset["tags"]> {
  if (arn === undefined) return unknown("resource has no ARN");
  const read = await ctx.attempt("bedrock-agent", "ListTagsForResource", () =>
    client.send(new ListTagsForResourceCommand({ resourceArn: arn })),
  );
  return read.ok ? { ...(read.value.tags ?? {}) } : unknown(read.reason);
}

/** Bedrock agents (with their guardrail and model) and knowledge bases (with their data sources' encryption). */
export async function* collectBedrockAgent(ctx: AwsCollectContext): AsyncGenerator<ScanItem> {
  const client = ctx.client(BedrockAgentClient, "bedrock-agent");
  const paging = { client, pageSize: pageSize(ctx, MAX_PAGE) };
  yield* merge([
    listing(ctx, "bedrock-agent", "ListAgents", paginateListAgents(paging, {}), (page) =>
      eachItem(page.agentSummaries, async (summary) => {
        const id = summary.agentId ?? "";
        const detail = await ctx.attempt("bedrock-agent", "GetAgent", () =>
          client.send(new GetAgentCommand({ agentId: id })),
        );
        const agent = detail.ok ? detail.value.agent : undefined;
        const arn = agent?.agentArn ?? `arn:aws:bedrock:${ctx.region}:${ctx.account}:agent/${id}`;
        const guardrail = agent?.guardrailConfiguration ?? summary.guardrailConfiguration;
        return subjects([
          asset(ctx, {
            kind: "agent",
            type: "AWS::Bedrock::Agent",
            id: arn,
            name: summary.agentName ?? id,
            tags: await tags(ctx, client, arn),
            // The list summary carries the guardrail too, so it is known even when GetAgent is denied.
            guardrail: guardrail !== undefined ? Boolean(guardrail.guardrailIdentifier) : tri(detail, () => false),
            cmk: tri(detail, () => Boolean(agent?.customerEncryptionKeyArn)),
            models: fact(detail, () => (agent?.foundationModel === undefined ? [] : [modelId(agent.foundationModel)])),
            createdAt:
              agent?.createdAt === undefined
                ? unknown(detail.ok ? "no creation time" : detail.reason)
                : (iso(agent.createdAt) ?? unknown("no creation time")),
            native: nativeOf(summary, agent ?? {}),
          }),
        ]);
      }),
    ),
    listing(ctx, "bedrock-agent", "ListKnowledgeBases", paginateListKnowledgeBases(paging, {}), (page) =>
      eachItem(page.knowledgeBaseSummaries, async (summary) => {
        const id = summary.knowledgeBaseId ?? "";
        const [detail, sources] = await Promise.all([
          ctx.attempt("bedrock-agent", "GetKnowledgeBase", () =>
            client.send(new GetKnowledgeBaseCommand({ knowledgeBaseId: id })),
          ),
          dataSources(ctx, client, id),
        ]);
        const kb = detail.ok ? detail.value.knowledgeBase : undefined;
        const arn = kb?.knowledgeBaseArn ?? `arn:aws:bedrock:${ctx.region}:${ctx.account}:knowledge-base/${id}`;
        const embedding = kb?.knowledgeBaseConfiguration?.vectorKnowledgeBaseConfiguration?.embeddingModelArn;
        return subjects([
          asset(ctx, {
            kind: "knowledge-base",
            type: "AWS::Bedrock::KnowledgeBase",
            id: arn,
            name: summary.name ?? id,
            tags: await tags(ctx, client, arn),
            // A knowledge base's data is encrypted per data source; CMK means every data source has one.
            cmk: sources.ok
              ? sources.value.length > 0 &&
                sources.value.every((s) => Boolean(s.serverSideEncryptionConfiguration?.kmsKeyArn))
              : unknown(sources.reason),
            models: fact(detail, () => (embedding === undefined ? [] : [modelId(embedding)])),
            createdAt:
              kb?.createdAt === undefined
                ? unknown(detail.ok ? "no creation time" : detail.reason)
                : (iso(kb.createdAt) ?? unknown("no creation time")),
            native: nativeOf(summary, kb ?? {}, {
              dataSources: sources.ok ? sources.value.map((s) => nativeOf(s)) : unknown(sources.reason),
            }),
          }),
        ]);
      }),
    ),
  ]);
}

async function dataSources(ctx: AwsCollectContext, client: BedrockAgentClient, knowledgeBaseId: string) {
  const listed = await ctx.attempt("bedrock-agent", "ListDataSources", async () => {
    const ids: string[] = [];
    for await (const page of paginateListDataSources(
      { client, pageSize: pageSize(ctx, MAX_PAGE) },
      { knowledgeBaseId },
    )) {
      for (const source of page.dataSourceSummaries ?? []) if (source.dataSourceId) ids.push(source.dataSourceId);
    }
    return ids;
  });
  if (!listed.ok) return listed;
  return ctx.attempt("bedrock-agent", "GetDataSource", () =>
    Promise.all(
      listed.value.map(
        async (dataSourceId): Promise<DataSource> =>
          (await client.send(new GetDataSourceCommand({ knowledgeBaseId, dataSourceId }))).dataSource ??
          ({} as DataSource),
      ),
    ),
  );
}
