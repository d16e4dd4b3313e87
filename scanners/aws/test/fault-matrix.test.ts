import { startCloudSim } from "@aigov/cloud-sim";
import { FAULT_MATRIX, gapKeys, subjectKeys } from "@aigov/scanner-kit/testing";
import { describe, expect, it } from "vitest";
import { type AwsScanConfig, createAwsScanner } from "../src/index.ts";
import { accountId, generatedWorld } from "./generated-world.ts";
import { FAKE_CREDENTIALS, runSweep } from "./run-sweep.ts";

const NOW = new Date("2026-11-22T00:00:00Z");
const REGIONS = ["us-east-1", "eu-west-1"];
const world = generatedWorld(10, REGIONS);
const UNASSUMABLE = accountId(3);
const SAGEMAKER_DENIED = accountId(5);

async function sweep(faults: Parameters<typeof startCloudSim>[0]["faults"], extra: Partial<AwsScanConfig> = {}) {
  const sim = await startCloudSim({ world, faults: faults ?? [], seed: 42 });
  try {
    const scanner = createAwsScanner({ credentials: FAKE_CREDENTIALS, now: () => NOW });
    const config: AwsScanConfig = {
      organization: true,
      regions: REGIONS,
      endpoint: sim.url,
      concurrency: 16,
      ...FAULT_MATRIX.retries,
      ...extra,
    };
    const result = await runSweep(scanner, config, 16);
    const stats = scanner.stats();
    scanner.close();
    return { result, stats, requests: sim.requests };
  } finally {
    await sim.close();
  }
}

describe("fault matrix", () => {
  it("30% throttling, 5% 5xx, one unassumable role, one denied service: the sweep completes, finds every reachable subject, lists every gap", async () => {
    const clean = await sweep([]);
    expect(clean.result.gaps).toEqual([]);
    expect(clean.stats.retries).toBe(0);

    const faulty = await sweep([
      ...FAULT_MATRIX.transientFaults,
      { kind: "unassumable-role", account: UNASSUMABLE },
      { kind: "access-denied", service: "sagemaker", account: SAGEMAKER_DENIED },
    ]);

    // Every subject outside the unassumable account and the denied service is found, nothing else is lost.
    const reachable = subjectKeys(clean.result).filter(
      (id) => !id.startsWith(`${UNASSUMABLE}|`) && !id.startsWith(`${SAGEMAKER_DENIED}|AWS::SageMaker::`),
    );
    expect(subjectKeys(faulty.result)).toEqual(reachable);
    expect(reachable.length).toBeGreaterThan(150);

    // Every gap is listed, once: the role, and each SageMaker list call in each region of the denied account.
    const sageMakerLists = [
      "ListClusters",
      "ListDomains",
      "ListEndpoints",
      "ListInferenceComponents",
      "ListModelPackageGroups",
      "ListModels",
      "ListMonitoringSchedules",
      "ListNotebookInstanceLifecycleConfigs",
      "ListNotebookInstances",
      "ListProcessingJobs",
      "ListSpaces",
      "ListTrainingJobs",
      "ListUserProfiles",
    ];
    expect(gapKeys(faulty.result.gaps)).toEqual(
      [
        `${UNASSUMABLE}|-|sts|AssumeRole|AssumeRoleFailed`,
        ...REGIONS.flatMap((region) =>
          sageMakerLists.map((op) => `${SAGEMAKER_DENIED}|${region}|sagemaker|${op}|AccessDenied`),
        ),
      ].sort(),
    );
    // The faults really happened and were retried through.
    expect(faulty.requests.filter().filter((r) => r.fault === "throttle").length).toBeGreaterThan(100);
    expect(faulty.requests.filter().filter((r) => r.status >= 500).length).toBeGreaterThan(10);
    expect(faulty.stats.retries).toBeGreaterThan(100);
  });

  it("throttling that outlasts the retries, hangs and disabled regions become gaps too", async () => {
    const { result } = await sweep(
      [
        { kind: "throttle", service: "ecs", account: accountId(1) },
        { kind: "hang", service: "lambda", account: accountId(2) },
        { kind: "region-disabled", account: accountId(4), region: "eu-west-1" },
      ],
      { maxAttempts: 2, requestTimeoutMs: 3000 },
    );
    expect(gapKeys(result.gaps)).toEqual(
      [
        `${accountId(1)}|eu-west-1|ecs|ListTaskDefinitions|Throttling`,
        `${accountId(1)}|us-east-1|ecs|ListTaskDefinitions|Throttling`,
        `${accountId(2)}|eu-west-1|lambda|ListFunctions|Timeout`,
        `${accountId(2)}|us-east-1|lambda|ListFunctions|Timeout`,
        `${accountId(4)}|eu-west-1|*|-|RegionDisabled`,
      ].sort(),
    );
    // Everything else in those accounts was still collected.
    expect(
      result.assets.filter((a) => a.account === accountId(2) && a.type === "AWS::SageMaker::Endpoint"),
    ).toHaveLength(2);
    expect(result.assets.filter((a) => a.account === accountId(4) && a.region === "us-east-1").length).toBeGreaterThan(
      3,
    );
  });

  it("a denied describe keeps the asset, with unknown facts that say why, and one gap per operation", async () => {
    const { result } = await sweep([
      { kind: "access-denied", operation: "DescribeNotebookInstance", account: accountId(0) },
    ]);
    const notebooks = result.assets.filter(
      (a) => a.account === accountId(0) && a.type === "AWS::SageMaker::NotebookInstance",
    );
    expect(notebooks).toHaveLength(2);
    for (const notebook of notebooks) {
      expect(notebook.public).toEqual({ $unknown: true, reason: "AccessDenied on DescribeNotebookInstance" });
      expect(notebook.rootAccess).toEqual({ $unknown: true, reason: "AccessDenied on DescribeNotebookInstance" });
      expect(notebook.imdsV1).toEqual({ $unknown: true, reason: "AccessDenied on DescribeNotebookInstance" });
      expect(notebook.platform).toEqual({ $unknown: true, reason: "AccessDenied on DescribeNotebookInstance" });
      expect(notebook.tags).toEqual({});
    }
    expect(gapKeys(result.gaps)).toEqual(
      REGIONS.map((region) => `${accountId(0)}|${region}|sagemaker|DescribeNotebookInstance|AccessDenied`).sort(),
    );
  });

  it("an unreadable organization tree leaves OU paths unknown and says why; denied account tags likewise", async () => {
    const { result } = await sweep([
      { kind: "access-denied", operation: "ListOrganizationalUnitsForParent" },
      { kind: "access-denied", operation: "ListTagsForResource", service: "organizations" },
    ]);
    expect(result.targets).toHaveLength(11 * (REGIONS.length + 1));
    const meta = result.targets.find((t) => t.account === accountId(0))!.meta;
    expect(meta.ouPath).toEqual({ $unknown: true, reason: "organization tree not readable" });
    expect(meta.accountTags).toEqual({ $unknown: true, reason: "Organizations ListTagsForResource failed" });
    const gaps = gapKeys(result.gaps);
    expect(gaps.filter((g) => g.includes("OrganizationalUnits"))).toEqual([
      "999999999999|-|organizations|ListOrganizationalUnitsForParent|AccessDenied",
    ]);
    expect(gaps.filter((g) => g.includes("ListTagsForResource"))).toHaveLength(11);
  });
});
