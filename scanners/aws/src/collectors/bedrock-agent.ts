import type { Asset, Maybe, ScanItem, ToolReach } from "@aigov/core";
import { unknown } from "@aigov/core";
import { modelId } from "@aigov/normalize";
import {
  type ActionGroupExecutor,
  type AgentCollaboratorSummary,
  BedrockAgentClient,
  type DataSource,
  GetAgentActionGroupCommand,
  GetAgentCommand,
  GetFlowCommand,
  GetPromptCommand,
  GetDataSourceCommand,
  GetKnowledgeBaseCommand,
  ListTagsForResourceCommand,
  paginateListAgentActionGroups,
  paginateListAgentAliases,
  paginateListAgentCollaborators,
  paginateListAgents,
  paginateListFlows,
  paginateListPrompts,
  paginateListDataSources,
  paginateListKnowledgeBases,
} from "@aws-sdk/client-bedrock-agent";
import {
  type AssetFields,
  type Attempt,
  asset,
  eachItem,
  fact,
  listing,
  merge,
  subjects,
  tri,
} from "@aigov/scanner-kit";
import { roleIsAdministrator } from "./iam-privileges.ts";
import { type AwsCollectContext, collected, iso, lambdaReach, nativeOf, pageSize } from "../collect-context.ts";

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

/**
 * Bedrock agents (with their guardrail and model, their action groups, aliases and collaborators), flows, prompts,
 * and knowledge bases (with their data sources' encryption).
 */
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
        const [actionGroups, aliases, collaborators, administrator] = await Promise.all([
          agentActionGroups(ctx, client, id, arn, summary.agentName ?? id),
          agentAliases(ctx, client, id, arn, summary.agentName ?? id),
          agentCollaborators(ctx, client, id),
          detail.ok ? roleIsAdministrator(ctx, agent?.agentResourceRoleArn) : unknown(detail.reason),
        ]);
        const agentAsset = asset(ctx, {
          kind: "agent",
          type: "AWS::Bedrock::Agent",
          id: arn,
          name: summary.agentName ?? id,
          tags: await tags(ctx, client, arn),
          // The list summary carries the guardrail too, so it is known even when GetAgent is denied.
          guardrail: guardrail !== undefined ? Boolean(guardrail.guardrailIdentifier) : tri(detail, () => false),
          cmk: tri(detail, () => Boolean(agent?.customerEncryptionKeyArn)),
          administrator,
          models: fact(detail, () => (agent?.foundationModel === undefined ? [] : [modelId(agent.foundationModel)])),
          createdAt:
            agent?.createdAt === undefined
              ? unknown(detail.ok ? "no creation time" : detail.reason)
              : (iso(agent.createdAt) ?? unknown("no creation time")),
          native: nativeOf(summary, agent ?? {}, {
            // The agents this one delegates to (multi-agent collaboration), by alias ARN.
            collaboratorAliasArns: collaborators.ok
              ? collaborators.value.map((c) => c.agentDescriptor?.aliasArn ?? c.collaboratorName ?? "")
              : unknown(collaborators.reason),
            collaborators: collaborators.ok
              ? collaborators.value.map((c) => nativeOf(c))
              : unknown(collaborators.reason),
          }),
        });
        return [...subjects([agentAsset]), ...actionGroups, ...aliases];
      }),
    ),
    listing(ctx, "bedrock-agent", "ListFlows", paginateListFlows(paging, {}), (page) =>
      eachItem(page.flowSummaries, (summary) =>
        managed(
          ctx,
          client,
          summary,
          "flow",
          "GetFlow",
          (id) => client.send(new GetFlowCommand({ flowIdentifier: id })),
          () => ({
            kind: "agent",
            type: "AWS::Bedrock::Flow",
          }),
        ),
      ),
    ),
    listing(ctx, "bedrock-agent", "ListPrompts", paginateListPrompts(paging, {}), (page) =>
      eachItem(page.promptSummaries, (summary) =>
        managed(
          ctx,
          client,
          summary,
          "prompt",
          "GetPrompt",
          (id) => client.send(new GetPromptCommand({ promptIdentifier: id })),
          (detail) => ({
            kind: "prompt",
            type: "AWS::Bedrock::Prompt",
            models: fact(detail, () =>
              (detail.ok ? (detail.value.variants ?? []) : []).flatMap((v) =>
                v.modelId === undefined ? [] : [modelId(v.modelId)],
              ),
            ),
          }),
        ),
      ),
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

/**
 * A flow or a prompt (Bedrock's managed, versioned resources): its CMK and tags, and what its kind adds from its Get
 * answer.
 */
async function managed<D extends { customerEncryptionKeyArn?: string }>(
  ctx: AwsCollectContext,
  client: BedrockAgentClient,
  summary: { id?: string; arn?: string; name?: string; createdAt?: Date },
  resource: "flow" | "prompt",
  operation: string,
  get: (id: string) => Promise<D>,
  facts: (detail: Attempt<D>) => Pick<AssetFields, "kind" | "type"> & Partial<AssetFields>,
): Promise<ScanItem[]> {
  const id = summary.id ?? "";
  const arn = summary.arn ?? `arn:aws:bedrock:${ctx.region}:${ctx.account}:${resource}/${id}`;
  const [detail, tagMap] = await Promise.all([
    ctx.attempt("bedrock-agent", operation, () => get(id)),
    tags(ctx, client, arn),
  ]);
  return subjects([
    asset(ctx, {
      id: arn,
      name: summary.name ?? id,
      tags: tagMap,
      cmk: tri(detail, () => Boolean(detail.ok && detail.value.customerEncryptionKeyArn)),
      createdAt: iso(summary.createdAt) ?? unknown("no creation time"),
      native: nativeOf(summary, detail.ok ? detail.value : {}),
      ...facts(detail),
    }),
  ]);
}

// An agent's parts are read for its working draft: the version its action groups and collaborators are edited in.
const DRAFT = "DRAFT";

/**
 * An agent's action groups, its tools: each runs a Lambda function (in the agent's account or another) or returns
 * control to the application that called the agent. Calling an agent takes IAM credentials, so does its tool.
 */
async function agentActionGroups(
  ctx: AwsCollectContext,
  client: BedrockAgentClient,
  agentId: string,
  agentArn: string,
  agentName: string,
): Promise<ScanItem[]> {
  return collected(
    listing(
      ctx,
      "bedrock-agent",
      "ListAgentActionGroups",
      paginateListAgentActionGroups({ client, pageSize: pageSize(ctx, MAX_PAGE) }, { agentId, agentVersion: DRAFT }),
      (page) =>
        eachItem(page.actionGroupSummaries, async (summary) => {
          const detail = await ctx.attempt("bedrock-agent", "GetAgentActionGroup", () =>
            client.send(
              new GetAgentActionGroupCommand({ agentId, agentVersion: DRAFT, actionGroupId: summary.actionGroupId }),
            ),
          );
          const group = detail.ok ? detail.value.agentActionGroup : undefined;
          const executor = group?.actionGroupExecutor;
          return subjects([
            asset(ctx, {
              kind: "tool",
              type: "AWS::Bedrock::AgentActionGroup",
              id: `${agentArn}/action-group/${summary.actionGroupId ?? ""}`,
              name: `${agentName}/${summary.actionGroupName ?? summary.actionGroupId ?? ""}`,
              // Action groups take no tags: they are owned through their agent.
              tags: {},
              part: true,
              authorizer: "iam",
              reach: detail.ok ? executorReach(executor, ctx.account) : unknown(detail.reason),
              createdAt: iso(group?.createdAt ?? summary.updatedAt) ?? unknown("no creation time"),
              native: nativeOf(summary, group ?? {}, { agentArn }),
            }),
          ]);
        }),
    ),
  );
}

/** Where an action group's executor reaches: a Lambda function's account, or the calling application. */
function executorReach(executor: ActionGroupExecutor | undefined, account: string): Maybe<ToolReach> {
  if (executor?.lambda !== undefined) return lambdaReach(executor.lambda, account);
  if (executor?.customControl === "RETURN_CONTROL") return "client";
  return unknown("the action group names no executor aigov knows");
}

/** An agent's aliases: parts of the agent (what applications invoke), owned through it. */
async function agentAliases(
  ctx: AwsCollectContext,
  client: BedrockAgentClient,
  agentId: string,
  agentArn: string,
  agentName: string,
): Promise<ScanItem[]> {
  return collected(
    listing(
      ctx,
      "bedrock-agent",
      "ListAgentAliases",
      paginateListAgentAliases({ client, pageSize: pageSize(ctx, MAX_PAGE) }, { agentId }),
      (page) =>
        eachItem(page.agentAliasSummaries, async (summary) =>
          subjects([
            asset(ctx, {
              kind: "agent",
              type: "AWS::Bedrock::AgentAlias",
              id: `${agentArn.replace(":agent/", ":agent-alias/")}/${summary.agentAliasId ?? ""}`,
              name: `${agentName}/${summary.agentAliasName ?? summary.agentAliasId ?? ""}`,
              tags: {},
              part: true,
              createdAt: iso(summary.createdAt) ?? unknown("no creation time"),
              native: nativeOf(summary, { agentArn }),
            }),
          ]),
        ),
    ),
  );
}

/** The agents a supervisor agent delegates to. */
async function agentCollaborators(ctx: AwsCollectContext, client: BedrockAgentClient, agentId: string) {
  return ctx.attempt("bedrock-agent", "ListAgentCollaborators", async () => {
    const found: AgentCollaboratorSummary[] = [];
    for await (const page of paginateListAgentCollaborators(
      { client, pageSize: pageSize(ctx, MAX_PAGE) },
      { agentId, agentVersion: DRAFT },
    ))
      found.push(...(page.agentCollaboratorSummaries ?? []));
    return found;
  });
}
