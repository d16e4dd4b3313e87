import type { v1 as aiplatform } from "@google-cloud/aiplatform";
import { createRequire } from "node:module";
import { RequestLimiter } from "@aigov/scanner-kit";
import type { GoogleAuthOptions } from "google-auth-library";
import { GCP_APIS } from "./catalogue.ts";
import type { NormalizedGcpConfig } from "./config.ts";
import { ScannerAuth } from "./gcp-transport.ts";

// biome-ignore lint/suspicious/noExplicitAny: the clients on google-gax 5 and 6 declare two google-auth-library versions' GoogleAuth; one ScannerAuth serves both
type ClientConstructor<C> = new (options: any, gax?: any) => C;
interface Closable {
  close(): Promise<void>;
}

/** The Vertex AI clients the collectors read with, by the name they are asked for. */
export interface VertexClients {
  readonly endpoints: aiplatform.EndpointServiceClient;
  readonly models: aiplatform.ModelServiceClient;
  readonly datasets: aiplatform.DatasetServiceClient;
  readonly featurestores: aiplatform.FeaturestoreServiceClient;
  readonly featureOnlineStores: aiplatform.FeatureOnlineStoreAdminServiceClient;
  readonly indexEndpoints: aiplatform.IndexEndpointServiceClient;
  readonly tuningJobs: aiplatform.GenAiTuningServiceClient;
  readonly notebookRuntimes: aiplatform.NotebookServiceClient;
  readonly reasoningEngines: aiplatform.ReasoningEngineServiceClient;
}

/**
 * Each Vertex AI client from its own module: the package's index loads all of its thirty-odd clients, which costs a
 * sweep seconds before its first request.
 */
const VERTEX_CLIENTS: { readonly [K in keyof VertexClients]: () => Promise<ClientConstructor<VertexClients[K]>> } = {
  endpoints: async () =>
    (await import("@google-cloud/aiplatform/build/src/v1/endpoint_service_client.js")).EndpointServiceClient,
  models: async () =>
    (await import("@google-cloud/aiplatform/build/src/v1/model_service_client.js")).ModelServiceClient,
  datasets: async () =>
    (await import("@google-cloud/aiplatform/build/src/v1/dataset_service_client.js")).DatasetServiceClient,
  featurestores: async () =>
    (await import("@google-cloud/aiplatform/build/src/v1/featurestore_service_client.js")).FeaturestoreServiceClient,
  featureOnlineStores: async () =>
    (await import("@google-cloud/aiplatform/build/src/v1/feature_online_store_admin_service_client.js"))
      .FeatureOnlineStoreAdminServiceClient,
  indexEndpoints: async () =>
    (await import("@google-cloud/aiplatform/build/src/v1/index_endpoint_service_client.js")).IndexEndpointServiceClient,
  tuningJobs: async () =>
    (await import("@google-cloud/aiplatform/build/src/v1/gen_ai_tuning_service_client.js")).GenAiTuningServiceClient,
  notebookRuntimes: async () =>
    (await import("@google-cloud/aiplatform/build/src/v1/notebook_service_client.js")).NotebookServiceClient,
  reasoningEngines: async () =>
    (await import("@google-cloud/aiplatform/build/src/v1/reasoning_engine_service_client.js"))
      .ReasoningEngineServiceClient,
};

const RM = "@google-cloud/resource-manager";
const rm = () => import("@google-cloud/resource-manager");

// biome-ignore lint/suspicious/noExplicitAny: google-gax's module shape, used only to hand its own parts back to its clients
type GaxModule = any;

/** The proto-caching google-gax of each client package, shared by every sweep in the process (see below). */
const gaxByPackage = new Map<string, GaxModule>();

/**
 * google-gax as the client package `pkg` loads it, with its proto cache keyed by the protos object. Every client
 * parses its package's protos (megabytes for Vertex AI) through gax's cache, keyed by a hash of their JSON text, and
 * protobufjs changes that JSON while parsing it: each client would parse them again, for seconds. Clients take the
 * gax module to use as their second constructor argument.
 */
function protoCachingGax(pkg: string): GaxModule {
  const gax: GaxModule = createRequire(createRequire(import.meta.url).resolve(`${pkg}/package.json`))("google-gax");
  const roots = new WeakMap<object, unknown>();
  const parsed = (json: object, ignoreCache?: boolean): unknown => {
    let root = roots.get(json);
    if (root === undefined) {
      root = gax.fallback.protobufFromJSON(json, ignoreCache);
      roots.set(json, root);
    }
    return root;
  };
  class ProtoCachingGrpcClient extends gax.fallback.GrpcClient {
    loadProtoJSON(json: object, ignoreCache?: boolean): unknown {
      return parsed(json, ignoreCache);
    }
  }
  // The clients use only `fallback` of the module they are given when they are made with `fallback: true`; they
  // parse their protos both through a GrpcClient and with `protobufFromJSON` directly.
  return { fallback: { ...gax.fallback, GrpcClient: ProtoCachingGrpcClient, protobufFromJSON: parsed } };
}

/** Call options for every paged call: the scanner pages with the clients' async iterators. */
export const PAGED = { autoPaginate: false } as const;

/** The scope the scanner's credentials ask for: reads are enforced by the catalogue and the custom role. */
export const SCOPES = ["https://www.googleapis.com/auth/cloud-platform"];

/**
 * The `@google-cloud/*` clients of one sweep configuration, on their REST transport, made on first use and shared
 * by every project and location (a client is bound to neither). The client packages are imported only here, when a
 * sweep first needs them: they are large.
 */
export class GcpClients {
  readonly limiter: RequestLimiter;
  readonly auth: ScannerAuth;
  private readonly config: NormalizedGcpConfig;
  private readonly clients = new Map<string, Promise<unknown>>();

  constructor(config: NormalizedGcpConfig, credentials: GoogleAuthOptions = {}) {
    this.config = config;
    this.limiter = new RequestLimiter(config);
    this.auth = new ScannerAuth(
      { ...credentials, scopes: SCOPES },
      {
        limiter: this.limiter,
        backoff: {
          maxAttempts: config.maxAttempts,
          baseDelayMs: config.retryBaseDelayMs,
          maxDelayMs: config.retryMaxDelayMs,
        },
        requestTimeoutMs: config.requestTimeoutMs,
      },
    );
    // Service-account keys sign their own tokens (no token endpoint round trip), as the clients ask of every auth they get.
    this.auth.useJWTAccessWithScope = true;
  }

  projects = () => this.client("Projects", "cloudresourcemanager", async () => (await rm()).ProjectsClient, RM);
  folders = () => this.client("Folders", "cloudresourcemanager", async () => (await rm()).FoldersClient, RM);
  organizations = () =>
    this.client("Organizations", "cloudresourcemanager", async () => (await rm()).OrganizationsClient, RM);
  serviceUsage = () =>
    this.client(
      "ServiceUsage",
      "serviceusage",
      async () => (await import("@google-cloud/service-usage")).ServiceUsageClient,
      "@google-cloud/service-usage",
    );
  apiKeys = () =>
    this.client(
      "ApiKeys",
      "apikeys",
      async () => (await import("@google-cloud/apikeys")).ApiKeysClient,
      "@google-cloud/apikeys",
    );
  workbench = () =>
    this.client(
      "Workbench",
      "notebooks",
      async () => (await import("@google-cloud/notebooks")).v2.NotebookServiceClient,
      "@google-cloud/notebooks",
    );

  /**
   * A Vertex AI client. One per kind serves every location: the transport sends each request to the regional
   * endpoint of the location its path names (`us-central1-aiplatform.googleapis.com`), so a sweep of every location
   * does not construct (and parse the protos of) a client per location.
   */
  vertex<K extends keyof VertexClients>(name: K): Promise<VertexClients[K]> {
    return this.client(`vertex:${name}`, "aiplatform", VERTEX_CLIENTS[name]);
  }

  /** Makes every client the configuration's collectors use. */
  async prepare(): Promise<void> {
    const { collectors } = this.config;
    await Promise.all([
      this.projects(),
      this.folders(),
      this.organizations(),
      this.serviceUsage(),
      ...(collectors.has("api-keys") ? [this.apiKeys()] : []),
      ...(collectors.has("workbench") ? [this.workbench()] : []),
      ...(collectors.has("vertex-ai")
        ? (Object.keys(VERTEX_CLIENTS) as (keyof VertexClients)[]).map((name) => this.vertex(name))
        : []),
    ]);
  }

  /** The URL of a REST method the scanner calls through its auth (Cloud Logging `entries:list`). */
  restUrl(api: keyof typeof GCP_APIS, path: string): string {
    const base = this.config.endpoint ?? new URL(`https://${GCP_APIS[api].host}`);
    return new URL(path, base).toString();
  }

  /** Closes every client made. */
  async close(): Promise<void> {
    const made = await Promise.allSettled(this.clients.values());
    this.clients.clear();
    await Promise.allSettled(
      made.flatMap((result) => (result.status === "fulfilled" ? [(result.value as Closable).close()] : [])),
    );
  }

  private client<C>(
    name: string,
    api: keyof typeof GCP_APIS,
    load: () => Promise<ClientConstructor<C>>,
    pkg = "@google-cloud/aiplatform",
  ): Promise<C> {
    let client = this.clients.get(name) as Promise<C> | undefined;
    if (client === undefined) {
      let gax = gaxByPackage.get(pkg);
      if (gax === undefined) {
        gax = protoCachingGax(pkg);
        gaxByPackage.set(pkg, gax);
      }
      const options = this.clientOptions(GCP_APIS[api].host);
      client = load().then((Client) => new Client(options, gax));
      this.clients.set(name, client);
    }
    return client;
  }

  /** REST transport (`fallback`) with the scanner's auth; with an endpoint override, every host is that endpoint. */
  private clientOptions(apiEndpoint: string) {
    const endpoint = this.config.endpoint;
    if (endpoint === undefined) return { fallback: true, auth: this.auth, apiEndpoint };
    const protocol = endpoint.protocol.replace(/:$/, "");
    return {
      fallback: true,
      auth: this.auth,
      apiEndpoint: endpoint.hostname,
      port: Number(endpoint.port === "" ? (protocol === "https" ? 443 : 80) : endpoint.port),
      protocol,
    };
  }
}
