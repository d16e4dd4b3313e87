import type { ScanNotice } from "@aigov/core";
import type { DataAccessCoverage } from "./collectors/audit-logs.ts";

/** What the user must know about a GCP sweep: where AI use leaves no audit entry. */
export function gcpNotices(dataAccess: DataAccessCoverage): readonly ScanNotice[] {
  if (dataAccess.off.size === 0) return [];
  const places = [...dataAccess.off].sort();
  const shown = places.slice(0, 5).join(", ") + (places.length > 5 ? ` and ${places.length - 5} more` : "");
  return [
    {
      provider: "gcp",
      kind: "coverage",
      code: "data-access-logs-off",
      message: `Data Access audit logs are off for AI APIs in ${places.length} project(s): ${shown}; their prediction and generation calls leave no audit entry, so their usage is invisible to this sweep`,
      hint: "turn on DATA_READ audit logs for aiplatform.googleapis.com / generativelanguage.googleapis.com (or allServices) at the organization, a folder or the project; rule gcp-ai-data-access-logs-disabled lists each project",
    },
  ];
}
