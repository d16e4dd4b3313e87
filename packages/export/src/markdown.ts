import { type Finding, formatValue, severityRank } from "@aigov/core";

export interface MarkdownOptions {
  /** Heading, e.g. `aigov gate`. */
  readonly title: string;
  /** Ids of findings that block; when absent, open findings block. */
  readonly blocking?: ReadonlySet<string>;
  /** Lines shown under the verdict (what was read, the threshold …). */
  readonly notes?: readonly string[];
  /** At most this many rows per table (GitHub comments are limited to 65,536 characters). */
  readonly maxRows?: number;
}

/** Table cells: no pipes or newlines, which would break the row. */
function cell(text: string): string {
  return text.replace(/\|/g, "\\|").replace(/\r?\n/g, " ").trim();
}

function why(finding: Finding): string {
  if (finding.evidence.length === 0) return finding.message;
  return finding.evidence
    .slice(0, 3)
    .map((item) => `\`${item.field}\` = ${formatValue(item.value)}`)
    .join(", ");
}

function table(findings: readonly Finding[], maxRows: number): string[] {
  const rows = [...findings].sort(
    (a, b) => severityRank(b.severity) - severityRank(a.severity) || a.subject.id.localeCompare(b.subject.id),
  );
  const lines = ["| Resource | Rule | Severity | Why | Fix |", "|---|---|---|---|---|"];
  for (const finding of rows.slice(0, maxRows)) {
    lines.push(
      `| \`${cell(finding.subject.id)}\` | ${cell(finding.title)} (\`${finding.ruleId}\`) | ${finding.severity} | ${cell(why(finding))} | ${cell(finding.remediation.text)} |`,
    );
  }
  if (rows.length > maxRows) lines.push(`| … | ${rows.length - maxRows} more | | | |`);
  return lines;
}

/** A markdown summary for a PR comment or `$GITHUB_STEP_SUMMARY`: verdict, blocking findings, then the rest folded. */
export function toMarkdown(findings: readonly Finding[], options: MarkdownOptions): string {
  const maxRows = options.maxRows ?? 100;
  const blockingIds =
    options.blocking ?? new Set(findings.filter((finding) => finding.status === "open").map((finding) => finding.id));
  const blocking = findings.filter((finding) => blockingIds.has(finding.id));
  const waived = findings.filter((finding) => finding.status === "waived");
  const other = findings.filter((finding) => !blockingIds.has(finding.id) && finding.status !== "waived");
  const verdict =
    blocking.length > 0
      ? `**Blocked**: ${blocking.length} finding${blocking.length === 1 ? "" : "s"} must be fixed or waived.`
      : "**Passed**: nothing blocks.";
  const lines = [`## ${blocking.length > 0 ? "❌" : "✅"} ${cell(options.title)}`, "", verdict, ""];
  for (const note of options.notes ?? []) lines.push(`- ${note}`);
  if ((options.notes ?? []).length > 0) lines.push("");
  if (blocking.length > 0) lines.push("### Blocking", "", ...table(blocking, maxRows), "");
  if (other.length > 0)
    lines.push(
      `<details><summary>Not blocking (${other.length})</summary>`,
      "",
      ...table(other, maxRows),
      "",
      "</details>",
      "",
    );
  if (waived.length > 0) {
    lines.push(
      `<details><summary>Waived (${waived.length})</summary>`,
      "",
      "| Resource | Rule | Reason | Approver | Expires |",
      "|---|---|---|---|---|",
    );
    for (const finding of waived.slice(0, maxRows)) {
      const waiver = finding.waiver;
      lines.push(
        `| \`${cell(finding.subject.id)}\` | \`${finding.ruleId}\` | ${cell(waiver?.reason ?? "")} | ${cell(waiver?.approver ?? "")} | ${waiver?.expires ?? "never"} |`,
      );
    }
    lines.push("", "</details>", "");
  }
  return `${lines.join("\n").trimEnd()}\n`;
}
