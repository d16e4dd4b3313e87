import { isAggregateRule } from "./aggregate.ts";
import {
  type CompiledCondition,
  compileCondition,
  type EvalContext,
  type FieldSlot,
  type SubjectView,
  type SlotReader,
  slotReader,
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
import { isAtLeast, type PlannedChange, type Severity, type Subject } from "./model.ts";
import type { Policy, Waiver } from "./policy.ts";
import type { Rule } from "./rule.ts";
import { isUnknown } from "./unknown.ts";
import { viewDeriver } from "./subject-view.ts";
import { policyWaivers, type RuleWaivers, waivedOutcome } from "./waiver.ts";

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
  /** Its test is read from it at every call: it is replaced by the rule's generated code at the first. */
  readonly condition: CompiledCondition;
  /** What an unknown truth makes of this rule's judgement: the rule's own `unknown:`, else the policy's. */
  readonly onUnknown: Outcome;
  /** The judgement of every subject that passes: one frozen object, so a pass allocates nothing. */
  readonly pass: Judgement;
  /** The policy's waivers that name this rule (usually none, so most subjects never have their names worked out). */
  readonly waivers: RuleWaivers;
}

/** The rules for one subject type, provider, kind and native type: all of them, and those for each planned change. */
interface Candidates {
  readonly subject: string;
  readonly isCall: boolean;
  readonly provider: string;
  readonly kind: string;
  readonly all: readonly CompiledRule[];
  readonly byChange: Map<string, readonly CompiledRule[]>;
  /** What conditions read besides the subject: the time, and which provider's policy lists apply. */
  readonly context: EvalContext;
  /** The fields all its rules read, each once. */
  readonly fieldSlots: readonly FieldSlot[];
  /** How many subjects it has judged, up to READ_INTO_SLOTS_AFTER. */
  judged: number;
  /** Reads a subject's fieldSlots into the engine's slots once made (at READ_INTO_SLOTS_AFTER subjects). */
  read: SlotReader | undefined;
}

/**
 * Subjects of one group judged by tests reading the subject itself before its fields are read into slots (by code
 * of its own): a gate judging a few resources does not pay for compiling a reader and a second test per rule.
 */
const READ_INTO_SLOTS_AFTER = 32;

/** Compiles every rule once against the policy and indexes them, so each subject meets only the rules that can apply. */
export function createEngine(rules: readonly Rule[], policy: Policy, options: EngineOptions = {}): Engine {
  const now = (options.now ?? new Date()).getTime();
  const observedAt = new Date(now).toISOString();
  const waivers = policyWaivers(policy.waivers, now);
  // Aggregate (log) rules judge groups of calls, never one call: createAggregator runs them.
  const compiled: CompiledRule[] = rules
    .filter((rule) => !isAggregateRule(rule))
    .map((rule) => {
      const condition = compileCondition(rule.condition, rule.source, ["condition"], policy);
      return {
        rule,
        condition,
        onUnknown: rule.unknown ?? policy.unknown,
        pass: Object.freeze({ rule, outcome: "pass", evidence: NO_EVIDENCE }),
        waivers: waivers.forRule(rule.id),
      };
    });

  // The values of one subject's fields, by slot, for the tests of its group (each group reads the slots its tests
  // read): as long as the largest slot of any group's.
  const slots: unknown[] = [];
  // Native type (the service, for calls) → the candidates of each subject type, provider and kind seen with it, each
  // worked out on first sight: one map look-up per subject, as a native type nearly always has one provider and kind.
  const index = new Map<string, Candidates[]>();
  const candidatesFor = (subject: Subject): Candidates => {
    // Each read once: a read from the many shapes of subjects is slow.
    const subjectType = subject.subject;
    const { provider } = subject;
    const isCall = subjectType === "api-call";
    const kind = isCall ? "api-call" : subject.kind;
    const type = isCall ? subject.service : subject.type;
    let seen = index.get(type);
    if (seen === undefined) {
      seen = [];
      index.set(type, seen);
    }
    for (const entry of seen)
      if (entry.subject === subjectType && entry.provider === provider && entry.kind === kind) return entry;
    const all = compiled.filter(({ rule: { appliesTo } }) => {
      if (appliesTo.subject !== subjectType) return false;
      if (appliesTo.provider !== undefined && !appliesTo.provider.includes(provider)) return false;
      // `kind: ["*"]` has always meant any kind.
      if (appliesTo.kind !== undefined && !appliesTo.kind.includes(kind) && !appliesTo.kind.includes("*")) return false;
      return appliesTo.type === undefined || appliesTo.type.includes(type);
    });
    // A rule's condition is built here, when a subject it may judge is first seen (see compileCondition).
    const fieldSlots = [...new Set(all.flatMap(({ condition }) => condition.fieldSlots))];
    for (const { slot } of fieldSlots) while (slots.length <= slot) slots.push(undefined);
    const entry: Candidates = {
      subject: subjectType,
      isCall,
      provider,
      kind,
      all,
      byChange: new Map(),
      context: { now, provider },
      fieldSlots,
      judged: 0,
      read: undefined,
    };
    seen.push(entry);
    return entry;
  };
  /** The candidates' rules for this subject: those for its planned change, if it has one. */
  const rulesFor = (entry: Candidates, subject: Subject): readonly CompiledRule[] => {
    const change = plannedChange(subject);
    if (change === undefined) return entry.all;
    let forChange = entry.byChange.get(change.action);
    if (forChange === undefined) {
      forChange = entry.all.filter(({ rule }) => rule.appliesTo.change?.includes(change.action) ?? true);
      entry.byChange.set(change.action, forChange);
    }
    return forChange;
  };

  const deriveView = viewDeriver(policy);
  // Its names for waivers, read with its fields.
  const names: unknown[] = [undefined, undefined, undefined];

  const judge = (subject: Subject): Judgement[] => {
    const found = candidatesFor(subject);
    const rulesForSubject = rulesFor(found, subject);
    if (rulesForSubject.length === 0) return [];
    const { isCall } = found;
    const view = deriveView(subject, isCall);
    const { context } = found;
    let { read } = found;
    if (read === undefined && found.judged < READ_INTO_SLOTS_AFTER && ++found.judged === READ_INTO_SLOTS_AFTER) {
      read = found.read = slotReader(found.fieldSlots, isCall);
    }
    if (read !== undefined) read(view.fields, slots, names);
    // One judgement per rule, so the list is made at its length: pushing grew it (a copy) as it filled.
    const judgements = new Array<Judgement>(rulesForSubject.length);
    waivers.startSubject(subject, isCall, read === undefined ? undefined : names);
    for (let index = 0; index < rulesForSubject.length; index++) {
      const entry = rulesForSubject[index]!;
      const truth =
        read === undefined ? entry.condition.test(view, context) : entry.condition.slotTest(view, context, slots);
      const outcome = truth === TRUE ? "violation" : truth === UNKNOWN ? entry.onUnknown : "pass";
      if (outcome === "pass") {
        judgements[index] = entry.pass;
        continue;
      }
      let waiver: WaiverRef | undefined;
      if (!entry.waivers.none) waiver = entry.waivers.find();
      judgements[index] = new FlaggedJudgement(entry, waivedOutcome(outcome, waiver), waiver, view, context);
    }
    return judgements;
  };

  return {
    rules,
    policy,
    applicableRules: (subject) => rulesFor(candidatesFor(subject), subject).map((entry) => entry.rule),
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
            detail: evidenceSummary(evidence),
            waiver: judgement.waiver,
            change: plannedChange(subject),
            source: subject.source,
            observedAt,
          }),
        );
      }
      return findings;
    },
    expiredWaivers: () => waivers.expired(),
  };
}

/** What a plan does to the subject (a subject written by hand may carry it whatever its type). */
function plannedChange(subject: Subject): PlannedChange | undefined {
  // Read as a property, not asked with `in`: a subject is plain data, and `in` on the many shapes of subjects is slow.
  return (subject as { readonly change?: PlannedChange }).change;
}

/** A violation, unknown or waived judgement. Evidence is worked out only when someone reads it: most judgements of a sweep are counted, not shown. */
class FlaggedJudgement implements Judgement {
  readonly rule: Rule;
  readonly outcome: Outcome;
  declare readonly waiver?: WaiverRef;
  readonly #condition: CompiledCondition;
  readonly #view: SubjectView;
  readonly #context: EvalContext;
  #evidence: readonly Evidence[] | undefined;

  constructor(
    entry: CompiledRule,
    outcome: Outcome,
    waiver: WaiverRef | undefined,
    view: SubjectView,
    context: EvalContext,
  ) {
    this.rule = entry.rule;
    this.outcome = outcome;
    if (waiver !== undefined) this.waiver = waiver;
    this.#condition = entry.condition;
    this.#view = view;
    this.#context = context;
  }

  get evidence(): readonly Evidence[] {
    this.#evidence ??= this.#condition.explain(this.#view, this.#context).evidence;
    return this.#evidence;
  }
}

/** The first three evidence items, for a finding's message: `public = true, region = "us-west-2"`. */
function evidenceSummary(evidence: readonly Evidence[]): string {
  let summary = "";
  for (let index = 0; index < evidence.length && index < 3; index++) {
    const item = evidence[index]!;
    summary += `${index === 0 ? "" : ", "}${item.field} = ${formatValue(item.value)}`;
  }
  return summary;
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
