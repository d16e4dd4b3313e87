import { FieldValues, googleApiKeyFacts, vertexEndpointFacts, workbenchInstanceFacts } from "@aigov/normalize";
import { describe, expect, it } from "vitest";
import { terraformFields } from "../src/gcp-normalizers.ts";
import { PlannedValues } from "../src/planned-values.ts";

/**
 * The same resource as the google provider plans it (snake_case, messages as one-element block lists) and as the
 * API returns it (camelCase, nested objects): the facts written once in @aigov/normalize read both alike.
 */
describe("terraformFields reads a plan by the API's field paths", () => {
  it("a Vertex AI endpoint", () => {
    const planned = terraformFields(
      new PlannedValues({
        display_name: "chat",
        network: null,
        encryption_spec: [{ kms_key_name: "projects/k/locations/us/keyRings/r/cryptoKeys/c" }],
        private_service_connect_config: [{ enable_private_service_connect: true, project_allowlist: ["p"] }],
        predict_request_response_logging_config: [],
      }),
    );
    const swept = new FieldValues({
      displayName: "chat",
      encryptionSpec: { kmsKeyName: "projects/k/locations/us/keyRings/r/cryptoKeys/c" },
      privateServiceConnectConfig: { enablePrivateServiceConnect: true, projectAllowlist: ["p"] },
    });
    expect(vertexEndpointFacts(planned)).toEqual(vertexEndpointFacts(swept));
    expect(vertexEndpointFacts(planned)).toMatchObject({ cmk: true, public: false, logging: false });
  });

  it("a Workbench instance, and values known only after apply", () => {
    const planned = new PlannedValues(
      {
        gce_setup: [
          {
            disable_public_ip: false,
            boot_disk: [{ disk_encryption: "CMEK", kms_key: "projects/k/locations/eu/keyRings/r/cryptoKeys/c" }],
            metadata: { "notebook-disable-root": "true" },
          },
        ],
      },
      {},
    );
    const swept = new FieldValues({
      gceSetup: {
        disablePublicIp: false,
        bootDisk: { diskEncryption: "CMEK", kmsKey: "projects/k/locations/eu/keyRings/r/cryptoKeys/c" },
        metadata: { "notebook-disable-root": "true" },
      },
    });
    expect(workbenchInstanceFacts(terraformFields(planned))).toEqual(workbenchInstanceFacts(swept));
    const later = new PlannedValues({ gce_setup: [{}] }, { gce_setup: [{ disable_public_ip: true }] });
    expect(workbenchInstanceFacts(terraformFields(later)).public).toEqual({
      $unknown: true,
      reason: "known after apply",
    });
  });

  it("an API key's API targets (a list of blocks)", () => {
    const planned = terraformFields(
      new PlannedValues({
        display_name: "web",
        restrictions: [{ api_targets: [{ service: "generativelanguage.googleapis.com", methods: [] }] }],
      }),
    );
    const swept = new FieldValues({
      displayName: "web",
      restrictions: { apiTargets: [{ service: "generativelanguage.googleapis.com" }] },
    });
    expect(googleApiKeyFacts(planned)).toEqual(googleApiKeyFacts(swept));
  });
});
