import { startCloudSim, type World } from "@aigov/cloud-sim";
import { createEngine, defaultPolicy, type Engine, loadRules, type Subject } from "@aigov/core";
import { readPlanDocument } from "@aigov/iac";
import { beforeAll, describe, expect, it } from "vitest";
import { plan, resourceChange } from "../../../packages/iac/test/plan-fixture.ts";
import { createGcpScanner } from "../src/index.ts";
import { runSweep, serviceAccountAuth } from "./run-sweep.ts";

/**
 * The same Vertex AI endpoints and API keys, planned in terraform and swept live: where they have the same facts,
 * the same rules find the same violations. The plan uses the google provider's attribute names, the world the REST
 * API's; both pass through the facts written once in @aigov/normalize.
 */
const PROJECT = "parity-proj-01";
const LOCATION = "us-central1";
const KMS = `projects/sec-kms/locations/${LOCATION}/keyRings/ai/cryptoKeys/vertex`;

const planned = plan([
  resourceChange("google_vertex_ai_endpoint.open", "google_vertex_ai_endpoint", ["create"], {
    name: "1",
    display_name: "open",
    location: LOCATION,
    region: LOCATION,
    project: PROJECT,
    labels: { owner: "ml" },
    effective_labels: { owner: "ml" },
    encryption_spec: [],
    network: null,
    private_service_connect_config: [],
    predict_request_response_logging_config: [],
  }),
  resourceChange("google_vertex_ai_endpoint.locked", "google_vertex_ai_endpoint", ["create"], {
    name: "2",
    display_name: "locked",
    location: LOCATION,
    region: LOCATION,
    project: PROJECT,
    labels: { owner: "ml" },
    effective_labels: { owner: "ml" },
    encryption_spec: [{ kms_key_name: KMS }],
    private_service_connect_config: [{ enable_private_service_connect: true, project_allowlist: [PROJECT] }],
    predict_request_response_logging_config: [{ enabled: true, sampling_rate: 1 }],
  }),
  resourceChange("google_apikeys_key.any", "google_apikeys_key", ["create"], {
    name: "any",
    display_name: "any",
    project: PROJECT,
    restrictions: [],
  }),
  resourceChange("google_apikeys_key.gemini", "google_apikeys_key", ["create"], {
    name: "gemini",
    display_name: "gemini",
    project: PROJECT,
    restrictions: [
      {
        api_targets: [{ service: "generativelanguage.googleapis.com", methods: [] }],
        server_key_restrictions: [{ allowed_ips: ["203.0.113.10"] }],
        browser_key_restrictions: [],
        android_key_restrictions: [],
        ios_key_restrictions: [],
      },
    ],
  }),
]);

const world: World = {
  version: 1,
  gcp: {
    projects: [
      {
        projectId: PROJECT,
        labels: { owner: "ml" },
        services: ["aiplatform.googleapis.com", "apikeys.googleapis.com"],
        vertex: {
          [LOCATION]: {
            endpoints: [
              { name: "1", displayName: "open", labels: { owner: "ml" } },
              {
                name: "2",
                displayName: "locked",
                labels: { owner: "ml" },
                encryptionSpec: { kmsKeyName: KMS },
                privateServiceConnectConfig: { enablePrivateServiceConnect: true, projectAllowlist: [PROJECT] },
                predictRequestResponseLoggingConfig: { enabled: true, samplingRate: 1 },
              },
            ],
          },
        },
        apiKeys: [
          { name: "any", displayName: "any", createTime: "2026-11-20T00:00:00Z" },
          {
            name: "gemini",
            displayName: "gemini",
            createTime: "2026-11-20T00:00:00Z",
            restrictions: {
              apiTargets: [{ service: "generativelanguage.googleapis.com" }],
              serverKeyRestrictions: { allowedIps: ["203.0.113.10"] },
            },
          },
        ],
      },
    ],
  },
};

let engine: Engine;
let live: Subject[];

beforeAll(async () => {
  const policy = defaultPolicy();
  engine = createEngine(await loadRules({ policy }), policy, { now: new Date("2026-11-21T00:00:00Z") });
  const sim = await startCloudSim({ world });
  try {
    const scanner = createGcpScanner({
      serviceAccount: serviceAccountAuth(),
      now: () => new Date("2026-11-21T00:00:00Z"),
    });
    const result = await runSweep(scanner, {
      projects: [PROJECT],
      endpoint: sim.url,
      locations: [LOCATION],
      collectors: ["vertex-ai", "api-keys"],
    });
    await scanner.close();
    expect(result.gaps).toEqual([]);
    live = [...result.assets.filter((asset) => asset.kind === "endpoint"), ...result.keys];
  } finally {
    await sim.close();
  }
});

/** The rules a subject violates. */
const violations = (subject: Subject) =>
  engine
    .judge(subject)
    .filter((judgement) => judgement.outcome === "violation")
    .map((judgement) => judgement.rule.id)
    .sort();

describe("gate parity: a planned resource and the same resource swept live", () => {
  const plannedSubjects = readPlanDocument(planned, "plan.json").subjects;
  const pairs: [string, string][] = [
    ["google_vertex_ai_endpoint.open", "open"],
    ["google_vertex_ai_endpoint.locked", "locked"],
    ["google_apikeys_key.any", "any"],
    ["google_apikeys_key.gemini", "gemini"],
  ];

  it.each(pairs)("%s and the live %s are judged alike", (address, name) => {
    const plannedSubject = plannedSubjects.find((subject) => subject.id === address)!;
    const liveSubject = live.find((subject) => "name" in subject && subject.name === name)!;
    expect(plannedSubject).toBeDefined();
    expect(liveSubject).toBeDefined();
    expect(violations(liveSubject)).toEqual(violations(plannedSubject));
  });

  it("and the facts that decide it are the ones both sides read", () => {
    const verdicts = Object.fromEntries(
      pairs.map(([address]) => [address, violations(plannedSubjects.find((s) => s.id === address)!)]),
    );
    expect(verdicts).toEqual({
      "google_vertex_ai_endpoint.open": [
        "ai-invocation-logging-disabled",
        "ai-no-customer-managed-key",
        "ai-public-network-access",
      ],
      "google_vertex_ai_endpoint.locked": [],
      "google_apikeys_key.any": ["ai-key-unrestricted", "gcp-api-key-no-application-restrictions"],
      "google_apikeys_key.gemini": ["gcp-api-key-reaches-gemini"],
    });
  });
});
