import { readFileSync } from "node:fs";
import { startCloudSim } from "@aigov/cloud-sim";
import { isAigovError } from "@aigov/core";
import { describeReadOnlyCatalogue } from "@aigov/scanner-kit/testing";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { ROLE_FILE } from "../scripts/write-permissions.ts";
import { GCP_CATALOGUE, type GcpCatalogueEntry } from "../src/catalogue.ts";
import { normalizeGcpConfig } from "../src/config.ts";
import { GcpClients } from "../src/gcp-clients.ts";
import { createGcpScanner } from "../src/index.ts";
import { serviceAccountCredentials } from "../src/scanner.ts";
import { generatedWorld } from "./generated-world.ts";
import { runSweep, serviceAccountAuth } from "./run-sweep.ts";

// Permissions that return secret material although they look like reads.
const SECRET_PERMISSIONS = new Set([
  "apikeys.keys.getKeyString",
  "secretmanager.versions.access",
  "iam.serviceAccountKeys.create",
  "iam.serviceAccounts.getAccessToken",
  "iam.serviceAccounts.signBlob",
  "iam.serviceAccounts.signJwt",
]);

describeReadOnlyCatalogue<GcpCatalogueEntry>({
  catalogue: GCP_CATALOGUE,
  sources: new URL("../src/", import.meta.url).pathname,
  // The clients' methods the sources call (`listEndpointsAsync` → listEndpoints), and the REST paths they fetch.
  *callsIn(text) {
    for (const match of text.matchAll(/\.((?:list|get|search)(?!Time\b)[A-Z]\w*?)(?:Async)?\(/g)) yield match[1]!;
    // The REST methods the sources call through the scanner's auth, by URL.
    for (const match of text.matchAll(/restUrl\("\w+", "([^"]+)"\)/g)) yield `fetch ${match[1]}`;
  },
  callName: (entry) => entry.call,
  looksLikeRead: (entry) =>
    entry.method === "GET"
      ? /\.(list|get|search)$/.test(entry.operation)
      : entry.operation.endsWith(".getIamPolicy") || entry.operation === "entries.list",
  sessionOperations: [],
  secretPermissions: SECRET_PERMISSIONS,
  secretPattern: /getKeyString|keyString|versions\.access|getAccessToken|signBlob|signJwt|serviceAccountKeys/,
  granted: () => (parse(readFileSync(ROLE_FILE, "utf8")) as { includedPermissions: string[] }).includedPermissions,
});

describe("the transport sends only what the catalogue lists", () => {
  it("refuses GetKeyString and writes before they leave the process", async () => {
    const sim = await startCloudSim({ world: generatedWorld(1, ["us-central1"], "2026-11-21T00:00:00Z") });
    const clients = new GcpClients(
      normalizeGcpConfig({ projects: ["ai-proj-0000"], endpoint: sim.url }),
      serviceAccountCredentials(serviceAccountAuth()),
    );
    try {
      const keys = await clients.apiKeys();
      const name = "projects/ai-proj-0000/locations/global/keys/open-0";
      const refusals = await Promise.all([
        keys.getKeyString({ name }).catch((error: unknown) => error),
        keys.deleteKey({ name }).catch((error: unknown) => error),
        clients.auth
          .fetch(`${sim.url}/v1/projects/ai-proj-0000/services/aiplatform.googleapis.com:disable`, {
            method: "POST",
          })
          .catch((error: unknown) => error),
      ]);
      for (const refusal of refusals) {
        // The clients wrap what their transport throws; the refusal is the cause.
        const cause = isAigovError(refusal) ? refusal : (refusal as { cause?: unknown }).cause;
        expect(isAigovError(cause) ? cause.code : refusal).toBe("GCP_COMMAND_NOT_ALLOWED");
      }
      expect(sim.requests.all()).toEqual([]);
    } finally {
      await clients.close();
      await sim.close();
    }
  });

  it("a whole sweep sends reads only, and never asks for a key string", async () => {
    const sim = await startCloudSim({
      world: generatedWorld(4, ["us-central1", "europe-west4"], "2026-11-21T00:00:00Z"),
    });
    try {
      const scanner = createGcpScanner({
        serviceAccount: serviceAccountAuth(),
        now: () => new Date("2026-11-21T06:00:00Z"),
      });
      const result = await runSweep(scanner, {
        organization: "900000000001",
        endpoint: sim.url,
        locations: ["us-central1", "europe-west4"],
      });
      await scanner.close();
      expect(result.gaps).toEqual([]);
      expect(result.assets.length).toBeGreaterThan(30);
      expect(sim.requests.writes()).toEqual([]);
      expect(sim.requests.all().filter((r) => r.secret)).toEqual([]);
      expect(sim.requests.all().every((r) => r.cloud === "gcp" && r.status === 200)).toBe(true);
    } finally {
      await sim.close();
    }
  });
});
