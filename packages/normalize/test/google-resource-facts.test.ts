import { describe, expect, it } from "vitest";
import {
  dataAccessLogTypes,
  FieldValues,
  googleApiKeyFacts,
  vertexEndpointFacts,
  vertexIndexEndpointFacts,
  workbenchInstanceFacts,
} from "../src/index.ts";

/** Bodies as the Google REST APIs return them (the JSON mapping of their protos). */
const live = (body: Record<string, unknown>) => new FieldValues(body);

describe("facts of Google resource bodies", () => {
  it("a Vertex AI endpoint is private with VPC peering or Private Service Connect, public otherwise", () => {
    expect(vertexEndpointFacts(live({ displayName: "chat" }))).toEqual({
      name: "chat",
      cmk: false,
      privateNetwork: false,
      public: true,
      logging: false,
    });
    expect(
      vertexEndpointFacts(
        live({
          privateServiceConnectConfig: { enablePrivateServiceConnect: true },
          encryptionSpec: { kmsKeyName: "projects/k/locations/us/keyRings/r/cryptoKeys/c" },
          predictRequestResponseLoggingConfig: { enabled: true, samplingRate: 1 },
        }),
      ),
    ).toMatchObject({ cmk: true, privateNetwork: true, public: false, logging: true });
    expect(vertexEndpointFacts(live({ network: "projects/1/global/networks/ml" }))).toMatchObject({ public: false });
  });

  it("a Vector Search index endpoint is public only with its public endpoint on", () => {
    expect(vertexIndexEndpointFacts(live({ publicEndpointEnabled: true }))).toMatchObject({ public: true });
    expect(vertexIndexEndpointFacts(live({}))).toMatchObject({ public: false });
  });

  it("a Workbench instance: public IP unless disabled, CMEK boot disk, root unless notebook-disable-root", () => {
    expect(workbenchInstanceFacts(live({ gceSetup: { machineType: "n1-standard-4" } }))).toEqual({
      public: true,
      cmk: false,
      rootAccess: true,
    });
    expect(
      workbenchInstanceFacts(
        live({
          gceSetup: {
            disablePublicIp: true,
            bootDisk: { diskEncryption: "CMEK", kmsKey: "projects/k/locations/eu/keyRings/r/cryptoKeys/c" },
            metadata: { "notebook-disable-root": "TRUE" },
          },
        }),
      ),
    ).toEqual({ public: false, cmk: true, rootAccess: false });
  });

  it("an API key is AI when unrestricted or allowed an AI API, and not otherwise", () => {
    expect(googleApiKeyFacts(live({ displayName: "open" }))).toEqual({
      type: "gcp-api-key",
      vendor: "gcp",
      name: "open",
      unrestricted: true,
      apiTargets: [],
    });
    expect(
      googleApiKeyFacts(live({ restrictions: { apiTargets: [{ service: "generativelanguage.googleapis.com" }] } })),
    ).toMatchObject({
      vendor: "google-gemini",
      unrestricted: false,
      apiTargets: ["generativelanguage.googleapis.com"],
    });
    expect(
      googleApiKeyFacts(live({ restrictions: { apiTargets: [{ service: "maps-backend.googleapis.com" }] } })),
    ).toBeUndefined();
  });
});

describe("Data Access audit logs", () => {
  it("add up over a project and its ancestors, allServices included, enums by name or number", () => {
    const configs = [
      { service: "allServices", auditLogConfigs: [{ logType: "ADMIN_READ" }] },
      { service: "aiplatform.googleapis.com", auditLogConfigs: [{ logType: 3 }] },
      { service: "storage.googleapis.com", auditLogConfigs: [{ logType: "DATA_WRITE" }] },
    ];
    expect([...dataAccessLogTypes(configs, "aiplatform.googleapis.com")].sort()).toEqual(["ADMIN_READ", "DATA_READ"]);
    expect([...dataAccessLogTypes(configs, "generativelanguage.googleapis.com")]).toEqual(["ADMIN_READ"]);
    expect([...dataAccessLogTypes([], "aiplatform.googleapis.com")]).toEqual([]);
  });
});
