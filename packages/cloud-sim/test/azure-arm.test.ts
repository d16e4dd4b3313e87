import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CognitiveServicesManagementClient } from "@azure/arm-cognitiveservices";
import { AzureMachineLearningWorkspaces } from "@azure/arm-machinelearning";
import { ManagementGroupsAPI } from "@azure/arm-managementgroups";
import { MonitorClient } from "@azure/arm-monitor";
import { SubscriptionClient } from "@azure/arm-resources-subscriptions";
import { SearchManagementClient } from "@azure/arm-search";
import { DefaultAzureCredential } from "@azure/identity";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type CloudSim, parseWorld, startCloudSim } from "../src/index.ts";
import {
  ARM_SCOPE,
  AZURE_WORLD_FILE,
  all,
  armClientOptions,
  credential,
  modularClientOptions,
  OTHER_TENANT,
  PRINCIPALS,
  SUBSCRIPTIONS,
  TENANT,
  trustSimulator,
} from "./azure-clients.ts";

const PROD_RG = `/subscriptions/${SUBSCRIPTIONS.prod}/resourceGroups/rg-ai`;
const OAI_PROD = `${PROD_RG}/providers/Microsoft.CognitiveServices/accounts/oai-prod`;

let sim: CloudSim;
let untrust: () => void;
beforeAll(async () => {
  sim = await startCloudSim({ world: AZURE_WORLD_FILE, pageSize: 1 });
  untrust = trustSimulator(sim);
});
afterAll(async () => {
  untrust();
  await sim.close();
});
afterEach(() => {
  sim.setFaults([]);
  sim.requests.clear();
});

const cognitive = (subscription: string = SUBSCRIPTIONS.prod, maxRetries = 0) =>
  new CognitiveServicesManagementClient(credential(sim), subscription, armClientOptions(sim, maxRetries));

/** A bearer token for raw requests, from the same Entra flow the SDKs use. */
async function bearer(principal = PRINCIPALS.scanner, tenant = TENANT): Promise<string> {
  return (await credential(sim, principal, tenant).getToken(ARM_SCOPE))!.token;
}

async function arm(path: string, token?: string, method = "GET"): Promise<Response> {
  return fetch(`${sim.httpsUrl}${path}`, {
    method,
    headers: token === undefined ? {} : { authorization: `Bearer ${token}` },
  });
}

describe("Entra ID and subscriptions", () => {
  it("a client-secret credential gets a token from the simulator's Entra ID; Subscriptions_List shows what it may read in its tenant", async () => {
    const client = new SubscriptionClient(credential(sim), modularClientOptions(sim));
    const subscriptions = await all(client.subscriptions.list());
    expect(subscriptions.map((s) => [s.subscriptionId, s.displayName, s.state, s.tenantId])).toEqual([
      [SUBSCRIPTIONS.prod, "ai-prod", "Enabled", TENANT],
      [SUBSCRIPTIONS.dev, "ai-dev", "Enabled", TENANT],
    ]);
    expect(subscriptions[0]?.tags).toEqual({ owner: "ml-platform" });
    // One subscription per page: two pages, and the token came from the OpenID configuration's token endpoint.
    expect(sim.requests.all().map((r) => [r.service, r.operation, r.status, r.principal])).toEqual([
      ["entra", "OpenIdConfiguration", 200, ""],
      ["entra", "Token", 200, PRINCIPALS.scanner.clientId],
      ["resources", "Subscriptions_List", 200, PRINCIPALS.scanner.clientId],
      ["resources", "Subscriptions_List", 200, PRINCIPALS.scanner.clientId],
    ]);
  });

  it("DefaultAzureCredential: the environment's client secret, and workload identity's federated token file", async () => {
    const saved = { ...process.env };
    const tokenFile = join(mkdtempSync(join(tmpdir(), "aigov-wi-")), "token");
    writeFileSync(tokenFile, "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJzeXN0ZW06c2VydmljZWFjY291bnQ6YWlnb3Y6c2Nhbm5lciJ9.c2ln");
    try {
      Object.assign(process.env, {
        AZURE_TENANT_ID: TENANT,
        AZURE_CLIENT_ID: PRINCIPALS.scanner.clientId,
        AZURE_CLIENT_SECRET: PRINCIPALS.scanner.secret,
        AZURE_AUTHORITY_HOST: sim.httpsUrl,
      });
      const fromEnvironment = new DefaultAzureCredential({ disableInstanceDiscovery: true });
      const client = new SubscriptionClient(fromEnvironment, modularClientOptions(sim));
      expect((await all(client.subscriptions.list())).length).toBe(2);

      delete process.env.AZURE_CLIENT_SECRET;
      Object.assign(process.env, {
        AZURE_CLIENT_ID: PRINCIPALS.workload.clientId,
        AZURE_FEDERATED_TOKEN_FILE: tokenFile,
      });
      const workload = new DefaultAzureCredential({ disableInstanceDiscovery: true });
      expect((await workload.getToken(ARM_SCOPE)).token.split(".")).toHaveLength(3);
      expect(sim.requests.filter({ operation: "Token" }).map((r) => [r.principal, r.status])).toEqual([
        [PRINCIPALS.scanner.clientId, 200],
        [PRINCIPALS.workload.clientId, 200],
      ]);
    } finally {
      process.env = saved;
    }
  });

  it("refuses a wrong secret and an unknown application as Entra ID does (AADSTS codes)", async () => {
    await expect(credential(sim, { ...PRINCIPALS.scanner, secret: "wrong" }).getToken(ARM_SCOPE)).rejects.toThrow(
      /AADSTS7000215/,
    );
    await expect(
      credential(sim, { clientId: "5f6a8c3e-1111-4aaa-8bbb-0000000000ff", secret: "x" }).getToken(ARM_SCOPE),
    ).rejects.toThrow(/AADSTS700016/);
    // The scanner's application is registered in contoso only.
    await expect(credential(sim, PRINCIPALS.scanner, OTHER_TENANT).getToken(ARM_SCOPE)).rejects.toThrow(/AADSTS700016/);
  });

  it("lists a management group's descendants, groups and subscriptions, each naming its parent", async () => {
    const client = new ManagementGroupsAPI(credential(sim), armClientOptions(sim));
    const descendants = await all(client.managementGroups.listDescendants("contoso-platform"));
    expect(descendants.map((d) => [d.type, d.name, d.parent?.id])).toEqual([
      [
        "Microsoft.Management/managementGroups",
        "contoso-ai",
        "/providers/Microsoft.Management/managementGroups/contoso-platform",
      ],
      ["/subscriptions", SUBSCRIPTIONS.prod, "/providers/Microsoft.Management/managementGroups/contoso-ai"],
      ["/subscriptions", SUBSCRIPTIONS.dev, "/providers/Microsoft.Management/managementGroups/contoso-platform"],
    ]);
    expect(sim.requests.count({ operation: "ManagementGroups_GetDescendants" })).toBe(3);
  });
});

describe("AI resources through the official SDKs, one item per page", () => {
  it("Cognitive Services accounts of every kind, with canonical locations and ARM's fill-ins", async () => {
    const accounts = await all(cognitive().accounts.list());
    expect(accounts.map((a) => [a.name, a.kind, a.location, a.properties?.endpoint])).toEqual([
      ["oai-prod", "OpenAI", "eastus", "https://contoso-oai-prod.openai.azure.com/"],
      ["ais-shadow", "AIServices", "westeurope", "https://ais-shadow.cognitiveservices.azure.com/"],
      ["language", "TextAnalytics", "eastus", "https://eastus.api.cognitive.microsoft.com/"],
    ]);
    const prod = accounts[0]!;
    expect(prod.id).toBe(OAI_PROD);
    expect(prod.type).toBe("Microsoft.CognitiveServices/accounts");
    expect(prod.properties).toMatchObject({
      disableLocalAuth: true,
      publicNetworkAccess: "Disabled",
      restrictOutboundNetworkAccess: true,
      allowedFqdnList: ["contosodata.blob.core.windows.net"],
      encryption: { keySource: "Microsoft.KeyVault" },
      provisioningState: "Succeeded",
    });
    expect(prod.identity?.type).toBe("SystemAssigned");
    // Three pages: nextLink is absolute, on the host the client reached, with api-version and $skipToken.
    expect(sim.requests.count({ operation: "Accounts_List" })).toBe(3);
  });

  it("deployments (model, SKU, content filter, upgrade option) and Foundry projects under an account", async () => {
    const raw: unknown[] = [];
    const deployments = await all(
      cognitive().deployments.list("rg-ai", "oai-prod", { onResponse: (response) => raw.push(response.parsedBody) }),
    );
    expect(
      deployments.map((d) => [d.name, d.properties?.model?.name, d.sku?.capacity, d.properties?.raiPolicyName]),
    ).toEqual([
      ["gpt-4o", "gpt-4o", 50, "contoso-strict"],
      ["gpt-4o-mini", "gpt-4o-mini", 10, "Microsoft.DefaultV2"],
      ["embeddings", "text-embedding-3-large", 120, undefined],
    ]);
    expect(deployments[0]?.properties?.versionUpgradeOption).toBe("OnceNewDefaultVersionAvailable");
    // A deployment has no location of its own (it is its account's), in the SDK's model and on the wire.
    expect(raw[0]).toEqual({
      value: [
        {
          id: `${OAI_PROD}/deployments/gpt-4o`,
          name: "gpt-4o",
          type: "Microsoft.CognitiveServices/accounts/deployments",
          sku: { name: "GlobalStandard", capacity: 50 },
          properties: {
            model: { format: "OpenAI", name: "gpt-4o", version: "2024-11-20" },
            raiPolicyName: "contoso-strict",
            versionUpgradeOption: "OnceNewDefaultVersionAvailable",
            provisioningState: "Succeeded",
          },
        },
      ],
      nextLink: expect.stringMatching(
        new RegExp(`^${sim.httpsUrl}/subscriptions/.*/deployments\\?api-version=2025-09-01&%24skipToken=`),
      ),
    });
    const projects = await all(cognitive().projects.list("rg-ai", "ais-shadow"));
    expect(projects.map((p) => [p.name, p.location, p.identity?.type])).toEqual([
      ["shadow-project", "westeurope", "SystemAssigned"],
    ]);
    const policies = await all(cognitive().raiPolicies.list("rg-ai", "oai-prod"));
    expect(policies.map((p) => [p.name, p.properties?.basePolicyName])).toEqual([
      ["contoso-strict", "Microsoft.DefaultV2"],
    ]);
  });

  it("Azure ML workspaces (Foundry hub and project), online endpoints and compute; the raw body keeps what the SDK model lacks", async () => {
    const client = new AzureMachineLearningWorkspaces(credential(sim), SUBSCRIPTIONS.prod, armClientOptions(sim));
    const raw: Record<string, unknown>[] = [];
    const workspaces = await all(
      client.workspaces.listBySubscription({
        // The deserialized body is the SDK's (flattened) model; the text is what ARM sent.
        onResponse: (response) =>
          raw.push(...(JSON.parse(response.bodyAsText!) as { value: Record<string, unknown>[] }).value),
      }),
    );
    expect(workspaces.map((w) => [w.name, (w as { kind?: string }).kind, w.location])).toEqual([
      ["foundry-hub", "Hub", "eastus"],
      ["foundry-project", "Project", "eastus"],
    ]);
    // @azure/arm-machinelearning 2.x speaks api-version 2022-10-01, whose model has no managed network: it is in
    // the ARM body the service returns, which is what aigov normalizes.
    expect(raw[0]?.properties).toMatchObject({ managedNetwork: { isolationMode: "AllowInternetOutbound" } });
    expect(sim.requests.filter({ operation: "Workspaces_ListBySubscription" }).length).toBe(2);
    const endpoints = await all(client.onlineEndpoints.list("rg-ai", "foundry-project"));
    expect(endpoints.map((e) => [e.name, e.properties.authMode, e.properties.publicNetworkAccess])).toEqual([
      ["scoring", "Key", "Enabled"],
    ]);
    const computes = await all(client.computeOperations.list("rg-ai", "foundry-project"));
    expect(computes.map((c) => [c.name, c.properties?.computeType, c.properties?.disableLocalAuth])).toEqual([
      ["gpu-cluster", "AmlCompute", false],
    ]);
  });

  it("Azure AI Search services", async () => {
    const client = new SearchManagementClient(credential(sim), SUBSCRIPTIONS.prod, armClientOptions(sim));
    const services = await all(client.services.listBySubscription());
    expect(services.map((s) => [s.name, s.sku?.name, s.publicNetworkAccess, s.disableLocalAuth])).toEqual([
      ["contoso-search", "basic", "enabled", false],
    ]);
  });

  it("diagnostic settings of an account, and Activity Log events in the REST shape, newest first, one per page", async () => {
    const monitor = new MonitorClient(credential(sim), SUBSCRIPTIONS.prod, modularClientOptions(sim));
    const settings = await all(monitor.diagnosticSettings.list(OAI_PROD));
    expect(settings.map((s) => [s.name, s.logs?.map((l) => [l.category, l.enabled])])).toEqual([
      [
        "to-law",
        [
          ["Audit", true],
          ["RequestResponse", true],
        ],
      ],
    ]);
    const filter =
      "eventTimestamp ge '2026-11-20T00:00:00Z' and eventTimestamp le '2026-11-22T00:00:00Z' and resourceProvider eq 'Microsoft.CognitiveServices'";
    const events = await all(monitor.activityLogs.list(filter));
    expect(events.map((e) => [e.operationName?.value, e.status?.value, e.caller])).toEqual([
      ["Microsoft.CognitiveServices/accounts/listKeys/action", "Succeeded", "mallory@contoso.com"],
      ["Microsoft.CognitiveServices/accounts/deployments/write", "Succeeded", "bob@contoso.com"],
      ["Microsoft.CognitiveServices/accounts/deployments/write", "Started", "bob@contoso.com"],
    ]);
    expect(events[0]).toMatchObject({
      resourceGroupName: "rg-ai",
      resourceProviderName: { value: "Microsoft.CognitiveServices" },
      resourceType: { value: "Microsoft.CognitiveServices/accounts" },
      subscriptionId: SUBSCRIPTIONS.prod,
      tenantId: TENANT,
      category: { value: "Administrative" },
      httpRequest: { clientIpAddress: "203.0.113.9", method: "POST" },
    });
    expect(sim.requests.count({ operation: "ActivityLogs_List" })).toBe(3);
    await expect(
      all(monitor.activityLogs.list("resourceProvider eq 'Microsoft.CognitiveServices'")),
    ).rejects.toMatchObject({
      statusCode: 400,
      code: "BadRequest",
    });
  });
});

describe("ARM's rules", () => {
  it("refuses a request without api-version or without a token, and a token it did not issue", async () => {
    const token = await bearer();
    const missing = await arm(
      `/subscriptions/${SUBSCRIPTIONS.prod}/providers/Microsoft.CognitiveServices/accounts`,
      token,
    );
    expect(missing.status).toBe(400);
    expect(await missing.json()).toEqual({
      error: {
        code: "MissingApiVersionParameter",
        message: "The api-version query parameter (?api-version=) is required for all requests.",
      },
    });
    const anonymous = await arm("/subscriptions?api-version=2022-12-01");
    expect([anonymous.status, ((await anonymous.json()) as { error: { code: string } }).error.code]).toEqual([
      401,
      "AuthenticationFailed",
    ]);
    const forged = `${token.slice(0, token.lastIndexOf(".") + 1)}AAAA`;
    const refused = await arm("/subscriptions?api-version=2022-12-01", forged);
    expect([refused.status, ((await refused.json()) as { error: { code: string } }).error.code]).toEqual([
      401,
      "InvalidAuthenticationToken",
    ]);
  });

  it("treats resource ids without regard to case, as ARM does, and answers with ARM's own spelling", async () => {
    const token = await bearer();
    const exact = await (await arm(`${OAI_PROD}?api-version=2025-09-01`, token)).json();
    const shouted = await (await arm(`${OAI_PROD.toUpperCase()}?api-version=2025-09-01`, token)).json();
    expect(shouted).toEqual(exact);
    expect((exact as { id: string }).id).toBe(OAI_PROD);
    const devGroup = await arm(
      `/subscriptions/${SUBSCRIPTIONS.dev}/resourcegroups/rg-dev/providers/microsoft.cognitiveservices/ACCOUNTS?api-version=2025-09-01`,
      token,
    );
    expect(((await devGroup.json()) as { value: { name: string }[] }).value.map((a) => a.name)).toEqual(["oai-dev"]);
  });

  it("answers as ARM does: another tenant's token, no role on the subscription, a provider not registered, a missing resource", async () => {
    const fabrikam = { clientId: "5f6a8c3e-1111-4aaa-8bbb-000000000004", secret: "fabrikam-secret" };
    await expect(
      all(
        new CognitiveServicesManagementClient(
          credential(sim, fabrikam, OTHER_TENANT),
          SUBSCRIPTIONS.prod,
          armClientOptions(sim),
        ).accounts.list(),
      ),
    ).rejects.toMatchObject({ statusCode: 401, code: "InvalidAuthenticationTokenTenant" });
    await expect(all(cognitive(SUBSCRIPTIONS.finance).accounts.list())).rejects.toMatchObject({
      statusCode: 403,
      code: "AuthorizationFailed",
      message: expect.stringContaining(
        `perform action 'Microsoft.CognitiveServices/accounts/read' over scope '/subscriptions/${SUBSCRIPTIONS.finance}'`,
      ),
    });
    // The finance application can read it.
    const finance = new CognitiveServicesManagementClient(
      credential(sim, PRINCIPALS.finance),
      SUBSCRIPTIONS.finance,
      armClientOptions(sim),
    );
    expect((await all(finance.accounts.list())).map((a) => a.name)).toEqual(["oai-fin"]);
    const ml = new AzureMachineLearningWorkspaces(credential(sim), SUBSCRIPTIONS.dev, armClientOptions(sim));
    await expect(all(ml.workspaces.listBySubscription())).rejects.toMatchObject({
      statusCode: 409,
      code: "MissingSubscriptionRegistration",
    });
    await expect(cognitive().accounts.get("rg-ai", "nope")).rejects.toMatchObject({
      statusCode: 404,
      code: "ResourceNotFound",
    });
    await expect(cognitive().accounts.get("rg-nope", "oai-prod")).rejects.toMatchObject({
      statusCode: 404,
      code: "ResourceGroupNotFound",
    });
  });

  it("catalogues listKeys as a read that returns secrets and regenerateKey as a write; a write it does not simulate is logged as one", async () => {
    const keys = await cognitive().accounts.listKeys("rg-ai", "ais-shadow");
    expect(keys.key1).toBe("0123456789abcdef0123456789abcdef");
    await cognitive().accounts.regenerateKey("rg-ai", "ais-shadow", "Key1");
    const token = await bearer();
    const put = await arm(`${OAI_PROD}?api-version=2025-09-01`, token, "PUT");
    expect(put.status).toBe(405);
    const logged = sim.requests.filter({ cloud: "azure" }).filter((r) => r.service !== "entra");
    expect(logged.map((r) => [r.operation, r.readOnly, r.secret, r.region])).toEqual([
      ["Accounts_ListKeys", true, true, "westeurope"],
      ["Accounts_RegenerateKey", false, true, "westeurope"],
      [
        `PUT /subscriptions/${SUBSCRIPTIONS.prod}/resourceGroups/rg-ai/providers/Microsoft.CognitiveServices/accounts/oai-prod`,
        false,
        false,
        "eastus",
      ],
    ]);
    expect(
      sim.requests
        .writes()
        .map((r) => r.operation)
        .filter((o) => o !== "Token"),
    ).toHaveLength(2);
  });

  it("the SDK will not send a bearer token over plain HTTP, which is why ARM is served over HTTPS", async () => {
    const plain = new CognitiveServicesManagementClient(credential(sim), SUBSCRIPTIONS.prod, {
      ...armClientOptions(sim),
      endpoint: sim.url,
      $host: sim.url,
    });
    await expect(all(plain.accounts.list())).rejects.toThrow(/non-TLS|https/i);
  });
});

describe("faults in ARM's wire shape", () => {
  it("throttles with 429 TooManyRequests and Retry-After, which the SDK's retry policy waits out", async () => {
    sim.setFaults([{ kind: "throttle", cloud: "azure", operation: "Deployments_List" }]);
    const error = await all(cognitive().deployments.list("rg-ai", "oai-prod")).catch((e: unknown) => e);
    expect(error).toMatchObject({ statusCode: 429, code: "TooManyRequests" });
    expect(
      (error as { response: { headers: { get(name: string): string } } }).response.headers.get("retry-after"),
    ).toBe("1");
    sim.setFaults([{ kind: "throttle", cloud: "azure", operation: "Deployments_List", rate: 0.5 }], 1);
    sim.requests.clear();
    const started = performance.now();
    const deployments = await all(cognitive(SUBSCRIPTIONS.prod, 8).deployments.list("rg-ai", "oai-prod"));
    expect(deployments).toHaveLength(3);
    const throttled = sim.requests.filter({ operation: "Deployments_List" }).filter((r) => r.status === 429).length;
    expect(throttled).toBeGreaterThan(0);
    expect(performance.now() - started).toBeGreaterThanOrEqual(throttled * 990);
  }, 30_000);

  it("a subscription denied, a provider not registered, 5xx, and a tenant whose token cannot be had", async () => {
    sim.setFaults([
      { kind: "access-denied", account: SUBSCRIPTIONS.prod, service: "cognitiveservices" },
      { kind: "service-disabled", account: SUBSCRIPTIONS.prod, service: "search" },
      { kind: "error503", account: SUBSCRIPTIONS.dev },
      { kind: "target-unreachable", account: TENANT, role: PRINCIPALS.finance.clientId },
    ]);
    await expect(all(cognitive().accounts.list())).rejects.toMatchObject({
      statusCode: 403,
      code: "AuthorizationFailed",
    });
    const search = new SearchManagementClient(credential(sim), SUBSCRIPTIONS.prod, armClientOptions(sim));
    await expect(all(search.services.listBySubscription())).rejects.toMatchObject({
      statusCode: 409,
      code: "MissingSubscriptionRegistration",
      message: expect.stringContaining("'Microsoft.Search'"),
    });
    await expect(all(cognitive(SUBSCRIPTIONS.dev).accounts.list())).rejects.toMatchObject({
      statusCode: 503,
      code: "ServiceUnavailable",
    });
    await expect(credential(sim, PRINCIPALS.finance).getToken(ARM_SCOPE)).rejects.toThrow(/AADSTS700016/);
    expect(
      sim.requests
        .all()
        .filter((r) => r.fault !== undefined)
        .map((r) => [r.service, r.fault]),
    ).toEqual([
      ["cognitiveservices", "access-denied"],
      ["search", "service-disabled"],
      ["cognitiveservices", "error503"],
      ["entra", "target-unreachable"],
    ]);
  });
});

describe("the azure: world section", () => {
  const world = (azure: string) => () => parseWorld(`version: 1\nazure:\n${azure}`, "w.yaml");

  it("refuses references a real estate cannot have, at file:line:column", () => {
    const failure = (azure: string) => {
      try {
        world(azure)();
      } catch (error) {
        const { code, message, position } = error as { code: string; message: string; position?: { line?: number } };
        return { code, message, line: position?.line };
      }
      throw new Error("the world was accepted");
    };
    expect(
      failure(
        "  subscriptions:\n    - { id: 11111111-1111-4111-8111-111111111111, name: a }\n    - { id: 11111111-1111-4111-8111-111111111111, name: b }\n",
      ),
    ).toMatchObject({ code: "SIM_WORLD_INVALID", message: expect.stringMatching(/duplicate subscription/), line: 5 });
    expect(
      failure(
        "  subscriptions:\n    - id: 11111111-1111-4111-8111-111111111111\n      name: a\n      unregisteredProviders: [Microsoft.CognitiveServices]\n      resourceGroups:\n        - { name: rg, location: eastus, cognitiveAccounts: [{ name: x, kind: OpenAI }] }\n",
      ),
    ).toMatchObject({ message: expect.stringMatching(/does not register microsoft\.cognitiveservices/), line: 8 });
    expect(
      failure(
        "  subscriptions:\n    - { id: 11111111-1111-4111-8111-111111111111, name: a, managementGroup: nowhere }\n",
      ),
    ).toMatchObject({ message: expect.stringMatching(/no management group 'nowhere'/), line: 4 });
    expect(
      failure(
        "  subscriptions:\n    - id: 11111111-1111-4111-8111-111111111111\n      name: a\n      resourceGroups:\n        - { name: rg, location: eastus, cognitiveAccounts: [{ name: X, kind: OpenAI }, { name: x, kind: OpenAI }] }\n",
      ),
    ).toMatchObject({
      message: expect.stringMatching(/duplicate cognitiveAccounts 'x' \(names ignore case\)/),
      line: 7,
    });
    expect(failure("  subscriptions:\n    - { id: not-a-guid, name: a }\n")).toMatchObject({
      code: "SIM_WORLD_INVALID",
      line: 4,
    });
  });

  it("is served beside the aws: section of the same file", async () => {
    const both = parseWorld(
      "version: 1\naws:\n  accounts: [{ id: '111111111111', name: a, regions: { us-east-1: {} } }]\nazure:\n  subscriptions: [{ id: 11111111-1111-4111-8111-111111111111, name: s }]\n",
    );
    expect(both.azure?.subscriptions).toHaveLength(1);
    expect(both.aws?.accounts).toHaveLength(1);
  });
});
