import { AwsError } from "../protocol.ts";
import { type AwsService, read, regionOf } from "../service.ts";
import { type ResourceTable, resourceTable, type WorldEntry } from "../resource-table.ts";
import { bedrockList, epochTimes, findEntry, restJsonEntry } from "./bedrock-list.ts";
import type { Tags } from "../world.ts";
import { DEFAULT_TIME, type IndexedRegion, regionCache, stableId } from "../world-index.ts";

type Entry = WorldEntry;

interface AgentCoreData {
  readonly runtimes: ResourceTable<Entry>;
  /** Endpoints by runtime id, from each runtime's `endpoints` list in the world (DEFAULT when absent). */
  readonly runtimeEndpoints: ReadonlyMap<string, ResourceTable<Entry>>;
  readonly gateways: ResourceTable<Entry>;
  /** Targets by gateway id, from each gateway's `targets` list in the world. */
  readonly gatewayTargets: ReadonlyMap<string, ResourceTable<Entry>>;
  readonly memories: ResourceTable<Entry>;
  readonly browsers: ResourceTable<Entry>;
  readonly codeInterpreters: ResourceTable<Entry>;
  readonly apiKeyProviders: ResourceTable<Entry>;
  readonly oauth2Providers: ResourceTable<Entry>;
  readonly tags: ReadonlyMap<string, Tags>;
}

/** AgentCore ids are the resource's name, a dash and 10 random alphanumerics (`support_agent-a1B2c3D4e5`). */
function resourceId(region: IndexedRegion, kind: string, name: string): string {
  return `${name}-${stableId(`${region.account}/${region.region}/${kind}/${name}`, 10)}`;
}

function data(region: IndexedRegion): AgentCoreData {
  return regionCache(region, "bedrock-agentcore", () => {
    const world = region.raw.bedrockAgentCore ?? {};
    const prefix = `arn:aws:bedrock-agentcore:${region.region}:${region.account}`;
    const tags = new Map<string, Tags>();
    const tagged = (entry: Entry, arnField: string, source: { readonly tags?: Tags }) => {
      if (source.tags !== undefined) tags.set(String(entry[arnField]), source.tags);
      return entry;
    };
    const runtimeEndpoints = new Map<string, ResourceTable<Entry>>();
    const runtimes = (world.agentRuntimes ?? []).map(({ endpoints, ...runtime }) => {
      const agentRuntimeId = String(runtime.agentRuntimeId ?? resourceId(region, "runtime", runtime.agentRuntimeName));
      const agentRuntimeArn = `${prefix}:runtime/${agentRuntimeId}`;
      const filled: Entry = {
        agentRuntimeId,
        agentRuntimeArn,
        agentRuntimeVersion: "1",
        description: "",
        status: "READY",
        roleArn: `arn:aws:iam::${region.account}:role/AgentCoreRuntime-${runtime.agentRuntimeName}`,
        networkConfiguration: { networkMode: "PUBLIC" },
        lifecycleConfiguration: { idleRuntimeSessionTimeout: 900, maxLifetime: 28800 },
        protocolConfiguration: { serverProtocol: "HTTP" },
        createdAt: DEFAULT_TIME,
        lastUpdatedAt: runtime.createdAt ?? DEFAULT_TIME,
        ...runtime,
      };
      const filledEndpoints = (endpoints ?? [{ name: "DEFAULT" }]).map(
        (endpoint): Entry => ({
          id: stableId(`${agentRuntimeArn}/endpoint/${endpoint.name}`, 10),
          agentRuntimeArn,
          agentRuntimeEndpointArn: `${agentRuntimeArn}/runtime-endpoint/${endpoint.name}`,
          liveVersion: "1",
          status: "READY",
          createdAt: DEFAULT_TIME,
          lastUpdatedAt: endpoint.createdAt ?? DEFAULT_TIME,
          ...endpoint,
        }),
      );
      for (const endpoint of filledEndpoints) tagged(endpoint, "agentRuntimeEndpointArn", endpoint);
      runtimeEndpoints.set(
        agentRuntimeId,
        resourceTable(filledEndpoints, (e) => String(e.name)),
      );
      return tagged(filled, "agentRuntimeArn", runtime);
    });
    const gatewayTargets = new Map<string, ResourceTable<Entry>>();
    const gateways = (world.gateways ?? []).map(({ targets, ...gateway }) => {
      const gatewayId = String(gateway.gatewayId ?? resourceId(region, "gateway", gateway.name).toLowerCase());
      const gatewayArn = `${prefix}:gateway/${gatewayId}`;
      const filled: Entry = {
        gatewayId,
        gatewayArn,
        gatewayUrl: `https://${gatewayId}.gateway.bedrock-agentcore.${region.region}.amazonaws.com/mcp`,
        status: "READY",
        roleArn: `arn:aws:iam::${region.account}:role/AgentCoreGateway-${gateway.name}`,
        protocolType: "MCP",
        authorizerType: "AWS_IAM",
        createdAt: DEFAULT_TIME,
        updatedAt: gateway.createdAt ?? DEFAULT_TIME,
        ...gateway,
      };
      const filledTargets = (targets ?? []).map(
        (target): Entry => ({
          gatewayArn,
          targetId: stableId(`${gatewayArn}/target/${target.name}`, 10).toUpperCase(),
          status: "READY",
          credentialProviderConfigurations: [{ credentialProviderType: "GATEWAY_IAM_ROLE" }],
          createdAt: DEFAULT_TIME,
          updatedAt: target.createdAt ?? DEFAULT_TIME,
          ...target,
        }),
      );
      gatewayTargets.set(
        gatewayId,
        resourceTable(filledTargets, (t) => String(t.targetId)),
      );
      return tagged(filled, "gatewayArn", gateway);
    });
    const memories = (world.memories ?? []).map((memory) => {
      const id = String(memory.id ?? resourceId(region, "memory", memory.name));
      return tagged(
        {
          id,
          arn: `${prefix}:memory/${id}`,
          status: "ACTIVE",
          eventExpiryDuration: 90,
          strategies: [],
          ...memory,
          // Memory and credential provider times are epoch seconds on the wire (restJson1's default); the rest of
          // AgentCore sends ISO date-times.
          ...epochTimes(memory, "createdAt", "updatedAt"),
        },
        "arn",
        memory,
      );
    });
    const tool = (list: readonly (Entry & { name: string })[] | undefined, kind: string, field: string) =>
      (list ?? []).map((item) => {
        const id = String(item[`${field}Id`] ?? resourceId(region, kind, item.name));
        return tagged(
          {
            [`${field}Id`]: id,
            [`${field}Arn`]: `${prefix}:${kind}/${id}`,
            status: "READY",
            networkConfiguration: { networkMode: "PUBLIC" },
            createdAt: DEFAULT_TIME,
            lastUpdatedAt: item.createdAt ?? DEFAULT_TIME,
            ...item,
          },
          `${field}Arn`,
          item,
        );
      });
    const provider = (list: readonly (Entry & { name: string })[] | undefined, kind: string) =>
      (list ?? []).map((item) =>
        tagged(
          {
            credentialProviderArn: `${prefix}:token-vault/default/${kind}/${item.name}`,
            ...item,
            ...epochTimes(item, "createdTime", "lastUpdatedTime"),
          },
          "credentialProviderArn",
          item,
        ),
      );
    const apiKeyProviders = provider(world.apiKeyCredentialProviders, "apikeycredentialprovider");
    const oauth2Providers = provider(world.oauth2CredentialProviders, "oauth2credentialprovider").map(
      (item): Entry => ({ credentialProviderVendor: "CustomOauth2", ...item }),
    );
    return {
      runtimes: resourceTable(runtimes, (r) => String(r.agentRuntimeId)),
      runtimeEndpoints,
      gateways: resourceTable(gateways, (g) => String(g.gatewayId)),
      gatewayTargets,
      memories: resourceTable(memories, (m) => String(m.id)),
      browsers: resourceTable(tool(world.browsers, "browser", "browser"), (b) => String(b.browserId)),
      codeInterpreters: resourceTable(tool(world.codeInterpreters, "code-interpreter", "codeInterpreter"), (c) =>
        String(c.codeInterpreterId),
      ),
      apiKeyProviders: resourceTable(apiKeyProviders, (p) => String(p.name)),
      oauth2Providers: resourceTable(oauth2Providers, (p) => String(p.name)),
      tags,
    };
  });
}

export const bedrockAgentCore: AwsService = {
  name: "bedrock-agentcore",
  signingName: "bedrock-agentcore",
  protocol: "restJson1",
  global: false,
  throttle: { code: "ThrottlingException", status: 429 },
  routes: [
    { method: "POST", path: "/runtimes/", operation: "ListAgentRuntimes" },
    { method: "GET", path: "/runtimes/{agentRuntimeId}/", operation: "GetAgentRuntime" },
    { method: "POST", path: "/runtimes/{agentRuntimeId}/runtime-endpoints/", operation: "ListAgentRuntimeEndpoints" },
    { method: "GET", path: "/gateways/", operation: "ListGateways" },
    { method: "GET", path: "/gateways/{gatewayIdentifier}/", operation: "GetGateway" },
    { method: "GET", path: "/gateways/{gatewayIdentifier}/targets/", operation: "ListGatewayTargets" },
    { method: "GET", path: "/gateways/{gatewayIdentifier}/targets/{targetId}/", operation: "GetGatewayTarget" },
    { method: "POST", path: "/memories/", operation: "ListMemories" },
    { method: "GET", path: "/memories/{memoryId}/details", operation: "GetMemory" },
    { method: "POST", path: "/browsers", operation: "ListBrowsers" },
    { method: "GET", path: "/browsers/{browserId}", operation: "GetBrowser" },
    { method: "POST", path: "/code-interpreters", operation: "ListCodeInterpreters" },
    { method: "GET", path: "/code-interpreters/{codeInterpreterId}", operation: "GetCodeInterpreter" },
    { method: "POST", path: "/identities/ListApiKeyCredentialProviders", operation: "ListApiKeyCredentialProviders" },
    { method: "POST", path: "/identities/ListOauth2CredentialProviders", operation: "ListOauth2CredentialProviders" },
    { method: "GET", path: "/tags/{resourceArn}", operation: "ListTagsForResource" },
  ],
  operations: {
    ListAgentRuntimes: read((call) =>
      bedrockList("bedrock-agentcore", call, data(regionOf(call)).runtimes.list, "agentRuntimes", [
        "agentRuntimeArn",
        "agentRuntimeId",
        "agentRuntimeVersion",
        "agentRuntimeName",
        "description",
        "lastUpdatedAt",
        "status",
      ]),
    ),
    GetAgentRuntime: read((call) =>
      restJsonEntry(findEntry(data(regionOf(call)).runtimes, call.input.agentRuntimeId, "Runtime")),
    ),
    ListAgentRuntimeEndpoints: read((call) => {
      const all = data(regionOf(call));
      findEntry(all.runtimes, call.input.agentRuntimeId, "Runtime");
      return bedrockList(
        "bedrock-agentcore",
        call,
        all.runtimeEndpoints.get(String(call.input.agentRuntimeId))!.list,
        "runtimeEndpoints",
        [
          "name",
          "liveVersion",
          "targetVersion",
          "agentRuntimeEndpointArn",
          "agentRuntimeArn",
          "status",
          "id",
          "description",
          "createdAt",
          "lastUpdatedAt",
        ],
      );
    }),
    ListGateways: read((call) =>
      bedrockList("bedrock-agentcore", call, data(regionOf(call)).gateways.list, "items", [
        "gatewayId",
        "name",
        "status",
        "description",
        "createdAt",
        "updatedAt",
        "authorizerType",
        "protocolType",
      ]),
    ),
    GetGateway: read((call) =>
      restJsonEntry(findEntry(data(regionOf(call)).gateways, call.input.gatewayIdentifier, "Gateway")),
    ),
    ListGatewayTargets: read((call) => {
      const all = data(regionOf(call));
      findEntry(all.gateways, call.input.gatewayIdentifier, "Gateway");
      return bedrockList(
        "bedrock-agentcore",
        call,
        all.gatewayTargets.get(String(call.input.gatewayIdentifier))!.list,
        "items",
        ["targetId", "name", "status", "description", "createdAt", "updatedAt"],
      );
    }),
    GetGatewayTarget: read((call) => {
      const all = data(regionOf(call));
      findEntry(all.gateways, call.input.gatewayIdentifier, "Gateway");
      return restJsonEntry(
        findEntry(all.gatewayTargets.get(String(call.input.gatewayIdentifier)), call.input.targetId, "Target"),
      );
    }),
    ListMemories: read((call) =>
      bedrockList("bedrock-agentcore", call, data(regionOf(call)).memories.list, "memories", [
        "arn",
        "id",
        "status",
        "createdAt",
        "updatedAt",
      ]),
    ),
    GetMemory: read((call) => ({
      memory: restJsonEntry(findEntry(data(regionOf(call)).memories, call.input.memoryId, "Memory")),
    })),
    ListBrowsers: read((call) =>
      bedrockList("bedrock-agentcore", call, data(regionOf(call)).browsers.list, "browserSummaries", [
        "browserId",
        "browserArn",
        "name",
        "description",
        "status",
        "createdAt",
        "lastUpdatedAt",
      ]),
    ),
    GetBrowser: read((call) =>
      restJsonEntry(findEntry(data(regionOf(call)).browsers, call.input.browserId, "Browser")),
    ),
    ListCodeInterpreters: read((call) =>
      bedrockList("bedrock-agentcore", call, data(regionOf(call)).codeInterpreters.list, "codeInterpreterSummaries", [
        "codeInterpreterId",
        "codeInterpreterArn",
        "name",
        "description",
        "status",
        "createdAt",
        "lastUpdatedAt",
      ]),
    ),
    GetCodeInterpreter: read((call) =>
      restJsonEntry(findEntry(data(regionOf(call)).codeInterpreters, call.input.codeInterpreterId, "CodeInterpreter")),
    ),
    ListApiKeyCredentialProviders: read((call) =>
      bedrockList("bedrock-agentcore", call, data(regionOf(call)).apiKeyProviders.list, "credentialProviders", [
        "name",
        "credentialProviderArn",
        "createdTime",
        "lastUpdatedTime",
      ]),
    ),
    ListOauth2CredentialProviders: read((call) =>
      bedrockList("bedrock-agentcore", call, data(regionOf(call)).oauth2Providers.list, "credentialProviders", [
        "name",
        "credentialProviderVendor",
        "credentialProviderArn",
        "createdTime",
        "lastUpdatedTime",
      ]),
    ),
    ListTagsForResource: read((call) => {
      const arn = String(call.input.resourceArn ?? "");
      const tags = data(regionOf(call)).tags.get(arn);
      if (tags === undefined && !arn.includes(`:${regionOf(call).account}:`))
        throw new AwsError("ResourceNotFoundException", `Resource ${arn} not found`, 404);
      return { tags: tags ?? {} };
    }),
  },
};
