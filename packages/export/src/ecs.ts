import type { Finding, Severity } from "@aigov/core";
import { defaultChange, type ExportChange } from "./change.ts";
import { firstSeenAt } from "./first-seen.ts";
import { known } from "./known.ts";
import { PRODUCT } from "./product.ts";

/** The Elastic Common Schema version the documents follow. */
export const ECS_VERSION = "8.17.0";

/** Elastic's risk-score scale, so rules and dashboards that sort by event.severity rank findings sensibly. */
const SEVERITY_SCORES: Record<Severity, number> = { info: 0, low: 21, medium: 47, high: 73, critical: 99 };

/** The JSON type of an evidence value, beside its text: Elasticsearch maps one field to one type. */
type EvidenceValueType = "string" | "number" | "boolean" | "array" | "object" | "null" | "absent";

/**
 * Evidence in one stable shape: `value` is always text (JSON for anything but a string) and `value_type` says
 * what it was. Under dynamic mapping the first document's type would win and later ones fail to index.
 */
function ecsEvidence(evidence: Finding["evidence"]): Record<string, string>[] {
  return evidence.map((item) => {
    const value: unknown = item.value;
    const type: EvidenceValueType =
      value === undefined
        ? "absent"
        : value === null
          ? "null"
          : Array.isArray(value)
            ? "array"
            : (typeof value as "string" | "number" | "boolean" | "object");
    return {
      field: item.field,
      value: type === "absent" ? "" : typeof value === "string" ? value : JSON.stringify(value),
      value_type: type,
      expected: item.expected,
    };
  });
}

/**
 * One ECS document for one finding, in the shape of Elastic's own posture (CSPM) findings: `event.kind: state`,
 * `event.category: [configuration]`, `rule.*`, `cloud.*`, and Elastic's posture fields `resource.*` and
 * `result.evaluation`, which are not ECS fields: aigov follows that convention on purpose so posture views and
 * rules written for Elastic's own findings read aigov's too. `ECS_INDEX_TEMPLATE` maps every field it writes.
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
        first_seen: firstSeenAt(finding),
        frameworks: finding.frameworks,
        evidence: ecsEvidence(finding.evidence),
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
