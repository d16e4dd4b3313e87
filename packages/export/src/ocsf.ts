import type { Evidence, Finding, Provider, Severity } from "@aigov/core";
import { defaultChange, type ExportChange } from "./change.ts";
import { isIP } from "node:net";
import { firstSeenAt } from "./first-seen.ts";
import { known } from "./known.ts";
import { PRODUCT } from "./product.ts";

/** The OCSF schema version these events follow. */
export const OCSF_VERSION = "1.8.0";

const FINDINGS_CATEGORY = { uid: 2, name: "Findings" } as const;
export const OCSF_DETECTION_FINDING = { uid: 2004, name: "Detection Finding" } as const;
export const OCSF_COMPLIANCE_FINDING = { uid: 2003, name: "Compliance Finding" } as const;

const SEVERITY_IDS: Record<Severity, { id: number; name: string }> = {
  info: { id: 1, name: "Informational" },
  low: { id: 2, name: "Low" },
  medium: { id: 3, name: "Medium" },
  high: { id: 4, name: "High" },
  critical: { id: 5, name: "Critical" },
};

const CLOUD: Record<Provider, { provider: string; accountTypeId: number; accountType: string }> = {
  aws: { provider: "AWS", accountTypeId: 10, accountType: "AWS Account" },
  gcp: { provider: "GCP", accountTypeId: 11, accountType: "GCP Project" },
  azure: { provider: "Azure", accountTypeId: 13, accountType: "Azure Subscription" },
};

/** Finding lifecycle: an export of a resolved finding closes it, a changed one updates it. */
function activity(change: ExportChange): { id: number; name: string } {
  if (change === "resolved") return { id: 3, name: "Close" };
  if (change === "changed") return { id: 2, name: "Update" };
  return { id: 1, name: "Create" };
}

function findingStatus(finding: Finding): { id: number; name: string } {
  switch (finding.status) {
    case "waived":
      return { id: 3, name: "Suppressed" };
    case "resolved":
      return { id: 4, name: "Resolved" };
    default:
      return { id: 1, name: "New" };
  }
}

/** A Compliance Finding's check result: open fails, unknown warns (missing information), resolved passes. */
function complianceStatus(finding: Finding): { id: number; name: string } {
  switch (finding.status) {
    case "resolved":
      return { id: 1, name: "Pass" };
    case "unknown":
      return { id: 2, name: "Warning" };
    default:
      return { id: 3, name: "Fail" };
  }
}

function statusDetail(finding: Finding): string | undefined {
  if (finding.waiver !== undefined) {
    const expires = finding.waiver.expires === undefined ? "" : `, expires ${finding.waiver.expires}`;
    return `waived by ${finding.waiver.approver}: ${finding.waiver.reason}${expires}`;
  }
  if (finding.status === "unknown") return "the rule could not decide: a value it needs is unknown";
  return undefined;
}

function epochMs(iso: string): number {
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? 0 : ms;
}

/** OCSF observable type ids (dictionary and objects of 1.8.0): the pivots a SIEM indexes across events. */
const OBSERVABLE = { ipAddress: 2, resourceUid: 10, userUid: 31, accountUid: 35 } as const;

interface Observable {
  readonly name: string;
  readonly type_id: number;
  readonly value: string;
}

/**
 * An evidence item as OCSF evidence artifacts: the raw data, plus the principal as `actor.user.uid` and a source
 * IP as `src_endpoint.ip`, so they become observables.
 */
function evidenceArtifact(item: Evidence): Record<string, unknown> {
  const artifact: Record<string, unknown> = {
    data: { field: item.field, value: item.value ?? null, expected: item.expected },
  };
  if (item.field === "principal" && typeof item.value === "string" && item.value !== "") {
    artifact.actor = { user: { uid: item.value } };
  }
  if (item.field === "sourceIp" && typeof item.value === "string" && isIP(item.value) !== 0) {
    artifact.src_endpoint = { ip: item.value };
  }
  return artifact;
}

/** The observables of an event: its account, its resource and, for evidence, principals and source IPs. */
function observables(event: Record<string, unknown>): Observable[] {
  const found: Observable[] = [];
  const account = (event.cloud as { account?: { uid?: string } }).account?.uid;
  if (account !== undefined) found.push({ name: "cloud.account.uid", type_id: OBSERVABLE.accountUid, value: account });
  (event.resources as { uid: string }[]).forEach((resource, index) => {
    found.push({ name: `resources[${index}].uid`, type_id: OBSERVABLE.resourceUid, value: resource.uid });
  });
  ((event.evidences ?? []) as { actor?: { user: { uid: string } }; src_endpoint?: { ip: string } }[]).forEach(
    (artifact, index) => {
      if (artifact.actor !== undefined) {
        found.push({
          name: `evidences[${index}].actor.user.uid`,
          type_id: OBSERVABLE.userUid,
          value: artifact.actor.user.uid,
        });
      }
      if (artifact.src_endpoint !== undefined) {
        found.push({
          name: `evidences[${index}].src_endpoint.ip`,
          type_id: OBSERVABLE.ipAddress,
          value: artifact.src_endpoint.ip,
        });
      }
    },
  );
  return found;
}

function base(finding: Finding, change: ExportChange, klass: { uid: number; name: string }): Record<string, unknown> {
  const act = activity(change);
  const severity = SEVERITY_IDS[finding.severity];
  const status = findingStatus(finding);
  const cloud = CLOUD[finding.subject.provider];
  const account = known(finding.subject.account);
  const region = known(finding.subject.region);
  const time = epochMs(finding.observedAt);
  const firstSeen = epochMs(firstSeenAt(finding));
  const detail = statusDetail(finding);
  const event: Record<string, unknown> = {
    activity_id: act.id,
    activity_name: act.name,
    category_uid: FINDINGS_CATEGORY.uid,
    category_name: FINDINGS_CATEGORY.name,
    class_uid: klass.uid,
    class_name: klass.name,
    type_uid: klass.uid * 100 + act.id,
    type_name: `${klass.name}: ${act.name}`,
    severity_id: severity.id,
    severity: severity.name,
    status_id: status.id,
    status: status.name,
    time,
    message: finding.message,
    metadata: {
      version: OCSF_VERSION,
      product: { name: PRODUCT.name, uid: PRODUCT.name, vendor_name: PRODUCT.vendor, version: PRODUCT.version },
      profiles: ["cloud"],
      // Same finding, same event identity: a SIEM that dedups on metadata.uid sees one event per version.
      uid: `${finding.id}:${klass.uid}:${act.id}:${time}`,
    },
    cloud: {
      provider: cloud.provider,
      ...(region === undefined ? {} : { region }),
      ...(account === undefined
        ? {}
        : { account: { uid: account, type_id: cloud.accountTypeId, type: cloud.accountType } }),
    },
    finding_info: {
      uid: finding.id,
      title: finding.title,
      desc: finding.message,
      types: [finding.ruleId],
      created_time: firstSeen,
      first_seen_time: firstSeen,
      last_seen_time: time,
      analytic: { uid: finding.ruleId, name: finding.title, type_id: 1, type: "Rule" },
    },
    resources: [
      {
        uid: finding.subject.id,
        name: finding.subject.name,
        type: finding.subject.nativeType,
        ...(region === undefined ? {} : { region }),
        labels: [`kind:${finding.subject.kind}`, `subject:${finding.subject.type}`],
      },
    ],
    remediation: {
      desc: finding.remediation.text,
      ...(finding.references.length === 0 ? {} : { references: [...finding.references] }),
    },
  };
  if (detail !== undefined) event.status_detail = detail;
  if (finding.source !== undefined) event.unmapped = { source: finding.source };
  return event;
}

/** One OCSF 1.8 Detection Finding (class 2004) for one aigov finding; `finding_info.uid` is the stable finding id. */
export function ocsfDetectionFinding(
  finding: Finding,
  change: ExportChange = defaultChange(finding),
): Record<string, unknown> {
  const event = base(finding, change, OCSF_DETECTION_FINDING);
  event.is_alert = finding.status === "open" && change !== "resolved";
  if (finding.evidence.length > 0) event.evidences = finding.evidence.map(evidenceArtifact);
  event.observables = observables(event);
  return event;
}

/**
 * One OCSF 1.8 Compliance Finding (class 2003) for a finding whose rule maps to frameworks, or undefined when it
 * maps to none. `compliance.standards` names the frameworks, `requirements` their controls (`framework:control`).
 */
export function ocsfComplianceFinding(
  finding: Finding,
  change: ExportChange = defaultChange(finding),
): Record<string, unknown> | undefined {
  const frameworks = Object.keys(finding.frameworks).sort();
  if (frameworks.length === 0) return undefined;
  const event = base(finding, change, OCSF_COMPLIANCE_FINDING);
  const status = complianceStatus(finding);
  event.compliance = {
    standards: frameworks,
    control: finding.ruleId,
    requirements: frameworks.flatMap((framework) =>
      (finding.frameworks[framework] ?? []).map((control) => `${framework}:${control}`),
    ),
    status_id: status.id,
    status: status.name,
  };
  event.observables = observables(event);
  return event;
}

/** Every OCSF event for one finding: the Detection Finding, then the Compliance Finding when frameworks apply. */
export function ocsfEvents(finding: Finding, change: ExportChange = defaultChange(finding)): Record<string, unknown>[] {
  const compliance = ocsfComplianceFinding(finding, change);
  return compliance === undefined
    ? [ocsfDetectionFinding(finding, change)]
    : [ocsfDetectionFinding(finding, change), compliance];
}
