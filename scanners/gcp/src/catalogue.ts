// Every Google API call the scanner can send, in one place. The transport refuses any request whose method and
// path match no entry here before it is signed or sent (gcp-transport.ts), a test proves every entry is a read that
// returns no secret material and that the sources make no other call, and the custom role in
// docs/permissions/gcp-role.yaml is generated from it. Adding a call means adding it here.
import { type Catalogue, type CatalogueEntry, createCatalogue } from "@aigov/scanner-kit";

/** The Google APIs the scanner reads, by the name its requests are counted and rate-limited under. */
export const GCP_APIS = {
  cloudresourcemanager: { host: "cloudresourcemanager.googleapis.com", regional: false },
  serviceusage: { host: "serviceusage.googleapis.com", regional: false },
  apikeys: { host: "apikeys.googleapis.com", regional: false },
  aiplatform: { host: "aiplatform.googleapis.com", regional: true },
  notebooks: { host: "notebooks.googleapis.com", regional: false },
  logging: { host: "logging.googleapis.com", regional: false },
} as const;
export type GcpApi = keyof typeof GCP_APIS;

/** Every call is made with the scanner's own identity (Application Default Credentials): there is no other holder. */
export type GcpHolder = "scanner";

export interface GcpCatalogueEntry extends CatalogueEntry<GcpApi, GcpHolder> {
  readonly method: "GET" | "POST";
  /** The REST path template; `{name}` matches one path segment. */
  readonly path: string;
  /** How the sources make the call: the client method (`listEndpoints`), or `fetch <path>` for a REST call. */
  readonly call: string;
}

const entry = (
  service: GcpApi,
  operation: string,
  method: GcpCatalogueEntry["method"],
  path: string,
  call: string,
  permissions: readonly string[],
): GcpCatalogueEntry => ({
  service,
  operation,
  kind: "read",
  returnsSecret: false,
  permissions,
  holder: "scanner",
  method,
  path,
  call,
});

const vertex = (collection: string, permission: string) =>
  entry(
    "aiplatform",
    `${collection}.list`,
    "GET",
    `/v1/projects/{project}/locations/{location}/${collection}`,
    `list${collection[0]!.toUpperCase()}${collection.slice(1)}`,
    [`aiplatform.${permission}.list`],
  );

/** Operations are the REST reference's method names, without their `projects.locations.` prefix. */
export const GCP_CATALOGUE_ENTRIES: readonly GcpCatalogueEntry[] = [
  // Targets: the projects under an organization or folder, or those configured.
  entry("cloudresourcemanager", "projects.search", "GET", "/v3/projects:search", "searchProjects", [
    "resourcemanager.projects.get",
  ]),
  entry("cloudresourcemanager", "projects.get", "GET", "/v3/projects/{project}", "getProject", [
    "resourcemanager.projects.get",
  ]),
  entry("cloudresourcemanager", "folders.list", "GET", "/v3/folders", "listFolders", ["resourcemanager.folders.list"]),
  entry("cloudresourcemanager", "folders.get", "GET", "/v3/folders/{folder}", "getFolder", [
    "resourcemanager.folders.get",
  ]),
  // Audit configuration (which Data Access logs are on): a project's IAM policy and its ancestors'.
  entry(
    "cloudresourcemanager",
    "projects.getIamPolicy",
    "POST",
    "/v3/projects/{project}:getIamPolicy",
    "getIamPolicy",
    ["resourcemanager.projects.getIamPolicy"],
  ),
  entry("cloudresourcemanager", "folders.getIamPolicy", "POST", "/v3/folders/{folder}:getIamPolicy", "getIamPolicy", [
    "resourcemanager.folders.getIamPolicy",
  ]),
  entry(
    "cloudresourcemanager",
    "organizations.getIamPolicy",
    "POST",
    "/v3/organizations/{organization}:getIamPolicy",
    "getIamPolicy",
    ["resourcemanager.organizations.getIamPolicy"],
  ),
  // Enabled APIs.
  entry("serviceusage", "services.list", "GET", "/v1/projects/{project}/services", "listServices", [
    "serviceusage.services.list",
  ]),
  // API keys, their restrictions and targets; never GetKeyString.
  entry("apikeys", "keys.list", "GET", "/v2/projects/{project}/locations/{location}/keys", "listKeys", [
    "apikeys.keys.list",
  ]),
  // Vertex AI, per location.
  entry("aiplatform", "locations.list", "GET", "/v1/projects/{project}/locations", "listLocations", [
    "aiplatform.locations.list",
  ]),
  vertex("endpoints", "endpoints"),
  vertex("models", "models"),
  vertex("datasets", "datasets"),
  vertex("featurestores", "featurestores"),
  vertex("featureOnlineStores", "featureOnlineStores"),
  vertex("indexEndpoints", "indexEndpoints"),
  vertex("tuningJobs", "tuningJobs"),
  vertex("notebookRuntimes", "notebookRuntimes"),
  vertex("reasoningEngines", "reasoningEngines"),
  // Workbench instances, every zone at once.
  entry(
    "notebooks",
    "instances.list",
    "GET",
    "/v2/projects/{project}/locations/{location}/instances",
    "listInstances",
    ["notebooks.instances.list"],
  ),
  // Audit log entries. Data Access entries are private logs: reading them needs privateLogEntries.list too.
  entry("logging", "entries.list", "POST", "/v2/entries:list", "fetch /v2/entries:list", [
    "logging.logEntries.list",
    "logging.privateLogEntries.list",
  ]),
];

export const wireName = (entry: Pick<GcpCatalogueEntry, "service" | "operation">) =>
  `${entry.service}:${entry.operation}`;

export const GCP_CATALOGUE: Catalogue<GcpCatalogueEntry> = createCatalogue("gcp", GCP_CATALOGUE_ENTRIES, {
  wireName,
  optIns: {},
});

interface CompiledRoute {
  readonly entry: GcpCatalogueEntry;
  readonly pattern: RegExp;
  readonly labels: readonly string[];
}

const ROUTES: readonly CompiledRoute[] = GCP_CATALOGUE_ENTRIES.map((item) => {
  const labels: string[] = [];
  const source = item.path.replace(/[.*+?^$()|[\]\\]/g, "\\$&").replace(/\{(\w+)\}/g, (_match, label: string) => {
    labels.push(label);
    return "([^/:]+)";
  });
  return { entry: item, pattern: new RegExp(`^${source}$`), labels };
});

/** The catalogue entry a request is, and its path labels (project, location …); undefined when none matches. */
export function routeOf(
  method: string,
  path: string,
): { readonly entry: GcpCatalogueEntry; readonly labels: Readonly<Record<string, string>> } | undefined {
  for (const route of ROUTES) {
    if (route.entry.method !== method) continue;
    const match = route.pattern.exec(path);
    if (match === null) continue;
    const labels: Record<string, string> = {};
    route.labels.forEach((label, i) => {
      labels[label] = decodeURIComponent(match[i + 1]!);
    });
    return { entry: route.entry, labels };
  }
  return undefined;
}
