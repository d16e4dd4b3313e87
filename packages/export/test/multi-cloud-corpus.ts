import { readFileSync } from "node:fs";
import type { Finding, Subject } from "@aigov/core";

/**
 * The findings of a multi-cloud, multi-account organization as aigov produced them (fixtures/README.md): the demo
 * sweep (five AWS accounts, IAM keys in region `global`, with the store's lifecycle), the gate on a plan with AWS,
 * Azure and GCP resources, and `aigov logs` on Azure activity and GCP audit logs.
 */
export const CORPUS = JSON.parse(
  readFileSync(new URL("./fixtures/multi-cloud-findings.json", import.meta.url), "utf8"),
) as { findings: Finding[]; assets: Subject[] };

/** Strings a collector's parser trips on: every separator and escape of the formats, line breaks, non-ASCII. */
export const HOSTILE = [
  'pipe | backslash \\ equals = quote " bracket ] end',
  "line one\r\nline two\nline three\rend",
  "tab\tnul\u0000 bell\u0007 del\u007f c1\u0085 end",
  "Grüße — 日本語 — emoji 🤖 — RTL שלום",
  "trailing backslash \\",
  "CEF:0|fake|header|1|x|y|10|cs1=injected",
  '<13>1 2026-01-01T00:00:00Z fake - - - [injected@1 a="b"] fake',
] as const;

function hostile(index: number): string {
  return HOSTILE[index % HOSTILE.length]!;
}

/**
 * About 1,000 findings: every corpus finding, then variants of each with hostile strings in its names, ids,
 * title, message, evidence and waiver, Azure's longest region name, and every status and change.
 */
export function hostileCorpus(copies = 6): Finding[] {
  const findings: Finding[] = [...CORPUS.findings];
  CORPUS.findings.forEach((finding, index) => {
    for (let copy = 0; copy < copies; copy += 1) {
      const text = hostile(index + copy);
      const status = (["open", "waived", "unknown", "resolved"] as const)[copy % 4]!;
      const azure = finding.subject.provider === "azure";
      findings.push({
        ...finding,
        id: `${finding.id.slice(0, 24)}${String(copy).padStart(8, "0")}`,
        title: `${finding.title} ${text}`,
        message: `${finding.message} ${text}`,
        status,
        subject: {
          ...finding.subject,
          id: `${finding.subject.id}/${text}`,
          name: `${finding.subject.name} ${text}`,
          ...(azure ? { region: "germanywestcentral" } : {}),
        },
        evidence: [
          ...finding.evidence,
          { field: "principal", value: `arn:aws:iam::100000000001:user/${text}`, expected: text },
          { field: "sourceIp", value: copy % 2 === 0 ? "203.0.113.7" : "2001:db8::7", expected: "known ranges" },
          { field: "hostile", value: { nested: [text, 1, true, null] }, expected: text },
        ],
        remediation: { ...finding.remediation, text: `${finding.remediation.text} ${text}` },
        ...(status === "waived"
          ? { waiver: { reason: `accepted risk ${text}`, approver: `ciso@example.com ${text}`, expired: false } }
          : {}),
      });
    }
  });
  return findings;
}
