import type { FirstSeenStore } from "@aigov/core";
import type { Store } from "@aigov/store";

/**
 * `first_seen` groups of aggregate log rules remembered across runs, in the store's `log_first_seen` table, so "first use of
 * Bedrock in account X" is reported once, not on every scheduled run. Writes are buffered until `commit()`, which the
 * caller runs after the run's findings are out: a crash never marks a group as seen without having reported it.
 */
export interface PersistentFirstSeen extends FirstSeenStore {
  commit(): void;
}

export function storeFirstSeen(store: Store): PersistentFirstSeen {
  const select = store.db.prepare("SELECT 1 FROM log_first_seen WHERE rule_id = ? AND group_key = ?");
  const insert = store.db.prepare(
    "INSERT OR IGNORE INTO log_first_seen (rule_id, group_key, first_time) VALUES (?, ?, ?)",
  );
  const pending = new Map<string, { ruleId: string; group: string; time: string }>();
  return {
    has: (ruleId, group) => pending.has(`${ruleId}\n${group}`) || select.get(ruleId, group) !== undefined,
    add: (ruleId, group, time) => {
      pending.set(`${ruleId}\n${group}`, { ruleId, group, time });
    },
    commit() {
      store.transaction(() => {
        for (const entry of pending.values()) insert.run(entry.ruleId, entry.group, entry.time);
      });
      pending.clear();
    },
  };
}
