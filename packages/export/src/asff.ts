import type { Finding, Severity } from "@aigov/core";
import { defaultChange, type ExportChange } from "./change.ts";
import { firstSeenAt } from "./first-seen.ts";
import { known } from "./known.ts";
import { PRODUCT } from "./product.ts";

/**
 * The Security Hub home of an export: the region findings are imported into (with cross-region aggregation, the
 * aggregation region or a linked one), and the account that takes the findings which are not about an AWS account
 * (Azure, GCP, planned resources whose account is not known yet).
 */
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

/** Security Hub's field limits (the ASFF reference and the API model); longer values make it refuse the finding. */
const LIMITS = {
  title: 256,
  description: 1024,
  recommendation: 512,
  note: 512,
  severityOriginal: 64,
  resourceRegion: 16,
  productFieldKey: 128,
  productFieldValue: 2048,
  /** Resources[].Details.Other is a FieldMap like UserDefinedFields, whose values Security Hub caps at 1,024. */
  otherValue: 1024,
  relatedRequirements: 32,
} as const;

/** An AWS region name; `global` (IAM) and other clouds' regions are not, and never go into a region field. */
const AWS_REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;

const TYPES = ["Software and Configuration Checks/Industry and Regulatory Standards/AI Governance"];

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** ASFF strings must contain a non-space character (the model's `NonEmptyString`); blank values are left out. */
function fields(entries: readonly (readonly [string, string | undefined])[], max: number): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of entries) {
    if (value !== undefined && /\S/.test(value)) out[key] = clip(value, max);
  }
  return out;
}

function complianceStatus(finding: Finding): "FAILED" | "WARNING" | "PASSED" {
  if (finding.status === "resolved") return "PASSED";
  if (finding.status === "unknown") return "WARNING";
  return "FAILED";
}

/**
 * The AWS account a finding belongs to in Security Hub: its own account when it is about an AWS account,
 * otherwise the home account. BatchImportFindings accepts a finding only from that account (default product ARN),
 * so it also decides whose credentials import it.
 */
export function asffAccount(finding: Finding, target: AsffTarget): string {
  const account = known(finding.subject.account);
  return finding.subject.provider === "aws" && account !== undefined && /^\d{12}$/.test(account)
    ? account
    : target.accountId;
}

/** The custom-integration product ARN of an account: `product/<account>/default` in the home region. */
export function asffProductArn(account: string, target: AsffTarget): string {
  return `arn:${target.partition ?? "aws"}:securityhub:${target.region}:${account}:product/${account}/default`;
}

/**
 * One AWS Security Finding Format record for BatchImportFindings; `Id` is the stable finding id.
 *
 * What BatchImportFindings does not take is left out: the top-level `Region` (Security Hub fills it), and
 * `Workflow` and `Note` (ignored on a finding that exists; see `asffWorkflow`, sent with BatchUpdateFindings).
 * The provider's severity and types go in `FindingProviderFields` too, the fields a provider updates.
 */
export function asffFinding(
  finding: Finding,
  target: AsffTarget,
  change: ExportChange = defaultChange(finding),
): Record<string, unknown> {
  const account = asffAccount(finding, target);
  const subjectAccount = known(finding.subject.account);
  const region = known(finding.subject.region);
  const aws = finding.subject.provider === "aws";
  const awsRegion = aws && region !== undefined && AWS_REGION.test(region) ? region : undefined;
  const firstSeen = firstSeenAt(finding);
  const requirements = Object.entries(finding.frameworks).flatMap(([framework, controls]) =>
    controls.map((control) => `${framework} ${control}`),
  );
  const severity = { Label: LABELS[finding.severity], Original: clip(finding.severity, LIMITS.severityOriginal) };
  const resource: Record<string, unknown> = {
    Type: "Other",
    Id: finding.subject.id,
    // Partition and Region name AWS places only: an Azure or GCP resource keeps its cloud and region in Details.
    ...(aws ? { Partition: target.partition ?? "aws" } : {}),
    ...(awsRegion !== undefined && awsRegion.length <= LIMITS.resourceRegion ? { Region: awsRegion } : {}),
    Details: {
      Other: fields(
        [
          ["cloud", finding.subject.provider],
          ["account", subjectAccount],
          ["region", region],
          ["name", finding.subject.name],
          ["nativeType", finding.subject.nativeType],
          ["kind", finding.subject.kind],
        ],
        LIMITS.otherValue,
      ),
    },
  };
  const record: Record<string, unknown> = {
    SchemaVersion: "2018-10-08",
    Id: finding.id,
    ProductArn: asffProductArn(account, target),
    ProductName: PRODUCT.name,
    CompanyName: PRODUCT.vendor,
    GeneratorId: `aigov/${finding.ruleId}`,
    AwsAccountId: account,
    Types: TYPES,
    FirstObservedAt: firstSeen,
    LastObservedAt: finding.observedAt,
    CreatedAt: firstSeen,
    UpdatedAt: finding.observedAt,
    Severity: severity,
    FindingProviderFields: { Severity: severity, Types: TYPES },
    Title: clip(finding.title, LIMITS.title),
    Description: clip(finding.message, LIMITS.description),
    ProductFields: fields(
      [
        ["aigov/RuleId", finding.ruleId],
        ["aigov/Status", finding.status],
        ["aigov/Cloud", finding.subject.provider],
        ["aigov/Account", subjectAccount],
        ["aigov/Region", region],
        ["aigov/Version", PRODUCT.version],
        ["aigov/Waiver", finding.waiver === undefined ? undefined : waiverText(finding)],
      ],
      LIMITS.productFieldValue,
    ),
    Resources: [resource],
    Compliance: {
      Status: complianceStatus(finding),
      ...(requirements.length === 0 ? {} : { RelatedRequirements: requirements.slice(0, LIMITS.relatedRequirements) }),
    },
    RecordState: change === "resolved" || finding.status === "resolved" ? "ARCHIVED" : "ACTIVE",
  };
  const recommendation = fields(
    [
      ["Text", finding.remediation.text],
      ["Url", finding.references[0]],
    ],
    LIMITS.recommendation,
  );
  if (recommendation.Text !== undefined) record.Remediation = { Recommendation: recommendation };
  if (finding.references.length > 0) record.SourceUrl = finding.references[0];
  return record;
}

function waiverText(finding: Finding): string {
  const waiver = finding.waiver!;
  return `waived by ${waiver.approver}: ${waiver.reason}${waiver.expires === undefined ? "" : ` (expires ${waiver.expires})`}`;
}

/** The workflow change BatchUpdateFindings makes for a finding, or undefined when Security Hub's own is right. */
export interface AsffWorkflow {
  readonly status: "NEW" | "SUPPRESSED" | "RESOLVED";
  readonly note?: { readonly Text: string; readonly UpdatedBy: string };
}

/**
 * What aigov decided about a finding's workflow: waived is SUPPRESSED (with the waiver as the note), resolved is
 * RESOLVED, and a finding that changed back to open or unknown is NEW again (an expired or removed waiver). A new
 * open finding needs nothing: Security Hub creates it as NEW.
 */
export function asffWorkflow(finding: Finding, change: ExportChange): AsffWorkflow | undefined {
  if (finding.status === "waived") {
    return {
      status: "SUPPRESSED",
      note: {
        Text: clip(waiverText(finding), LIMITS.note),
        UpdatedBy: clip(/\S/.test(finding.waiver!.approver) ? finding.waiver!.approver : "aigov", 128),
      },
    };
  }
  if (finding.status === "resolved" || change === "resolved") return { status: "RESOLVED" };
  if (change === "changed") return { status: "NEW" };
  return undefined;
}
