import { type FaultSpec, startCloudSim } from "@aigov/cloud-sim";
import { FAULT_MATRIX, gapKeys, subjectKeys } from "@aigov/scanner-kit/testing";
import { describe, expect, it } from "vitest";
import { createGcpScanner, type GcpScanConfig } from "../src/index.ts";
import { generatedWorld, ORGANIZATION, projectId } from "./generated-world.ts";
import { runSweep, serviceAccountAuth } from "./run-sweep.ts";

const NOW = new Date("2026-11-21T06:00:00Z");
const LOCATIONS = ["us-central1", "europe-west4"];
const world = generatedWorld(10, LOCATIONS, "2026-11-21T00:00:00Z");
const UNREACHABLE = projectId(3);
const VERTEX_DENIED = projectId(5);

async function sweep(faults: readonly FaultSpec[], extra: Partial<GcpScanConfig> = {}) {
  const sim = await startCloudSim({ world, faults, seed: 42 });
  try {
    const scanner = createGcpScanner({ serviceAccount: serviceAccountAuth(), now: () => NOW });
    const config: GcpScanConfig = {
      organization: ORGANIZATION,
      locations: LOCATIONS,
      endpoint: sim.url,
      concurrency: 16,
      ...FAULT_MATRIX.retries,
      ...extra,
    };
    const result = await runSweep(scanner, config, 8);
    const stats = scanner.stats();
    await scanner.close();
    return { result, stats, requests: [...sim.requests.all()] };
  } finally {
    await sim.close();
  }
}

/** Vertex AI's list calls in one location. */
const VERTEX_LISTS = [
  "datasets.list",
  "endpoints.list",
  "featureOnlineStores.list",
  "featurestores.list",
  "indexEndpoints.list",
  "models.list",
  "notebookRuntimes.list",
  "reasoningEngines.list",
  "tuningJobs.list",
];

describe("fault matrix, for projects", () => {
  it("30% throttling, 5% 5xx, one unreachable project, Vertex AI denied in another: the sweep completes, finds every reachable subject, lists every gap", async () => {
    const clean = await sweep([]);
    expect(clean.result.gaps).toEqual([]);
    expect(clean.stats.retries).toBe(0);

    const faulty = await sweep([
      ...FAULT_MATRIX.transientFaults,
      { kind: "target-unreachable", account: UNREACHABLE },
      { kind: "access-denied", service: "aiplatform", account: VERTEX_DENIED },
    ]);

    const reachable = subjectKeys(clean.result).filter(
      (id) => !id.startsWith(`${UNREACHABLE}|`) && !id.startsWith(`${VERTEX_DENIED}|aiplatform.googleapis.com/`),
    );
    expect(subjectKeys(faulty.result)).toEqual(reachable);
    expect(reachable.length).toBeGreaterThan(120);

    // Every gap is listed, once: the unreachable project as one, and each Vertex AI list in each location of the other.
    expect(gapKeys(faulty.result.gaps)).toEqual(
      [
        `${UNREACHABLE}|-|*|-|AccessDenied`,
        ...LOCATIONS.flatMap((location) =>
          VERTEX_LISTS.map((operation) => `${VERTEX_DENIED}|${location}|aiplatform|${operation}|AccessDenied`),
        ),
      ].sort(),
    );
    // The faults really happened and were retried through.
    expect(faulty.requests.filter((r) => r.fault === "throttle").length).toBeGreaterThan(100);
    expect(faulty.requests.filter((r) => r.status >= 500).length).toBeGreaterThan(10);
    expect(faulty.stats.retries).toBeGreaterThan(100);
  });

  it("throttling that outlasts the retries, hangs, disabled locations and a disabled API become gaps too", async () => {
    const { result } = await sweep(
      [
        { kind: "throttle", service: "apikeys", account: projectId(1) },
        { kind: "hang", service: "notebooks", account: projectId(2) },
        { kind: "region-disabled", account: projectId(4), region: "europe-west4" },
        { kind: "service-disabled", service: "apikeys", account: projectId(6) },
      ],
      { maxAttempts: 2, requestTimeoutMs: 3000 },
    );
    expect(gapKeys(result.gaps)).toEqual(
      [
        `${projectId(1)}|global|apikeys|keys.list|Throttling`,
        `${projectId(2)}|global|notebooks|instances.list|Timeout`,
        `${projectId(4)}|europe-west4|*|-|RegionDisabled`,
        `${projectId(6)}|global|apikeys|keys.list|NotAvailable`,
      ].sort(),
    );
    // Everything else in those projects was still collected.
    expect(result.assets.filter((a) => a.account === projectId(2) && a.kind === "endpoint")).toHaveLength(4);
    expect(
      result.assets.filter((a) => a.account === projectId(4) && a.region === "us-central1").length,
    ).toBeGreaterThan(3);
  });

  it("an organization policy that cannot be read leaves Data Access unknown, and says why", async () => {
    const { result } = await sweep([{ kind: "access-denied", operation: "GetIamPolicy", account: "" }]);
    const configs = result.assets.filter((a) => a.type === "gcp-data-access-audit-logs" && a.account === projectId(1));
    expect(configs.map((a) => [a.native.service, a.native.dataRead])).toEqual([
      [
        "aiplatform.googleapis.com",
        { $unknown: true, reason: expect.stringMatching(/^AccessDenied on folders\.getIamPolicy of folders\/\d+$/) },
      ],
    ]);
  });
});
