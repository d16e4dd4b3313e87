import type { v1 as aiplatform } from "@google-cloud/aiplatform";
import type { ApiKeysClient } from "@google-cloud/apikeys";
import type { v2 as notebooks } from "@google-cloud/notebooks";
import type { FoldersClient, OrganizationsClient, ProjectsClient } from "@google-cloud/resource-manager";
import type { ServiceUsageClient } from "@google-cloud/service-usage";
import { RequestLimiter } from "@aigov/scanner-kit";
import type { GoogleAuthOptions } from "google-auth-library";
import { GCP_APIS } from "./catalogue.ts";
import type { NormalizedGcpConfig } from "./config.ts";
import { ScannerAuth } from "./gcp-transport.ts";

// biome-ignore lint/suspicious/noExplicitAny: the clients on google-gax 5 and 6 declare two google-auth-library versions' GoogleAuth; one ScannerAuth serves both
type ClientConstructor<C> = new (options: any) => C;
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

const VERTEX_CLASSES = {
  endpoints: "EndpointServiceClient",
  models: "ModelServiceClient",
  datasets: "DatasetServiceClient",
  featurestores: "FeaturestoreServiceClient",
  featureOnlineStores: "FeatureOnlineStoreAdminServiceClient",
  indexEndpoints: "IndexEndpointServiceClient",
  tuningJobs: "GenAiTuningServiceClient",
  notebookRuntimes: "NotebookServiceClient",
  reasoningEngines: "ReasoningEngineServiceClient",
} as const satisfies Record<keyof VertexClients, string>;

const rm = () => import("@google-cloud/resource-manager");

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

  projects = () => this.client("Projects", "cloudresourcemanager", async () => (await rm()).ProjectsClient);
  folders = () => this.client("Folders", "cloudresourcemanager", async () => (await rm()).FoldersClient);
  organizations = () =>
    this.client("Organizations", "cloudresourcemanager", async () => (await rm()).OrganizationsClient);
  serviceUsage = () =>
    this.client(
      "ServiceUsage",
      "serviceusage",
      async () => (await import("@google-cloud/service-usage")).ServiceUsageClient,
    );
  apiKeys = () => this.client("ApiKeys", "apikeys", async () => (await import("@google-cloud/apikeys")).ApiKeysClient);
  workbench = () =>
    this.client(
      "Workbench",
      "notebooks",
      async () => (await import("@google-cloud/notebooks")).v2.NotebookServiceClient,
    );

  /**
   * A Vertex AI client. One per kind serves every location: the transport sends each request to the regional
   * endpoint of the location its path names (`us-central1-aiplatform.googleapis.com`), so a sweep of every location
   * does not construct (and parse the protos of) a client per location.
   */
  vertex<K extends keyof VertexClients>(name: K): Promise<VertexClients[K]> {
    const className = VERTEX_CLASSES[name];
    return this.client(
      className,
      "aiplatform",
      async () =>
        (await import("@google-cloud/aiplatform")).v1[className] as unknown as ClientConstructor<VertexClients[K]>,
    );
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
        ? (Object.keys(VERTEX_CLASSES) as (keyof VertexClients)[]).map((name) => this.vertex(name))
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

  private client<C>(name: string, api: keyof typeof GCP_APIS, load: () => Promise<ClientConstructor<C>>): Promise<C> {
    const apiEndpoint = GCP_APIS[api].host;
    const key = name;
    let client = this.clients.get(key) as Promise<C> | undefined;
    if (client === undefined) {
      client = load().then((Client) => new Client(this.clientOptions(apiEndpoint)));
      this.clients.set(key, client);
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
