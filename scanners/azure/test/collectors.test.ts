import { startCloudSim } from "@aigov/cloud-sim";
import { beforeAll, describe, expect, it } from "vitest";
import { createAzureScanner } from "../src/index.ts";
import {
  byName,
  NOW,
  runSweep,
  SCANNER,
  SUBSCRIPTIONS,
  type SweepResult,
  simConfig,
  sweepWorld,
  TENANT,
  WORLD_FILE,
} from "./sweep-harness.ts";

const PROD_RG = `/subscriptions/${SUBSCRIPTIONS.prod}/resourceGroups/rg-ai/providers`;
const ACCOUNT = "Microsoft.CognitiveServices/accounts";
const DEPLOYMENT = "Microsoft.CognitiveServices/accounts/deployments";
const WORKSPACE = "Microsoft.MachineLearningServices/workspaces";

describe("a sweep of every subscription the identity can read, one item per page", () => {
  let sweep: Awaited<ReturnType<typeof sweepWorld>>;
  let result: SweepResult;
  beforeAll(async () => {
    sweep = await sweepWorld(WORLD_FILE, (sim) => simConfig(sim), { pageSize: 1 });
    result = sweep.result;
  });

  it("targets the subscriptions of its tenant it holds a role on, with their names, state and tags", () => {
    expect(result.targets.map((t) => [t.key, t.label, t.meta.state, t.meta.tenantId])).toEqual([
      [`azure:${SUBSCRIPTIONS.prod}`, "ai-prod", "Enabled", TENANT],
      [`azure:${SUBSCRIPTIONS.dev}`, "ai-dev", "Enabled", TENANT],
    ]);
    expect(result.targets[0]?.meta.tags).toEqual({ owner: "ml-platform" });
    expect(result.targets[0]?.region).toBeUndefined();
  });

  it("AI accounts of every kind with the facts the gate reads from the same ARM body", () => {
    const prod = byName(result.assets, ACCOUNT, "oai-prod");
    expect(prod).toMatchObject({
      provider: "azure",
      account: SUBSCRIPTIONS.prod,
      region: "eastus",
      kind: "ai-account",
      id: `${PROD_RG}/Microsoft.CognitiveServices/accounts/oai-prod`,
      public: false,
      keyAuth: false,
      cmk: true,
      privateNetwork: true,
      logging: true,
      owner: "team-chat@contoso.com",
      tags: { owner: "team-chat@contoso.com" },
    });
    expect(prod.native).toMatchObject({
      kind: "OpenAI",
      generativeAi: true,
      identity: { type: "SystemAssigned" },
      properties: {
        restrictOutboundNetworkAccess: true,
        allowedFqdnList: ["contosodata.blob.core.windows.net"],
        customSubDomainName: "contoso-oai-prod",
      },
      diagnostics: {
        logging: true,
        audit: true,
        requestResponse: true,
        destinations: [expect.stringContaining("/workspaces/law")],
      },
    });
    const shadow = byName(result.assets, ACCOUNT, "ais-shadow");
    expect(shadow).toMatchObject({ region: "westeurope", public: true, keyAuth: true, cmk: false, logging: false });
    expect(shadow.native).toMatchObject({ kind: "AIServices", generativeAi: true, diagnostics: { logging: false } });
    expect(byName(result.assets, ACCOUNT, "language").native).toMatchObject({ generativeAi: false });
    expect(byName(result.assets, ACCOUNT, "oai-dev")).toMatchObject({
      account: SUBSCRIPTIONS.dev,
      region: "swedencentral",
    });
  });

  it("an account that accepts its keys is a key subject, with no key value read; one with local auth off is not", () => {
    expect(result.keys.map((k) => [k.type, k.name, k.region, k.status]).sort()).toEqual([
      ["azure-ai-account-key", "ais-shadow account keys", "westeurope", "active"],
      ["azure-ai-account-key", "language account keys", "eastus", "active"],
      ["azure-ai-account-key", "oai-dev account keys", "swedencentral", "active"],
    ]);
    for (const key of result.keys) {
      expect(key.redacted).toBeUndefined();
      expect(key.fingerprint).toBeUndefined();
    }
    expect(sweep.requests.filter({ operation: "Accounts_ListKeys" })).toEqual([]);
  });

  it("deployments with model, SKU, content filter and upgrade option, located where their account is", () => {
    const gpt = byName(result.assets, DEPLOYMENT, "gpt-4o");
    expect(gpt).toMatchObject({
      kind: "deployment",
      region: "eastus",
      models: ["gpt-4o"],
      guardrail: true,
      id: `${PROD_RG}/Microsoft.CognitiveServices/accounts/oai-prod/deployments/gpt-4o`,
    });
    expect(gpt.native).toMatchObject({
      sku: { name: "GlobalStandard", capacity: 50 },
      properties: {
        model: { format: "OpenAI", name: "gpt-4o", version: "2024-11-20" },
        raiPolicyName: "contoso-strict",
        versionUpgradeOption: "OnceNewDefaultVersionAvailable",
      },
      account: { accountName: "oai-prod", accountKind: "OpenAI" },
    });
    expect(byName(result.assets, DEPLOYMENT, "embeddings")).toMatchObject({
      guardrail: false,
      models: ["text-embedding-3-large"],
    });
    expect(byName(result.assets, DEPLOYMENT, "llama")).toMatchObject({
      region: "westeurope",
      models: ["Llama-3.3-70B-Instruct"],
    });
    expect(result.assets.filter((a) => a.type === DEPLOYMENT)).toHaveLength(4);
  });

  it("a Foundry resource's projects; ML workspaces as AI Foundry hub and project, their endpoints and compute", () => {
    expect(byName(result.assets, "Microsoft.CognitiveServices/accounts/projects", "shadow-project")).toMatchObject({
      kind: "workspace",
      region: "westeurope",
    });
    // Only the account that allows project management is asked for projects.
    expect(sweep.requests.count({ operation: "Projects_List" })).toBe(1);
    expect(byName(result.assets, WORKSPACE, "foundry-hub")).toMatchObject({
      kind: "workspace",
      public: true,
      privateNetwork: false,
      native: { kind: "Hub", properties: { managedNetwork: { isolationMode: "AllowInternetOutbound" } } },
    });
    expect(byName(result.assets, WORKSPACE, "foundry-project").native).toMatchObject({ kind: "Project" });
    expect(byName(result.assets, `${WORKSPACE}/onlineEndpoints`, "scoring")).toMatchObject({
      kind: "endpoint",
      public: true,
      keyAuth: true,
    });
    expect(byName(result.assets, `${WORKSPACE}/computes`, "gpu-cluster")).toMatchObject({
      kind: "compute",
      public: true,
      keyAuth: true,
    });
    expect(byName(result.assets, `${WORKSPACE}/computes`, "notebook-vm")).toMatchObject({
      public: false,
      keyAuth: false,
      privateNetwork: true,
    });
    expect(byName(result.assets, "Microsoft.Search/searchServices", "contoso-search")).toMatchObject({
      kind: "search",
      public: true,
      keyAuth: true,
    });
  });

  it("Activity Log events of the window, normalized as aigov logs normalizes them, with the account's location", () => {
    expect(result.calls.map((c) => [c.operation, c.principal, c.region, c.outcome])).toEqual([
      ["Microsoft.CognitiveServices/accounts/listKeys/action", "mallory@contoso.com", "westeurope", "success"],
      ["Microsoft.CognitiveServices/accounts/deployments/write", "bob@contoso.com", "westeurope", "success"],
    ]);
    expect(result.calls[0]?.sourceIp).toBe("203.0.113.9");
    expect(result.calls.every((c) => c.provider === "azure" && c.account === SUBSCRIPTIONS.prod)).toBe(true);
    // The window is 24 hours: the key regeneration of August is outside it, the storage write is not AI.
    expect(result.calls.some((c) => c.operation.includes("regenerateKey"))).toBe(false);
  });

  it("a provider the subscription has not registered is no gap: the sweep says it once", () => {
    expect(result.gaps).toEqual([]);
    expect(sweep.notices.find((n) => n.code === "resource-provider-not-registered")?.message).toBe(
      `Microsoft.MachineLearningServices is not registered in 1 subscription(s) (${SUBSCRIPTIONS.dev}): none of its resources can exist there`,
    );
  });

  it("pages every list at one item per page, and sends only reads", () => {
    expect(sweep.requests.count({ operation: "Accounts_List", account: SUBSCRIPTIONS.prod })).toBe(3);
    // oai-prod's three deployments, ais-shadow's one, and an empty page for language and oai-dev.
    expect(sweep.requests.count({ operation: "Deployments_List" })).toBe(3 + 1 + 1 + 1);
    expect(sweep.requests.count({ operation: "ActivityLogs_List" })).toBeGreaterThanOrEqual(2);
    expect(sweep.requests.writes().map((r) => r.operation)).toEqual(["Token"]);
    expect(sweep.requests.all().filter((r) => r.secret && r.operation !== "Token")).toEqual([]);
  });
});

describe("targets", () => {
  it("a management group's subscriptions at any depth; one in it the identity cannot read is a gap", async () => {
    const { result } = await sweepWorld(WORLD_FILE, (sim) => simConfig(sim, { managementGroup: "contoso-platform" }));
    expect(result.targets.map((t) => [t.account, t.meta.managementGroup])).toEqual([
      [SUBSCRIPTIONS.prod, "contoso-platform"],
      [SUBSCRIPTIONS.dev, "contoso-platform"],
    ]);
    expect(result.gaps).toEqual([
      expect.objectContaining({
        account: SUBSCRIPTIONS.finance,
        code: "AccessDenied",
        message: expect.stringContaining("is in management group contoso-platform"),
      }),
    ]);
  });

  it("listed subscriptions are each read: one without a role is a gap, the others are swept; exclusions hold", async () => {
    const { result } = await sweepWorld(WORLD_FILE, (sim) =>
      simConfig(sim, {
        subscriptions: [SUBSCRIPTIONS.prod.toUpperCase(), SUBSCRIPTIONS.finance, SUBSCRIPTIONS.dev],
        excludeSubscriptions: [SUBSCRIPTIONS.dev],
      }),
    );
    expect(result.targets.map((t) => t.account)).toEqual([SUBSCRIPTIONS.prod]);
    expect(result.gaps.map((g) => [g.account, g.service, g.operation, g.code])).toEqual([
      [SUBSCRIPTIONS.finance, "resources", "Subscriptions_Get", "AccessDenied"],
    ]);
  });

  it("locations in any spelling narrow what is reported", async () => {
    const { result } = await sweepWorld(WORLD_FILE, (sim) => simConfig(sim, { locations: ["West Europe"] }));
    expect([...new Set([...result.assets, ...result.keys, ...result.calls].map((s) => s.region))]).toEqual([
      "westeurope",
    ]);
    expect(result.assets.map((a) => a.name).sort()).toEqual(["ais-shadow", "llama", "shadow-project"]);
  });
});

describe("credentials", () => {
  it("DefaultAzureCredential from the environment, its authority and CA from the configuration (nothing trusted in process)", async () => {
    const sim = await startCloudSim({ world: WORLD_FILE });
    const saved = { ...process.env };
    try {
      Object.assign(process.env, {
        AZURE_TENANT_ID: TENANT,
        AZURE_CLIENT_ID: SCANNER.clientId,
        AZURE_CLIENT_SECRET: SCANNER.secret,
      });
      const scanner = createAzureScanner({ now: () => NOW });
      const result = await runSweep(scanner, simConfig(sim, { subscriptions: [SUBSCRIPTIONS.prod] }));
      scanner.close();
      expect(result.gaps).toEqual([]);
      expect(result.assets.length).toBeGreaterThan(10);
      expect(
        new Set(sim.requests.filter({ operation: "Token" }).map((r) => [r.principal, r.status].join(" "))),
      ).toEqual(new Set([`${SCANNER.clientId} 200`]));
    } finally {
      process.env = saved;
      await sim.close();
    }
  });

  it("a credential that gets no token is one gap per subscription, not one per call", async () => {
    const sim = await startCloudSim({ world: WORLD_FILE });
    const saved = { ...process.env };
    try {
      Object.assign(process.env, {
        AZURE_TENANT_ID: TENANT,
        AZURE_CLIENT_ID: SCANNER.clientId,
        AZURE_CLIENT_SECRET: "wrong",
      });
      const scanner = createAzureScanner({ now: () => NOW });
      const result = await runSweep(
        scanner,
        simConfig(sim, { subscriptions: [SUBSCRIPTIONS.prod, SUBSCRIPTIONS.dev] }),
      );
      scanner.close();
      expect(result.gaps.map((g) => [g.account, g.service, g.code])).toEqual([
        [SUBSCRIPTIONS.prod, "resources", "AssumeRoleFailed"],
        [SUBSCRIPTIONS.dev, "resources", "AssumeRoleFailed"],
      ]);
      expect(result.gaps[0]?.message).toMatch(/AADSTS7000215/);
    } finally {
      process.env = saved;
      await sim.close();
    }
  });
});

describe("app settings (opt-in)", () => {
  it("with the opt-in, third-party AI keys in app settings are reported redacted; without it, App Service is not called", async () => {
    const on = await sweepWorld(WORLD_FILE, (sim) =>
      simConfig(sim, { subscriptions: [SUBSCRIPTIONS.prod], readAppSettings: true }),
    );
    const key = on.result.keys.find((k) => k.type === "third-party-ai-key");
    expect(key).toMatchObject({
      vendor: "huggingface",
      location: "app-service:chat-frontend:app-setting:HF_TOKEN",
      native: { source: "app-service", setting: "HF_TOKEN" },
    });
    expect(key?.redacted).toMatch(/^hf_.*ulat$/);
    expect(JSON.stringify(on.result)).not.toContain("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");
    expect(on.notices.map((n) => n.code)).not.toContain("app-settings-not-read");

    const off = await sweepWorld(WORLD_FILE, (sim) => simConfig(sim, { subscriptions: [SUBSCRIPTIONS.prod] }));
    expect(off.requests.filter({ service: "web" })).toEqual([]);
    expect(off.notices.map((n) => n.code)).toContain("app-settings-not-read");
  });
});

describe("429 handling", () => {
  it("waits what Retry-After asks before sending a throttled request again, and the listing completes", async () => {
    const { result, requests, stats } = await sweepWorld(
      WORLD_FILE,
      (sim) => simConfig(sim, { subscriptions: [SUBSCRIPTIONS.prod], retryMaxDelayMs: 5_000 }),
      { faults: [{ kind: "throttle", cloud: "azure", operation: "Accounts_List", rate: 0.5 }], seed: 3, pageSize: 1 },
    );
    expect(result.gaps).toEqual([]);
    expect(result.assets.filter((a) => a.kind === "ai-account").map((a) => a.name)).toEqual([
      "oai-prod",
      "ais-shadow",
      "language",
    ]);
    const lists = requests.filter({ operation: "Accounts_List" });
    const throttled = lists.filter((r) => r.status === 429);
    expect(throttled.length).toBeGreaterThan(0);
    expect(stats.retries).toBe(throttled.length);
    // Each throttled request was sent again no sooner than the second the simulator's Retry-After asked for.
    for (const refusal of throttled) {
      const retry = lists.find((r) => r.at > refusal.at);
      expect(retry!.at - refusal.at).toBeGreaterThanOrEqual(990);
    }
  }, 30_000);
});
