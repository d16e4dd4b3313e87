import { type Asset, type Maybe, type ScanItem, unknown } from "@aigov/core";
import {
  colabRuntimeFacts,
  type FieldValues,
  type GoogleFacts,
  modelId,
  vertexEncryptedFacts,
  vertexEndpointFacts,
  vertexIndexEndpointFacts,
} from "@aigov/normalize";
import { listing, merge } from "@aigov/scanner-kit";
import { bodyOf, type GcpCollectContext, googleAsset } from "../collect-context.ts";
import { PAGED, type VertexClients } from "../gcp-clients.ts";

type Body = Readonly<Record<string, unknown>>;

/** One Vertex AI collection: how to list it, and what its resources are. */
interface Collection<K extends keyof VertexClients = keyof VertexClients> {
  readonly key: K;
  readonly list: (client: VertexClients[K], request: { parent: string; pageSize: number }) => AsyncIterable<unknown>;
  readonly kind: Asset["kind"];
  readonly facts: (fields: FieldValues) => GoogleFacts;
  /** The models a resource serves or is built from, as model ids. */
  readonly models?: (body: Body, modelIds: ModelIds) => Maybe<readonly string[]> | undefined;
}

/** Each registry model's id for approval (its Model Garden model, else its own id); undefined when models.list failed. */
type ModelIds = ReadonlyMap<string, string> | undefined;

const collection = <K extends keyof VertexClients>(spec: Collection<K>): Collection => spec as unknown as Collection;

/** The model a registry model is built from: its Model Garden model, or itself. */
function registryModelId(body: Body): string {
  const source = (body.baseModelSource as { modelGardenSource?: { publicModelName?: string } } | undefined)
    ?.modelGardenSource?.publicModelName;
  return modelId(source ?? String(body.name ?? ""));
}

const COLLECTIONS: readonly Collection[] = [
  collection({
    key: "endpoints",
    list: (client, request) => client.listEndpointsAsync(request, PAGED),
    kind: "endpoint",
    facts: vertexEndpointFacts,
    models: (body, modelIds) => {
      const deployed = (body.deployedModels as { model?: string }[] | undefined) ?? [];
      if (deployed.length === 0) return undefined;
      if (modelIds === undefined) return unknown("models.list failed: the deployed models' sources are not known");
      return deployed.map(({ model = "" }) => modelIds.get(model) ?? modelId(model));
    },
  }),
  collection({
    key: "datasets",
    list: (client, request) => client.listDatasetsAsync(request, PAGED),
    kind: "dataset",
    facts: vertexEncryptedFacts,
  }),
  collection({
    key: "featurestores",
    list: (client, request) => client.listFeaturestoresAsync(request, PAGED),
    kind: "feature-store",
    facts: vertexEncryptedFacts,
  }),
  collection({
    key: "featureOnlineStores",
    list: (client, request) => client.listFeatureOnlineStoresAsync(request, PAGED),
    kind: "feature-store",
    facts: vertexEncryptedFacts,
  }),
  collection({
    key: "indexEndpoints",
    list: (client, request) => client.listIndexEndpointsAsync(request, PAGED),
    kind: "endpoint",
    facts: vertexIndexEndpointFacts,
  }),
  collection({
    key: "tuningJobs",
    list: (client, request) => client.listTuningJobsAsync(request, PAGED),
    kind: "training-job",
    facts: vertexEncryptedFacts,
    models: (body) => (typeof body.baseModel === "string" ? [modelId(body.baseModel)] : undefined),
  }),
  collection({
    key: "notebookRuntimes",
    list: (client, request) => client.listNotebookRuntimesAsync(request, PAGED),
    kind: "notebook",
    facts: colabRuntimeFacts,
  }),
  collection({
    key: "reasoningEngines",
    list: (client, request) => client.listReasoningEnginesAsync(request, PAGED),
    kind: "agent",
    facts: vertexEncryptedFacts,
  }),
];

const MODELS = collection({
  key: "models",
  list: (client, request) => client.listModelsAsync(request, PAGED),
  kind: "model",
  facts: vertexEncryptedFacts,
  models: (body) => [registryModelId(body)],
});

/** `aiplatform.googleapis.com/Endpoint` from `endpoints`. */
function assetType(key: keyof VertexClients): string {
  const singular = key.replace(/ies$/, "y").replace(/s$/, "");
  return `aiplatform.googleapis.com/${singular[0]!.toUpperCase()}${singular.slice(1)}`;
}

/**
 * Vertex AI in every configured location (or each location Vertex AI lists for the project), all locations at once:
 * endpoints with their deployed models (public or private, CMK, dedicated endpoint), models, datasets,
 * featurestores, online stores, index endpoints, tuning jobs, Colab notebook runtimes and reasoning engines
 * (agents). `located` receives each location's context, whose gaps the caller drains.
 */
export async function* collectVertexAi(
  ctx: GcpCollectContext,
  located: (ctx: GcpCollectContext) => void,
): AsyncGenerator<ScanItem> {
  const locations = ctx.config.locations === "all" ? await vertexLocations(ctx) : ctx.config.locations;
  yield* merge(
    locations.map((location) => {
      const at = ctx.at(location);
      located(at);
      return collectLocation(at);
    }),
  );
}

async function vertexLocations(ctx: GcpCollectContext): Promise<readonly string[]> {
  const locations: string[] = [];
  try {
    const client = await ctx.clients.vertex("endpoints");
    for await (const location of client.listLocationsAsync({ name: `projects/${ctx.account}` }))
      if (location.locationId) locations.push(location.locationId);
  } catch (error) {
    ctx.recordGap(error, "aiplatform", "locations.list");
  }
  return locations;
}

/** Models first: an endpoint names the models it serves by their registry name, the registry says what they are. */
async function* collectLocation(ctx: GcpCollectContext): AsyncGenerator<ScanItem> {
  const modelIds = new Map<string, string>();
  let modelsRead = true;
  yield* listResources(
    ctx,
    MODELS,
    undefined,
    (body) => modelIds.set(String(body.name), registryModelId(body)),
    () => {
      modelsRead = false;
    },
  );
  const known = modelsRead ? modelIds : undefined;
  yield* merge(COLLECTIONS.map((spec) => listResources(ctx, spec, known)));
}

async function* listResources(
  ctx: GcpCollectContext,
  spec: Collection,
  modelIds: ModelIds,
  seen?: (body: Body) => void,
  failed?: () => void,
): AsyncGenerator<ScanItem> {
  const parent = `projects/${ctx.account}/locations/${ctx.region}`;
  const client = await ctx.clients.vertex(spec.key);
  const operation = `${spec.key}.list`;
  let ok = true;
  const pages = (async function* () {
    try {
      yield* spec.list(client, ctx.paged({ parent }));
    } catch (error) {
      ok = false;
      throw error;
    }
  })();
  yield* listing(ctx, "aiplatform", operation, pages, async (message) => {
    const { body, fields } = bodyOf(message);
    seen?.(body);
    const models = spec.models?.(body, modelIds);
    const subject = googleAsset(ctx, {
      kind: spec.kind,
      type: assetType(spec.key),
      body,
      facts: spec.facts(fields),
      ...(models === undefined ? {} : { models }),
    });
    return [{ type: "subject", subject }];
  });
  if (!ok) failed?.();
}
