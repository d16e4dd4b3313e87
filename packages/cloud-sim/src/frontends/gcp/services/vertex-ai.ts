import { GoogleApiError } from "../protocol.ts";
import {
  type GcpCall,
  type GcpRoute,
  type GcpService,
  listAnswer,
  listPage,
  projectOf,
  read,
  rendered,
} from "../service.ts";
import { type IndexedProject, projectCache } from "../world-index.ts";
import type { VertexLocation, VertexResource } from "../world.ts";

/** The regions Vertex AI serves (ListLocations answers these, and any other location the world uses). */
export const VERTEX_LOCATIONS: readonly string[] = [
  "africa-south1",
  "asia-east1",
  "asia-east2",
  "asia-northeast1",
  "asia-northeast2",
  "asia-northeast3",
  "asia-south1",
  "asia-southeast1",
  "asia-southeast2",
  "australia-southeast1",
  "australia-southeast2",
  "europe-central2",
  "europe-north1",
  "europe-southwest1",
  "europe-west1",
  "europe-west2",
  "europe-west3",
  "europe-west4",
  "europe-west6",
  "europe-west8",
  "europe-west9",
  "europe-west12",
  "me-central1",
  "me-central2",
  "me-west1",
  "northamerica-northeast1",
  "northamerica-northeast2",
  "southamerica-east1",
  "southamerica-west1",
  "us-central1",
  "us-east1",
  "us-east4",
  "us-east5",
  "us-south1",
  "us-west1",
  "us-west2",
  "us-west3",
  "us-west4",
];

/** One collection of a location: its REST path segment, the resource's singular name, and what Google fills in. */
interface Collection {
  readonly key: keyof VertexLocation;
  /** `Endpoint` → ListEndpoints, GetEndpoint. */
  readonly singular: string;
  /** The IAM permission prefix: `aiplatform.endpoints`. */
  readonly permission: string;
  readonly defaults: (entry: VertexResource) => Record<string, unknown>;
}

const COLLECTIONS: readonly Collection[] = [
  {
    key: "endpoints",
    singular: "Endpoint",
    permission: "aiplatform.endpoints",
    defaults: (e) => ({ displayName: e.name, deployedModels: [], trafficSplit: {}, etag: `"${e.name}"` }),
  },
  {
    key: "models",
    singular: "Model",
    permission: "aiplatform.models",
    defaults: (e) => ({ displayName: e.name, versionId: "1", versionAliases: ["default"], etag: `"${e.name}"` }),
  },
  {
    key: "datasets",
    singular: "Dataset",
    permission: "aiplatform.datasets",
    defaults: (e) => ({
      displayName: e.name,
      metadataSchemaUri: "gs://google-cloud-aiplatform/schema/dataset/metadata/text_1.0.0.yaml",
    }),
  },
  {
    key: "featurestores",
    singular: "Featurestore",
    permission: "aiplatform.featurestores",
    defaults: () => ({ state: "STABLE" }),
  },
  {
    key: "featureOnlineStores",
    singular: "FeatureOnlineStore",
    permission: "aiplatform.featureOnlineStores",
    defaults: () => ({ state: "STABLE" }),
  },
  {
    key: "indexEndpoints",
    singular: "IndexEndpoint",
    permission: "aiplatform.indexEndpoints",
    defaults: (e) => ({ displayName: e.name, deployedIndexes: [] }),
  },
  {
    key: "tuningJobs",
    singular: "TuningJob",
    permission: "aiplatform.tuningJobs",
    defaults: () => ({ state: "JOB_STATE_SUCCEEDED" }),
  },
  {
    key: "notebookRuntimes",
    singular: "NotebookRuntime",
    permission: "aiplatform.notebookRuntimes",
    defaults: (e) => ({ displayName: e.name, runtimeState: "RUNNING", healthState: "HEALTHY" }),
  },
  {
    key: "reasoningEngines",
    singular: "ReasoningEngine",
    permission: "aiplatform.reasoningEngines",
    defaults: (e) => ({ displayName: e.name, etag: `"${e.name}"` }),
  },
];

type RenderedCollection = ReadonlyMap<string, Readonly<Record<string, unknown>>>;

/** A location's collection with defaults and full names filled in, built once per project, location and collection. */
function collectionOf(project: IndexedProject, location: string, collection: Collection): RenderedCollection {
  return projectCache(project, `aiplatform/${location}/${collection.key}`, () => {
    const entries = new Map<string, Readonly<Record<string, unknown>>>();
    for (const entry of project.vertex.get(location)?.[collection.key] ?? []) {
      const name = `${project.name}/locations/${location}/${collection.key}/${entry.name}`;
      entries.set(entry.name, rendered(entry, collection.defaults(entry), name));
    }
    return entries;
  });
}

function locationParent(call: GcpCall) {
  return `projects/${call.params.project}/locations/${call.params.location}`;
}

function routesOf(collection: Collection): GcpRoute[] {
  const plural = collection.key;
  const listPermission = `${collection.permission}.list`;
  const getPermission = `${collection.permission}.get`;
  return [
    read(
      `List${collection.singular}s`,
      "GET",
      `/v1/projects/{project}/locations/{location}/${plural}`,
      (call) => {
        const project = projectOf(call, listPermission, `//aiplatform.googleapis.com/${locationParent(call)}`);
        const entries = [...collectionOf(project, call.params.location!, collection).values()];
        return listAnswer(plural, listPage(call, entries, `${project.number}/${call.params.location}`));
      },
      { permission: listPermission, needsEnabledService: true, ratePerSecond: 10 },
    ),
    read(
      `Get${collection.singular}`,
      "GET",
      `/v1/projects/{project}/locations/{location}/${plural}/{id}`,
      (call) => {
        const project = projectOf(call, getPermission, `//aiplatform.googleapis.com/${locationParent(call)}`);
        const found = collectionOf(project, call.params.location!, collection).get(call.params.id ?? "");
        if (found === undefined)
          throw new GoogleApiError(
            "NOT_FOUND",
            `${collection.singular} ${locationParent(call)}/${plural}/${call.params.id} not found.`,
          );
        return found;
      },
      { permission: getPermission, needsEnabledService: true, ratePerSecond: 10 },
    ),
  ];
}

function listLocations(call: GcpCall) {
  const project = projectOf(call, "aiplatform.locations.list", `projects/${call.params.project}`);
  const locations = [...new Set([...VERTEX_LOCATIONS, ...project.vertex.keys()])].sort();
  return listAnswer("locations", listPage(call, locations, project.number), (location) => ({
    name: `projects/${call.params.project}/locations/${location}`,
    locationId: location,
  }));
}

/**
 * Vertex AI v1, served per location at `{location}-aiplatform.googleapis.com` (and at `aiplatform.googleapis.com`):
 * the List and Get of each collection a scanner reads, and the locations mixin.
 */
export const vertexAi: GcpService = {
  name: "aiplatform",
  host: "aiplatform.googleapis.com",
  title: "Vertex AI API",
  regional: true,
  routes: [
    // The Node clients' REST transport sends the mixin's first binding (/ui/…); the REST reference documents /v1/….
    read("ListLocations", "GET", "/ui/projects/{project}/locations", listLocations, {
      permission: "aiplatform.locations.list",
      needsEnabledService: true,
    }),
    read("ListLocations", "GET", "/v1/projects/{project}/locations", listLocations, {
      permission: "aiplatform.locations.list",
      needsEnabledService: true,
    }),
    ...COLLECTIONS.flatMap(routesOf),
  ],
};
