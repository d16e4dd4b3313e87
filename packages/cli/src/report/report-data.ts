import type { Policy, RecordedGap } from "@aigov/core";
import {
  currentGaps,
  currentTargets,
  type InventoryItem,
  queryFindings,
  queryInventory,
  type RunRecord,
  type RunTrend,
  runTrends,
  type Store,
  type StoredFinding,
  type TargetCoverage,
} from "@aigov/store";

/** Everything the HTML report shows, read from the store in one go. */
export interface ReportData {
  readonly generatedAt: string;
  readonly store: string;
  readonly latestRun?: RunRecord;
  readonly runs: readonly RunRecord[];
  /** The combined current inventory (per target, its newest finished run). */
  readonly assets: readonly InventoryItem[];
  /** Every finding the store knows, active and resolved, with its lifecycle. */
  readonly findings: readonly StoredFinding[];
  readonly targets: readonly TargetCoverage[];
  readonly gaps: readonly RecordedGap[];
  readonly trends: readonly RunTrend[];
  /** The policy's approved models per cloud (globs), to say which models in use are approved. */
  readonly approvedModels: Policy["approvedModels"];
}

export function collectReportData(
  store: Store,
  approvedModels: Policy["approvedModels"],
  now: Date = new Date(),
): ReportData {
  const latestRun = store.latestRun();
  return {
    generatedAt: now.toISOString(),
    store: store.path,
    ...(latestRun === undefined ? {} : { latestRun }),
    runs: store.runs({ limit: 50 }),
    assets: [...queryInventory(store)],
    findings: [...queryFindings(store)],
    targets: currentTargets(store),
    gaps: currentGaps(store),
    trends: runTrends(store, 30),
    approvedModels,
  };
}
