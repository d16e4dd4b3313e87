import type { Store } from "@aigov/store";

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
 * The per-source read state of `aigov logs`, in the store's `log_read_state` table, so a scheduled run reads only new
 * logs. Keyed by the object's identity (`file:/path`, `s3://bucket/key`, `gs://…`, blob URL). Marks are buffered until
 * `commit()`: a run that dies before reporting re-reads its objects next time instead of losing them.
 */
export function storeReadState(store: Store): PersistentReadState {
  const select = store.db.prepare("SELECT size, version, offset, line FROM log_read_state WHERE source = ?");
  const upsert = store.db.prepare(
    `INSERT INTO log_read_state (source, size, version, offset, line, read_at) VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT(source) DO UPDATE SET size = excluded.size, version = excluded.version, offset = excluded.offset,
       line = excluded.line, read_at = excluded.read_at`,
  );
  const pending = new Map<string, ReadMark>();
  return {
    get(source) {
      const buffered = pending.get(source);
      if (buffered !== undefined) return buffered;
      const row = select.get(source);
      if (row === undefined) return undefined;
      const { size, version, offset, line } = row;
      // A row this table never holds (the file was edited by hand): no mark, so the object is read again in full.
      if (typeof version !== "string" || typeof offset !== "number" || typeof line !== "number") return undefined;
      return { ...(typeof size === "number" ? { size } : {}), version, offset, line };
    },
    set(source, mark) {
      pending.set(source, mark);
    },
    commit() {
      const now = new Date().toISOString();
      store.transaction(() => {
        for (const [source, mark] of pending)
          upsert.run(source, mark.size ?? null, mark.version, mark.offset, mark.line, now);
      });
      pending.clear();
    },
  };
}
