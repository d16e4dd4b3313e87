import type { Asset, Authorizer, Maybe, ScanItem, ToolReach } from "@aigov/core";
import { unknown } from "@aigov/core";
import {
  BedrockAgentCoreControlClient,
  GetAgentRuntimeCommand,
  GetBrowserCommand,
  GetCodeInterpreterCommand,
  GetGatewayCommand,
  GetGatewayTargetCommand,
  GetMemoryCommand,
  ListTagsForResourceCommand,
  paginateListAgentRuntimeEndpoints,
  paginateListAgentRuntimes,
  paginateListApiKeyCredentialProviders,
  paginateListBrowsers,
  paginateListCodeInterpreters,
  paginateListGateways,
  paginateListGatewayTargets,
  paginateListMemories,
  paginateListOauth2CredentialProviders,
  type TargetConfiguration,
  type TargetSummary,
} from "@aws-sdk/client-bedrock-agentcore-control";
import { asset, type Attempt, eachItem, fact, listing, merge, subjects, tri } from "@aigov/scanner-kit";
import { enforcedGuardrails } from "./bedrock.ts";
import { roleIsAdministrator } from "./iam-privileges.ts";
import { type AwsCollectContext, collected, iso, lambdaReach, nativeOf, pageSize } from "../collect-context.ts";
import { keysInEnvironment } from "../config-keys.ts";

const MAX_PAGE = 100;
const SERVICE = "bedrock-agentcore";

async function tags(
  ctx: AwsCollectContext,
  client: BedrockAgentCoreControlClient,
  arn: string | undefined,
): Promise<Asset["tags"]> {
  if (arn === undefined) return unknown("resource has no ARN");
  const read = await ctx.attempt(SERVICE, "ListTagsForResource", () =>
    client.send(new ListTagsForResourceCommand({ resourceArn: arn })),
  );
  return read.ok ? { ...(read.value.tags ?? {}) } : unknown(read.reason);
}

function createdAt(detail: Attempt<unknown>, value: Date | undefined): Asset["createdAt"] {
  return iso(value) ?? unknown(detail.ok ? "no creation time" : detail.reason);
}

/** A network mode of PUBLIC reaches (and for a runtime, is reached from) the internet; VPC and SANDBOX do not. */
function network(detail: Attempt<unknown>, mode: string | undefined) {
  return {
    public: tri(detail, () => mode === "PUBLIC"),
    privateNetwork: tri(detail, () => mode === "VPC"),
  };
}

/** A gateway's authorizerType: AWS_IAM, CUSTOM_JWT, or NONE (anyone who knows its URL may call its tools). */
function gatewayAuthorizer(type: string | undefined): Maybe<Authorizer> {
  if (type === "AWS_IAM") return "iam";
  if (type === "CUSTOM_JWT") return "jwt";
  if (type === "NONE") return "none";
  return unknown(`authorizer type ${type ?? "(none given)"} is not one aigov knows`);
}

/** Where a gateway target's tool reaches: a Lambda function (this or another account), an MCP or OpenAPI server. */
function targetReach(configuration: TargetConfiguration | undefined, account: string): Maybe<ToolReach> {
  const mcp = configuration?.mcp;
  if (mcp?.lambda?.lambdaArn !== undefined) return lambdaReach(mcp.lambda.lambdaArn, account);
  if (mcp?.mcpServer !== undefined || mcp?.openApiSchema !== undefined || configuration?.http !== undefined)
    return "internet";
  if (mcp?.smithyModel !== undefined || mcp?.apiGateway !== undefined) return "account";
  return unknown("the target's configuration names no tool type aigov knows");
}

/**
 * Bedrock AgentCore: agent runtimes (with their endpoints and any AI keys in their environment), gateways with the
 * tools they expose, memories, browsers, code interpreters, and the credential providers that hold agents'
 * third-party credentials (only their names and vendors are read; the secrets stay in the token vault).
 */
export async function* collectBedrockAgentCore(ctx: AwsCollectContext): AsyncGenerator<ScanItem> {
  const client = ctx.client(BedrockAgentCoreControlClient, SERVICE);
  const paging = { client, pageSize: pageSize(ctx, MAX_PAGE) };
  yield* merge([
    listing(ctx, SERVICE, "ListAgentRuntimes", paginateListAgentRuntimes(paging, {}), (page) =>
      eachItem(page.agentRuntimes, async (summary) => {
        const id = summary.agentRuntimeId ?? "";
        const arn = summary.agentRuntimeArn ?? `arn:aws:bedrock-agentcore:${ctx.region}:${ctx.account}:runtime/${id}`;
        const name = summary.agentRuntimeName ?? id;
        const [detail, tagMap, enforced] = await Promise.all([
          ctx.attempt(SERVICE, "GetAgentRuntime", () =>
            client.send(new GetAgentRuntimeCommand({ agentRuntimeId: id })),
          ),
          tags(ctx, client, arn),
          enforcedGuardrails(ctx),
        ]);
        const runtime = detail.ok ? detail.value : undefined;
        const administrator = detail.ok ? await roleIsAdministrator(ctx, runtime?.roleArn) : unknown(detail.reason);
        const runtimeAsset = asset(ctx, {
          kind: "agent",
          type: "AWS::BedrockAgentCore::Runtime",
          id: arn,
          name,
          tags: tagMap,
          ...network(detail, runtime?.networkConfiguration?.networkMode),
          authorizer: fact(detail, () => (runtime?.authorizerConfiguration?.customJWTAuthorizer ? "jwt" : "iam")),
          // AgentCore attaches no guardrail to a runtime: the one that applies is the account's enforced guardrail
          // in the region, which covers every Bedrock model call the agent makes. Without one, only the agent's own
          // code could apply a guardrail, which the sweep cannot see (the rule says so and may be waived).
          guardrail: tri(enforced, () => enforced.ok && enforced.value.length > 0),
          administrator,
          createdAt: createdAt(detail, runtime?.createdAt),
          native: nativeOf(summary, runtime ?? {}),
        });
        const keys = keysInEnvironment(ctx, runtime?.environmentVariables, {
          resourceId: arn,
          resourceName: name,
          source: "agentcore-runtime",
          resourceType: "AWS::BedrockAgentCore::Runtime",
        });
        return [...subjects([runtimeAsset, ...keys]), ...(await runtimeEndpoints(ctx, client, id, name))];
      }),
    ),
    listing(ctx, SERVICE, "ListGateways", paginateListGateways(paging, {}), (page) =>
      eachItem(page.items, async (summary) => {
        const id = summary.gatewayId ?? "";
        const [detail, targets] = await Promise.all([
          ctx.attempt(SERVICE, "GetGateway", () => client.send(new GetGatewayCommand({ gatewayIdentifier: id }))),
          gatewayTargets(ctx, client, id),
        ]);
        const gateway = detail.ok ? detail.value : undefined;
        const arn = gateway?.gatewayArn ?? `arn:aws:bedrock-agentcore:${ctx.region}:${ctx.account}:gateway/${id}`;
        const authorizer = gatewayAuthorizer(gateway?.authorizerType ?? summary.authorizerType);
        const gatewayAsset = asset(ctx, {
          kind: "gateway",
          type: "AWS::BedrockAgentCore::Gateway",
          id: arn,
          name: summary.name ?? id,
          tags: await tags(ctx, client, arn),
          authorizer,
          cmk: tri(detail, () => Boolean(gateway?.kmsKeyArn)),
          createdAt: createdAt(detail, gateway?.createdAt ?? summary.createdAt),
          native: nativeOf(summary, gateway ?? {}),
        });
        // A target is reached through its gateway: the gateway's authorizer is the target's.
        const targetAssets = targets.map(({ summary: target, detail: targetDetail }) => {
          const got = targetDetail.ok ? targetDetail.value : undefined;
          return asset(ctx, {
            kind: "tool",
            type: "AWS::BedrockAgentCore::GatewayTarget",
            id: `${arn}/target/${target.targetId ?? ""}`,
            name: `${summary.name ?? id}/${target.name ?? target.targetId ?? ""}`,
            // Gateway targets take no tags: they are owned through their gateway.
            tags: {},
            part: true,
            authorizer,
            reach: targetDetail.ok ? targetReach(got?.targetConfiguration, ctx.account) : unknown(targetDetail.reason),
            createdAt: createdAt(targetDetail, got?.createdAt ?? target.createdAt),
            native: nativeOf(target, got ?? {}, { gatewayArn: arn }),
          });
        });
        return subjects([gatewayAsset, ...targetAssets]);
      }),
    ),
    listing(ctx, SERVICE, "ListMemories", paginateListMemories(paging, {}), (page) =>
      eachItem(page.memories, async (summary) => {
        const id = summary.id ?? "";
        const arn = summary.arn ?? `arn:aws:bedrock-agentcore:${ctx.region}:${ctx.account}:memory/${id}`;
        const [detail, tagMap] = await Promise.all([
          ctx.attempt(SERVICE, "GetMemory", () => client.send(new GetMemoryCommand({ memoryId: id }))),
          tags(ctx, client, arn),
        ]);
        const memory = detail.ok ? detail.value.memory : undefined;
        return subjects([
          asset(ctx, {
            kind: "memory",
            type: "AWS::BedrockAgentCore::Memory",
            id: arn,
            name: memory?.name ?? id,
            tags: tagMap,
            cmk: tri(detail, () => Boolean(memory?.encryptionKeyArn)),
            createdAt: createdAt(detail, memory?.createdAt ?? summary.createdAt),
            native: nativeOf(summary, memory ?? {}),
          }),
        ]);
      }),
    ),
    listing(ctx, SERVICE, "ListBrowsers", paginateListBrowsers(paging, {}), (page) =>
      eachItem(page.browserSummaries, async (summary) => {
        const id = summary.browserId ?? "";
        const [detail, tagMap] = await Promise.all([
          ctx.attempt(SERVICE, "GetBrowser", () => client.send(new GetBrowserCommand({ browserId: id }))),
          tags(ctx, client, summary.browserArn),
        ]);
        const browser = detail.ok ? detail.value : undefined;
        return subjects([
          asset(ctx, {
            kind: "tool",
            type: "AWS::BedrockAgentCore::BrowserCustom",
            id: summary.browserArn ?? `arn:aws:bedrock-agentcore:${ctx.region}:${ctx.account}:browser/${id}`,
            name: summary.name ?? id,
            tags: tagMap,
            ...network(detail, browser?.networkConfiguration?.networkMode),
            // A browser an agent drives reaches whatever site it is sent to.
            reach: "internet",
            createdAt: createdAt(detail, summary.createdAt),
            native: nativeOf(summary, browser ?? {}),
          }),
        ]);
      }),
    ),
    listing(ctx, SERVICE, "ListCodeInterpreters", paginateListCodeInterpreters(paging, {}), (page) =>
      eachItem(page.codeInterpreterSummaries, async (summary) => {
        const id = summary.codeInterpreterId ?? "";
        const [detail, tagMap] = await Promise.all([
          ctx.attempt(SERVICE, "GetCodeInterpreter", () =>
            client.send(new GetCodeInterpreterCommand({ codeInterpreterId: id })),
          ),
          tags(ctx, client, summary.codeInterpreterArn),
        ]);
        const interpreter = detail.ok ? detail.value : undefined;
        const mode = interpreter?.networkConfiguration?.networkMode;
        return subjects([
          asset(ctx, {
            kind: "tool",
            type: "AWS::BedrockAgentCore::CodeInterpreterCustom",
            id:
              summary.codeInterpreterArn ??
              `arn:aws:bedrock-agentcore:${ctx.region}:${ctx.account}:code-interpreter/${id}`,
            name: summary.name ?? id,
            tags: tagMap,
            ...network(detail, mode),
            reach: fact(detail, () => (mode === "PUBLIC" ? "internet" : "account")),
            createdAt: createdAt(detail, summary.createdAt),
            native: nativeOf(summary, interpreter ?? {}),
          }),
        ]);
      }),
    ),
    listing(ctx, SERVICE, "ListApiKeyCredentialProviders", paginateListApiKeyCredentialProviders(paging, {}), (page) =>
      // It holds a third party's static API key for agents to call that party with.
      eachItem(page.credentialProviders, (provider) => credentialProvider(ctx, client, provider, "ApiKey", true)),
    ),
    listing(ctx, SERVICE, "ListOauth2CredentialProviders", paginateListOauth2CredentialProviders(paging, {}), (page) =>
      eachItem(page.credentialProviders, (provider) => credentialProvider(ctx, client, provider, "OAuth2", false)),
    ),
  ]);
}

/** A credential provider of the token vault, by name and vendor: the credential itself is never read. */
async function credentialProvider(
  ctx: AwsCollectContext,
  client: BedrockAgentCoreControlClient,
  provider: { name?: string; credentialProviderArn?: string; createdTime?: Date },
  kind: "ApiKey" | "OAuth2",
  keyAuth: boolean,
): Promise<ScanItem[]> {
  return subjects([
    asset(ctx, {
      kind: "credential-provider",
      type: `AWS::BedrockAgentCore::${kind}CredentialProvider`,
      id: provider.credentialProviderArn ?? provider.name ?? "",
      name: provider.name ?? "",
      tags: await tags(ctx, client, provider.credentialProviderArn),
      keyAuth,
      reach: "internet",
      createdAt: iso(provider.createdTime) ?? unknown("no creation time"),
      native: nativeOf(provider),
    }),
  ]);
}

/**
 * A runtime's endpoints. The DEFAULT endpoint comes with every runtime and is owned through it (a part); an endpoint
 * someone added is a resource of its own.
 */
async function runtimeEndpoints(
  ctx: AwsCollectContext,
  client: BedrockAgentCoreControlClient,
  agentRuntimeId: string,
  runtimeName: string,
): Promise<ScanItem[]> {
  return collected(
    listing(
      ctx,
      SERVICE,
      "ListAgentRuntimeEndpoints",
      paginateListAgentRuntimeEndpoints({ client, pageSize: pageSize(ctx, MAX_PAGE) }, { agentRuntimeId }),
      (page) =>
        eachItem(page.runtimeEndpoints, async (endpoint) => {
          const isDefault = endpoint.name === "DEFAULT";
          return subjects([
            asset(ctx, {
              kind: "endpoint",
              type: "AWS::BedrockAgentCore::RuntimeEndpoint",
              id: endpoint.agentRuntimeEndpointArn ?? `${endpoint.agentRuntimeArn ?? agentRuntimeId}/${endpoint.name}`,
              name: `${runtimeName}/${endpoint.name ?? ""}`,
              tags: await tags(ctx, client, endpoint.agentRuntimeEndpointArn),
              ...(isDefault ? { part: true } : {}),
              createdAt: iso(endpoint.createdAt) ?? unknown("no creation time"),
              native: nativeOf(endpoint),
            }),
          ]);
        }),
    ),
  );
}

/** A gateway's targets, each with its configuration (what it reaches), as far as they could be read. */
async function gatewayTargets(
  ctx: AwsCollectContext,
  client: BedrockAgentCoreControlClient,
  gatewayIdentifier: string,
) {
  const read = (summary: TargetSummary) =>
    ctx
      .attempt(SERVICE, "GetGatewayTarget", () =>
        client.send(new GetGatewayTargetCommand({ gatewayIdentifier, targetId: summary.targetId ?? "" })),
      )
      .then((detail) => ({ summary, detail }));
  const found: Awaited<ReturnType<typeof read>>[] = [];
  try {
    for await (const page of paginateListGatewayTargets(
      { client, pageSize: pageSize(ctx, MAX_PAGE) },
      { gatewayIdentifier },
    ))
      found.push(...(await Promise.all((page.items ?? []).map(read))));
  } catch (error) {
    ctx.recordGap(error, SERVICE, "ListGatewayTargets");
  }
  return found;
}
