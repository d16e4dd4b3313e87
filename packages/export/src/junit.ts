import type { Finding } from "@aigov/core";

export interface JunitOptions {
  /** The test suite's name, e.g. `aigov gate plan.json`. */
  readonly suite: string;
  /** Ids of findings that block (gate) or fail (sweep); open findings not in it are reported as passed-with-output. */
  readonly blocking?: ReadonlySet<string>;
  /** ISO-8601 time of the run. */
  readonly timestamp?: string;
}

function xml(text: string): string {
  // XML 1.0 forbids most control characters even escaped; drop them.
  return text
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, "")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&apos;");
}

/**
 * JUnit XML (the Jenkins/GitLab/Azure DevOps dialect): one testcase per finding, classname = rule id.
 * Blocking findings are failures; waived and unknown-but-not-blocking are skipped with the reason; a run without
 * findings is one passing testcase, so CI shows that the check ran.
 */
export function toJunit(findings: readonly Finding[], options: JunitOptions): string {
  const blocking =
    options.blocking ?? new Set(findings.filter((finding) => finding.status === "open").map((finding) => finding.id));
  const cases: string[] = [];
  let failures = 0;
  let skipped = 0;
  for (const finding of findings) {
    const name = `${finding.subject.id}`;
    const open = `    <testcase classname="${xml(finding.ruleId)}" name="${xml(name)}" file="${xml(finding.source?.file ?? "")}">`;
    const detail = `${finding.message}\nseverity: ${finding.severity}\nfix: ${finding.remediation.text}`;
    if (blocking.has(finding.id)) {
      failures++;
      cases.push(
        `${open}\n      <failure type="${xml(finding.severity)}" message="${xml(finding.message)}">${xml(detail)}</failure>\n    </testcase>`,
      );
    } else if (finding.status === "waived" || finding.status === "unknown") {
      skipped++;
      const why =
        finding.status === "waived" && finding.waiver !== undefined
          ? `waived: ${finding.waiver.reason} (approver ${finding.waiver.approver}${finding.waiver.expires === undefined ? "" : `, expires ${finding.waiver.expires}`})`
          : finding.message;
      cases.push(`${open}\n      <skipped message="${xml(why)}"/>\n    </testcase>`);
    } else {
      cases.push(`${open}\n      <system-out>${xml(`not blocking: ${detail}`)}</system-out>\n    </testcase>`);
    }
  }
  if (findings.length === 0) cases.push(`    <testcase classname="aigov" name="no findings"/>`);
  const tests = Math.max(findings.length, 1);
  const stamp = options.timestamp === undefined ? "" : ` timestamp="${xml(options.timestamp.replace(/\.\d+Z$/, ""))}"`;
  return [
    `<?xml version="1.0" encoding="UTF-8"?>`,
    `<testsuites name="aigov" tests="${tests}" failures="${failures}" errors="0" skipped="${skipped}">`,
    `  <testsuite name="${xml(options.suite)}" tests="${tests}" failures="${failures}" errors="0" skipped="${skipped}"${stamp}>`,
    ...cases,
    "  </testsuite>",
    "</testsuites>",
    "",
  ].join("\n");
}
