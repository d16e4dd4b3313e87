import type { Finding, Severity } from "@aigov/core";
import { defaultChange, type ExportChange } from "./change.ts";
import { known } from "./known.ts";
import { PRODUCT } from "./product.ts";

/** The Elastic Common Schema version the documents follow. */
export const ECS_VERSION = "8.17.0";

/** Elastic's risk-score scale, so rules and dashboards that sort by event.severity rank findings sensibly. */
const SEVERITY_SCORES: Record<Severity, number> = { info: 0, low: 21, medium: 47, high: 73, critical: 99 };

/**
 * One ECS document for one finding, in the shape of Elastic's own posture findings: `event.kind: state`,
 * `event.category: [configuration]`, `result.evaluation`, `rule.*`, `resource.*`, `cloud.*`.
 * `event.id` is the finding id plus the content hash, so a retried document is a duplicate and a changed one is new.
 */
export function ecsDocument(
  finding: Finding,
  contentHash: string,
  change: ExportChange = defaultChange(finding),
): Record<string, unknown> {
  const account = known(finding.subject.account);
  const region = known(finding.subject.region);
  const resolved = change === "resolved" || finding.status === "resolved";
  return {
    "@timestamp": finding.observedAt,
    ecs: { version: ECS_VERSION },
    message: finding.message,
    event: {
      id: ecsDocumentId(finding.id, contentHash),
      kind: "state",
      category: ["configuration"],
      type: resolved ? ["change"] : ["info"],
      outcome: resolved ? "success" : "failure",
      severity: SEVERITY_SCORES[finding.severity],
      dataset: "aigov.findings",
      module: "aigov",
      created: finding.observedAt,
    },
    rule: {
      id: finding.ruleId,
      name: finding.title,
      description: finding.message,
      ruleset: "aigov",
      category: Object.keys(finding.frameworks).sort().join(",") || "ai-governance",
      ...(finding.references[0] === undefined ? {} : { reference: finding.references[0] }),
      version: PRODUCT.version,
    },
    result: { evaluation: resolved ? "passed" : finding.status === "unknown" ? "unknown" : "failed" },
    resource: {
      id: finding.subject.id,
      name: finding.subject.name,
      type: finding.subject.kind,
      sub_type: finding.subject.nativeType,
    },
    cloud: {
      provider: finding.subject.provider,
      ...(account === undefined ? {} : { account: { id: account } }),
      ...(region === undefined ? {} : { region }),
    },
    observer: { vendor: PRODUCT.vendor, product: PRODUCT.name, version: PRODUCT.version, type: "scanner" },
    aigov: {
      finding: {
        id: finding.id,
        status: finding.status,
        severity: finding.severity,
        change,
        frameworks: finding.frameworks,
        evidence: finding.evidence,
        remediation: finding.remediation,
        ...(finding.waiver === undefined ? {} : { waiver: finding.waiver }),
      },
      subject: { type: finding.subject.type, kind: finding.subject.kind },
    },
  };
}

/** The document id: one per version of a finding, equal on a retry, so a data stream's `create` drops duplicates. */
export function ecsDocumentId(findingId: string, contentHash: string): string {
  return `${findingId}-${contentHash.slice(0, 16)}`;
}
