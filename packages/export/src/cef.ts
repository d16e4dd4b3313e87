import type { Finding, Severity } from "@aigov/core";
import { defaultChange, type ExportChange } from "./change.ts";
import { replaceControlChars } from "./control-chars.ts";
import { known } from "./known.ts";
import { PRODUCT } from "./product.ts";

/** CEF's 0–10 severity scale. */
const CEF_SEVERITY: Record<Severity, number> = { info: 1, low: 3, medium: 5, high: 8, critical: 10 };

/** Header fields: backslash and pipe are escaped; a control character (a line break would end the record) becomes a space. */
export function escapeCefHeader(value: string): string {
  return replaceControlChars(value.replace(/\\/g, "\\\\").replace(/\|/g, "\\|"));
}

/**
 * Extension values: backslash and equals are escaped, line breaks become CEF's two-character escapes, and any
 * other control character (CEF defines no escape for it) becomes a space.
 */
export function escapeCefExtension(value: string): string {
  return replaceControlChars(
    value
      .replace(/\\/g, "\\\\")
      .replace(/=/g, "\\=")
      .replace(/\r\n|\n/g, "\\n")
      .replace(/\r/g, "\\r"),
  );
}

/** One CEF:0 record (no syslog header) for one finding; `externalId` is the stable finding id. */
export function cefRecord(finding: Finding, change: ExportChange = defaultChange(finding)): string {
  const header = [
    "CEF:0",
    PRODUCT.vendor,
    PRODUCT.name,
    PRODUCT.version,
    finding.ruleId,
    finding.title,
    String(CEF_SEVERITY[finding.severity]),
  ].map((field, index) => (index === 0 ? field : escapeCefHeader(field)));
  const account = known(finding.subject.account);
  const region = known(finding.subject.region);
  const frameworks = Object.entries(finding.frameworks)
    .map(([framework, controls]) => `${framework}:${controls.join("+")}`)
    .join(" ");
  const extension: [string, string | undefined][] = [
    ["rt", String(Date.parse(finding.observedAt))],
    ["externalId", finding.id],
    ["act", change],
    ["outcome", finding.status],
    ["cat", finding.subject.kind],
    ["msg", finding.message],
    ["cs1Label", "resourceId"],
    ["cs1", finding.subject.id],
    ["cs2Label", "cloudProvider"],
    ["cs2", finding.subject.provider],
    ["cs3Label", "cloudAccount"],
    ["cs3", account],
    ["cs4Label", "cloudRegion"],
    ["cs4", region],
    ["cs5Label", "frameworks"],
    ["cs5", frameworks === "" ? undefined : frameworks],
    ["cs6Label", "remediation"],
    ["cs6", finding.remediation.text],
  ];
  const pairs = extension
    .filter((pair): pair is [string, string] => pair[1] !== undefined && pair[1] !== "")
    // A label without its value would mislabel the next field.
    .filter(([key], index, all) => !key.endsWith("Label") || all[index + 1]?.[0] === key.slice(0, -5))
    .map(([key, value]) => `${key}=${escapeCefExtension(value)}`);
  return `${header.join("|")}|${pairs.join(" ")}`;
}
