import type { DatabaseSync } from "node:sqlite";
import { AigovError } from "@aigov/core";
import { inTransaction } from "./transaction.ts";

/**
 * Schema versions, applied in order and recorded in PRAGMA user_version: every table of the store's file is created
 * here. Append a new entry for every change; never edit a released one (stores on users' disks were created by it).
 */
const MIGRATIONS: readonly string[] = [
  // 1: runs, per-run targets / inventory / gaps / observed findings, and the findings' lifecycle.
  `
  CREATE TABLE runs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    started_at TEXT NOT NULL,
    finished_at TEXT,
    -- running | complete | partial | aborted | failed
    status TEXT NOT NULL,
    host TEXT NOT NULL,
    pid INTEGER NOT NULL,
    shard TEXT,
    label TEXT,
    targets_total INTEGER NOT NULL DEFAULT 0,
    targets_done INTEGER NOT NULL DEFAULT 0,
    assets INTEGER NOT NULL DEFAULT 0,
    api_calls INTEGER NOT NULL DEFAULT 0,
    errors INTEGER NOT NULL DEFAULT 0,
    summary TEXT
  );
  CREATE INDEX runs_status ON runs(status);

  CREATE TABLE run_targets (
    run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    target_key TEXT NOT NULL,
    provider TEXT NOT NULL,
    account TEXT NOT NULL,
    region TEXT,
    label TEXT NOT NULL,
    -- complete (no gaps) | partial (some gaps) | failed (nothing collected)
    status TEXT NOT NULL,
    assets INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (run_id, target_key)
  );
  CREATE INDEX run_targets_key ON run_targets(target_key, run_id);

  CREATE TABLE run_assets (
    run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    identity TEXT NOT NULL,
    target_key TEXT NOT NULL,
    subject_type TEXT NOT NULL,
    provider TEXT NOT NULL,
    account TEXT,
    region TEXT,
    kind TEXT NOT NULL,
    type TEXT NOT NULL,
    id TEXT NOT NULL,
    name TEXT NOT NULL,
    models TEXT,
    data TEXT NOT NULL,
    PRIMARY KEY (run_id, identity)
  );
  CREATE INDEX run_assets_target ON run_assets(run_id, target_key);

  CREATE TABLE run_gaps (
    run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    target_key TEXT,
    provider TEXT NOT NULL,
    account TEXT NOT NULL,
    region TEXT,
    service TEXT NOT NULL,
    operation TEXT,
    code TEXT NOT NULL,
    message TEXT NOT NULL
  );
  CREATE INDEX run_gaps_run ON run_gaps(run_id);

  -- What a run observed (and, once it finished, what it resolved): its change is new | open | reopened | waived | resolved.
  CREATE TABLE run_findings (
    run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    finding_id TEXT NOT NULL,
    target_key TEXT NOT NULL,
    rule_id TEXT NOT NULL,
    severity TEXT NOT NULL,
    status TEXT NOT NULL,
    change TEXT,
    data TEXT NOT NULL,
    PRIMARY KEY (run_id, finding_id)
  );

  -- One row per finding id ever seen: its lifecycle across runs.
  CREATE TABLE findings (
    id TEXT PRIMARY KEY,
    rule_id TEXT NOT NULL,
    severity TEXT NOT NULL,
    -- the engine's status in the last run that saw it: open | unknown | waived
    status TEXT NOT NULL,
    -- lifecycle: new | open | reopened | waived | resolved
    state TEXT NOT NULL,
    target_key TEXT NOT NULL,
    provider TEXT NOT NULL,
    account TEXT,
    region TEXT,
    kind TEXT NOT NULL,
    subject_id TEXT NOT NULL,
    first_seen TEXT NOT NULL,
    last_seen TEXT NOT NULL,
    first_run INTEGER NOT NULL,
    last_run INTEGER NOT NULL,
    resolved_at TEXT,
    resolved_run INTEGER,
    reopened INTEGER NOT NULL DEFAULT 0,
    data TEXT NOT NULL
  );
  CREATE INDEX findings_state ON findings(state);
  CREATE INDEX findings_target ON findings(target_key);
  `,
  // 2: a heartbeat per run, so a run abandoned on another host (a killed pod) is recognised within an hour, not a day.
  `
  ALTER TABLE runs ADD COLUMN heartbeat_at TEXT;
  UPDATE runs SET heartbeat_at = COALESCE(finished_at, started_at);
  `,
  // 3: the export outbox (what each sink was sent and still waits for) and the log reader's state (what was read,
  // which first_seen groups were reported). Earlier releases created these tables on first use, so a store (or an
  // `aigov logs --state-db` file) may hold them already: IF NOT EXISTS keeps their rows.
  `
  CREATE TABLE IF NOT EXISTS export_outbox (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    sink TEXT NOT NULL,
    record_id TEXT NOT NULL,
    hash TEXT NOT NULL,
    change TEXT NOT NULL,
    enqueued_at TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    last_error TEXT,
    delivered_at TEXT,
    rejected_at TEXT
  );
  -- Payloads apart from the delivery bookkeeping: marking an entry delivered rewrites a narrow row, not its payload.
  CREATE TABLE IF NOT EXISTS export_outbox_payload (
    seq INTEGER PRIMARY KEY,
    payload TEXT NOT NULL
  );
  CREATE INDEX IF NOT EXISTS export_outbox_waiting ON export_outbox (sink, seq) WHERE delivered_at IS NULL AND rejected_at IS NULL;
  CREATE TABLE IF NOT EXISTS export_state (
    sink TEXT NOT NULL,
    record_id TEXT NOT NULL,
    hash TEXT NOT NULL,
    resolved INTEGER NOT NULL DEFAULT 0,
    -- The outbox entry last enqueued for this record: its payload is what a later "resolved" is built from,
    -- so the payload is written once, not twice.
    seq INTEGER NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (sink, record_id)
  );

  -- aigov logs: per log object (file:/path, s3://bucket/key, gs://…, blob URL), what was read of it.
  CREATE TABLE IF NOT EXISTS log_read_state (
    source TEXT PRIMARY KEY,
    size INTEGER,
    version TEXT NOT NULL,
    offset INTEGER NOT NULL,
    line INTEGER NOT NULL,
    read_at TEXT NOT NULL
  );
  -- aigov logs: the groups first_seen rules have reported, so each is reported once across runs.
  CREATE TABLE IF NOT EXISTS log_first_seen (
    rule_id TEXT NOT NULL,
    group_key TEXT NOT NULL,
    first_time TEXT NOT NULL,
    PRIMARY KEY (rule_id, group_key)
  );
  `,
];

export const SCHEMA_VERSION = MIGRATIONS.length;

/** The schema version a store's file records (0: no aigov schema yet). */
export function schemaVersion(db: DatabaseSync): number {
  const row = db.prepare("PRAGMA user_version").get();
  return Number(row?.user_version ?? 0);
}

/**
 * Brings the database to SCHEMA_VERSION, one transaction per migration (a crash between two leaves a store at the
 * earlier version, whole); refuses a store written by a newer aigov. The version is read again under the write lock,
 * so two processes opening an old store at once migrate it once.
 */
export function migrate(db: DatabaseSync, path: string): void {
  for (;;) {
    const migrated = inTransaction(db, () => {
      const version = schemaVersion(db);
      refuseNewer(version, path);
      const migration = MIGRATIONS[version];
      if (migration === undefined) return false;
      db.exec(migration);
      // PRAGMA takes no bound parameters; the value is our own integer.
      db.exec(`PRAGMA user_version = ${version + 1}`);
      return true;
    });
    if (!migrated) return;
  }
}

export function refuseNewer(version: number, path: string): void {
  if (version <= SCHEMA_VERSION) return;
  throw new AigovError(
    "STORE_TOO_NEW",
    `store ${path} has schema version ${version}; this aigov knows up to ${SCHEMA_VERSION}`,
    { hint: "upgrade aigov, or point --store at another file" },
  );
}
