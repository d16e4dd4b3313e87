import { Outbox } from "./outbox.ts";
import type { Store } from "./store.ts";

/** How much history to keep. Both limits apply; a run is deleted when either says so. */
export interface Retention {
  /** Keep the newest N runs (any status). */
  readonly keepRuns?: number;
  /** Keep runs started within this many days. */
  readonly keepDays?: number;
}

export interface PruneResult {
  readonly runs: number;
  readonly findings: number;
  /** Export outbox entries delivered (or rejected) before the oldest kept run. */
  readonly outboxEntries: number;
}

/**
 * Deletes old runs with their per-run rows, and resolved findings last seen before the oldest kept run.
 * Open findings are never pruned: their first-seen date is the history people ask about.
 * The newest finished run of every target is always kept, so the combined inventory of shards survives.
 */
export function prune(store: Store, retention: Retention, now: Date = new Date()): PruneResult {
  const pruned = pruneRuns(store, retention, now);
  // Export history goes with the runs it came from; each record's latest entry stays for change detection.
  const outboxEntries = pruned.oldest === undefined ? 0 : new Outbox(store).prune(new Date(pruned.oldest));
  return { runs: pruned.runs, findings: pruned.findings, outboxEntries };
}

function pruneRuns(store: Store, retention: Retention, now: Date): { runs: number; findings: number; oldest?: string } {
  return store.transaction(() => {
    const doomed = new Set<number>();
    if (retention.keepRuns !== undefined) {
      for (const row of store.all("SELECT id FROM runs WHERE status <> 'running' ORDER BY id DESC LIMIT -1 OFFSET ?", [
        retention.keepRuns,
      ])) {
        doomed.add(Number(row.id));
      }
    }
    if (retention.keepDays !== undefined) {
      const cutoff = new Date(now.getTime() - retention.keepDays * 86_400_000).toISOString();
      for (const row of store.all("SELECT id FROM runs WHERE status <> 'running' AND started_at < ?", [cutoff]))
        doomed.add(Number(row.id));
    }
    for (const row of store.all(
      `SELECT MAX(rt.run_id) AS id FROM run_targets rt JOIN runs r ON r.id = rt.run_id WHERE r.status IN ('complete', 'partial') GROUP BY rt.target_key`,
    )) {
      doomed.delete(Number(row.id));
    }
    const ids = [...doomed];
    for (const id of ids) {
      // ON DELETE CASCADE removes run_targets / run_assets / run_gaps / run_findings.
      store.db.prepare("DELETE FROM runs WHERE id = ?").run(id);
    }
    const oldest = store.all("SELECT MIN(started_at) AS t FROM runs")[0]?.t;
    const findings =
      typeof oldest === "string"
        ? Number(
            store.db.prepare("DELETE FROM findings WHERE state = 'resolved' AND last_seen < ?").run(oldest).changes,
          )
        : 0;
    return { runs: ids.length, findings, ...(typeof oldest === "string" ? { oldest } : {}) };
  });
}
