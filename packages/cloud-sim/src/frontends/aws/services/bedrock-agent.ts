import { AwsError, toRestJson } from "../protocol.ts";
import { type AwsService, read, regionOf } from "../service.ts";
import { bedrockList, findEntry } from "./bedrock-list.ts";
import { type ResourceTable, resourceTable, type WorldEntry } from "../resource-table.ts";
import type { Tags } from "../world.ts";
import { DEFAULT_TIME, type IndexedRegion, regionCache, stableId } from "../world-index.ts";

type Entry = WorldEntry;

interface AgentData {
  readonly agents: ResourceTable<Entry>;
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
    const agents = (world.agents ?? []).map((agent) => {
      const agentId = String(agent.agentId ?? resourceId(region, "agent", agent.agentName));
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
    return {
      agents: resourceTable(agents, (a) => String(a.agentId)),
      knowledgeBases: resourceTable(knowledgeBases, (k) => String(k.knowledgeBaseId)),
      dataSources,
      tags,
    };
  });
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
