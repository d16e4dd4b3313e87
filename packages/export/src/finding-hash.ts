import { type Finding, sha256Hex } from "@aigov/core";

/**
 * A hash of what a SIEM would see change in a finding: everything but `observedAt`, which moves on every run, and
 * the store's `lifecycle` (its last-seen time moves too; only its first-seen time is exported, and that is fixed).
 * Equal hashes mean "unchanged since the last export"; keys are sorted so the hash does not depend on key order.
 */
export function findingHash(finding: Finding): string {
  const { observedAt: _observedAt, lifecycle: _lifecycle, ...content } = finding as Finding & { lifecycle?: unknown };
  return sha256Hex(canonicalJson(content));
}

/** JSON with object keys sorted at every level (arrays keep their order); undefined members are dropped as JSON does. */
function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) => {
    if (item === null || typeof item !== "object" || Array.isArray(item)) return item;
    const sorted: Record<string, unknown> = {};
    for (const key of Object.keys(item).sort()) sorted[key] = (item as Record<string, unknown>)[key];
    return sorted;
  });
}
