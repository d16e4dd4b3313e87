import type { Finding, Severity } from "@aigov/core";
import { defaultChange, type ExportChange } from "./change.ts";
import { known } from "./known.ts";
import { PRODUCT } from "./product.ts";

/** The Security Hub account and region that import the findings: they make up ProductArn and stand in for non-AWS accounts. */
export interface AsffTarget {
  readonly accountId: string;
  readonly region: string;
  readonly partition?: string;
}

const LABELS: Record<Severity, string> = {
  info: "INFORMATIONAL",
  low: "LOW",
  medium: "MEDIUM",
  high: "HIGH",
  critical: "CRITICAL",
};

/** Security Hub's field limits; longer values make BatchImportFindings reject the finding. */
const TITLE_MAX = 256;
const DESCRIPTION_MAX = 1024;
const RECOMMENDATION_MAX = 512;

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

function workflowStatus(finding: Finding): "NEW" | "SUPPRESSED" | "RESOLVED" {
  if (finding.status === "waived") return "SUPPRESSED";
  if (finding.status === "resolved") return "RESOLVED";
  return "NEW";
}

function complianceStatus(finding: Finding): "FAILED" | "WARNING" | "PASSED" {
  if (finding.status === "resolved") return "PASSED";
  if (finding.status === "unknown") return "WARNING";
  return "FAILED";
}

/** One AWS Security Finding Format record (BatchImportFindings) for one finding; `Id` is the stable finding id. */
export function asffFinding(
  finding: Finding,
  target: AsffTarget,
  change: ExportChange = defaultChange(finding),
): Record<string, unknown> {
  const partition = target.partition ?? "aws";
  const subjectAccount = known(finding.subject.account);
  const region = known(finding.subject.region);
  const awsAccount =
    finding.subject.provider === "aws" && subjectAccount !== undefined && /^\d{12}$/.test(subjectAccount);
  const requirements = Object.entries(finding.frameworks).flatMap(([framework, controls]) =>
    controls.map((control) => `${framework} ${control}`),
  );
  const other: Record<string, string> = {
    provider: finding.subject.provider,
    nativeType: finding.subject.nativeType,
    kind: finding.subject.kind,
  };
  if (subjectAccount !== undefined) other.account = subjectAccount;
  const record: Record<string, unknown> = {
    SchemaVersion: "2018-10-08",
    Id: finding.id,
    ProductArn: `arn:${partition}:securityhub:${target.region}:${target.accountId}:product/${target.accountId}/default`,
    ProductName: PRODUCT.name,
    CompanyName: PRODUCT.vendor,
    GeneratorId: `aigov/${finding.ruleId}`,
    AwsAccountId: awsAccount ? subjectAccount : target.accountId,
    Region: region ?? target.region,
    Types: ["Software and Configuration Checks/Industry and Regulatory Standards/AI Governance"],
    CreatedAt: finding.observedAt,
    UpdatedAt: finding.observedAt,
    Severity: { Label: LABELS[finding.severity], Original: finding.severity },
    Title: clip(finding.title, TITLE_MAX),
    Description: clip(finding.message, DESCRIPTION_MAX),
    Remediation: {
      Recommendation: {
        Text: clip(finding.remediation.text, RECOMMENDATION_MAX),
        ...(finding.references[0] === undefined ? {} : { Url: finding.references[0] }),
      },
    },
    ProductFields: {
      "aigov/RuleId": finding.ruleId,
      "aigov/Status": finding.status,
      "aigov/Version": PRODUCT.version,
    },
    Resources: [
      {
        Type: "Other",
        Id: finding.subject.id,
        Partition: partition,
        Region: region ?? target.region,
        Details: { Other: other },
      },
    ],
    Compliance: {
      Status: complianceStatus(finding),
      ...(requirements.length === 0 ? {} : { RelatedRequirements: requirements.slice(0, 32) }),
    },
    Workflow: { Status: workflowStatus(finding) },
    RecordState: change === "resolved" || finding.status === "resolved" ? "ARCHIVED" : "ACTIVE",
  };
  if (finding.references.length > 0) record.SourceUrl = finding.references[0];
  if (finding.waiver !== undefined) {
    record.Note = {
      Text: clip(`waived: ${finding.waiver.reason}`, 512),
      UpdatedBy: clip(finding.waiver.approver, 512),
      UpdatedAt: finding.observedAt,
    };
  }
  return record;
}
