import { unknown } from "@aigov/core";
import { describe, expect, it } from "vitest";
import {
  armFacts,
  armKind,
  armPart,
  azureAccountKey,
  azureCall,
  diagnosticLogging,
  isGenerativeAiAccount,
} from "../src/index.ts";

const ACCOUNT =
  "/subscriptions/11111111-1111-4111-8111-111111111111/resourceGroups/rg/providers/Microsoft.CognitiveServices/accounts/oai";

describe("ARM bodies", () => {
  it("an AI account: public unless network access is disabled or the ACL denies by default; keys unless local auth is off", () => {
    expect(armFacts("Microsoft.CognitiveServices/accounts", { kind: "OpenAI", properties: {} })).toEqual({
      public: true,
      keyAuth: true,
      cmk: false,
      privateNetwork: false,
      outboundRestricted: false,
      customSubdomain: false,
      managedIdentity: false,
      trustedServicesBypass: false,
    });
    expect(
      armFacts("microsoft.cognitiveservices/ACCOUNTS", {
        properties: {
          publicNetworkAccess: "Enabled",
          networkAcls: { defaultAction: "Deny", bypass: "AzureServices" },
          disableLocalAuth: true,
          encryption: { keySource: "Microsoft.KeyVault" },
          restrictOutboundNetworkAccess: true,
          customSubDomainName: "oai",
        },
        identity: { type: "SystemAssigned" },
      }),
    ).toEqual({
      public: false,
      keyAuth: false,
      cmk: true,
      privateNetwork: true,
      outboundRestricted: true,
      customSubdomain: true,
      managedIdentity: true,
      trustedServicesBypass: true,
    });
    expect(
      armFacts("Microsoft.CognitiveServices/accounts", { properties: { publicNetworkAccess: "Disabled" } }),
    ).toMatchObject({
      public: false,
      privateNetwork: true,
    });
  });

  it("a planned body known only after apply keeps its facts unknown, with the reason", () => {
    const later = unknown("known after apply");
    expect(armFacts("Microsoft.CognitiveServices/accounts", later)).toEqual({
      public: later,
      keyAuth: later,
      cmk: later,
      privateNetwork: later,
      outboundRestricted: later,
      customSubdomain: later,
      managedIdentity: later,
      trustedServicesBypass: later,
    });
    expect(
      armFacts("Microsoft.CognitiveServices/accounts", { properties: { disableLocalAuth: later } }).keyAuth,
    ).toEqual(later);
  });

  it("a deployment: its model, content filter policy, capacity, processing scope and version upgrades", () => {
    const deployment = "Microsoft.CognitiveServices/accounts/deployments";
    expect(
      armFacts(deployment, {
        sku: { name: "GlobalStandard", capacity: 50 },
        properties: { model: { format: "OpenAI", name: "gpt-4o", version: "2024-11-20" }, raiPolicyName: "strict" },
      }),
    ).toEqual({
      models: ["gpt-4o"],
      guardrail: true,
      capacity: 50,
      crossRegionProcessing: true,
      modelAutoUpgrade: true,
    });
    expect(
      armFacts(deployment, {
        sku: { name: "Standard", capacity: 1 },
        properties: { model: { format: "OpenAI", name: "gpt-4o" }, versionUpgradeOption: "NoAutoUpgrade" },
      }),
    ).toMatchObject({ guardrail: false, crossRegionProcessing: false, modelAutoUpgrade: false });
    // Azure upgrades only OpenAI-format models.
    expect(
      armFacts(deployment, {
        sku: { name: "DataZoneStandard" },
        properties: { model: { format: "Meta", name: "Llama" } },
      }),
    ).toMatchObject({ crossRegionProcessing: true, modelAutoUpgrade: false });
  });

  it("ML workspaces, Foundry hubs, online endpoints, compute, AI Search", () => {
    expect(
      armFacts("Microsoft.MachineLearningServices/workspaces", {
        kind: "Hub",
        properties: { publicNetworkAccess: "Disabled", managedNetwork: { isolationMode: "AllowInternetOutbound" } },
      }),
    ).toEqual({
      public: false,
      cmk: false,
      privateNetwork: false,
      outboundRestricted: false,
      publicBehindPrivateNetwork: false,
      legacyMode: false,
    });
    expect(
      armFacts("Microsoft.MachineLearningServices/workspaces", {
        kind: "Project",
        properties: { allowPublicAccessWhenBehindVnet: true, v1LegacyMode: true },
      }),
    ).toEqual({ public: true, cmk: false, privateNetwork: false, publicBehindPrivateNetwork: true, legacyMode: true });
    expect(
      armFacts("Microsoft.MachineLearningServices/workspaces/onlineEndpoints", {
        properties: { authMode: "AADToken" },
      }),
    ).toEqual({ public: true, keyAuth: false });
    expect(
      armFacts("Microsoft.MachineLearningServices/workspaces/computes", {
        properties: {
          computeType: "AmlCompute",
          disableLocalAuth: true,
          properties: {
            enableNodePublicIp: false,
            subnet: { id: "/subnets/a" },
            scaleSettings: { minNodeCount: 2, maxNodeCount: 4 },
          },
        },
      }),
    ).toEqual({ public: false, keyAuth: false, privateNetwork: true, publicSsh: false, minNodes: 2 });
    expect(
      armFacts("Microsoft.MachineLearningServices/workspaces/computes", { properties: { computeType: "AmlCompute" } }),
    ).toMatchObject({ publicSsh: true, minNodes: 0 });
    expect(
      armFacts("Microsoft.MachineLearningServices/workspaces/computes", {
        properties: { computeType: "ComputeInstance" },
      }),
    ).not.toHaveProperty("minNodes");
    expect(armFacts("Microsoft.Search/searchServices", { properties: { publicNetworkAccess: "disabled" } })).toEqual({
      public: false,
      keyAuth: true,
      cmk: false,
    });
    expect([armKind("Microsoft.Search/searchServices"), armKind("Microsoft.Web/sites")]).toEqual(["search", undefined]);
    expect([
      isGenerativeAiAccount("OpenAI"),
      isGenerativeAiAccount("aiservices"),
      isGenerativeAiAccount("TextAnalytics"),
    ]).toEqual([true, true, false]);
  });

  it("a connection holding a key and where it reaches, an RAI policy's filters, and which types are parts", () => {
    const connection = (authType: string, target: string) =>
      armFacts("Microsoft.CognitiveServices/accounts/projects/connections", { properties: { authType, target } });
    expect(connection("ApiKey", "https://acme.zendesk.com/api")).toEqual({ keyAuth: true, reach: "internet" });
    expect(connection("AAD", "https://search1.search.windows.net")).toEqual({ keyAuth: false, reach: "account" });
    expect(
      armFacts("Microsoft.CognitiveServices/accounts/raiPolicies", {
        properties: {
          contentFilters: [
            { name: "Hate", enabled: true, blocking: true, source: "Prompt" },
            { name: "Violence", enabled: true, blocking: false, source: "Prompt" },
            { name: "Jailbreak", enabled: true, blocking: true, source: "Prompt" },
          ],
        },
      }),
    ).toMatchObject({ guardrail: true, filters: { harmfulContent: ["hate"], promptAttack: "high" } });
    expect(armPart("Microsoft.CognitiveServices/accounts/deployments")).toBe(true);
    expect(armPart("Microsoft.MachineLearningServices/workspaces/connections")).toBe(true);
    expect(armPart("Microsoft.CognitiveServices/accounts")).toBe(false);
  });

  it("an account with local auth on is a key subject, never holding a key value; with it off, none", () => {
    const account = {
      id: ACCOUNT,
      name: "oai",
      subscription: "11111111-1111-4111-8111-111111111111",
      location: "eastus",
      tags: {},
    };
    const key = azureAccountKey({
      ...account,
      body: { kind: "OpenAI", properties: { endpoint: "https://oai.openai.azure.com/" } },
    });
    expect(key).toMatchObject({
      subject: "key",
      type: "azure-ai-account-key",
      vendor: "azure-ai",
      id: `${ACCOUNT}/keys`,
      status: "active",
    });
    expect(key?.redacted).toBeUndefined();
    expect(key?.fingerprint).toBeUndefined();
    expect(azureAccountKey({ ...account, body: { properties: { disableLocalAuth: true } } })).toBeUndefined();
  });
});

describe("diagnostic settings", () => {
  it("say whether Audit and RequestResponse logs are collected, and where; a category group covers its categories", () => {
    const law = "/subscriptions/s/resourceGroups/ops/providers/Microsoft.OperationalInsights/workspaces/law";
    expect(
      diagnosticLogging([
        {
          name: "a",
          properties: {
            workspaceId: law,
            logs: [
              { category: "Audit", enabled: true },
              { category: "Trace", enabled: false },
            ],
          },
        },
      ]),
    ).toEqual({
      logging: true,
      audit: true,
      requestResponse: false,
      missing: ["RequestResponse"],
      destinations: [law],
      settings: ["a"],
    });
    expect(
      diagnosticLogging([
        { name: "all", properties: { storageAccountId: "/st", logs: [{ categoryGroup: "allLogs", enabled: true }] } },
      ]),
    ).toMatchObject({
      audit: true,
      requestResponse: true,
      missing: [],
    });
    // Metrics only, or logs with nowhere to go, collect no logs.
    expect(
      diagnosticLogging([
        { name: "m", properties: { workspaceId: law, metrics: [{ category: "AllMetrics", enabled: true }] } },
      ]).logging,
    ).toBe(false);
    expect(
      diagnosticLogging([{ name: "x", properties: { logs: [{ category: "Audit", enabled: true }] } }]).logging,
    ).toBe(false);
    expect(diagnosticLogging([]).logging).toBe(false);
  });
});

describe("Activity Log records", () => {
  it("the REST shape: caller, client IP from httpRequest, and the account's location when the record has none", () => {
    const call = azureCall(
      {
        operationName: { value: "Microsoft.CognitiveServices/accounts/listKeys/action", localizedValue: "List Keys" },
        resourceId: ACCOUNT.toUpperCase(),
        caller: "mallory@contoso.com",
        eventDataId: "e1",
        eventTimestamp: "2026-11-21T10:00:00Z",
        status: { value: "Succeeded" },
        category: { value: "Administrative" },
        httpRequest: { clientIpAddress: "203.0.113.9", method: "POST" },
      },
      { path: "activity log" },
      (id) => (id.toLowerCase() === ACCOUNT.toLowerCase() ? "East US" : undefined),
    );
    expect(call).toMatchObject({
      account: "11111111-1111-4111-8111-111111111111",
      region: "eastus",
      principal: "mallory@contoso.com",
      sourceIp: "203.0.113.9",
      operation: "Microsoft.CognitiveServices/accounts/listKeys/action",
      authType: "iam",
      outcome: "success",
      eventId: "e1",
    });
  });
});
