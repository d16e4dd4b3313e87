import type { DatabaseSync } from "node:sqlite";

/** What was read of one log object: enough to skip it when unchanged, or to resume an appended file. */
export interface ReadMark {
  readonly size?: number;
  /** mtime, ETag or generation: a change means the object must be read again. */
  readonly version: string;
  /** Stream offset after the last complete line read (0 when the object cannot be resumed). */
  readonly offset: number;
  readonly line: number;
}

export interface ReadState {
  get(source: string): ReadMark | undefined;
  set(source: string, mark: ReadMark): void;
}

/** A read state whose marks are written only on `commit()`, after the run's results are out. */
export interface PersistentReadState extends ReadState {
  commit(): void;
}

/**
 * The per-source read state of `aigov logs`, in its own table of the store's SQLite file, so a scheduled run reads
 * only new logs. Keyed by the object's identity (`file:/path`, `s3://bucket/key`, `gs://…`, blob URL). Marks are
 * buffered until `commit()`: a run that dies before reporting re-reads its objects next time instead of losing them.
 */
export function sqliteReadState(db: DatabaseSync): PersistentReadState {
  db.exec(`CREATE TABLE IF NOT EXISTS log_read_state (
    source TEXT PRIMARY KEY,
    size INTEGER,
    version TEXT NOT NULL,
    offset INTEGER NOT NULL,
    line INTEGER NOT NULL,
    read_at TEXT NOT NULL
  )`);
  const select = db.prepare("SELECT size, version, offset, line FROM log_read_state WHERE source = ?");
  const upsert = db.prepare(
    `INSERT INTO log_read_state (source, size, version, offset, line, read_at) VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT(source) DO UPDATE SET size = excluded.size, version = excluded.version, offset = excluded.offset,
       line = excluded.line, read_at = excluded.read_at`,
  );
  const pending = new Map<string, ReadMark>();
  return {
    get(source) {
      const buffered = pending.get(source);
      if (buffered !== undefined) return buffered;
      const row = select.get(source) as
        | { size: number | null; version: string; offset: number; line: number }
        | undefined;
      if (row === undefined) return undefined;
      return {
        ...(row.size === null ? {} : { size: Number(row.size) }),
        version: row.version,
        offset: Number(row.offset),
        line: Number(row.line),
      };
    },
    set(source, mark) {
      pending.set(source, mark);
    },
    commit() {
      const now = new Date().toISOString();
      db.exec("BEGIN");
      try {
        for (const [source, mark] of pending)
          upsert.run(source, mark.size ?? null, mark.version, mark.offset, mark.line, now);
        db.exec("COMMIT");
      } catch (error) {
        db.exec("ROLLBACK");
        throw error;
      }
      pending.clear();
    },
  };
}
