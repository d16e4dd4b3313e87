import type { SQLInputValue } from "node:sqlite";
import { type Provider, type RecordedGap, SEVERITIES, type Severity } from "@aigov/core";
import { integer, oneOf, optionalText, text } from "./row.ts";
import {
  type InventoryItem,
  inventoryItem,
  type Lifecycle,
  SEVERITY_ORDER,
  type Store,
  type StoredFinding,
  toGap,
  toStoredFinding,
} from "./store.ts";

/** Filters shared by `aigov inventory` and `aigov findings`; each list matches any of its values. */
export interface QueryFilter {
  readonly provider?: readonly Provider[];
  readonly account?: readonly string[];
  readonly kind?: readonly string[];
}

export interface FindingFilter extends QueryFilter {
  readonly severity?: readonly Severity[];
  /** Lifecycle states, plus `active` (anything not resolved) and `unknown` (the engine could not decide). */
  readonly status?: readonly (Lifecycle | "active" | "unknown")[];
  readonly rule?: readonly string[];
}

export interface InventoryFilter extends QueryFilter {
  /** A run's inventory; default: for every target, the inventory of the newest finished run that covered it. */
  readonly run?: number;
}

/** Builds `col IN (?, ?)` clauses; values are always bound, never spliced. */
class Where {
  readonly clauses: string[] = [];
  readonly params: SQLInputValue[] = [];
  in(column: string, values: readonly string[] | undefined): void {
    if (values === undefined || values.length === 0) return;
    this.clauses.push(`${column} IN (${values.map(() => "?").join(", ")})`);
    this.params.push(...values);
  }
  add(clause: string, ...params: SQLInputValue[]): void {
    this.clauses.push(clause);
    this.params.push(...params);
  }
  toString(): string {
    return this.clauses.length === 0 ? "" : `WHERE ${this.clauses.join(" AND ")}`;
  }
}

/** Per target, the newest finished run that covered it: the combined view of shards writing to one store. */
const LATEST_TARGET_RUNS = `
  SELECT rt.target_key, MAX(rt.run_id) AS run_id FROM run_targets rt JOIN runs r ON r.id = rt.run_id
  WHERE r.status IN ('complete', 'partial') GROUP BY rt.target_key`;

export function* queryInventory(store: Store, filter: InventoryFilter = {}): Generator<InventoryItem> {
  const where = new Where();
  where.in("a.provider", filter.provider);
  where.in("a.account", filter.account);
  where.in("a.kind", filter.kind);
  const sql =
    filter.run === undefined
      ? `SELECT a.data FROM run_assets a JOIN (${LATEST_TARGET_RUNS}) l ON a.run_id = l.run_id AND a.target_key = l.target_key
         ${where} ORDER BY a.provider, a.account, a.region, a.kind, a.id`
      : `SELECT a.data FROM run_assets a ${where.toString() === "" ? "WHERE" : `${where} AND`} a.run_id = ?
         ORDER BY a.provider, a.account, a.region, a.kind, a.id`;
  const params = filter.run === undefined ? where.params : [...where.params, filter.run];
  for (const row of store.iterate(sql, params)) yield inventoryItem(row);
}

export function* queryFindings(store: Store, filter: FindingFilter = {}): Generator<StoredFinding> {
  const where = new Where();
  where.in("provider", filter.provider);
  where.in("account", filter.account);
  where.in("kind", filter.kind);
  where.in("severity", filter.severity);
  where.in("rule_id", filter.rule);
  const statuses = filter.status ?? [];
  if (statuses.length > 0) {
    const states = statuses.filter((status) => status !== "active" && status !== "unknown");
    const any: string[] = [];
    if (states.length > 0) any.push(`state IN (${states.map(() => "?").join(", ")})`);
    if (statuses.includes("active")) any.push("state <> 'resolved'");
    if (statuses.includes("unknown")) any.push("(status = 'unknown' AND state <> 'resolved')");
    where.add(`(${any.join(" OR ")})`, ...states);
  }
  const sql = `SELECT * FROM findings ${where}
    ORDER BY ${SEVERITY_ORDER}, rule_id, subject_id`;
  for (const row of store.iterate(sql, where.params)) yield toStoredFinding(row);
}

/** Coverage gaps as the combined view sees them: per target, those of its newest finished run, plus run-level gaps of the newest run. */
export function currentGaps(store: Store): RecordedGap[] {
  const rows = store.all(
    `SELECT g.* FROM run_gaps g JOIN (${LATEST_TARGET_RUNS}) l ON g.run_id = l.run_id AND g.target_key = l.target_key
     UNION ALL
     SELECT g.* FROM run_gaps g WHERE g.target_key IS NULL AND g.run_id = (SELECT MAX(id) FROM runs WHERE status IN ('complete', 'partial'))
     ORDER BY provider, account, region, service, code`,
  );
  return rows.map(toGap);
}

/** One point per finished run, oldest first: the numbers behind the report's trend charts. */
export interface RunTrend {
  readonly run: number;
  readonly startedAt: string;
  readonly status: string;
  readonly shard?: string;
  readonly assets: number;
  readonly targets: number;
  readonly gaps: number;
  /** Findings the run saw (not resolved), by severity. */
  readonly bySeverity: Readonly<Record<Severity, number>>;
  readonly new: number;
  readonly reopened: number;
  readonly resolved: number;
}

export function runTrends(store: Store, limit = 50): RunTrend[] {
  const runs = store.runs({ limit, status: ["complete", "partial"] }).reverse();
  return runs.map((run) => {
    const bySeverity: Record<Severity, number> = { info: 0, low: 0, medium: 0, high: 0, critical: 0 };
    for (const row of store.all(
      "SELECT severity, COUNT(*) AS n FROM run_findings WHERE run_id = ? AND change <> 'resolved' GROUP BY severity",
      [run.id],
    )) {
      bySeverity[oneOf(row, "severity", SEVERITIES)] = integer(row, "n");
    }
    const changes = store.runChanges(run.id);
    const gaps = Number(store.all("SELECT COUNT(*) AS n FROM run_gaps WHERE run_id = ?", [run.id])[0]?.n ?? 0);
    return {
      run: run.id,
      startedAt: run.startedAt,
      status: run.status,
      ...(run.shard === undefined ? {} : { shard: run.shard }),
      assets: run.assets,
      targets: run.targetsDone,
      gaps,
      bySeverity,
      new: changes.new,
      reopened: changes.reopened,
      resolved: changes.resolved,
    };
  });
}

/** Per target, how its newest finished run went: the coverage view of the report. */
export interface TargetCoverage {
  readonly key: string;
  readonly provider: string;
  readonly account: string;
  readonly region?: string;
  readonly label: string;
  readonly status: string;
  readonly assets: number;
  readonly run: number;
  readonly sweptAt: string;
}

export function currentTargets(store: Store): TargetCoverage[] {
  const rows = store.all(
    `SELECT rt.*, r.started_at FROM run_targets rt JOIN (${LATEST_TARGET_RUNS}) l ON rt.run_id = l.run_id AND rt.target_key = l.target_key
     JOIN runs r ON r.id = rt.run_id ORDER BY rt.provider, rt.account, rt.region`,
  );
  return rows.map((row) => {
    const region = optionalText(row, "region");
    return {
      key: text(row, "target_key"),
      provider: text(row, "provider"),
      account: text(row, "account"),
      ...(region === undefined ? {} : { region }),
      label: text(row, "label"),
      status: text(row, "status"),
      assets: integer(row, "assets"),
      run: integer(row, "run_id"),
      sweptAt: text(row, "started_at"),
    };
  });
}
