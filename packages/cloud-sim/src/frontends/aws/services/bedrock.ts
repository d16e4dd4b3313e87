import { AwsError, toRestJson } from "../protocol.ts";
import { type AwsService, read, regionOf } from "../service.ts";
import { bedrockList } from "./bedrock-list.ts";
import { type ResourceTable, resourceTable, type WorldEntry } from "../resource-table.ts";
import type { Tags } from "../world.ts";
import { DEFAULT_TIME, type IndexedRegion, regionCache, stableId } from "../world-index.ts";

type Entry = WorldEntry;

interface BedrockData {
  readonly customModels: ResourceTable<Entry>;
  readonly importedModels: ResourceTable<Entry>;
  readonly provisioned: ResourceTable<Entry>;
  readonly guardrails: ResourceTable<Entry>;
  readonly inferenceProfiles: ResourceTable<Entry>;
  readonly marketplace: ResourceTable<Entry>;
  readonly foundationModels: readonly Entry[];
  /** Each foundation model's access state (GetFoundationModelAvailability), by model id. */
  readonly availability: ReadonlyMap<string, Entry>;
  readonly enforcedGuardrails: readonly Entry[];
  /** Every named resource by its ARN and by its name/id, for the Get calls' `…Identifier` (name, id or ARN). */
  readonly tags: ReadonlyMap<string, Tags>;
}

/** A small catalogue for ListFoundationModels when the world gives none. */
const DEFAULT_FOUNDATION_MODELS = [
  { modelId: "anthropic.claude-3-haiku-20240307-v1:0", modelName: "Claude 3 Haiku", providerName: "Anthropic" },
  { modelId: "anthropic.claude-3-5-sonnet-20240620-v1:0", modelName: "Claude 3.5 Sonnet", providerName: "Anthropic" },
  { modelId: "amazon.titan-text-express-v1", modelName: "Titan Text G1 - Express", providerName: "Amazon" },
  { modelId: "meta.llama3-8b-instruct-v1:0", modelName: "Llama 3 8B Instruct", providerName: "Meta" },
];

function data(region: IndexedRegion): BedrockData {
  return regionCache(region, "bedrock", () => {
    const world = region.raw.bedrock ?? {};
    const prefix = `arn:aws:bedrock:${region.region}:${region.account}`;
    const tags = new Map<string, Tags>();
    const id = (kind: string, name: string, length = 12) =>
      stableId(`${region.account}/${region.region}/${kind}/${name}`, length);
    const keep = (entry: Entry, arnField: string): Entry => {
      if (entry.tags !== undefined) tags.set(String(entry[arnField]), entry.tags);
      return entry;
    };
    const customModels = (world.customModels ?? []).map((model) =>
      keep(
        {
          modelArn: `${prefix}:custom-model/${String(model.baseModelIdentifier ?? "amazon.titan-text-express-v1:0:8k")}/${id("custom-model", model.modelName)}`,
          creationTime: DEFAULT_TIME,
          customizationType: "FINE_TUNING",
          ownerAccountId: region.account,
          modelStatus: "Active",
          jobArn: `${prefix}:model-customization-job/${id("job", model.modelName)}`,
          ...model,
        },
        "modelArn",
      ),
    );
    const importedModels = (world.importedModels ?? []).map((model) =>
      keep(
        {
          modelArn: `${prefix}:imported-model/${id("imported-model", model.modelName)}`,
          creationTime: DEFAULT_TIME,
          modelArchitecture: "llama3",
          instructSupported: true,
          ...model,
        },
        "modelArn",
      ),
    );
    const provisioned = (world.provisionedThroughputs ?? []).map((pt) => {
      const modelArn = String(
        pt.modelArn ?? `arn:aws:bedrock:${region.region}::foundation-model/amazon.titan-text-express-v1`,
      );
      return keep(
        {
          provisionedModelArn: `${prefix}:provisioned-model/${id("provisioned-model", pt.provisionedModelName)}`,
          modelArn,
          desiredModelArn: modelArn,
          foundationModelArn: modelArn,
          modelUnits: 1,
          desiredModelUnits: pt.modelUnits ?? 1,
          status: "InService",
          creationTime: DEFAULT_TIME,
          lastModifiedTime: pt.creationTime ?? DEFAULT_TIME,
          ...pt,
        },
        "provisionedModelArn",
      );
    });
    const guardrails = (world.guardrails ?? []).map((guardrail) => {
      const guardrailId = String(guardrail.id ?? guardrail.guardrailId ?? id("guardrail", guardrail.name));
      const arn = `${prefix}:guardrail/${guardrailId}`;
      return keep(
        {
          id: guardrailId,
          guardrailId,
          arn,
          guardrailArn: arn,
          version: "DRAFT",
          status: "READY",
          createdAt: DEFAULT_TIME,
          updatedAt: guardrail.createdAt ?? DEFAULT_TIME,
          ...guardrail,
        },
        "arn",
      );
    });
    const inferenceProfiles = (world.inferenceProfiles ?? []).map((profile) => {
      const type = String(profile.type ?? "APPLICATION");
      const profileId = String(
        profile.inferenceProfileId ??
          (type === "SYSTEM_DEFINED"
            ? profile.inferenceProfileName
            : id("application-inference-profile", profile.inferenceProfileName)),
      );
      return keep(
        {
          inferenceProfileId: profileId,
          inferenceProfileArn:
            type === "SYSTEM_DEFINED"
              ? `${prefix}:inference-profile/${profileId}`
              : `${prefix}:application-inference-profile/${profileId}`,
          type,
          status: "ACTIVE",
          models: [],
          createdAt: DEFAULT_TIME,
          updatedAt: profile.createdAt ?? DEFAULT_TIME,
          ...profile,
        },
        "inferenceProfileArn",
      );
    });
    const marketplace = (world.marketplaceEndpoints ?? []).map((endpoint) => {
      const name = String(
        endpoint.endpointName ?? `marketplace-${id("marketplace", endpoint.modelSourceIdentifier, 8)}`,
      );
      return keep(
        {
          endpointArn: `arn:aws:sagemaker:${region.region}:${region.account}:endpoint/${name.toLowerCase()}`,
          createdAt: DEFAULT_TIME,
          updatedAt: endpoint.createdAt ?? DEFAULT_TIME,
          status: "REGISTERED",
          endpointStatus: "InService",
          endpointConfig: {
            sageMaker: {
              initialInstanceCount: 1,
              instanceType: "ml.g5.2xlarge",
              executionRole: `arn:aws:iam::${region.account}:role/BedrockMarketplace`,
            },
          },
          ...endpoint,
        },
        "endpointArn",
      );
    });
    const availability = new Map<string, Entry>();
    const foundationModels = (world.foundationModels ?? DEFAULT_FOUNDATION_MODELS).map(
      ({ access, ...model }: Readonly<Record<string, unknown>> & { readonly access?: FoundationModelAccess }) => {
        availability.set(String(model.modelId), modelAvailability(String(model.modelId), access));
        return {
          modelArn: `arn:aws:bedrock:${region.region}::foundation-model/${model.modelId}`,
          modelName: model.modelId,
          providerName: String(model.modelId).split(".")[0],
          inputModalities: ["TEXT"],
          outputModalities: ["TEXT"],
          responseStreamingSupported: true,
          customizationsSupported: [],
          inferenceTypesSupported: ["ON_DEMAND"],
          modelLifecycle: { status: "ACTIVE" },
          ...model,
        };
      },
    );
    const enforcedGuardrails = (world.enforcedGuardrails ?? []).map((config) => {
      const guardrailId = guardrails.find((g) => g.name === config.guardrail)?.id ?? config.guardrail;
      const { guardrail: _name, ...rest } = config;
      return {
        configId: id("enforced-guardrail", `${config.guardrail}/${config.guardrailVersion ?? "1"}`, 10),
        guardrailId,
        guardrailArn: `${prefix}:guardrail/${guardrailId}`,
        guardrailVersion: "1",
        inputTags: "IGNORE",
        owner: "ACCOUNT",
        createdAt: DEFAULT_TIME,
        createdBy: `arn:aws:iam::${region.account}:role/Admin`,
        updatedAt: config.createdAt ?? DEFAULT_TIME,
        updatedBy: `arn:aws:iam::${region.account}:role/Admin`,
        ...rest,
      };
    });
    return {
      customModels: resourceTable(customModels, (m) => String(m.modelName)),
      importedModels: resourceTable(importedModels, (m) => String(m.modelName)),
      provisioned: resourceTable(provisioned, (m) => String(m.provisionedModelName)),
      guardrails: resourceTable(guardrails, (m) => String(m.id)),
      inferenceProfiles: resourceTable(inferenceProfiles, (m) => String(m.inferenceProfileId)),
      marketplace: resourceTable(marketplace, (m) => String(m.endpointArn)),
      foundationModels,
      availability,
      enforcedGuardrails,
      tags,
    };
  });
}

/** A foundation model's access as the world gives it; every part defaults to what a model open to the account has. */
interface FoundationModelAccess {
  /** The Marketplace agreement: AVAILABLE once accepted; default NOT_AVAILABLE (none accepted). */
  readonly agreement?: string;
  readonly authorized?: boolean;
  readonly entitled?: boolean;
}

function modelAvailability(modelId: string, access: FoundationModelAccess = {}): Entry {
  return {
    modelId,
    agreementAvailability: { status: access.agreement ?? "NOT_AVAILABLE" },
    authorizationStatus: access.authorized === false ? "NOT_AUTHORIZED" : "AUTHORIZED",
    entitlementAvailability: access.entitled === false ? "NOT_AVAILABLE" : "AVAILABLE",
    regionAvailability: "AVAILABLE",
  };
}

/** Get calls take a name, an id or an ARN (`…Identifier`). */
function find(table: ResourceTable<Entry>, identifier: unknown, arnField: string, what: string): Entry {
  const key = String(identifier ?? "");
  const entry = table.byName.get(key) ?? table.list.find((item) => item[arnField] === key);
  if (entry === undefined) throw new AwsError("ResourceNotFoundException", `${what} ${key} not found`, 404);
  return entry;
}

const CUSTOM_SUMMARY = [
  "modelArn",
  "modelName",
  "creationTime",
  "baseModelArn",
  "baseModelName",
  "customizationType",
  "ownerAccountId",
  "modelStatus",
];
const PROVISIONED_SUMMARY = [
  "provisionedModelName",
  "provisionedModelArn",
  "modelArn",
  "desiredModelArn",
  "foundationModelArn",
  "modelUnits",
  "desiredModelUnits",
  "status",
  "creationTime",
  "lastModifiedTime",
  "commitmentDuration",
  "commitmentExpirationTime",
];

export const bedrock: AwsService = {
  name: "bedrock",
  signingName: "bedrock",
  protocol: "restJson1",
  global: false,
  throttle: { code: "ThrottlingException", status: 429 },
  routes: [
    { method: "GET", path: "/custom-models", operation: "ListCustomModels" },
    { method: "GET", path: "/custom-models/{modelIdentifier}", operation: "GetCustomModel" },
    { method: "GET", path: "/imported-models", operation: "ListImportedModels" },
    { method: "GET", path: "/imported-models/{modelIdentifier}", operation: "GetImportedModel" },
    { method: "GET", path: "/provisioned-model-throughputs", operation: "ListProvisionedModelThroughputs" },
    {
      method: "GET",
      path: "/provisioned-model-throughput/{provisionedModelId}",
      operation: "GetProvisionedModelThroughput",
    },
    { method: "GET", path: "/logging/modelinvocations", operation: "GetModelInvocationLoggingConfiguration" },
    { method: "GET", path: "/guardrails", operation: "ListGuardrails" },
    { method: "GET", path: "/guardrails/{guardrailIdentifier}", operation: "GetGuardrail" },
    { method: "GET", path: "/inference-profiles", operation: "ListInferenceProfiles" },
    { method: "GET", path: "/inference-profiles/{inferenceProfileIdentifier}", operation: "GetInferenceProfile" },
    { method: "GET", path: "/marketplace-model/endpoints", operation: "ListMarketplaceModelEndpoints" },
    { method: "GET", path: "/marketplace-model/endpoints/{endpointArn}", operation: "GetMarketplaceModelEndpoint" },
    { method: "GET", path: "/foundation-models", operation: "ListFoundationModels" },
    { method: "GET", path: "/foundation-model-availability/{modelId}", operation: "GetFoundationModelAvailability" },
    { method: "GET", path: "/enforcedGuardrailsConfiguration", operation: "ListEnforcedGuardrailsConfiguration" },
    { method: "POST", path: "/listTagsForResource", operation: "ListTagsForResource" },
  ],
  operations: {
    ListCustomModels: read((call) =>
      bedrockList("bedrock", call, data(regionOf(call)).customModels.list, "modelSummaries", CUSTOM_SUMMARY),
    ),
    GetCustomModel: read((call) =>
      toRestJson(find(data(regionOf(call)).customModels, call.input.modelIdentifier, "modelArn", "Custom model")),
    ),
    ListImportedModels: read((call) =>
      bedrockList("bedrock", call, data(regionOf(call)).importedModels.list, "modelSummaries", [
        "modelArn",
        "modelName",
        "creationTime",
        "instructSupported",
        "modelArchitecture",
      ]),
    ),
    GetImportedModel: read((call) =>
      toRestJson(find(data(regionOf(call)).importedModels, call.input.modelIdentifier, "modelArn", "Imported model")),
    ),
    ListProvisionedModelThroughputs: read((call) =>
      bedrockList(
        "bedrock",
        call,
        data(regionOf(call)).provisioned.list,
        "provisionedModelSummaries",
        PROVISIONED_SUMMARY,
      ),
    ),
    GetProvisionedModelThroughput: read((call) =>
      toRestJson(
        find(
          data(regionOf(call)).provisioned,
          call.input.provisionedModelId,
          "provisionedModelArn",
          "Provisioned model",
        ),
      ),
    ),
    GetModelInvocationLoggingConfiguration: read((call) => {
      const config = regionOf(call).raw.bedrock?.invocationLogging;
      // Not configured: the real API answers 200 with no loggingConfig at all.
      return config === undefined || config === null ? {} : { loggingConfig: toRestJson(config) };
    }),
    ListGuardrails: read((call) => {
      const all = data(regionOf(call)).guardrails;
      const only = call.input.guardrailIdentifier;
      const items = only === undefined ? all.list : [find(all, only, "arn", "Guardrail")];
      return bedrockList("bedrock", call, items, "guardrails", [
        "id",
        "arn",
        "status",
        "name",
        "description",
        "version",
        "createdAt",
        "updatedAt",
        "crossRegionDetails",
      ]);
    }),
    GetGuardrail: read((call) => {
      const guardrail = find(data(regionOf(call)).guardrails, call.input.guardrailIdentifier, "arn", "Guardrail");
      const { id: _id, arn: _arn, ...rest } = guardrail;
      return toRestJson({
        ...rest,
        blockedInputMessaging: rest.blockedInputMessaging ?? "Sorry, the model cannot answer this question.",
        blockedOutputsMessaging: rest.blockedOutputsMessaging ?? "Sorry, the model cannot answer this question.",
      });
    }),
    ListInferenceProfiles: read((call) => {
      const all = data(regionOf(call)).inferenceProfiles.list;
      const type = call.input.type;
      return bedrockList(
        "bedrock",
        call,
        type === undefined ? all : all.filter((p) => p.type === type),
        "inferenceProfileSummaries",
        [
          "inferenceProfileName",
          "description",
          "createdAt",
          "updatedAt",
          "inferenceProfileArn",
          "models",
          "inferenceProfileId",
          "status",
          "type",
        ],
      );
    }),
    GetInferenceProfile: read((call) =>
      toRestJson(
        find(
          data(regionOf(call)).inferenceProfiles,
          call.input.inferenceProfileIdentifier,
          "inferenceProfileArn",
          "Inference profile",
        ),
      ),
    ),
    ListMarketplaceModelEndpoints: read((call) => {
      const all = data(regionOf(call)).marketplace.list;
      const source = call.input.modelSourceIdentifier;
      return bedrockList(
        "bedrock",
        call,
        source === undefined ? all : all.filter((e) => e.modelSourceIdentifier === source),
        "marketplaceModelEndpoints",
        ["endpointArn", "modelSourceIdentifier", "createdAt", "updatedAt", "status", "statusMessage"],
      );
    }),
    GetMarketplaceModelEndpoint: read((call) => ({
      marketplaceModelEndpoint: toRestJson(
        find(data(regionOf(call)).marketplace, call.input.endpointArn, "endpointArn", "Marketplace endpoint"),
      ),
    })),
    ListFoundationModels: read((call) => ({ modelSummaries: data(regionOf(call)).foundationModels.map(toRestJson) })),
    GetFoundationModelAvailability: read((call) => {
      const availability = data(regionOf(call)).availability.get(String(call.input.modelId ?? ""));
      if (availability === undefined)
        throw new AwsError("ResourceNotFoundException", `Model ${String(call.input.modelId)} not found`, 404);
      return toRestJson(availability);
    }),
    // The API takes no page size of its own; the simulator's page size still splits the list.
    ListEnforcedGuardrailsConfiguration: read((call) =>
      bedrockList("bedrock", call, data(regionOf(call)).enforcedGuardrails, "guardrailsConfig", [
        "configId",
        "guardrailArn",
        "guardrailId",
        "inputTags",
        "selectiveContentGuarding",
        "guardrailVersion",
        "createdAt",
        "createdBy",
        "updatedAt",
        "updatedBy",
        "owner",
        "modelEnforcement",
      ]),
    ),
    ListTagsForResource: read((call) => {
      const arn = String(call.input.resourceARN ?? "");
      const tags = data(regionOf(call)).tags.get(arn);
      if (tags === undefined && !arn.includes(`:${regionOf(call).account}:`))
        throw new AwsError("ResourceNotFoundException", `Resource ${arn} not found`, 404);
      return { tags: Object.entries(tags ?? {}).map(([key, value]) => ({ key, value })) };
    }),
  },
};
