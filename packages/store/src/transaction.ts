import type { DatabaseSync } from "node:sqlite";

/**
 * Runs `work` in one write transaction on `db`: committed when it returns, rolled back when it throws. The one
 * transaction helper of the store's file: migrations, runs, the export outbox and the log read state all use it.
 * BEGIN IMMEDIATE takes the write lock up front, so two writers queue on the busy timeout instead of deadlocking
 * when both try to upgrade a read lock.
 */
export function inTransaction<T>(db: DatabaseSync, work: () => T): T {
  db.exec("BEGIN IMMEDIATE");
  try {
    const result = work();
    db.exec("COMMIT");
    return result;
  } catch (error) {
    if (db.isTransaction) db.exec("ROLLBACK");
    throw error;
  }
}
