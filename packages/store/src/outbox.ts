import type { DatabaseSync } from "node:sqlite";
import { integer, oneOf, optionalText, type Row, text } from "./row.ts";
import type { Store } from "./store.ts";

/**
 * The durable export outbox. Every record meant for a sink is written here (in one transaction with the
 * per-sink export state) BEFORE it is sent, and marked delivered only after the sink acknowledged it, so a
 * sink that is down, a crash or a SIGKILL loses nothing: the next run sends what is still pending
 * (at-least-once; records keep their stable id so the SIEM deduplicates).
 *
 * It lives in the store's file (its tables come with the store's migrations, migrations.ts); retention's `prune`
 * drops old delivered entries. It knows nothing about findings: a record is an id, a content hash and an opaque
 * payload.
 */

/** One thing to export: `id` is stable across runs, `hash` changes when its content does. */
export interface OutboxRecord {
  readonly id: string;
  readonly hash: string;
  readonly payload: string;
  /** The record says it is resolved (a finding the store closed): exported as "resolved", and not resolved again when it disappears. */
  readonly resolved?: boolean;
}

/** A record offered to `enqueue`: its payload may be built only when it is actually enqueued (most are unchanged). */
export interface OutboxCandidate extends Omit<OutboxRecord, "payload"> {
  readonly payload: string | (() => string);
}

const CHANGE_KINDS = ["new", "changed", "resolved", "full"] as const;
export type ChangeKind = (typeof CHANGE_KINDS)[number];

export interface OutboxEntry {
  /** Position in the outbox: entries are delivered in this order. */
  readonly seq: number;
  readonly sink: string;
  readonly id: string;
  readonly hash: string;
  readonly payload: string;
  readonly change: ChangeKind;
  readonly attempts: number;
  readonly lastError: string | null;
}

export interface EnqueueSummary {
  readonly new: number;
  readonly changed: number;
  readonly resolved: number;
  readonly unchanged: number;
  /** Entries enqueued by this call (new + changed + resolved, or every record with `full`). */
  readonly enqueued: number;
}

export interface EnqueueOptions {
  /** Send every current record again, not only what changed since the last export. */
  readonly full?: boolean;
  /**
   * Builds the record sent when something exported before is gone from the current set (a resolved
   * finding), from the payload last exported for it. Without it, disappearances are not exported.
   */
  readonly resolved?: (previous: OutboxRecord) => OutboxRecord;
}

interface StateRow {
  readonly hash: string;
  readonly resolved: boolean;
  /** The outbox entry last enqueued for the record. */
  readonly seq: number;
}

export class Outbox {
  readonly #store: Store;
  readonly #db: DatabaseSync;
  readonly #now: () => Date;

  constructor(store: Store, options: { now?: () => Date } = {}) {
    this.#store = store;
    this.#db = store.db;
    this.#now = options.now ?? (() => new Date());
  }

  /**
   * Compares `current` with what was last exported to `sink` and enqueues what is new, changed or gone
   * (resolved), or everything with `full`, updating the export state in the same transaction.
   */
  enqueue(sink: string, current: Iterable<OutboxCandidate>, options: EnqueueOptions = {}): EnqueueSummary {
    const now = this.#now().toISOString();
    const counts = { new: 0, changed: 0, resolved: 0, unchanged: 0, enqueued: 0 };
    const previous = new Map<string, StateRow>();
    // Only ids and hashes: payloads stay on disk unless a record turns out to be resolved.
    for (const row of this.#db
      .prepare("SELECT record_id, hash, resolved, seq FROM export_state WHERE sink = ?")
      .all(sink)) {
      previous.set(text(row, "record_id"), {
        hash: text(row, "hash"),
        resolved: integer(row, "resolved") === 1,
        seq: integer(row, "seq"),
      });
    }
    const insert = this.#db.prepare(
      "INSERT INTO export_outbox (sink, record_id, hash, change, enqueued_at) VALUES (?, ?, ?, ?, ?)",
    );
    const insertPayload = this.#db.prepare("INSERT INTO export_outbox_payload (seq, payload) VALUES (?, ?)");
    const upsert = this.#db.prepare(
      `INSERT INTO export_state (sink, record_id, hash, resolved, seq, updated_at) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (sink, record_id) DO UPDATE SET hash = excluded.hash, resolved = excluded.resolved,
         seq = excluded.seq, updated_at = excluded.updated_at`,
    );
    const payloadOf = this.#db.prepare("SELECT payload FROM export_outbox_payload WHERE seq = ?");
    const put = (record: OutboxCandidate, change: ChangeKind, resolved: 0 | 1): void => {
      const payload = typeof record.payload === "function" ? record.payload() : record.payload;
      const seq = Number(insert.run(sink, record.id, record.hash, change, now).lastInsertRowid);
      insertPayload.run(seq, payload);
      upsert.run(sink, record.id, record.hash, resolved, seq, now);
      counts.enqueued += 1;
    };
    this.#store.transaction(() => {
      const seen = new Set<string>();
      for (const record of current) {
        if (seen.has(record.id)) continue;
        seen.add(record.id);
        const before = previous.get(record.id);
        const closed = record.resolved === true;
        let kind: ChangeKind | undefined;
        if (before === undefined) kind = closed ? "resolved" : "new";
        else if (before.resolved) kind = closed ? undefined : "new";
        else if (closed) kind = "resolved";
        else kind = before.hash !== record.hash ? "changed" : undefined;
        if (kind === undefined) counts.unchanged += 1;
        else counts[kind] += 1;
        const change = kind ?? (options.full === true ? "full" : undefined);
        if (change !== undefined) put(record, change, closed ? 1 : 0);
      }
      if (options.resolved === undefined) return;
      for (const [id, before] of previous) {
        if (seen.has(id) || before.resolved) continue;
        const row = payloadOf.get(before.seq);
        if (row === undefined) continue;
        put(options.resolved({ id, hash: before.hash, payload: text(row, "payload") }), "resolved", 1);
        counts.resolved += 1;
      }
    });
    return counts;
  }

  /** The oldest undelivered entries of `sink`, in enqueue order. */
  pending(sink: string, limit: number): OutboxEntry[] {
    const rows = this.#db
      .prepare(
        `SELECT o.seq, o.sink, o.record_id, o.hash, p.payload, o.change, o.attempts, o.last_error
         FROM export_outbox o JOIN export_outbox_payload p ON p.seq = o.seq
         WHERE o.sink = ? AND o.delivered_at IS NULL AND o.rejected_at IS NULL ORDER BY o.seq LIMIT ?`,
      )
      .all(sink, limit);
    return rows.map(toEntry);
  }

  /** How many entries of `sink` wait for delivery. */
  pendingCount(sink: string): number {
    const row = this.#db
      .prepare(
        "SELECT COUNT(*) AS n FROM export_outbox WHERE sink = ? AND delivered_at IS NULL AND rejected_at IS NULL",
      )
      .get(sink);
    return row === undefined ? 0 : integer(row, "n");
  }

  /** The sink acknowledged these entries: they are never sent again. */
  markDelivered(seqs: readonly number[]): void {
    if (seqs.length === 0) return;
    const now = this.#now().toISOString();
    // One statement for the whole batch: the seqs travel as a JSON array.
    this.#db
      .prepare(
        "UPDATE export_outbox SET delivered_at = ?, attempts = attempts + 1 WHERE seq IN (SELECT value FROM json_each(?))",
      )
      .run(now, JSON.stringify(seqs));
  }

  /**
   * The sink refused these entries for good (a record it cannot accept, not a service failure): they leave the
   * queue with the reason, so one bad record cannot block every later export. A later change re-enqueues it.
   */
  markRejected(seqs: readonly number[], reason: string): void {
    if (seqs.length === 0) return;
    this.#db
      .prepare(
        "UPDATE export_outbox SET rejected_at = ?, attempts = attempts + 1, last_error = ? WHERE seq IN (SELECT value FROM json_each(?))",
      )
      .run(this.#now().toISOString(), reason, JSON.stringify(seqs));
  }

  /** A delivery attempt failed: the entries stay pending and remember why. */
  recordFailure(seqs: readonly number[], error: string): void {
    if (seqs.length === 0) return;
    this.#db
      .prepare(
        "UPDATE export_outbox SET attempts = attempts + 1, last_error = ? WHERE seq IN (SELECT value FROM json_each(?))",
      )
      .run(error, JSON.stringify(seqs));
  }

  /**
   * Deletes delivered and rejected entries older than `before`, except each record's latest entry (change
   * detection builds a "resolved" from its payload).
   */
  prune(before: Date): number {
    return this.#store.transaction(() => {
      const result = this.#db
        .prepare(
          `DELETE FROM export_outbox WHERE (delivered_at < ? OR rejected_at < ?)
           AND seq NOT IN (SELECT seq FROM export_state)`,
        )
        .run(before.toISOString(), before.toISOString());
      this.#db.exec("DELETE FROM export_outbox_payload WHERE seq NOT IN (SELECT seq FROM export_outbox)");
      return Number(result.changes);
    });
  }
}

function toEntry(row: Row): OutboxEntry {
  return {
    seq: integer(row, "seq"),
    sink: text(row, "sink"),
    id: text(row, "record_id"),
    hash: text(row, "hash"),
    payload: text(row, "payload"),
    change: oneOf(row, "change", CHANGE_KINDS),
    attempts: integer(row, "attempts"),
    lastError: optionalText(row, "last_error") ?? null,
  };
}
