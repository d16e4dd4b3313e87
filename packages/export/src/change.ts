import type { Finding } from "@aigov/core";

/**
 * Why a finding is being exported: first seen, changed since the last export, gone from the latest run
 * (resolved), or sent again by `--full`. Formats with a lifecycle (OCSF activity, ASFF record state) use it.
 */
export type ExportChange = "new" | "changed" | "resolved" | "full";

/** Without an export history: a resolved finding closes, anything else is new. */
export function defaultChange(finding: Finding): ExportChange {
  return finding.status === "resolved" ? "resolved" : "new";
}
