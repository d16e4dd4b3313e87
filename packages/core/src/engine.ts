import { isAggregateRule } from "./aggregate.ts";
import {
  type CompiledCondition,
  compileCondition,
  type EvalContext,
  type SubjectView,
  TRUE,
  UNKNOWN,
} from "./condition.ts";
import {
  type Evidence,
  type Finding,
  newFinding,
  type Outcome,
  type SubjectRef,
  subjectRef,
  type WaiverRef,
} from "./finding.ts";
import { isAtLeast, type Severity, type Subject } from "./model.ts";
import type { Policy, Waiver } from "./policy.ts";
import type { Rule } from "./rule.ts";
import { isUnknown } from "./unknown.ts";
import { deriveView } from "./subject-view.ts";
import { policyWaivers, waivedOutcome, waiverSubjectNames } from "./waiver.ts";

export interface Judgement {
  readonly rule: Rule;
  readonly outcome: Outcome;
  readonly evidence: readonly Evidence[];
  /** The waiver that matched: applied (outcome waived) or expired (outcome unchanged, reported). */
  readonly waiver?: WaiverRef;
}

export interface Engine {
  readonly rules: readonly Rule[];
  readonly policy: Policy;
  /** The rules that apply to this subject (through the index: subject type, provider, kind, type, change). */
  applicableRules(subject: Subject): readonly Rule[];
  /** Every applicable rule's judgement on one subject. */
  judge(subject: Subject): Judgement[];
  /** The non-pass judgements as findings: violation → open, unknown → unknown, waived → waived. */
  findings(subject: Subject): Finding[];
  /** Waivers whose expiry has passed: they no longer apply, and users should hear about it. */
  expiredWaivers(): readonly Waiver[];
}

export interface EngineOptions {
  /** The evaluation time (default: now), for ages and waiver expiry. */
  readonly now?: Date;
}

const NO_EVIDENCE: readonly Evidence[] = Object.freeze([]);

interface CompiledRule {
  readonly rule: Rule;
  readonly condition: CompiledCondition;
  readonly types?: ReadonlySet<string>;
  readonly changes?: ReadonlySet<string>;
  readonly unknownMeans: "violation" | "pass" | "unknown";
}

/** Compiles every rule once against the policy and indexes them, so each subject meets only the rules that can apply. */
export function createEngine(rules: readonly Rule[], policy: Policy, options: EngineOptions = {}): Engine {
  const now = (options.now ?? new Date()).getTime();
  const observedAt = new Date(now).toISOString();
  // Aggregate (log) rules judge groups of calls, never one call: createAggregator runs them.
  const compiled: CompiledRule[] = rules
    .filter((rule) => !isAggregateRule(rule))
    .map((rule) => ({
      rule,
      condition: compileCondition(rule.condition, rule.source, ["condition"], policy),
      ...(rule.appliesTo.type === undefined ? {} : { types: new Set(rule.appliesTo.type) }),
      ...(rule.appliesTo.change === undefined ? {} : { changes: new Set(rule.appliesTo.change) }),
      unknownMeans: rule.unknown ?? policy.unknown,
    }));

  // Index: subject type × provider × kind → candidate rules, then a per-type cache, built lazily.
  const byKey = new Map<string, CompiledRule[]>();
  for (const entry of compiled) {
    const { subject, provider, kind } = entry.rule.appliesTo;
    for (const p of provider ?? ["*"]) {
      for (const k of kind ?? ["*"]) {
        const key = `${subject}|${p}|${k}`;
        const list = byKey.get(key) ?? [];
        list.push(entry);
        byKey.set(key, list);
      }
    }
  }
  const typeCache = new Map<string, readonly CompiledRule[]>();
  const candidates = (subject: Subject): readonly CompiledRule[] => {
    const kind = subject.subject === "api-call" ? "api-call" : subject.kind;
    const type = subject.subject === "api-call" ? subject.service : subject.type;
    const cacheKey = `${subject.subject}|${subject.provider}|${kind}|${type}`;
    let list = typeCache.get(cacheKey);
    if (list === undefined) {
      const seen = new Set<CompiledRule>();
      for (const p of [subject.provider, "*"]) {
        for (const k of [kind, "*"]) {
          for (const entry of byKey.get(`${subject.subject}|${p}|${k}`) ?? []) {
            if (entry.types === undefined || entry.types.has(type)) seen.add(entry);
          }
        }
      }
      list = compiled.filter((entry) => seen.has(entry));
      typeCache.set(cacheKey, list);
    }
    const change = "change" in subject ? subject.change : undefined;
    if (change === undefined) return list;
    return list.filter((entry) => entry.changes === undefined || entry.changes.has(change.action));
  };

  const waivers = policyWaivers(policy.waivers, now);

  const judge = (subject: Subject): Judgement[] => {
    const rulesForSubject = candidates(subject);
    if (rulesForSubject.length === 0) return [];
    const view = deriveView(subject, policy);
    const context: EvalContext = { now, provider: subject.provider };
    const judgements: Judgement[] = [];
    for (const entry of rulesForSubject) {
      const truth = entry.condition.test(view, context);
      const outcome: Outcome =
        truth === TRUE ? "violation" : truth === UNKNOWN ? unknownOutcome(entry.unknownMeans) : "pass";
      if (outcome === "pass") {
        judgements.push({ rule: entry.rule, outcome, evidence: NO_EVIDENCE });
        continue;
      }
      const waiver = waivers.find(entry.rule.id, waiverSubjectNames(subject));
      judgements.push(judgementWithEvidence(entry, waivedOutcome(outcome, waiver), waiver, view, context));
    }
    return judgements;
  };

  return {
    rules,
    policy,
    applicableRules: (subject) => candidates(subject).map((entry) => entry.rule),
    judge,
    findings(subject) {
      const findings: Finding[] = [];
      let ref: SubjectRef | undefined;
      for (const judgement of judge(subject)) {
        const { outcome } = judgement;
        if (outcome === "pass" || outcome === "not-applicable") continue;
        ref ??= subjectRef(subject);
        const evidence = judgement.evidence;
        findings.push(
          newFinding(judgement.rule, ref, {
            outcome,
            evidence,
            detail: evidence
              .slice(0, 3)
              .map((item) => `${item.field} = ${formatValue(item.value)}`)
              .join(", "),
            ...(judgement.waiver === undefined ? {} : { waiver: judgement.waiver }),
            ...("change" in subject && subject.change !== undefined ? { change: subject.change } : {}),
            ...(subject.source === undefined ? {} : { source: subject.source }),
            observedAt,
          }),
        );
      }
      return findings;
    },
    expiredWaivers: () => waivers.expired(),
  };
}

/** Evidence is worked out only when someone reads it: most judgements of a sweep are counted, not shown. */
function judgementWithEvidence(
  entry: CompiledRule,
  outcome: Outcome,
  waiver: WaiverRef | undefined,
  view: SubjectView,
  context: EvalContext,
): Judgement {
  let evidence: readonly Evidence[] | undefined;
  return {
    rule: entry.rule,
    outcome,
    get evidence() {
      evidence ??= entry.condition.explain(view, context).evidence;
      return evidence;
    },
    ...(waiver === undefined ? {} : { waiver }),
  };
}

function unknownOutcome(means: "violation" | "pass" | "unknown"): Outcome {
  return means === "violation" ? "violation" : means === "pass" ? "pass" : "unknown";
}

export function formatValue(value: unknown): string {
  if (value === undefined) return "absent";
  if (isUnknown(value)) return value.reason === undefined ? "unknown" : `unknown (${value.reason})`;
  return JSON.stringify(value);
}

/**
 * Whether a finding blocks a gate or fails a sweep: open at or above the threshold, or unknown at or above it when
 * the policy says unknowns block. Waived and resolved findings never block.
 */
export function blocks(finding: Finding, policy: Policy, failOn?: Severity): boolean {
  const threshold = failOn ?? policy.gate.failOn;
  if (!isAtLeast(finding.severity, threshold)) return false;
  if (finding.status === "open") return true;
  return finding.status === "unknown" && policy.gate.unknown === "block";
}
