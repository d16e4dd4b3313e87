import type { CoverageGap } from "@aigov/core";
import type { FaultSpec } from "@aigov/cloud-sim";
import { FAULT_MATRIX, subjectKeys } from "@aigov/scanner-kit/testing";
import { describe, expect, it } from "vitest";
import type { AzureScanConfig } from "../src/index.ts";
import { GENERATED_TENANT, generatedAzureWorld, subscriptionId } from "./generated-world.ts";
import { simConfig, sweepWorld } from "./sweep-harness.ts";

const world = generatedAzureWorld(10, 6);
const DENIED = subscriptionId(3);
const NOT_REGISTERED = subscriptionId(5);

function gapKeys(gaps: readonly CoverageGap[]): string[] {
  return gaps.map((g) => `${g.account}|${g.service}|${g.operation ?? "-"}|${g.code}`).sort();
}

async function sweep(faults: readonly FaultSpec[], extra: Partial<AzureScanConfig> = {}) {
  return sweepWorld(
    world,
    (sim) => simConfig(sim, { tenantId: GENERATED_TENANT, concurrency: 16, ...FAULT_MATRIX.retries, ...extra }),
    { faults, seed: 42, tenant: GENERATED_TENANT },
  );
}

describe("fault matrix", () => {
  it("30% throttling, 5% 5xx, a subscription denied, a provider not registered: every reachable item found, every gap listed", async () => {
    const clean = await sweep([]);
    expect(clean.result.gaps).toEqual([]);
    expect(clean.stats.retries).toBe(0);
    expect(clean.result.targets).toHaveLength(10);

    const faulty = await sweep([
      ...FAULT_MATRIX.transientFaults.map((fault) => ({ ...fault, cloud: "azure" as const })),
      { kind: "access-denied", cloud: "azure", account: DENIED },
      { kind: "service-disabled", cloud: "azure", account: NOT_REGISTERED, service: "machinelearningservices" },
    ]);

    // Everything outside the denied subscription, and outside Azure ML in the one without it, is found; nothing else lost.
    const reachable = subjectKeys(clean.result).filter(
      (id) =>
        !id.startsWith(`${DENIED}|`) &&
        !(id.startsWith(`${NOT_REGISTERED}|`) && id.includes("|Microsoft.MachineLearningServices/")),
    );
    expect(subjectKeys(faulty.result)).toEqual(reachable);
    expect(reachable.length).toBeGreaterThan(150);

    // Every gap is listed, once: each list call of the denied subscription. A provider not registered is not a gap:
    // the subscription cannot hold its resources, and the sweep says so in a notice.
    expect(gapKeys(faulty.result.gaps)).toEqual(
      [
        `${DENIED}|cognitiveservices|Accounts_List|AccessDenied`,
        `${DENIED}|insights|ActivityLogs_List|AccessDenied`,
        `${DENIED}|machinelearningservices|Workspaces_ListBySubscription|AccessDenied`,
        `${DENIED}|search|Services_ListBySubscription|AccessDenied`,
      ].sort(),
    );
    expect(faulty.notices.find((n) => n.code === "resource-provider-not-registered")?.message).toContain(
      NOT_REGISTERED,
    );
    // The faults really happened, 429 with Retry-After among them, and were retried through.
    const throttled = faulty.requests.all().filter((r) => r.fault === "throttle");
    expect(throttled.length).toBeGreaterThan(50);
    // Each endpoint throttles in its own shape: ARM 429 TooManyRequests, Entra ID 429 temporarily_unavailable.
    const throttleCode = (service: string) => (service === "entra" ? "temporarily_unavailable" : "TooManyRequests");
    expect(throttled.filter((r) => r.status !== 429 || r.errorCode !== throttleCode(r.service))).toEqual([]);
    expect(faulty.requests.all().filter((r) => r.status >= 500).length).toBeGreaterThan(5);
    expect(faulty.stats.retries).toBeGreaterThan(50);
  }, 120_000);

  it("throttling that outlasts the retries and hangs become gaps; the rest of those subscriptions is still collected", async () => {
    const { result } = await sweep(
      [
        { kind: "throttle", cloud: "azure", account: subscriptionId(1), operation: "Deployments_List" },
        { kind: "hang", cloud: "azure", account: subscriptionId(2), service: "search" },
      ],
      { maxAttempts: 2, requestTimeoutMs: 1500 },
    );
    expect(gapKeys(result.gaps)).toEqual([
      `${subscriptionId(1)}|cognitiveservices|Deployments_List|Throttling`,
      `${subscriptionId(2)}|search|Services_ListBySubscription|Timeout`,
    ]);
    expect(result.assets.filter((a) => a.account === subscriptionId(1) && a.kind === "ai-account")).toHaveLength(6);
    expect(result.assets.filter((a) => a.account === subscriptionId(1) && a.kind === "deployment")).toEqual([]);
    expect(result.assets.filter((a) => a.account === subscriptionId(2) && a.kind === "deployment")).toHaveLength(5);
  }, 60_000);

  it("a denied diagnostic settings read keeps the account, with its logging unknown and saying why", async () => {
    const { result } = await sweep([
      { kind: "access-denied", cloud: "azure", account: subscriptionId(0), operation: "DiagnosticSettings_List" },
    ]);
    const accounts = result.assets.filter((a) => a.account === subscriptionId(0) && a.kind === "ai-account");
    expect(accounts).toHaveLength(6);
    for (const account of accounts) {
      expect(account.logging).toEqual({ $unknown: true, reason: "AccessDenied on DiagnosticSettings_List" });
      expect(account.native.diagnostics).toEqual({ $unknown: true, reason: "AccessDenied on DiagnosticSettings_List" });
    }
    expect(gapKeys(result.gaps)).toEqual([`${subscriptionId(0)}|insights|DiagnosticSettings_List|AccessDenied`]);
  });
});
