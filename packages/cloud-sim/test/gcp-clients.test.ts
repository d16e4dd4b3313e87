import { v1 as aiplatform } from "@google-cloud/aiplatform";
import { ApiKeysClient } from "@google-cloud/apikeys";
import { v2 as notebooks } from "@google-cloud/notebooks";
import { FoldersClient, OrganizationsClient, ProjectsClient } from "@google-cloud/resource-manager";
import { ServiceUsageClient } from "@google-cloud/service-usage";
import { describe, expect, it } from "vitest";
import { restClientOptions, SCANNER_EMAIL, trustedSimulator } from "./gcp-clients.ts";

/**
 * The real `@google-cloud/*` clients on their REST transport, over HTTPS (the simulator's CA trusted in process),
 * signing with a service-account key as Application Default Credentials do, at one item per page.
 */
const simulator = trustedSimulator({ pageSize: 1 });

const options = () => restClientOptions(simulator.sim.httpsPort, simulator.auth);

async function all<T>(items: AsyncIterable<T>): Promise<T[]> {
  const found: T[] = [];
  for await (const item of items) found.push(item);
  return found;
}

describe("Resource Manager v3", () => {
  it("searches projects, lists folders and projects under a parent, one per page", async () => {
    const projects = new ProjectsClient(options());
    const found = await all(projects.searchProjectsAsync({ query: "state:ACTIVE" }));
    expect(found.map((p) => [p.projectId, p.name, p.parent])).toEqual([
      ["ml-prod-4821", "projects/100000000001", "folders/1002"],
      ["shadow-ai-7731", expect.stringMatching(/^projects\/\d{12}$/), "folders/1001"],
      ["data-lake-0042", expect.stringMatching(/^projects\/\d{12}$/), expect.stringMatching(/^folders\/\d+$/)],
    ]);
    expect(simulator.sim.requests.count({ operation: "SearchProjects" })).toBe(3);
    expect(found[0]?.labels).toEqual({ owner: "ml-platform", env: "prod" });

    const folders = new FoldersClient(options());
    const top = await all(folders.listFoldersAsync({ parent: "organizations/123456789012" }));
    // A folder pending deletion is listed only with showDeleted, as Resource Manager does.
    expect(top.map((f) => f.displayName)).toEqual(["Workloads"]);
    const under = await all(folders.listFoldersAsync({ parent: "folders/1001" }));
    expect(under.map((f) => [f.displayName, f.parent])).toEqual([
      ["Prod", "folders/1001"],
      ["Dev", "folders/1001"],
    ]);
    const inProd = await all(projects.listProjectsAsync({ parent: "folders/1002" }));
    expect(inProd.map((p) => p.projectId)).toEqual(["ml-prod-4821"]);
    const [organization] = await all(new OrganizationsClient(options()).searchOrganizationsAsync({}));
    expect([organization?.name, organization?.displayName]).toEqual(["organizations/123456789012", "example.com"]);
  });

  it("answers the audit configuration of a project, folder and organization policy", async () => {
    const [policy] = await new ProjectsClient(options()).getIamPolicy({
      resource: "projects/ml-prod-4821",
      options: { requestedPolicyVersion: 3 },
    });
    expect(policy.version).toBe(3);
    expect(policy.auditConfigs).toEqual([
      { service: "aiplatform.googleapis.com", auditLogConfigs: [{ logType: "DATA_READ", exemptedMembers: [] }] },
    ]);
    const [folder] = await new FoldersClient(options()).getIamPolicy({ resource: "folders/1002" });
    expect(folder.auditConfigs?.[0]?.auditLogConfigs?.map((c) => c.logType)).toEqual(["DATA_READ", "DATA_WRITE"]);
    const [organization] = await new OrganizationsClient(options()).getIamPolicy({
      resource: "organizations/123456789012",
    });
    expect(organization.auditConfigs?.[0]?.service).toBe("allServices");
  });

  it("refuses a query it does not read, and a project the caller cannot see, as Google does", async () => {
    // The Resource Manager client is on google-gax 5, whose REST transport surfaces an HTTP error as gaxios
    // raises it: the HTTP status, and Google's error body as the message.
    const projects = new ProjectsClient(options());
    const refused = await all(projects.searchProjectsAsync({ query: "tags.env:prod" })).catch(
      (error: unknown) => error,
    );
    expect(refused).toMatchObject({ status: 400 });
    expect(JSON.parse((refused as Error).message).error).toMatchObject({ code: 400, status: "INVALID_ARGUMENT" });
    const hidden = await projects.getProject({ name: "projects/nobody-knows-0000" }).catch((error: unknown) => error);
    // PERMISSION_DENIED, never NOT_FOUND: Google does not say whether a project it will not show exists.
    expect(JSON.parse((hidden as Error).message).error).toMatchObject({
      code: 403,
      status: "PERMISSION_DENIED",
      details: [{ reason: "IAM_PERMISSION_DENIED", metadata: { permission: "resourcemanager.projects.get" } }],
    });
  });
});

describe("Service Usage v1", () => {
  it("lists the enabled services of a project by number, one per page", async () => {
    const client = new ServiceUsageClient(options());
    const services = await all(client.listServicesAsync({ parent: "projects/100000000001", filter: "state:ENABLED" }));
    expect(services.map((s) => [s.config?.name, s.state])).toEqual([
      ["aiplatform.googleapis.com", "ENABLED"],
      ["notebooks.googleapis.com", "ENABLED"],
      ["apikeys.googleapis.com", "ENABLED"],
      ["logging.googleapis.com", "ENABLED"],
      ["compute.googleapis.com", "ENABLED"],
    ]);
    expect(services[0]?.config?.title).toBe("Vertex AI API");
    expect(services[0]?.name).toBe("projects/100000000001/services/aiplatform.googleapis.com");
    expect(simulator.sim.requests.filter({ operation: "ListServices" }).map((r) => r.account)).toEqual(
      Array(5).fill("ml-prod-4821"),
    );
  });
});

describe("API Keys v2", () => {
  it("lists keys with their restrictions and never their key string; deleted keys only when asked", async () => {
    const client = new ApiKeysClient(options());
    const keys = await all(client.listKeysAsync({ parent: "projects/shadow-ai-7731/locations/global" }));
    expect(keys.map((k) => k.name?.replace(/^projects\/\d+/, "projects/N"))).toEqual([
      "projects/N/locations/global/keys/anything-key",
      "projects/N/locations/global/keys/gemini-key",
    ]);
    expect(keys[0]?.restrictions).toBeNull();
    expect(keys[1]?.restrictions?.apiTargets).toEqual([
      { service: "generativelanguage.googleapis.com", methods: ["GenerateContent"] },
    ]);
    for (const key of keys) expect(key.keyString).toBe("");
    const withDeleted = await all(
      client.listKeysAsync({ parent: "projects/shadow-ai-7731/locations/global", showDeleted: true }),
    );
    expect(withDeleted).toHaveLength(3);
    expect(simulator.sim.requests.all().every((r) => r.readOnly && !r.secret)).toBe(true);
  });

  it("answers GetKeyString, and the request log marks that request as asking for a secret", async () => {
    const client = new ApiKeysClient(options());
    const [answer] = await client.getKeyString({ name: "projects/shadow-ai-7731/locations/global/keys/gemini-key" });
    expect(answer.keyString).toBe("AIzaSyC-simulated-gemini-key-000000000003");
    expect(simulator.sim.requests.filter({ operation: "GetKeyString" }).map((r) => [r.readOnly, r.secret])).toEqual([
      [true, true],
    ]);
  });
});

describe("Vertex AI v1", () => {
  const parent = "projects/ml-prod-4821/locations/us-central1";

  it("lists every collection a scanner reads, one per page, with full names under the project number", async () => {
    const o = options();
    const lists: [string, () => AsyncIterable<{ name?: string | null }>][] = [
      ["endpoints", () => new aiplatform.EndpointServiceClient(o).listEndpointsAsync({ parent })],
      ["models", () => new aiplatform.ModelServiceClient(o).listModelsAsync({ parent })],
      ["datasets", () => new aiplatform.DatasetServiceClient(o).listDatasetsAsync({ parent })],
      ["featurestores", () => new aiplatform.FeaturestoreServiceClient(o).listFeaturestoresAsync({ parent })],
      [
        "featureOnlineStores",
        () => new aiplatform.FeatureOnlineStoreAdminServiceClient(o).listFeatureOnlineStoresAsync({ parent }),
      ],
      ["indexEndpoints", () => new aiplatform.IndexEndpointServiceClient(o).listIndexEndpointsAsync({ parent })],
      ["tuningJobs", () => new aiplatform.GenAiTuningServiceClient(o).listTuningJobsAsync({ parent })],
      ["notebookRuntimes", () => new aiplatform.NotebookServiceClient(o).listNotebookRuntimesAsync({ parent })],
      ["reasoningEngines", () => new aiplatform.ReasoningEngineServiceClient(o).listReasoningEnginesAsync({ parent })],
    ];
    const counts: Record<string, number> = {};
    for (const [collection, list] of lists) {
      const found = await all(list());
      counts[collection] = found.length;
      for (const item of found)
        expect(item.name).toMatch(new RegExp(`^projects/100000000001/locations/us-central1/${collection}/[^/]+$`));
    }
    expect(counts).toEqual({
      endpoints: 3,
      models: 3,
      datasets: 1,
      featurestores: 1,
      featureOnlineStores: 1,
      indexEndpoints: 1,
      tuningJobs: 1,
      notebookRuntimes: 1,
      reasoningEngines: 1,
    });
    // One page per item, and one more request for each listing of three (its last page names no next token).
    expect(simulator.sim.requests.count({ operation: "ListEndpoints" })).toBe(3);
    expect(simulator.sim.requests.filter({ service: "aiplatform" }).every((r) => r.region === "us-central1")).toBe(
      true,
    );
  });

  it("returns an endpoint's network, encryption and deployed models as the client decodes them", async () => {
    const client = new aiplatform.EndpointServiceClient(options());
    const [endpoint] = await client.getEndpoint({ name: `${parent}/endpoints/1001` });
    expect(endpoint.displayName).toBe("chat");
    expect(endpoint.encryptionSpec?.kmsKeyName).toBe(
      "projects/sec-kms/locations/us-central1/keyRings/ai/cryptoKeys/vertex",
    );
    expect(endpoint.privateServiceConnectConfig?.enablePrivateServiceConnect).toBe(true);
    expect(endpoint.deployedModels?.map((m) => [m.id, m.model])).toEqual([
      ["501", "projects/100000000001/locations/us-central1/models/gemma-tuned"],
    ]);
    expect(endpoint.labels).toEqual({ owner: "ml-platform" });
    expect(endpoint.createTime).toEqual({ seconds: "1735689600", nanos: 0 });
  });

  it("lists the locations Vertex AI serves through the locations mixin", async () => {
    const client = new aiplatform.EndpointServiceClient(options());
    const locations = await all(client.listLocationsAsync({ name: "projects/ml-prod-4821" }));
    expect(locations.map((l) => l.locationId)).toEqual(expect.arrayContaining(["us-central1", "europe-west4"]));
    expect(locations.length).toBeGreaterThan(30);
  });

  it("answers SERVICE_DISABLED in a project that has not enabled the API", async () => {
    const client = new aiplatform.EndpointServiceClient(options());
    await expect(
      client.listEndpoints({ parent: "projects/shadow-ai-7731/locations/us-central1" }),
    ).rejects.toMatchObject({
      code: 7,
      reason: "SERVICE_DISABLED",
      domain: "googleapis.com",
      errorInfoMetadata: { service: "aiplatform.googleapis.com", consumer: expect.stringMatching(/^projects\/\d+$/) },
    });
  });
});

describe("Workbench (Notebooks API v2)", () => {
  it("lists instances of every zone with locations/-, one per page", async () => {
    const client = new notebooks.NotebookServiceClient(options());
    const instances = await all(client.listInstancesAsync({ parent: "projects/ml-prod-4821/locations/-" }));
    expect(instances.map((i) => [i.name, i.gceSetup?.disablePublicIp])).toEqual([
      ["projects/ml-prod-4821/locations/us-central1-a/instances/research", false],
      ["projects/ml-prod-4821/locations/europe-west4-b/instances/private-nb", true],
      ["projects/ml-prod-4821/locations/us-central1-a/instances/scratch", false],
    ]);
    expect(instances[1]?.gceSetup?.bootDisk?.diskEncryption).toBe("CMEK");
    const zone = await all(client.listInstancesAsync({ parent: "projects/ml-prod-4821/locations/europe-west4-b" }));
    expect(zone.map((i) => i.name)).toEqual(["projects/ml-prod-4821/locations/europe-west4-b/instances/private-nb"]);
  });
});

describe("the caller", () => {
  it("is the service account whose key signed the request", async () => {
    await new ServiceUsageClient(options()).listServices({ parent: "projects/ml-prod-4821" });
    expect(simulator.sim.requests.all().map((r) => r.principal)).toContain(SCANNER_EMAIL);
    // The Node clients sign their own JWT with the key: no token endpoint is involved.
    expect(simulator.sim.requests.count({ service: "oauth2" })).toBe(0);
  });
});
