import { hostname } from "node:os";
import type { Finding, Severity } from "@aigov/core";
import { cefRecord } from "./cef.ts";
import { defaultChange, type ExportChange } from "./change.ts";
import { replaceControlChars } from "./control-chars.ts";
import { known } from "./known.ts";
import { PRODUCT } from "./product.ts";

export interface SyslogOptions {
  /** RFC 5424 facility 0–23; default 13 (log audit). */
  readonly facility?: number;
  /** HOSTNAME field; default this machine's name. */
  readonly hostname?: string;
  /** MSG body: a CEF record, or the finding's message with the facts as structured data. */
  readonly body?: "cef" | "rfc5424";
}

/** RFC 5424 severities: critical findings are `crit`, info findings `informational`. */
const SYSLOG_SEVERITY: Record<Severity, number> = { critical: 2, high: 3, medium: 4, low: 5, info: 6 };

/**
 * The private enterprise number of our structured-data id. 32473 is reserved for documentation (RFC 5612);
 * collectors key on the SD-ID string, so it only has to be stable.
 */
const SD_ID = "aigov@32473";

/**
 * SD-PARAM values escape `"`, `\` and `]` (RFC 5424 section 6.3.3). RFC 5424 has no escape for a control
 * character, and a line break would split the record for a collector or a file read line by line, so each
 * becomes a space.
 */
function escapeParam(value: string): string {
  return replaceControlChars(value.replace(/[\\"\]]/g, (match) => `\\${match}`));
}

/** RFC 5424 section 6.4: a MSG in UTF-8 starts with the BOM; an all-ASCII MSG goes without it (MSG-ANY). */
const BOM = "\ufeff";

function messageBody(text: string): string {
  return /^[\x00-\x7f]*$/.test(text) ? text : `${BOM}${text}`;
}

/** HOSTNAME, APP-NAME and MSGID are printable US-ASCII without spaces; anything else becomes `_`. */
function headerToken(value: string, max: number): string {
  const token = value.replace(/[^\x21-\x7e]/g, "_").slice(0, max);
  return token === "" ? "-" : token;
}

/** One RFC 5424 syslog message for one finding (no transport framing). */
export function syslogMessage(
  finding: Finding,
  options: SyslogOptions = {},
  change: ExportChange = defaultChange(finding),
): string {
  const facility = options.facility ?? 13;
  const pri = facility * 8 + SYSLOG_SEVERITY[finding.severity];
  const timestamp = new Date(Date.parse(finding.observedAt)).toISOString();
  const host = headerToken(options.hostname ?? hostname(), 255);
  if (options.body === "cef") {
    return `<${pri}>1 ${timestamp} ${host} ${PRODUCT.name} - CEF - ${messageBody(cefRecord(finding, change))}`;
  }
  const params: [string, string | undefined][] = [
    ["id", finding.id],
    ["rule", finding.ruleId],
    ["severity", finding.severity],
    ["status", finding.status],
    ["change", change],
    ["provider", finding.subject.provider],
    ["account", known(finding.subject.account)],
    ["region", known(finding.subject.region)],
    ["resource", finding.subject.id],
  ];
  const sd = params
    .filter((pair): pair is [string, string] => pair[1] !== undefined)
    .map(([name, value]) => `${name}="${escapeParam(value)}"`)
    .join(" ");
  // The message is one line: a newline inside it would split the record for line-based collectors.
  const msg = replaceControlChars(`${finding.title}: ${finding.message}`);
  return `<${pri}>1 ${timestamp} ${host} ${PRODUCT.name} - finding [${SD_ID} ${sd}] ${messageBody(msg)}`;
}

/** RFC 5425 / RFC 6587 octet counting: `LEN SP MSG`, LEN in bytes, for TLS and TCP transports. */
export function octetCounted(message: string): string {
  return `${Buffer.byteLength(message, "utf8")} ${message}`;
}
