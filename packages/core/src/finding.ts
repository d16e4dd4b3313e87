import type {
  ApiCall,
  AssetKind,
  PlannedChange,
  Provider,
  Severity,
  SourceLocation,
  Subject,
  SubjectType,
} from "./model.ts";
import type { Rule } from "./rule.ts";
import { sha256Hex } from "./sha256.ts";
import type { Maybe } from "./unknown.ts";

/** What one rule concluded about one subject. */
export type Outcome = "violation" | "pass" | "unknown" | "waived" | "not-applicable";

/** Why: the field a condition read, the value it found, and what the rule expected. */
export interface Evidence {
  readonly field: string;
  /** The value found; `{"$unknown":true}` when it was not known, undefined when absent. */
  readonly value: unknown;
  /** The comparison, e.g. `eq true`, `not glob ["gpt-4o*"]`. */
  readonly expected: string;
}

export interface WaiverRef {
  readonly reason: string;
  readonly approver: string;
  /** As the policy wrote it: a date (in force through that day, UTC) or a time with its zone; absent: never expires. */
  readonly expires?: string;
  readonly expired: boolean;
}

/** The identity of what a finding is about, without the subject's full payload. */
export interface SubjectRef {
  readonly type: SubjectType;
  readonly provider: Provider;
  readonly account: Maybe<string>;
  readonly region: Maybe<string>;
  readonly kind: AssetKind | "api-call";
  /** Native type (`AWS::SageMaker::Endpoint`, `aws_sagemaker_endpoint`) or the API service for api-calls. */
  readonly nativeType: string;
  readonly id: string;
  readonly name: string;
}

export type FindingStatus = "open" | "waived" | "unknown" | "resolved";

export interface Finding {
  /** Stable: the same rule and subject give the same id on every run and machine (see `findingId`). */
  readonly id: string;
  readonly ruleId: string;
  readonly title: string;
  readonly severity: Severity;
  readonly status: FindingStatus;
  readonly subject: SubjectRef;
  /** One sentence a person reads: what is wrong with which subject. */
  readonly message: string;
  readonly evidence: readonly Evidence[];
  readonly remediation: {
    readonly text: string;
    readonly terraform?: string;
    readonly cli?: string;
  };
  readonly references: readonly string[];
  /** Framework → control ids, e.g. `{"owasp-llm-2025": ["LLM06"]}`. */
  readonly frameworks: Readonly<Record<string, readonly string[]>>;
  readonly waiver?: WaiverRef;
  /** Planned findings: what the plan does to the subject. */
  readonly change?: PlannedChange;
  readonly source?: SourceLocation;
  /** ISO-8601: when the evaluation ran. */
  readonly observedAt: string;
}

/** The identity of a subject: equal for the same resource across runs and machines. */
export function subjectIdentity(subject: SubjectRef): string {
  return `${subject.type}|${subject.provider}|${subject.id}`;
}

/** The stable finding id: a hash of rule id + subject identity, so SIEMs deduplicate across runs. */
export function findingId(ruleId: string, subject: SubjectRef): string {
  return sha256Hex(`${ruleId}\n${subjectIdentity(subject)}`).slice(0, 32);
}

export function subjectRef(subject: Subject): SubjectRef {
  switch (subject.subject) {
    case "asset":
    case "key":
      return {
        type: subject.subject,
        provider: subject.provider,
        account: subject.account,
        region: subject.region,
        kind: subject.kind,
        nativeType: subject.type,
        id: subject.id,
        name: subject.name,
      };
    case "api-call":
      return {
        type: "api-call",
        provider: subject.provider,
        account: subject.account,
        region: subject.region,
        kind: "api-call",
        nativeType: subject.service,
        id: subject.eventId,
        name: `${subject.service}:${subject.operation}`,
      };
  }
}

/** A group of API calls as the subject of a finding (an aggregate rule's group, a rolled-up pattern of calls). */
export function callGroupRef(call: ApiCall, id: string, name: string): SubjectRef {
  return {
    type: "api-call",
    provider: call.provider,
    account: call.account,
    region: call.region,
    kind: "api-call",
    nativeType: call.service,
    id,
    name,
  };
}

/** What a judgement adds to a rule and a subject to make a finding. */
export interface FindingFacts {
  /** A pass or not-applicable judgement makes no finding. */
  readonly outcome: Exclude<Outcome, "pass" | "not-applicable">;
  readonly evidence: readonly Evidence[];
  /** Why, in a few words, after the subject's name in the message (e.g. the first evidence values). */
  readonly detail?: string;
  readonly waiver?: WaiverRef;
  readonly change?: PlannedChange;
  readonly source?: SourceLocation;
  /** ISO-8601: when the evaluation ran. */
  readonly observedAt: string;
}

/** The sentence a person reads: the rule's title, the subject's name, and why in a few words. */
export function findingMessage(title: string, status: FindingStatus, name: string, detail?: string): string {
  const prefix = status === "unknown" ? "cannot tell: " : "";
  return `${prefix}${title}: ${name}${detail === undefined || detail === "" ? "" : ` (${detail})`}`;
}

/** A finding of one rule on one subject: the engine's and the aggregator's findings are built here alike. */
export function newFinding(rule: Rule, subject: SubjectRef, facts: FindingFacts): Finding {
  const status: FindingStatus =
    facts.outcome === "waived" ? "waived" : facts.outcome === "unknown" ? "unknown" : "open";
  // Built in the order JSON output shows it; the optional parts only when present (no property holds undefined).
  const finding: Mutable<Finding> = {
    id: findingId(rule.id, subject),
    ruleId: rule.id,
    title: rule.title,
    severity: rule.severity,
    status,
    subject,
    message: findingMessage(rule.title, status, subject.name, facts.detail),
    evidence: facts.evidence,
    remediation: rule.remediation,
    references: rule.references,
    frameworks: rule.frameworks,
  } as Mutable<Finding>;
  if (facts.waiver !== undefined) finding.waiver = facts.waiver;
  if (facts.change !== undefined) finding.change = facts.change;
  if (facts.source !== undefined) finding.source = facts.source;
  finding.observedAt = facts.observedAt;
  return finding;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
