import type { Finding, Severity } from "@aigov/core";
import type { TagLevel, TaskResultBody, TaskResultOutcome } from "./tfc-client.ts";

/** What judging one plan concluded, in the terms a run task reports. */
export interface PlanVerdict {
  /** 0 pass, 1 blocked by policy, 2 could not judge (the same contract as `aigov gate`). */
  readonly exitCode: 0 | 1 | 2;
  readonly findings: readonly Finding[];
  /** Ids of the findings that block (at or above the threshold, per the policy). */
  readonly blockingIds: ReadonlySet<string>;
  /** AI resources in the plan that were judged. */
  readonly judged: number;
}

/** HCP Terraform shows a task result message of at most this many characters. */
const MESSAGE_LIMIT = 500;
/** Enough outcomes for any real plan; past it HCP Terraform's page becomes unreadable and the payload huge. */
const OUTCOME_LIMIT = 200;
const BODY_LIMIT = 8_000;

const SEVERITY_LEVEL: Record<Severity, TagLevel> = {
  critical: "error",
  high: "error",
  medium: "warning",
  low: "info",
  info: "none",
};

/** The task result for a judged plan: failed when anything blocks, with one outcome per finding. */
export function verdictTaskResult(verdict: PlanVerdict, detailsUrl?: string): TaskResultBody {
  const blocking = verdict.findings.filter((finding) => verdict.blockingIds.has(finding.id));
  const status = verdict.exitCode === 0 && blocking.length === 0 ? "passed" : "failed";
  const ordered = [...blocking, ...verdict.findings.filter((finding) => !verdict.blockingIds.has(finding.id))];
  const outcomes = ordered
    .slice(0, OUTCOME_LIMIT)
    .map((finding) => findingOutcome(finding, verdict.blockingIds.has(finding.id)));
  const omitted = ordered.length - outcomes.length;
  const others = verdict.findings.length - blocking.length;
  let message =
    status === "passed"
      ? `aigov: passed, ${verdict.judged} AI resource(s) judged${others > 0 ? `, ${others} non-blocking finding(s)` : ""}`
      : `aigov: ${blocking.length} blocking finding(s) (${severityCounts(blocking)}) in ${verdict.judged} AI resource(s) judged${others > 0 ? `, ${others} more not blocking` : ""}`;
  if (omitted > 0) message += `; ${omitted} finding(s) not listed`;
  return body(status, message, outcomes, detailsUrl);
}

/** The task result when the plan could not be judged: failed, never passed (fail closed). */
export function errorTaskResult(problem: string): TaskResultBody {
  const outcome: TaskResultOutcome = {
    type: "task-result-outcomes",
    attributes: {
      "outcome-id": "aigov-could-not-judge",
      description: truncate(`aigov could not judge this plan: ${problem}`, 250),
      body: `aigov could not judge this plan, so it fails the run task rather than let it pass unchecked.\n\n\`\`\`\n${truncate(problem, BODY_LIMIT)}\n\`\`\``,
      tags: { Status: [{ label: "Error", level: "error" }] },
    },
  };
  return body("failed", `aigov could not judge the plan: ${problem}`, [outcome]);
}

function body(
  status: "passed" | "failed",
  message: string,
  outcomes: readonly TaskResultOutcome[],
  url?: string,
): TaskResultBody {
  return {
    data: {
      type: "task-results",
      attributes: { status, message: truncate(message, MESSAGE_LIMIT), ...(url === undefined ? {} : { url }) },
      relationships: { outcomes: { data: outcomes } },
    },
  };
}

function findingOutcome(finding: Finding, blocking: boolean): TaskResultOutcome {
  const status =
    finding.status === "waived"
      ? { label: "Waived", level: "info" as const }
      : blocking
        ? { label: "Failed", level: "error" as const }
        : finding.status === "unknown"
          ? { label: "Unknown", level: "warning" as const }
          : { label: "Warning", level: "warning" as const };
  return {
    type: "task-result-outcomes",
    attributes: {
      "outcome-id": finding.id,
      description: truncate(`${finding.ruleId}: ${finding.subject.id}`, 250),
      body: truncate(findingMarkdown(finding, blocking), BODY_LIMIT),
      tags: {
        Status: [status],
        Severity: [{ label: capitalize(finding.severity), level: SEVERITY_LEVEL[finding.severity] }],
      },
      ...(finding.references[0] === undefined ? {} : { url: finding.references[0] }),
    },
  };
}

function findingMarkdown(finding: Finding, blocking: boolean): string {
  const lines = [
    `### ${finding.title}`,
    "",
    `**${finding.subject.id}** (${finding.subject.nativeType}): ${finding.message}`,
    "",
    `- Rule: \`${finding.ruleId}\`, severity ${finding.severity}${blocking ? ", **blocks this run**" : ""}`,
  ];
  if (finding.change !== undefined) lines.push(`- Plan action: ${finding.change.action}`);
  if (finding.waiver !== undefined) {
    lines.push(
      `- Waived by ${finding.waiver.approver}: ${finding.waiver.reason}${finding.waiver.expires === undefined ? "" : ` (expires ${finding.waiver.expires})`}`,
    );
  }
  for (const evidence of finding.evidence) {
    lines.push(
      `- \`${evidence.field}\` is ${JSON.stringify(evidence.value) ?? "absent"}, expected ${evidence.expected}`,
    );
  }
  lines.push("", `**Fix:** ${finding.remediation.text}`);
  if (finding.remediation.terraform !== undefined)
    lines.push("", "```hcl", finding.remediation.terraform.trimEnd(), "```");
  return lines.join("\n");
}

function severityCounts(findings: readonly Finding[]): string {
  const counts = new Map<Severity, number>();
  for (const finding of findings) counts.set(finding.severity, (counts.get(finding.severity) ?? 0) + 1);
  const order: Severity[] = ["critical", "high", "medium", "low", "info"];
  return order
    .filter((severity) => counts.has(severity))
    .map((severity) => `${counts.get(severity)} ${severity}`)
    .join(", ");
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function truncate(text: string, limit: number): string {
  return text.length <= limit ? text : `${text.slice(0, limit - 1)}…`;
}
