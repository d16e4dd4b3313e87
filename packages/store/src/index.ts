export { SCHEMA_VERSION } from "./migrations.ts";
export {
  currentGaps,
  currentTargets,
  type FindingFilter,
  type InventoryFilter,
  type QueryFilter,
  queryFindings,
  queryInventory,
  type RunTrend,
  type TargetCoverage,
  runTrends,
} from "./query.ts";
export { type PruneResult, prune, type Retention } from "./retention.ts";
export {
  type FindingLifecycle,
  type FinishRun,
  type InventoryItem,
  LIFECYCLES,
  type Lifecycle,
  type Observation,
  openStore,
  type RunChanges,
  type RunRecord,
  type RunStatus,
  Store,
  type StoreAccess,
  type StoreOptions,
  type StoredFinding,
  type TargetRecord,
  type TargetStatus,
} from "./store.ts";
export { defaultStorePath, resolveStorePath, type StorePathSources } from "./store-path.ts";
export { type PolicyStore, policyStore, STORE_SCHEMA } from "./store-section.ts";
export {
  type ChangeKind,
  type EnqueueOptions,
  type EnqueueSummary,
  Outbox,
  type OutboxCandidate,
  type OutboxEntry,
  type OutboxRecord,
} from "./outbox.ts";
