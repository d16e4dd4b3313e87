import type { DatabaseSync } from "node:sqlite";
import { AigovError } from "@aigov/core";

/**
 * Schema versions, applied in order and recorded in PRAGMA user_version. Append a new entry for every change;
 * never edit a released one (stores on users' disks were created by it).
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
];

export const SCHEMA_VERSION = MIGRATIONS.length;

/** Brings the database to SCHEMA_VERSION in one transaction; refuses a store written by a newer aigov. */
export function migrate(db: DatabaseSync, path: string): void {
  db.exec("BEGIN IMMEDIATE");
  try {
    const version = Number((db.prepare("PRAGMA user_version").get() as { user_version: number }).user_version);
    if (version > SCHEMA_VERSION) {
      throw new AigovError(
        "STORE_TOO_NEW",
        `store ${path} has schema version ${version}; this aigov knows up to ${SCHEMA_VERSION}`,
        {
          hint: "upgrade aigov, or point --store at another file",
        },
      );
    }
    for (let next = version; next < SCHEMA_VERSION; next += 1) db.exec(MIGRATIONS[next]!);
    // PRAGMA takes no bound parameters; the value is our own integer.
    if (version !== SCHEMA_VERSION) db.exec(`PRAGMA user_version = ${SCHEMA_VERSION}`);
    db.exec("COMMIT");
  } catch (error) {
    db.exec("ROLLBACK");
    throw error;
  }
}
