import type { DatabaseSync } from "node:sqlite";
import type { FirstSeenStore } from "@aigov/core";

/**
 * `first_seen` groups of aggregate log rules remembered across runs, in the store's SQLite file, so "first use of
 * Bedrock in account X" is reported once, not on every scheduled run. Writes are buffered until `commit()`, which the
 * caller runs after the run's findings are out: a crash never marks a group as seen without having reported it.
 */
export interface PersistentFirstSeen extends FirstSeenStore {
  commit(): void;
}

export function sqliteFirstSeen(db: DatabaseSync): PersistentFirstSeen {
  db.exec(`CREATE TABLE IF NOT EXISTS log_first_seen (
    rule_id TEXT NOT NULL,
    group_key TEXT NOT NULL,
    first_time TEXT NOT NULL,
    PRIMARY KEY (rule_id, group_key)
  )`);
  const select = db.prepare("SELECT 1 FROM log_first_seen WHERE rule_id = ? AND group_key = ?");
  const insert = db.prepare("INSERT OR IGNORE INTO log_first_seen (rule_id, group_key, first_time) VALUES (?, ?, ?)");
  const pending = new Map<string, { ruleId: string; group: string; time: string }>();
  return {
    has: (ruleId, group) => pending.has(`${ruleId}\n${group}`) || select.get(ruleId, group) !== undefined,
    add: (ruleId, group, time) => {
      pending.set(`${ruleId}\n${group}`, { ruleId, group, time });
    },
    commit() {
      db.exec("BEGIN");
      try {
        for (const entry of pending.values()) insert.run(entry.ruleId, entry.group, entry.time);
        db.exec("COMMIT");
      } catch (error) {
        db.exec("ROLLBACK");
        throw error;
      }
      pending.clear();
    },
  };
}
