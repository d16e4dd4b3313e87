import { existsSync, mkdirSync } from "node:fs";
import { hostname } from "node:os";
import { dirname } from "node:path";
import { DatabaseSync, type SQLInputValue, type StatementSync } from "node:sqlite";
import {
  AigovError,
  type Asset,
  type CoverageGap,
  type Finding,
  isUnknown,
  type Key,
  type Maybe,
  PROVIDERS,
  type Provider,
  type RecordedGap,
  type Subject,
  subjectIdentity,
  subjectRef,
} from "@aigov/core";
import { migrate, refuseNewer, SCHEMA_VERSION, schemaVersion } from "./migrations.ts";
import { integer, oneOf, optionalInteger, optionalText, type Row, text } from "./row.ts";
import { inTransaction } from "./transaction.ts";

/** What the inventory holds: assets and keys (API calls are evidence, not inventory). */
export type InventoryItem = Asset | Key;

export const RUN_STATUSES = ["running", "complete", "partial", "aborted", "failed"] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];
/** Where a finding stands across runs. */
export type Lifecycle = "new" | "open" | "reopened" | "waived" | "resolved";
export const LIFECYCLES: readonly Lifecycle[] = ["new", "open", "reopened", "waived", "resolved"];
/** complete: collected with no gap; partial: collected with gaps; failed: nothing could be collected. */
export const TARGET_STATUSES = ["complete", "partial", "failed"] as const;
export type TargetStatus = (typeof TARGET_STATUSES)[number];

export interface RunRecord {
  readonly id: number;
  readonly startedAt: string;
  readonly finishedAt?: string;
  readonly status: RunStatus;
  readonly host: string;
  readonly pid: number;
  readonly shard?: string;
  readonly label?: string;
  readonly targetsTotal: number;
  readonly targetsDone: number;
  readonly assets: number;
  readonly apiCalls: number;
  readonly errors: number;
  /** Whatever the sweep stored as its summary (JSON). */
  readonly summary?: unknown;
}

export interface TargetRecord {
  readonly key: string;
  readonly provider: Provider;
  readonly account: string;
  readonly region?: string;
  readonly label: string;
}

/** One subject a target yielded, with the findings the engine raised on it. */
export interface Observation {
  readonly targetKey: string;
  readonly subject: Subject;
  readonly findings: readonly Finding[];
}

export interface FindingLifecycle {
  readonly state: Lifecycle;
  readonly firstSeen: string;
  readonly lastSeen: string;
  readonly firstRun: number;
  readonly lastRun: number;
  readonly resolvedAt?: string;
  readonly resolvedRun?: number;
  /** How many times it came back after being resolved. */
  readonly reopened: number;
}

/** A finding as the store knows it: the engine's Finding plus where it stands across runs. */
export type StoredFinding = Finding & { readonly lifecycle: FindingLifecycle };

export interface RunChanges {
  readonly new: number;
  readonly open: number;
  readonly reopened: number;
  readonly waived: number;
  readonly resolved: number;
}

export interface FinishRun {
  readonly status: "complete" | "partial" | "failed";
  readonly targetsTotal: number;
  readonly apiCalls: number;
  readonly errors: number;
  readonly summary?: unknown;
}

/**
 * How a command opens the store. `create` (sweep, logs, demo) makes the file when it is missing; `write` needs an
 * existing store; `read` (findings, inventory, report, export) needs one and never writes to it, except to migrate a
 * store an earlier aigov wrote.
 */
export type StoreAccess = "create" | "write" | "read";

export interface StoreOptions {
  /** Default `create`. */
  readonly access?: StoreAccess;
  /** Milliseconds to wait for another process's write lock before failing (default 30 s). */
  readonly busyTimeoutMs?: number;
  /** A run left 'running' by another host is presumed dead when its heartbeat is older than this (default 1 h). */
  readonly staleRunMs?: number;
  readonly now?: () => Date;
}

/**
 * Run history and finding lifecycle in one SQLite file (the export outbox and the log reader's state share it).
 * Crash safety: a run streams what it sees into per-run tables; the findings' lifecycle changes only in
 * `finishRun`, in one transaction. A process killed mid-run therefore leaves the lifecycle as the previous
 * run left it, and the next open marks the orphaned run 'aborted' and drops its partial rows.
 * Concurrency: WAL lets readers and one writer work at once; writers queue on the busy timeout.
 */
export class Store {
  readonly path: string;
  readonly access: StoreAccess;
  readonly db: DatabaseSync;
  readonly #now: () => Date;
  readonly #statements = new Map<string, StatementSync>();

  constructor(path: string, options: StoreOptions = {}) {
    this.path = path;
    this.access = options.access ?? "create";
    this.#now = options.now ?? (() => new Date());
    if (this.access !== "create" && (path === ":memory:" || !existsSync(path))) {
      throw new AigovError("STORE_NOT_FOUND", `no store at ${path}: run \`aigov sweep\` first, or pass --store`, {
        hint: "the store is --store FILE, else AIGOV_STORE, else the policy's store:, else ~/.local/state/aigov/aigov.db",
      });
    }
    if (this.access === "create" && path !== ":memory:") mkdirSync(dirname(path), { recursive: true });
    this.db = openDatabase(path, this.access, options.busyTimeoutMs ?? 30_000);
    if (this.access !== "read") this.recoverAbandonedRuns(options.staleRunMs ?? 3_600_000);
  }

  close(): void {
    if (this.db.isOpen) this.db.close();
  }

  #statement(sql: string): StatementSync {
    let statement = this.#statements.get(sql);
    if (statement === undefined) {
      statement = this.db.prepare(sql);
      this.#statements.set(sql, statement);
    }
    return statement;
  }

  /** Runs `work` in one write transaction of the store's file (see transaction.ts). */
  transaction<T>(work: () => T): T {
    return inTransaction(this.db, work);
  }

  /** Marks runs whose process is gone as aborted and drops their partial rows; the lifecycle was never touched by them. */
  recoverAbandonedRuns(staleRunMs: number): number {
    const running = this.#statement("SELECT id, host, pid, heartbeat_at FROM runs WHERE status = 'running'")
      .all()
      .map((row) => ({
        id: integer(row, "id"),
        host: text(row, "host"),
        pid: integer(row, "pid"),
        heartbeatAt: text(row, "heartbeat_at"),
      }));
    const here = hostname();
    const now = this.#now().getTime();
    const dead = running.filter((run) =>
      run.host === here ? !processAlive(run.pid) : now - Date.parse(run.heartbeatAt) > staleRunMs,
    );
    if (dead.length === 0) return 0;
    this.transaction(() => {
      for (const run of dead) {
        // Re-check inside the lock: another process may have recovered it already.
        const changed = this.#statement(
          "UPDATE runs SET status = 'aborted', finished_at = ? WHERE id = ? AND status = 'running'",
        ).run(this.#now().toISOString(), run.id);
        if (Number(changed.changes) === 0) continue;
        this.#statement("DELETE FROM run_findings WHERE run_id = ?").run(run.id);
        this.#statement("DELETE FROM run_assets WHERE run_id = ?").run(run.id);
      }
    });
    return dead.length;
  }

  beginRun(options: { shard?: string; label?: string } = {}): RunRecord {
    const startedAt = this.#now().toISOString();
    const id = this.transaction(
      () =>
        this.#statement(
          "INSERT INTO runs (started_at, heartbeat_at, status, host, pid, shard, label) VALUES (?1, ?1, 'running', ?2, ?3, ?4, ?5)",
        ).run(startedAt, hostname(), process.pid, options.shard ?? null, options.label ?? null).lastInsertRowid,
    );
    const run = this.run(Number(id));
    if (run === undefined) throw new Error(`run ${id} was inserted but cannot be read back`);
    return run;
  }

  /** Streams a batch of observations of one run into its per-run tables (one transaction per batch). */
  record(
    runId: number,
    observations: readonly Observation[],
    gaps: readonly (CoverageGap & { readonly targetKey?: string })[] = [],
  ): void {
    if (observations.length === 0 && gaps.length === 0) return;
    this.transaction(() => {
      const asset = this.#statement(
        `INSERT OR REPLACE INTO run_assets (run_id, identity, target_key, subject_type, provider, account, region, kind, type, id, name, models, data)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      );
      // The change is written with the row, from the lifecycle as it stands now; finishRun checks it again.
      const finding = this.#statement(
        `INSERT OR REPLACE INTO run_findings (run_id, finding_id, target_key, rule_id, severity, status, change, data)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ${lifecycleChange("?6", "?2")}, ?7)`,
      );
      for (const observation of observations) {
        const { subject, targetKey } = observation;
        if (subject.subject !== "api-call") {
          const models =
            subject.subject === "asset" && subject.models !== undefined && !isUnknown(subject.models)
              ? JSON.stringify(subject.models)
              : null;
          asset.run(
            runId,
            subjectIdentity(subjectRef(subject)),
            targetKey,
            subject.subject,
            subject.provider,
            known(subject.account),
            known(subject.region),
            subject.kind,
            subject.type,
            subject.id,
            subject.name,
            models,
            JSON.stringify(subject),
          );
        }
        for (const item of observation.findings) {
          finding.run(runId, item.id, targetKey, item.ruleId, item.severity, item.status, JSON.stringify(item));
        }
      }
      this.#statement("UPDATE runs SET heartbeat_at = ? WHERE id = ?").run(this.#now().toISOString(), runId);
      const gap = this.#statement(
        "INSERT INTO run_gaps (run_id, target_key, provider, account, region, service, operation, code, message) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
      );
      for (const item of gaps) {
        gap.run(
          runId,
          item.targetKey ?? null,
          item.provider,
          item.account,
          item.region ?? null,
          item.service,
          item.operation ?? null,
          item.code,
          item.message,
        );
      }
    });
  }

  /** A target is done: how it went decides whether its missing findings count as resolved. */
  targetDone(runId: number, target: TargetRecord, status: TargetStatus, assets: number): void {
    this.transaction(() => {
      this.#statement(
        "INSERT OR REPLACE INTO run_targets (run_id, target_key, provider, account, region, label, status, assets) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
      ).run(runId, target.key, target.provider, target.account, target.region ?? null, target.label, status, assets);
      // The heartbeat: another host's open can tell a slow run from a dead one.
      this.#statement(
        "UPDATE runs SET targets_done = targets_done + 1, assets = assets + ?, heartbeat_at = ? WHERE id = ?",
      ).run(assets, this.#now().toISOString(), runId);
    });
  }

  /**
   * Ends a run and moves the findings' lifecycle, atomically:
   * seen for the first time → new; seen again → open; seen after being resolved → reopened; waived → waived;
   * not seen, in a target this run covered completely → resolved. Findings of targets this run did not cover, or
   * covered only partly (a gap could hide them), keep their state.
   */
  finishRun(runId: number, finish: FinishRun): RunChanges {
    const finishedAt = this.#now().toISOString();
    return this.transaction(() => {
      const run = this.run(runId);
      if (run === undefined || run.status !== "running") {
        throw new AigovError(
          "STORE_RUN_NOT_RUNNING",
          `run ${runId} is ${run === undefined ? "unknown" : run.status}, not running`,
        );
      }
      // Each row's change was written by record, from the lifecycle as it stood then; another run that finished
      // since may have moved it. Only the rows whose change differs now are written again: rewriting every row
      // (each carries its finding's JSON) made finishing the store bench's 1,000 x 4 run take 5.7 s instead of 3.9.
      const change = lifecycleChange("status", "run_findings.finding_id");
      this.#statement(`UPDATE run_findings SET change = ${change} WHERE run_id = ? AND change IS NOT ${change}`).run(
        runId,
      );
      // Resolved: absent from this run although its target was covered completely. Marked before the run's own
      // findings are written into the lifecycle, so that the search reads only what earlier runs left there (nothing
      // on a first run); the run's copy of each is then read by key (only the ids are held, not the findings).
      const resolved = this.#statement(
        `UPDATE findings SET state = 'resolved', status = 'resolved', resolved_at = ?1, resolved_run = ?2,
                             data = json_set(data, '$.status', 'resolved')
         WHERE state <> 'resolved'
           AND target_key IN (SELECT target_key FROM run_targets WHERE run_id = ?2 AND status = 'complete')
           AND id NOT IN (SELECT finding_id FROM run_findings WHERE run_id = ?2)
         RETURNING id`,
      ).all(finishedAt, runId);
      const resolvedCopy = this.#statement(
        `INSERT INTO run_findings (run_id, finding_id, target_key, rule_id, severity, status, change, data)
         SELECT ?1, id, target_key, rule_id, severity, 'resolved', 'resolved', data FROM findings WHERE id = ?2`,
      );
      for (const row of resolved) resolvedCopy.run(runId, text(row, "id"));
      this.#statement(
        `INSERT INTO findings (id, rule_id, severity, status, state, target_key, provider, account, region, kind, subject_id,
                               first_seen, last_seen, first_run, last_run, reopened, data)
         SELECT rf.finding_id, rf.rule_id, rf.severity, rf.status, rf.change, rf.target_key,
                json_extract(rf.data, '$.subject.provider'), json_extract(rf.data, '$.subject.account'),
                json_extract(rf.data, '$.subject.region'), json_extract(rf.data, '$.subject.kind'), json_extract(rf.data, '$.subject.id'),
                ?1, ?1, ?2, ?2, 0, rf.data
         FROM run_findings rf WHERE rf.run_id = ?2 AND rf.change <> 'resolved'
         ON CONFLICT(id) DO UPDATE SET
           rule_id = excluded.rule_id, severity = excluded.severity, status = excluded.status, state = excluded.state,
           target_key = excluded.target_key, account = excluded.account, region = excluded.region, kind = excluded.kind,
           last_seen = excluded.last_seen, last_run = excluded.last_run, resolved_at = NULL, resolved_run = NULL,
           reopened = findings.reopened + (excluded.state = 'reopened'), data = excluded.data`,
      ).run(run.startedAt, runId);
      this.#statement(
        "UPDATE runs SET status = ?, finished_at = ?, targets_total = ?, api_calls = ?, errors = ?, summary = ? WHERE id = ?",
      ).run(
        finish.status,
        finishedAt,
        finish.targetsTotal,
        finish.apiCalls,
        finish.errors,
        finish.summary === undefined ? null : JSON.stringify(finish.summary),
        runId,
      );
      return this.runChanges(runId);
    });
  }

  /** Marks a run that could not finish (an error, a signal): its partial rows go, the lifecycle stays as it was. */
  abortRun(runId: number, status: "aborted" | "failed" = "aborted"): void {
    this.transaction(() => {
      this.#statement("UPDATE runs SET status = ?, finished_at = ? WHERE id = ? AND status = 'running'").run(
        status,
        this.#now().toISOString(),
        runId,
      );
      this.#statement("DELETE FROM run_findings WHERE run_id = ?").run(runId);
      this.#statement("DELETE FROM run_assets WHERE run_id = ?").run(runId);
    });
  }

  /** Stores a run's summary after the fact (the sweep learns new/resolved counts only from finishRun). */
  setSummary(runId: number, summary: unknown): void {
    this.transaction(() =>
      this.#statement("UPDATE runs SET summary = ? WHERE id = ?").run(JSON.stringify(summary), runId),
    );
  }

  runChanges(runId: number): RunChanges {
    const rows = this.#statement(
      "SELECT change, COUNT(*) AS n FROM run_findings WHERE run_id = ? AND change IS NOT NULL GROUP BY change",
    ).all(runId);
    const counts = { new: 0, open: 0, reopened: 0, waived: 0, resolved: 0 };
    for (const row of rows) counts[oneOf(row, "change", LIFECYCLES)] = integer(row, "n");
    return counts;
  }

  run(id: number): RunRecord | undefined {
    const row = this.#statement("SELECT * FROM runs WHERE id = ?").get(id);
    return row === undefined ? undefined : toRun(row);
  }

  /** Newest first. */
  runs(options: { limit?: number; status?: readonly RunStatus[] } = {}): RunRecord[] {
    const statuses = options.status ?? [];
    const where = statuses.length === 0 ? "" : `WHERE status IN (${statuses.map(() => "?").join(", ")})`;
    return this.db
      .prepare(`SELECT * FROM runs ${where} ORDER BY id DESC LIMIT ?`)
      .all(...statuses, options.limit ?? -1)
      .map(toRun);
  }

  /** The newest finished (complete or partial) run. */
  latestRun(): RunRecord | undefined {
    return this.runs({ limit: 1, status: ["complete", "partial"] })[0];
  }

  /** The findings a finished run saw or resolved; `lifecycle.state` is what that run did to each. */
  *runFindings(runId: number): Generator<StoredFinding> {
    for (const row of this.#runFindingRows(runId)) yield toStoredFinding(row);
  }

  /**
   * `JSON.stringify` of each of runFindings, in its order, written without parsing each finding and building it
   * again (a 1,000-account sweep's `--format json` has 119,000): the run's copy of a finding seen is the text
   * `record` wrote with JSON.stringify, so the lifecycle is appended to it. A resolved finding's copy was rewritten
   * by SQLite (json_set), whose text need not be JavaScript's, and is parsed and written again.
   */
  *runFindingsJson(runId: number): Generator<string> {
    for (const row of this.#runFindingRows(runId)) {
      const data = text(row, "data");
      if (oneOf(row, "state", LIFECYCLES) === "resolved" || data.length < 3 || data.includes('"lifecycle":'))
        yield JSON.stringify(toStoredFinding(row));
      else yield `${data.slice(0, -1)},"lifecycle":${JSON.stringify(toLifecycle(row))}}`;
    }
  }

  #runFindingRows(runId: number): Iterable<Row> {
    // A run still running has none yet: the changes its rows hold are provisional until finishRun checks them.
    if (this.run(runId)?.status === "running") return [];
    // The run's copy of each finding (rf.data) with the lifecycle columns, not f.* with its own copy of the finding:
    // every column selected goes through the sort, and f.data doubled its bytes (a 1,000-account run's 119,000).
    const sql = `SELECT rf.data, rf.change AS state, f.first_seen, f.last_seen, f.first_run, f.last_run, f.resolved_at,
                        f.resolved_run, f.reopened
                 FROM run_findings rf JOIN findings f ON f.id = rf.finding_id
                 WHERE rf.run_id = ?
                 ORDER BY rf.change = 'resolved', ${SEVERITY_ORDER.replace("severity", "rf.severity")}, rf.rule_id, f.subject_id`;
    return this.#statement(sql).iterate(runId);
  }

  *runAssets(runId: number): Generator<InventoryItem> {
    for (const row of this.#runAssetRows(runId)) yield inventoryItem(row);
  }

  /** `JSON.stringify` of each of runAssets: the text `record` wrote with JSON.stringify, as it is. */
  *runAssetsJson(runId: number): Generator<string> {
    for (const row of this.#runAssetRows(runId)) yield text(row, "data");
  }

  #runAssetRows(runId: number): Iterable<Row> {
    return this.#statement("SELECT data FROM run_assets WHERE run_id = ? ORDER BY identity").iterate(runId);
  }

  runGaps(runId: number): RecordedGap[] {
    return this.#statement("SELECT * FROM run_gaps WHERE run_id = ? ORDER BY provider, account, region, service, code")
      .all(runId)
      .map(toGap);
  }

  runTargets(runId: number): (TargetRecord & { status: TargetStatus; assets: number })[] {
    return this.#statement("SELECT * FROM run_targets WHERE run_id = ? ORDER BY target_key")
      .all(runId)
      .map((row) => {
        const region = optionalText(row, "region");
        return {
          key: text(row, "target_key"),
          provider: oneOf(row, "provider", PROVIDERS),
          account: text(row, "account"),
          ...(region === undefined ? {} : { region }),
          label: text(row, "label"),
          status: oneOf(row, "status", TARGET_STATUSES),
          assets: integer(row, "assets"),
        };
      });
  }

  /** SQL with bound parameters, for the query and retention modules. */
  all(sql: string, params: readonly SQLInputValue[] = []): Row[] {
    return this.db.prepare(sql).all(...params);
  }

  *iterate(sql: string, params: readonly SQLInputValue[] = []): Generator<Row> {
    yield* this.db.prepare(sql).iterate(...params);
  }
}

export function openStore(path: string, options: StoreOptions = {}): Store {
  return new Store(path, options);
}

/** The store's connection: WAL and migrated for writing; read-only for reading (after migrating an older store). */
function openDatabase(path: string, access: StoreAccess, timeout: number): DatabaseSync {
  let db: DatabaseSync | undefined;
  try {
    if (access === "read") {
      db = new DatabaseSync(path, { readOnly: true, timeout, enableForeignKeyConstraints: true });
      const version = schemaVersion(db);
      refuseNewer(version, path);
      if (version === 0) {
        throw new AigovError(
          "STORE_NOT_AIGOV",
          `${path} holds no aigov history: run \`aigov sweep\` first, or pass --store`,
          {
            hint: "it has no aigov schema version: point --store (or AIGOV_STORE) at the file `aigov sweep` writes",
          },
        );
      }
      if (version === SCHEMA_VERSION) return db;
      // A store an earlier aigov wrote: migrated once, under the write lock, then read as usual.
      db.close();
      openWritable(path, timeout).close();
      db = new DatabaseSync(path, { readOnly: true, timeout, enableForeignKeyConstraints: true });
      return db;
    }
    db = openWritable(path, timeout);
    return db;
  } catch (error) {
    if (db?.isOpen === true) db.close();
    if (error instanceof AigovError) throw error;
    throw new AigovError(
      "STORE_OPEN_FAILED",
      `cannot open the store ${path}: ${error instanceof Error ? error.message : String(error)}`,
      { hint: "check the path (--store, AIGOV_STORE) and that the file is an aigov store", cause: error },
    );
  }
}

function openWritable(path: string, timeout: number): DatabaseSync {
  const db = new DatabaseSync(path, { timeout, enableForeignKeyConstraints: true });
  try {
    db.exec("PRAGMA journal_mode = WAL");
    // NORMAL is crash-safe in WAL mode (a killed process loses nothing committed); only power loss can drop the last commit.
    db.exec("PRAGMA synchronous = NORMAL");
    // Pages go back from the log into the file when the log reaches 40 MB, not SQLite's 4 MB: each of those
    // checkpoints copies the pages written since the last (a page written again in between, once) and waits for the
    // disk twice, on the sweep's thread. Replaying a 1,000-account sweep's writes (5,004 transactions, 183 MB of
    // findings and assets) took 5.1–5.5 s instead of 7.4–8.0 s.
    db.exec("PRAGMA wal_autocheckpoint = 10000");
    migrate(db, path);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

function toRun(row: Row): RunRecord {
  const finishedAt = optionalText(row, "finished_at");
  const shard = optionalText(row, "shard");
  const label = optionalText(row, "label");
  const summary = optionalText(row, "summary");
  return {
    id: integer(row, "id"),
    startedAt: text(row, "started_at"),
    ...(finishedAt === undefined ? {} : { finishedAt }),
    status: oneOf(row, "status", RUN_STATUSES),
    host: text(row, "host"),
    pid: integer(row, "pid"),
    ...(shard === undefined ? {} : { shard }),
    ...(label === undefined ? {} : { label }),
    targetsTotal: integer(row, "targets_total"),
    targetsDone: integer(row, "targets_done"),
    assets: integer(row, "assets"),
    apiCalls: integer(row, "api_calls"),
    errors: integer(row, "errors"),
    ...(summary === undefined ? {} : { summary: JSON.parse(summary) }),
  };
}

/** A row of run_gaps. */
export function toGap(row: Row): RecordedGap {
  const region = optionalText(row, "region");
  const operation = optionalText(row, "operation");
  return {
    provider: oneOf(row, "provider", PROVIDERS),
    account: text(row, "account"),
    ...(region === undefined ? {} : { region }),
    service: text(row, "service"),
    ...(operation === undefined ? {} : { operation }),
    code: text(row, "code"),
    message: text(row, "message"),
  };
}

/** A row of run_assets: the subject as the scanner produced it, kept as JSON. */
export function inventoryItem(row: Row): InventoryItem {
  // The store wrote this JSON itself (record), from an Asset or a Key.
  return JSON.parse(text(row, "data")) as InventoryItem;
}

/**
 * SQL of what a run's finding does to the lifecycle as it stands: waived (the engine waived it), new (never seen),
 * reopened (resolved before), else open. `status` and `id` are SQL giving the finding's engine status and its id.
 */
function lifecycleChange(status: string, id: string): string {
  return `CASE WHEN ${status} = 'waived' THEN 'waived'
    ELSE coalesce((SELECT CASE f.state WHEN 'resolved' THEN 'reopened' ELSE 'open' END FROM findings f WHERE f.id = ${id}), 'new') END`;
}

/** SQL ordering findings from critical to info (the `severity` column of findings / run_findings). */
export const SEVERITY_ORDER =
  "CASE severity WHEN 'critical' THEN 0 WHEN 'high' THEN 1 WHEN 'medium' THEN 2 WHEN 'low' THEN 3 ELSE 4 END";

/** A row of the findings table (or a run's view of it: `data` and `state` from run_findings). */
export function toStoredFinding(row: Row): StoredFinding {
  // The store wrote this JSON itself, from the engine's Finding.
  const finding = JSON.parse(text(row, "data")) as Finding;
  return { ...finding, lifecycle: toLifecycle(row) };
}

function toLifecycle(row: Row): FindingLifecycle {
  const resolvedAt = optionalText(row, "resolved_at");
  const resolvedRun = optionalInteger(row, "resolved_run");
  return {
    state: oneOf(row, "state", LIFECYCLES),
    firstSeen: text(row, "first_seen"),
    lastSeen: text(row, "last_seen"),
    firstRun: integer(row, "first_run"),
    lastRun: integer(row, "last_run"),
    ...(resolvedAt === undefined ? {} : { resolvedAt }),
    ...(resolvedRun === undefined ? {} : { resolvedRun }),
    reopened: integer(row, "reopened"),
  };
}

function known(value: Maybe<string>): string | null {
  return isUnknown(value) ? null : value;
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return error instanceof Error && "code" in error && error.code === "EPERM";
  }
}
