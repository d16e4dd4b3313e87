import { getCACertificates, setDefaultCACertificates } from "node:tls";
import { type CloudSim, type RequestRecord, startCloudSim } from "@aigov/cloud-sim";
import type { Asset } from "@aigov/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createGcpScanner, type GcpScanConfig, type GcpTargetMeta } from "../src/index.ts";
import { runSweep, type SweepResult, serviceAccountAuth } from "./run-sweep.ts";

/**
 * Every collector with the real `@google-cloud/*` clients on their REST transport, over HTTPS (the simulator's CA
 * trusted in process), at one item per page, against the world the simulator's own tests use.
 */
const WORLD = new URL("../../../packages/cloud-sim/test/fixtures/gcp-world.yaml", import.meta.url).pathname;
const NOW = new Date("2026-11-21T12:00:00Z");
const defaultCAs = getCACertificates("default");

let sim: CloudSim;
let swept: SweepResult<GcpTargetMeta>;
let config: GcpScanConfig;
const notices: string[] = [];
/** The main sweep's requests, as the simulator logged them. */
let sent: RequestRecord[] = [];

beforeAll(async () => {
  sim = await startCloudSim({ world: WORLD, pageSize: 1 });
  setDefaultCACertificates([...defaultCAs, sim.caCertificate]);
  config = { organization: "123456789012", endpoint: sim.httpsUrl, locations: ["us-central1", "europe-west4"] };
  const scanner = createGcpScanner({ serviceAccount: serviceAccountAuth(), now: () => NOW });
  swept = await runSweep(scanner, config);
  notices.push(...scanner.notices(config).map((notice) => `${notice.code}: ${notice.message}`));
  sent = [...sim.requests.all()];
  await scanner.close();
}, 120_000);
afterAll(async () => {
  setDefaultCACertificates(defaultCAs);
  await sim.close();
});

const assetsOf = (project: string, type: string) =>
  swept.assets.filter((a) => a.account === project && a.type === type).sort((a, b) => a.id.localeCompare(b.id));
const requests = (service: string, operation: string, account?: string) =>
  sent.filter(
    (r) => r.service === service && r.operation === operation && (account === undefined || r.account === account),
  ).length;

describe("targets", () => {
  it("are the organization's ACTIVE projects, folder by folder, with their ancestors", () => {
    expect(swept.targets.map((t) => [t.key, t.meta.projectNumber, t.meta.ancestors]).sort()).toEqual([
      [
        "gcp:data-lake-0042",
        expect.stringMatching(/^\d{12}$/),
        [expect.stringMatching(/^folders\/\d+$/), "folders/1001", "organizations/123456789012"],
      ],
      ["gcp:ml-prod-4821", "100000000001", ["folders/1002", "folders/1001", "organizations/123456789012"]],
      ["gcp:shadow-ai-7731", expect.stringMatching(/^\d{12}$/), ["folders/1001", "organizations/123456789012"]],
    ]);
    expect(swept.gaps).toEqual([]);
  });

  it("are the listed projects, their ancestors read up the folders, excluded ones left out", async () => {
    const scanner = createGcpScanner({ serviceAccount: serviceAccountAuth(), now: () => NOW });
    const listed: GcpScanConfig = {
      projects: ["ml-prod-4821", "shadow-ai-7731", "legacy-gone-0001"],
      excludeProjects: ["shadow-ai-7731"],
      endpoint: sim.httpsUrl,
      collectors: [],
    };
    const result = await runSweep(scanner, listed);
    await scanner.close();
    expect(result.targets.map((t) => [t.account, t.meta.ancestors])).toEqual([
      ["ml-prod-4821", ["folders/1002", "folders/1001", "organizations/123456789012"]],
    ]);
    expect(result.gaps.map((g) => [g.account, g.operation, g.code])).toEqual([
      ["legacy-gone-0001", "projects.get", "NotAvailable"],
    ]);
  });
});

describe("enabled APIs", () => {
  it("each AI API a project enables is an asset carrying the project's labels and owner", () => {
    expect(assetsOf("shadow-ai-7731", "serviceusage.googleapis.com/Service").map((a) => [a.name, a.tags])).toEqual([
      ["generativelanguage.googleapis.com", { team: "marketing" }],
    ]);
    const mlProd = assetsOf("ml-prod-4821", "serviceusage.googleapis.com/Service");
    expect(mlProd.map((a) => [a.kind, a.name, a.owner, a.region])).toEqual([
      ["enabled-api", "aiplatform.googleapis.com", "ml-platform", "global"],
      ["enabled-api", "notebooks.googleapis.com", "ml-platform", "global"],
    ]);
    // Five services enabled, one per page.
    expect(requests("serviceusage", "ListServices", "ml-prod-4821")).toBe(5);
  });
});

describe("Vertex AI", () => {
  const byName = (assets: Asset[], name: string) => assets.find((a) => a.name === name)!;

  it("reads endpoints with their deployed models, network, encryption and logging", () => {
    const endpoints = assetsOf("ml-prod-4821", "aiplatform.googleapis.com/Endpoint");
    expect(endpoints.map((e) => [e.region, e.name])).toEqual([
      ["europe-west4", "eu-chat"],
      ["us-central1", "chat"],
      ["us-central1", "embed"],
      ["us-central1", "public-demo"],
    ]);
    expect(byName(endpoints, "chat")).toMatchObject({
      id: "projects/100000000001/locations/us-central1/endpoints/1001",
      kind: "endpoint",
      public: false,
      privateNetwork: true,
      cmk: true,
      logging: false,
      models: ["gemma-2"],
      owner: "ml-platform",
      native: { privateServiceConnectConfig: { enablePrivateServiceConnect: true } },
    });
    expect(byName(endpoints, "embed")).toMatchObject({
      public: true,
      cmk: false,
      native: { dedicatedEndpointEnabled: true },
    });
    expect(byName(endpoints, "public-demo").models).toEqual(["sentiment"]);
    expect(requests("aiplatform", "ListEndpoints", "ml-prod-4821")).toBe(3 + 1);
  });

  it("reads models, datasets, feature stores, index endpoints, tuning jobs, Colab runtimes and agents", () => {
    const kinds = swept.assets
      .filter((a) => a.account === "ml-prod-4821" && a.type.startsWith("aiplatform.googleapis.com/"))
      .map((a) => `${a.type.slice(26)}:${a.name}`)
      .sort();
    expect(kinds).toEqual([
      "Dataset:tickets",
      "Endpoint:chat",
      "Endpoint:embed",
      "Endpoint:eu-chat",
      "Endpoint:public-demo",
      "FeatureOnlineStore:online",
      "Featurestore:features",
      "IndexEndpoint:search",
      "Model:churn",
      "Model:gemma-tuned",
      "Model:sentiment",
      "NotebookRuntime:colab-alice",
      "ReasoningEngine:support-agent",
      "TuningJob:601",
    ]);
    expect(byName(assetsOf("ml-prod-4821", "aiplatform.googleapis.com/IndexEndpoint"), "search")).toMatchObject({
      kind: "endpoint",
      public: true,
    });
    expect(assetsOf("ml-prod-4821", "aiplatform.googleapis.com/TuningJob")[0]).toMatchObject({
      kind: "training-job",
      models: ["gemini-2.0-flash-001"],
    });
    expect(assetsOf("ml-prod-4821", "aiplatform.googleapis.com/ReasoningEngine")[0]?.kind).toBe("agent");
    // Nine collections in each of the two locations, one page per item and a last page.
    expect(requests("aiplatform", "ListModels", "ml-prod-4821")).toBe(3 + 1);
  });

  it("is not read in a project that does not enable it", () => {
    expect(sent.filter((r) => r.service === "aiplatform" && r.account === "shadow-ai-7731")).toEqual([]);
    expect(sent.filter((r) => r.service === "notebooks" && r.account === "data-lake-0042")).toEqual([]);
  });

  it('reads every location Vertex AI lists for the project with locations: "all"', async () => {
    const scanner = createGcpScanner({ serviceAccount: serviceAccountAuth(), now: () => NOW });
    const all: GcpScanConfig = { projects: ["ml-prod-4821"], endpoint: sim.httpsUrl, collectors: ["vertex-ai"] };
    sim.requests.clear();
    const result = await runSweep(scanner, all);
    await scanner.close();
    expect(result.gaps).toEqual([]);
    expect(new Set(result.assets.filter((a) => a.kind === "endpoint").map((a) => a.region))).toEqual(
      new Set(["us-central1", "europe-west4"]),
    );
    expect(new Set(sim.requests.filter({ operation: "ListEndpoints" }).map((r) => r.region)).size).toBeGreaterThan(30);
  });
});

describe("Workbench", () => {
  it("reads every zone's instances with their public IP, boot disk encryption and root access", () => {
    const instances = assetsOf("ml-prod-4821", "notebooks.googleapis.com/Instance");
    expect(instances.map((i) => [i.name, i.region, i.public, i.cmk, i.rootAccess])).toEqual([
      ["private-nb", "europe-west4-b", false, true, true],
      ["research", "us-central1-a", true, false, true],
      ["scratch", "us-central1-a", true, false, true],
    ]);
    expect(instances.find((i) => i.name === "research")?.owner).toBe("research");
  });
});

describe("API keys", () => {
  it("are the keys that can reach an AI API, with their restrictions and never their key string", () => {
    expect(
      swept.keys
        .map((k) => [k.account, k.name, k.vendor, k.unrestricted, k.apiTargets])
        .sort((a, b) => String(a[1]).localeCompare(String(b[1]))),
    ).toEqual([
      ["shadow-ai-7731", "gemini-key", "google-gemini", false, ["generativelanguage.googleapis.com"]],
      ["shadow-ai-7731", "quick test", "gcp", true, []],
    ]);
    const output = JSON.stringify(swept);
    expect(output).not.toContain("AIzaSy");
    expect(requests("apikeys", "GetKeyString")).toBe(0);
  });
});

describe("audit logs", () => {
  it("are the window's AI entries as ApiCalls, through the normaliser aigov logs uses", () => {
    expect(swept.calls.map((c) => [c.account, c.service, c.operation, c.principal, c.region, c.time])).toEqual([
      ["ml-prod-4821", "vertex-ai", "Predict", "bob@example.com", "us-central1", "2026-11-21T09:30:00.000Z"],
    ]);
    expect(
      sent
        .filter((r) => r.service === "logging")
        .map((r) => r.account)
        .sort(),
    ).toEqual(["ml-prod-4821", "shadow-ai-7731"]);
  });

  it("say, per AI API, whether Data Access logs are on, from the project's policy and its ancestors'", () => {
    const configs = swept.assets.filter((a) => a.type === "gcp-data-access-audit-logs");
    expect(configs.map((a) => [a.account, a.native.service, a.native.dataRead, a.native.adminRead]).sort()).toEqual([
      ["ml-prod-4821", "aiplatform.googleapis.com", true, true],
      ["shadow-ai-7731", "generativelanguage.googleapis.com", false, true],
    ]);
    // The organization's and folders' policies are read once for the whole sweep.
    expect(requests("cloudresourcemanager", "GetIamPolicy")).toBe(2 + 2 + 1);
    expect(notices).toEqual([expect.stringMatching(/^data-access-logs-off: .*shadow-ai-7731 \(generativelanguage/)]);
  });
});
