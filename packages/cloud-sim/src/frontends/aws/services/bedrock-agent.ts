import { AwsError, toRestJson } from "../protocol.ts";
import { type AwsCall, type AwsService, read, regionOf } from "../service.ts";
import { bedrockList, findEntry, restJsonEntry } from "./bedrock-list.ts";
import { type ResourceTable, resourceTable, type WorldEntry } from "../resource-table.ts";
import type { Tags } from "../world.ts";
import { DEFAULT_TIME, type IndexedRegion, regionCache, stableId } from "../world-index.ts";

type Entry = WorldEntry;

/** An agent's parts, from its `actionGroups`, `aliases` and `collaborators` lists in the world. */
interface AgentParts {
  readonly actionGroups: ResourceTable<Entry>;
  readonly aliases: readonly Entry[];
  readonly collaborators: readonly Entry[];
}

interface AgentData {
  readonly agents: ResourceTable<Entry>;
  readonly parts: ReadonlyMap<string, AgentParts>;
  readonly flows: ResourceTable<Entry>;
  readonly prompts: ResourceTable<Entry>;
  readonly knowledgeBases: ResourceTable<Entry>;
  /** Data sources by knowledge base id, from each knowledge base's `dataSources` list in the world. */
  readonly dataSources: ReadonlyMap<string, ResourceTable<Entry>>;
  readonly tags: ReadonlyMap<string, Tags>;
}

/** Agent and knowledge base ids are 10 upper-case alphanumerics. */
function resourceId(region: IndexedRegion, kind: string, name: string): string {
  return stableId(`${region.account}/${region.region}/${kind}/${name}`, 10).toUpperCase();
}

function data(region: IndexedRegion): AgentData {
  return regionCache(region, "bedrock-agent", () => {
    const world = region.raw.bedrockAgent ?? {};
    const tags = new Map<string, Tags>();
    const prefix = `arn:aws:bedrock:${region.region}:${region.account}`;
    const parts = new Map<string, AgentParts>();
    const agents = (world.agents ?? []).map(({ actionGroups, aliases, collaborators, ...agent }) => {
      const agentId = String(agent.agentId ?? resourceId(region, "agent", agent.agentName));
      const part = (kind: string, name: unknown) => resourceId(region, `${kind}/${agentId}`, String(name));
      parts.set(agentId, {
        actionGroups: resourceTable(
          (actionGroups ?? []).map(
            (group): Entry => ({
              agentId,
              agentVersion: "DRAFT",
              actionGroupId: part("action-group", group.actionGroupName),
              actionGroupState: "ENABLED",
              createdAt: DEFAULT_TIME,
              updatedAt: group.createdAt ?? DEFAULT_TIME,
              ...group,
            }),
          ),
          (group) => String(group.actionGroupId),
        ),
        aliases: (aliases ?? []).map(
          (alias): Entry => ({
            agentAliasId: part("alias", alias.agentAliasName),
            agentAliasStatus: "PREPARED",
            routingConfiguration: [{ agentVersion: "1" }],
            createdAt: DEFAULT_TIME,
            updatedAt: alias.createdAt ?? DEFAULT_TIME,
            ...alias,
          }),
        ),
        collaborators: (collaborators ?? []).map(
          (collaborator): Entry => ({
            agentId,
            agentVersion: "DRAFT",
            collaboratorId: part("collaborator", collaborator.collaboratorName),
            collaborationInstruction: "",
            relayConversationHistory: "DISABLED",
            createdAt: DEFAULT_TIME,
            lastUpdatedAt: collaborator.createdAt ?? DEFAULT_TIME,
            ...collaborator,
          }),
        ),
      });
      const filled: Entry = {
        agentId,
        agentArn: `${prefix}:agent/${agentId}`,
        agentVersion: "DRAFT",
        agentStatus: "PREPARED",
        latestAgentVersion: "1",
        idleSessionTTLInSeconds: 600,
        agentResourceRoleArn: `arn:aws:iam::${region.account}:role/service-role/AmazonBedrockExecutionRoleForAgents_${agentId}`,
        createdAt: DEFAULT_TIME,
        updatedAt: agent.createdAt ?? DEFAULT_TIME,
        preparedAt: agent.createdAt ?? DEFAULT_TIME,
        orchestrationType: "DEFAULT",
        ...agent,
      };
      if (agent.tags !== undefined) tags.set(String(filled.agentArn), agent.tags);
      return filled;
    });
    const dataSources = new Map<string, ResourceTable<Entry>>();
    const knowledgeBases = (world.knowledgeBases ?? []).map(({ dataSources: sources, ...kb }) => {
      const knowledgeBaseId = String(kb.knowledgeBaseId ?? resourceId(region, "knowledge-base", kb.name));
      const filledSources = (sources ?? []).map(
        (source): Entry => ({
          knowledgeBaseId,
          dataSourceId: String(
            source.dataSourceId ?? resourceId(region, `data-source/${knowledgeBaseId}`, source.name),
          ),
          status: "AVAILABLE",
          dataSourceConfiguration: { type: "S3", s3Configuration: { bucketArn: `arn:aws:s3:::${source.name}` } },
          dataDeletionPolicy: "DELETE",
          createdAt: DEFAULT_TIME,
          updatedAt: source.createdAt ?? DEFAULT_TIME,
          ...source,
        }),
      );
      dataSources.set(
        knowledgeBaseId,
        resourceTable(filledSources, (d) => String(d.dataSourceId)),
      );
      const filled: Entry = {
        knowledgeBaseId,
        knowledgeBaseArn: `${prefix}:knowledge-base/${knowledgeBaseId}`,
        roleArn: `arn:aws:iam::${region.account}:role/service-role/AmazonBedrockExecutionRoleForKnowledgeBase_${knowledgeBaseId}`,
        status: "ACTIVE",
        knowledgeBaseConfiguration: {
          type: "VECTOR",
          vectorKnowledgeBaseConfiguration: {
            embeddingModelArn: `arn:aws:bedrock:${region.region}::foundation-model/amazon.titan-embed-text-v2:0`,
          },
        },
        storageConfiguration: { type: "OPENSEARCH_SERVERLESS" },
        createdAt: DEFAULT_TIME,
        updatedAt: kb.createdAt ?? DEFAULT_TIME,
        ...kb,
      };
      if (kb.tags !== undefined) tags.set(String(filled.knowledgeBaseArn), kb.tags);
      return filled;
    });
    const versioned = (list: readonly (Entry & { name: string })[] | undefined, kind: string) =>
      (list ?? []).map((item) => {
        const id = String(item.id ?? resourceId(region, kind, item.name));
        const filled: Entry = {
          id,
          arn: `${prefix}:${kind}/${id}`,
          version: "DRAFT",
          createdAt: DEFAULT_TIME,
          updatedAt: item.createdAt ?? DEFAULT_TIME,
          ...item,
        };
        if (item.tags !== undefined) tags.set(String(filled.arn), item.tags);
        return filled;
      });
    const flows = versioned(world.flows, "flow").map(
      (flow): Entry => ({
        status: "Prepared",
        executionRoleArn: `arn:aws:iam::${region.account}:role/service-role/AmazonBedrockExecutionRoleForFlows_${String(flow.id)}`,
        ...flow,
      }),
    );
    return {
      agents: resourceTable(agents, (a) => String(a.agentId)),
      parts,
      flows: resourceTable(flows, (f) => String(f.id)),
      prompts: resourceTable(versioned(world.prompts, "prompt"), (p) => String(p.id)),
      knowledgeBases: resourceTable(knowledgeBases, (k) => String(k.knowledgeBaseId)),
      dataSources,
      tags,
    };
  });
}

/** The parts of the agent a call names (any version: the world keeps one, the DRAFT). */
function partsOf(call: AwsCall): AgentParts {
  const all = data(regionOf(call));
  findEntry(all.agents, call.input.agentId, "Agent");
  return all.parts.get(String(call.input.agentId))!;
}

export const bedrockAgent: AwsService = {
  name: "bedrock-agent",
  signingName: "bedrock",
  protocol: "restJson1",
  global: false,
  throttle: { code: "ThrottlingException", status: 429 },
  routes: [
    { method: "POST", path: "/agents/", operation: "ListAgents" },
    { method: "GET", path: "/agents/{agentId}/", operation: "GetAgent" },
    { method: "POST", path: "/knowledgebases/", operation: "ListKnowledgeBases" },
    { method: "GET", path: "/knowledgebases/{knowledgeBaseId}", operation: "GetKnowledgeBase" },
    { method: "POST", path: "/knowledgebases/{knowledgeBaseId}/datasources/", operation: "ListDataSources" },
    { method: "GET", path: "/knowledgebases/{knowledgeBaseId}/datasources/{dataSourceId}", operation: "GetDataSource" },
    {
      method: "POST",
      path: "/agents/{agentId}/agentversions/{agentVersion}/actiongroups/",
      operation: "ListAgentActionGroups",
    },
    {
      method: "GET",
      path: "/agents/{agentId}/agentversions/{agentVersion}/actiongroups/{actionGroupId}/",
      operation: "GetAgentActionGroup",
    },
    { method: "POST", path: "/agents/{agentId}/agentaliases/", operation: "ListAgentAliases" },
    {
      method: "POST",
      path: "/agents/{agentId}/agentversions/{agentVersion}/agentcollaborators/",
      operation: "ListAgentCollaborators",
    },
    { method: "GET", path: "/flows/", operation: "ListFlows" },
    { method: "GET", path: "/flows/{flowIdentifier}/", operation: "GetFlow" },
    { method: "GET", path: "/prompts/", operation: "ListPrompts" },
    { method: "GET", path: "/prompts/{promptIdentifier}/", operation: "GetPrompt" },
    { method: "GET", path: "/tags/{resourceArn}", operation: "ListTagsForResource" },
  ],
  operations: {
    ListAgents: read((call) =>
      bedrockList("bedrock-agent", call, data(regionOf(call)).agents.list, "agentSummaries", [
        "agentId",
        "agentName",
        "agentStatus",
        "updatedAt",
        "description",
        "latestAgentVersion",
        "guardrailConfiguration",
      ]),
    ),
    GetAgent: read((call) => ({
      agent: toRestJson(findEntry(data(regionOf(call)).agents, call.input.agentId, "Agent")),
    })),
    ListAgentActionGroups: read((call) =>
      bedrockList("bedrock-agent", call, partsOf(call).actionGroups.list, "actionGroupSummaries", [
        "actionGroupId",
        "actionGroupName",
        "actionGroupState",
        "description",
        "updatedAt",
      ]),
    ),
    GetAgentActionGroup: read((call) => ({
      agentActionGroup: restJsonEntry(findEntry(partsOf(call).actionGroups, call.input.actionGroupId, "ActionGroup")),
    })),
    ListAgentAliases: read((call) =>
      bedrockList("bedrock-agent", call, partsOf(call).aliases, "agentAliasSummaries", [
        "agentAliasId",
        "agentAliasName",
        "description",
        "routingConfiguration",
        "agentAliasStatus",
        "createdAt",
        "updatedAt",
      ]),
    ),
    ListAgentCollaborators: read((call) =>
      bedrockList("bedrock-agent", call, partsOf(call).collaborators, "agentCollaboratorSummaries", [
        "agentId",
        "agentVersion",
        "collaboratorId",
        "agentDescriptor",
        "collaborationInstruction",
        "relayConversationHistory",
        "collaboratorName",
        "createdAt",
        "lastUpdatedAt",
      ]),
    ),
    ListFlows: read((call) =>
      bedrockList("bedrock-agent", call, data(regionOf(call)).flows.list, "flowSummaries", [
        "name",
        "description",
        "id",
        "arn",
        "status",
        "createdAt",
        "updatedAt",
        "version",
      ]),
    ),
    GetFlow: read((call) => restJsonEntry(findEntry(data(regionOf(call)).flows, call.input.flowIdentifier, "Flow"))),
    ListPrompts: read((call) =>
      bedrockList("bedrock-agent", call, data(regionOf(call)).prompts.list, "promptSummaries", [
        "name",
        "description",
        "id",
        "arn",
        "version",
        "createdAt",
        "updatedAt",
      ]),
    ),
    GetPrompt: read((call) =>
      restJsonEntry(findEntry(data(regionOf(call)).prompts, call.input.promptIdentifier, "Prompt")),
    ),
    ListKnowledgeBases: read((call) =>
      bedrockList("bedrock-agent", call, data(regionOf(call)).knowledgeBases.list, "knowledgeBaseSummaries", [
        "knowledgeBaseId",
        "name",
        "status",
        "updatedAt",
        "description",
      ]),
    ),
    GetKnowledgeBase: read((call) => ({
      knowledgeBase: toRestJson(
        findEntry(data(regionOf(call)).knowledgeBases, call.input.knowledgeBaseId, "KnowledgeBase"),
      ),
    })),
    ListDataSources: read((call) => {
      const all = data(regionOf(call));
      findEntry(all.knowledgeBases, call.input.knowledgeBaseId, "KnowledgeBase");
      const sources = all.dataSources.get(String(call.input.knowledgeBaseId))?.list ?? [];
      return bedrockList("bedrock-agent", call, sources, "dataSourceSummaries", [
        "knowledgeBaseId",
        "dataSourceId",
        "name",
        "status",
        "updatedAt",
        "description",
      ]);
    }),
    GetDataSource: read((call) => {
      const all = data(regionOf(call));
      findEntry(all.knowledgeBases, call.input.knowledgeBaseId, "KnowledgeBase");
      const table = all.dataSources.get(String(call.input.knowledgeBaseId));
      if (table === undefined)
        throw new AwsError(
          "ResourceNotFoundException",
          `DataSource ${String(call.input.dataSourceId)} is not found.`,
          404,
        );
      return { dataSource: toRestJson(findEntry(table, call.input.dataSourceId, "DataSource")) };
    }),
    ListTagsForResource: read((call) => {
      const arn = String(call.input.resourceArn ?? "");
      const tags = data(regionOf(call)).tags.get(arn);
      if (tags === undefined && !arn.includes(`:${regionOf(call).account}:`))
        throw new AwsError("ResourceNotFoundException", `Resource ${arn} is not found.`, 404);
      return { tags: tags ?? {} };
    }),
  },
};
