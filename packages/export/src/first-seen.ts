import type { Finding } from "@aigov/core";

/**
 * When aigov first saw the finding: the store's `lifecycle.firstSeen` when the finding comes from a stored run
 * (sweep, `aigov export` of the last run), else its `observedAt`. Formats with a creation time (ASFF `CreatedAt`,
 * OCSF `first_seen_time`) use it, so a re-export or a resolve never moves a finding's creation to now.
 */
export function firstSeenAt(finding: Finding): string {
  const lifecycle = (finding as { readonly lifecycle?: { readonly firstSeen?: unknown } }).lifecycle;
  const firstSeen = lifecycle?.firstSeen;
  return typeof firstSeen === "string" && !Number.isNaN(Date.parse(firstSeen)) ? firstSeen : finding.observedAt;
}
