import { describe, expect, it } from "vitest";
import {
  colabRuntimeFacts,
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

  it("a Workbench instance: public IP unless disabled, CMEK boot disk, root, terminal and downloads unless their notebook-disable metadata, the default compute account unless another is named, shielded VM settings", () => {
    expect(workbenchInstanceFacts(live({ gceSetup: { machineType: "n1-standard-4" } }))).toEqual({
      public: true,
      cmk: false,
      rootAccess: true,
      privateNetwork: false,
      secureBoot: false,
      integrityMonitoring: true,
      defaultServiceAccount: true,
      terminal: true,
      fileDownloads: true,
    });
    expect(
      workbenchInstanceFacts(
        live({
          gceSetup: {
            disablePublicIp: true,
            bootDisk: { diskEncryption: "CMEK", kmsKey: "projects/k/locations/eu/keyRings/r/cryptoKeys/c" },
            metadata: {
              "notebook-disable-root": "TRUE",
              "notebook-disable-terminal": "true",
              "notebook-disable-downloads": "true",
            },
            networkInterfaces: [
              { network: "projects/p/global/networks/ml", subnet: "projects/p/regions/eu/subnetworks/s" },
            ],
            serviceAccounts: [{ email: "notebooks@p.iam.gserviceaccount.com" }],
            shieldedInstanceConfig: { enableSecureBoot: true, enableVtpm: true, enableIntegrityMonitoring: false },
          },
        }),
      ),
    ).toEqual({
      public: false,
      cmk: true,
      rootAccess: false,
      privateNetwork: true,
      secureBoot: true,
      integrityMonitoring: false,
      defaultServiceAccount: false,
      terminal: false,
      fileDownloads: false,
    });
    expect(
      workbenchInstanceFacts(
        live({ gceSetup: { serviceAccounts: [{ email: "123456789012-compute@developer.gserviceaccount.com" }] } }),
      ).defaultServiceAccount,
    ).toBe(true);
  });

  it("a Colab Enterprise runtime reaches the internet only when its network spec says so", () => {
    expect(colabRuntimeFacts(live({ displayName: "rt", networkSpec: { enableInternetAccess: true } }))).toEqual({
      name: "rt",
      cmk: false,
      internetAccess: true,
    });
    expect(colabRuntimeFacts(live({ networkSpec: { network: "projects/p/global/networks/ml" } })).internetAccess).toBe(
      false,
    );
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
