import { readFileSync } from "node:fs";
import { startCloudSim } from "@aigov/cloud-sim";
import { describeReadOnlyCatalogue } from "@aigov/scanner-kit/testing";
import { describe, expect, it } from "vitest";
import { AzureClientFactory } from "../src/azure-clients.ts";
import { normalizeAzureConfig } from "../src/config.ts";
import { AZURE_CATALOGUE, createAzureScanner } from "../src/index.ts";
import { PERMISSIONS_DIR, permissionFiles } from "../scripts/write-permissions.ts";
import { NOW, runSweep, SUBSCRIPTIONS, scannerCredential, simConfig, WORLD_FILE } from "./sweep-harness.ts";

const SRC = new URL("../src/", import.meta.url).pathname;

/** The clients a collector calls, in the form the sources are written in: `ctx.cognitive().accounts.list(`. */
const CALL =
  /\b(subscriptions|managementGroups|cognitive|machineLearning|search|monitor|web)(?:\(\)\)?)?\.(\w+)\.(\w+)\(/g;

// Actions that return keys, secrets or credentials although nothing in their name says write.
const SECRET_PERMISSIONS = new Set([
  "Microsoft.CognitiveServices/accounts/listKeys/action",
  "Microsoft.CognitiveServices/accounts/regenerateKey/action",
  "Microsoft.Search/searchServices/listAdminKeys/action",
  "Microsoft.Search/searchServices/listQueryKeys/action",
  "Microsoft.MachineLearningServices/workspaces/listKeys/action",
  "Microsoft.MachineLearningServices/workspaces/onlineEndpoints/listKeys/action",
  "Microsoft.MachineLearningServices/workspaces/connections/listsecrets/action",
  "Microsoft.Web/sites/publishxml/action",
]);

describeReadOnlyCatalogue({
  catalogue: AZURE_CATALOGUE,
  sources: SRC,
  *callsIn(text) {
    for (const call of text.matchAll(CALL)) yield `${call[1]}.${call[2]}.${call[3]}`;
  },
  callName: (entry) => entry.sdkCall,
  // A GET, or a POST to an action named `list` (ARM's form for a read that takes a body, e.g. app settings).
  looksLikeRead: (entry) => entry.method === "GET" || (entry.method === "POST" && entry.path.endsWith("/list")),
  sessionOperations: [],
  secretPermissions: SECRET_PERMISSIONS,
  secretPattern:
    /listKeys|regenerateKey|listSecrets|listAdminKeys|listQueryKeys|listCredentials|publishxml|\/write$|\/delete$/i,
  granted: () => [...permissionFiles().values()].flatMap((text) => (JSON.parse(text) as { Actions: string[] }).Actions),
});

describe("the shipped custom roles", () => {
  it("are what the catalogue generates (node scanners/azure/scripts/write-permissions.ts)", () => {
    for (const [name, text] of permissionFiles())
      expect(readFileSync(`${PERMISSIONS_DIR}/${name}`, "utf8"), name).toBe(text);
  });

  it("hold only read actions: no write, delete, key listing or data action", () => {
    for (const text of permissionFiles().values()) {
      const role = JSON.parse(text) as { Actions: string[]; DataActions: string[]; NotActions: string[] };
      expect(role.Actions.filter((a) => /\/(write|delete)$|\*|listKeys|regenerateKey/i.test(a))).toEqual([]);
      expect(role.Actions.every((a) => /\/read$|\/list\/action$/.test(a))).toBe(true);
      expect(role.DataActions).toEqual([]);
    }
    // Only the opt-in role holds the one action beyond Reader.
    const reader = JSON.parse(permissionFiles().get("azure-role.json")!) as { Actions: string[] };
    expect(reader.Actions.some((a) => a.endsWith("/action"))).toBe(false);
  });
});

describe("read-only by construction", () => {
  it("refuses, before a token is asked or a request sent, a call outside the catalogue and the opt-in's without it", async () => {
    const sim = await startCloudSim({ world: WORLD_FILE });
    try {
      const factory = new AzureClientFactory(normalizeAzureConfig(simConfig(sim)), scannerCredential(sim));
      const cognitive = factory.cognitive(SUBSCRIPTIONS.prod);
      await expect(cognitive.accounts.listKeys("rg-ai", "ais-shadow")).rejects.toMatchObject({
        code: "AZURE_COMMAND_NOT_ALLOWED",
        message: expect.stringContaining("/listKeys is not in the Azure scanner's read-only catalogue"),
      });
      await expect(cognitive.accounts.regenerateKey("rg-ai", "ais-shadow", "Key1")).rejects.toMatchObject({
        code: "AZURE_COMMAND_NOT_ALLOWED",
      });
      await expect(cognitive.accounts.get("rg-ai", "oai-prod")).rejects.toMatchObject({
        code: "AZURE_COMMAND_NOT_ALLOWED",
      });
      await expect(
        (await factory.web(SUBSCRIPTIONS.prod)).webApps.listApplicationSettings("rg-ai", "chat-frontend"),
      ).rejects.toMatchObject({
        code: "AZURE_COMMAND_NOT_ALLOWED",
        message: expect.stringContaining("read_app_settings"),
      });
      expect(sim.requests.size).toBe(0);
      // A catalogued read goes through.
      for await (const _ of cognitive.accounts.list()) break;
      expect(sim.requests.operations()).toEqual([
        "cognitiveservices:Accounts_List",
        "entra:OpenIdConfiguration",
        "entra:Token",
      ]);
      factory.close();
    } finally {
      await sim.close();
    }
  });

  it("a full sweep, opt-in on, sends only catalogued reads and asks for no secret (from the simulator's request log)", async () => {
    const sim = await startCloudSim({ world: WORLD_FILE, pageSize: 1 });
    try {
      const scanner = createAzureScanner({ credential: scannerCredential(sim), now: () => NOW });
      const result = await runSweep(
        scanner,
        simConfig(sim, { readAppSettings: true, managementGroup: "contoso-platform" }),
      );
      scanner.close();
      expect(result.assets).toHaveLength(15);
      const arm = sim.requests.all().filter((r) => r.service !== "entra");
      const catalogued = new Set(AZURE_CATALOGUE.entries.map((e) => e.operation));
      expect(arm.filter((r) => !catalogued.has(r.operation)).map((r) => r.operation)).toEqual([]);
      expect(arm.filter((r) => !r.readOnly).map((r) => r.operation)).toEqual([]);
      // App settings are the one read that returns secrets; the simulator marks it, and only the opt-in sends it.
      expect([...new Set(arm.filter((r) => r.secret).map((r) => r.operation))]).toEqual([
        "WebApps_ListApplicationSettings",
      ]);
      // The sweep exercised every catalogued operation.
      expect([...catalogued].filter((op) => !arm.some((r) => r.operation === op)).sort()).toEqual([
        "Subscriptions_Get",
      ]);
    } finally {
      await sim.close();
    }
  });
});
