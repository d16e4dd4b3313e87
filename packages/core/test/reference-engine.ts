// A slow, plain reading of the rule language, kept for tests only: every rule is checked against every subject by
// walking its raw YAML condition, with no index, no compiled closures and no caches, and regular expressions run on
// V8's own engine. The engine must give exactly the findings this gives (engine-reference.test.ts).
import { createHash } from "node:crypto";
import { parseDuration } from "../src/duration.ts";
import type { Evidence, Finding, Outcome, WaiverRef } from "../src/finding.ts";
import type { Subject } from "../src/model.ts";
import type { Policy } from "../src/policy.ts";
import type { Rule } from "../src/rule.ts";
import { waiverEndsAt } from "../src/waiver.ts";

type Truth = "true" | "false" | "unknown";

interface Explained {
  readonly truth: Truth;
  readonly evidence: Evidence[];
}

export interface ReferenceJudgement {
  readonly ruleId: string;
  readonly outcome: Outcome;
  readonly evidence: readonly Evidence[];
  readonly waiver?: WaiverRef;
}

const isUnknownValue = (value: unknown): boolean =>
  typeof value === "object" && value !== null && (value as Record<string, unknown>).$unknown === true;

const own = (value: unknown, key: string): unknown =>
  Object.hasOwn(value as object, key) ? (value as Record<string, unknown>)[key] : undefined;

function appliesTo(rule: Rule, subject: Subject): boolean {
  const { appliesTo: scope } = rule;
  if (rule.raw.aggregate !== undefined) return false;
  if (scope.subject !== subject.subject) return false;
  if (scope.provider !== undefined && !scope.provider.includes(subject.provider)) return false;
  const isCall = subject.subject === "api-call";
  const kind = isCall ? "api-call" : subject.kind;
  // `kind: ["*"]` means any kind.
  if (scope.kind !== undefined && !scope.kind.includes(kind) && !scope.kind.includes("*")) return false;
  if (scope.type !== undefined && !scope.type.includes(isCall ? subject.service : subject.type)) return false;
  const change = isCall ? undefined : subject.change;
  if (change !== undefined && scope.change !== undefined && !scope.change.includes(change.action)) return false;
  return true;
}

/** The fields rules read: the subject's own, plus `owner` and `registered` worked out from the policy. */
function viewOf(subject: Subject, policy: Policy): Record<string, unknown> {
  if (subject.subject === "api-call") return subject as unknown as Record<string, unknown>;
  const tags: Record<string, unknown> = (subject.tags as Record<string, unknown> | undefined) ?? {};
  let owner: unknown = subject.subject === "asset" ? subject.owner : undefined;
  if (owner === undefined && isUnknownValue(tags)) owner = tags;
  if (owner === undefined) {
    const ownerTag = policy.ownerTags.find((key) => {
      const value = tags[key];
      return isUnknownValue(value) || (typeof value === "string" && value.trim().length > 0);
    });
    if (ownerTag !== undefined) owner = tags[ownerTag];
    else if (Object.keys(tags).some((key) => isUnknownValue(tags[key])))
      owner = { $unknown: true, reason: "an owner tag may be set at apply" };
  }
  let registered: unknown = false;
  const registryTags = Object.keys(policy.registry.tags);
  if (policy.registry.assets.some((pattern) => plainGlobMatch(pattern, subject.id))) registered = true;
  else if (registryTags.length > 0 && isUnknownValue(tags)) registered = tags;
  else if (registryTags.length > 0)
    registered = registryTags.every((key) => {
      const value = tags[key];
      return typeof value === "string" && plainGlobMatch(policy.registry.tags[key]!, value);
    });
  return Object.assign({}, subject as unknown as Record<string, unknown>, { owner, registered });
}

function read(view: Record<string, unknown>, field: string): unknown {
  const segments = field.split(".");
  if (segments.length === 1) return own(view, field);
  let value: unknown = view;
  for (const segment of segments) {
    if (typeof value !== "object" || value === null) return undefined;
    if (isUnknownValue(value)) return value;
    value = own(value, segment);
  }
  return value;
}

function operandOf(operand: unknown, policy: Policy, subject: Subject): unknown {
  if (typeof operand !== "string" || !operand.startsWith("$policy.")) return operand;
  const name = operand.slice("$policy.".length);
  const lists: Record<string, unknown> = {
    approved_models: policy.approvedModels[subject.provider],
    approved_regions: policy.approvedRegions[subject.provider],
    approved_accounts: policy.approvedAccounts[subject.provider],
    approved_principals: policy.approvedPrincipals[subject.provider],
    required_tags: policy.requiredTags,
    owner_tags: policy.ownerTags,
    registry_tags: policy.registry.tags,
  };
  return name in lists ? lists[name] : policy.parameters[name];
}

const sameJson = (a: unknown, b: unknown): boolean =>
  a === b ||
  (typeof a === "object" &&
    typeof b === "object" &&
    a !== null &&
    b !== null &&
    JSON.stringify(a) === JSON.stringify(b));

function contains(value: unknown, item: unknown): boolean {
  if (typeof value === "string") return typeof item === "string" && value.indexOf(item) >= 0;
  if (Array.isArray(value)) return value.some((element) => sameJson(element, item));
  if (typeof value === "object" && value !== null && !isUnknownValue(value))
    return typeof item === "string" && Object.hasOwn(value, item);
  return false;
}

function nativeRegExp(pattern: string): RegExp {
  return pattern.startsWith("(?i)") ? new RegExp(pattern.slice(4), "i") : new RegExp(pattern);
}

function ageOf(value: unknown, now: number): number | undefined {
  if (typeof value !== "string") return undefined;
  const time = new Date(value).getTime();
  return Number.isNaN(time) ? undefined : now - time;
}

/** One operator on one (non-list, known) value. */
function holds(operator: string, operand: unknown, value: unknown, now: number): boolean {
  const isNumber = typeof value === "number";
  switch (operator) {
    case "eq":
      return sameJson(value, operand);
    case "ne":
      return !sameJson(value, operand);
    case "in":
      return (operand as unknown[]).some((item) => sameJson(value, item));
    case "not_in":
      return !(operand as unknown[]).some((item) => sameJson(value, item));
    case "exists":
      return (value !== undefined && value !== null) === operand;
    case "absent":
      return value === undefined || value === null;
    case "matches":
      return typeof value === "string" && nativeRegExp(operand as string).test(value);
    case "glob":
      return (
        typeof value === "string" &&
        (typeof operand === "string" ? [operand] : (operand as string[])).some((pattern) =>
          plainGlobMatch(pattern, value),
        )
      );
    case "gt":
      return isNumber && value > (operand as number);
    case "ge":
      return isNumber && value >= (operand as number);
    case "lt":
      return isNumber && value < (operand as number);
    case "le":
      return isNumber && value <= (operand as number);
    case "contains":
      return contains(value, operand);
    case "contains_all":
      return (operand as unknown[]).every((item) => contains(value, item));
    case "contains_any":
      return (operand as unknown[]).some((item) => contains(value, item));
    case "older_than": {
      const age = ageOf(value, now);
      return age !== undefined && age > parseDuration(operand as string);
    }
    case "newer_than": {
      const age = ageOf(value, now);
      return age !== undefined && age <= parseDuration(operand as string);
    }
  }
  throw new Error(`reference: unknown operator ${operator}`);
}

const PER_ELEMENT = ["eq", "ne", "in", "not_in", "matches", "glob", "gt", "ge", "lt", "le", "older_than", "newer_than"];

function leaf(
  node: Record<string, unknown>,
  view: Record<string, unknown>,
  subject: Subject,
  policy: Policy,
  now: number,
): Explained {
  const field = node.field as string;
  const operator = Object.keys(node).find((key) => key !== "field" && key !== "match")!;
  const raw = node[operator];
  const operand = operandOf(raw, policy, subject);
  const value = read(view, field);
  const described = typeof raw === "string" && raw.startsWith("$policy.") ? raw : JSON.stringify(raw);
  const evidence = [{ field, value, expected: `${node.match === "all" ? "all " : ""}${operator} ${described}` }];
  const matchesAnything =
    operator === "glob" && (typeof operand === "string" ? [operand] : (operand as string[])).includes("*");
  const whenUnknown: Truth = matchesAnything ? "true" : "unknown";
  const one = (item: unknown): Truth =>
    isUnknownValue(item) ? whenUnknown : holds(operator, operand, item, now) ? "true" : "false";
  if (isUnknownValue(value) || !PER_ELEMENT.includes(operator) || !Array.isArray(value))
    return { truth: one(value), evidence };
  return { truth: kleene(value.map(one), node.match === "all"), evidence };
}

/** `all` (every) or `any` of truths: a deciding false (all) or true (any) wins over unknown. */
function kleene(truths: readonly Truth[], every: boolean): Truth {
  if (truths.includes(every ? "false" : "true")) return every ? "false" : "true";
  if (truths.includes("unknown")) return "unknown";
  return every ? "true" : "false";
}

function explain(
  node: unknown,
  view: Record<string, unknown>,
  subject: Subject,
  policy: Policy,
  now: number,
): Explained {
  const record = node as Record<string, unknown>;
  if ("not" in record) {
    const inner = explain(record.not, view, subject, policy, now);
    const truth: Truth = inner.truth === "unknown" ? "unknown" : inner.truth === "true" ? "false" : "true";
    return { truth, evidence: inner.evidence.map((item) => ({ ...item, expected: `not (${item.expected})` })) };
  }
  if ("all" in record || "any" in record) {
    const every = "all" in record;
    const results = ((every ? record.all : record.any) as unknown[]).map((child) =>
      explain(child, view, subject, policy, now),
    );
    const truth = kleene(
      results.map((result) => result.truth),
      every,
    );
    const deciding =
      !every && truth === "true"
        ? [results.find((result) => result.truth === "true")!]
        : results.filter((result) => result.truth === truth);
    return { truth, evidence: deciding.flatMap((result) => result.evidence) };
  }
  return leaf(record, view, subject, policy, now);
}

function waiverFor(ruleId: string, subject: Subject, policy: Policy, now: number): WaiverRef | undefined {
  const names =
    subject.subject === "api-call"
      ? [subject.eventId, subject.principal].filter((name) => typeof name === "string")
      : [subject.id, subject.name, ...(subject.source?.path === undefined ? [] : [subject.source.path])];
  const waiver = policy.waivers.find(
    (candidate) =>
      plainGlobMatch(candidate.rule, ruleId) && names.some((name) => plainGlobMatch(candidate.subject, name as string)),
  );
  if (waiver === undefined) return undefined;
  const ends =
    waiver.expires === undefined
      ? Number.POSITIVE_INFINITY
      : (waiverEndsAt(waiver.expires) ?? Number.NEGATIVE_INFINITY);
  return {
    reason: waiver.reason,
    approver: waiver.approver,
    ...(waiver.expires === undefined ? {} : { expires: waiver.expires }),
    expired: now >= ends,
  };
}

/** Every applicable rule's judgement of one subject, in rule order. */
export function referenceJudgements(
  rules: readonly Rule[],
  policy: Policy,
  subject: Subject,
  now: Date,
): ReferenceJudgement[] {
  const time = now.getTime();
  const view = viewOf(subject, policy);
  return rules
    .filter((rule) => appliesTo(rule, subject))
    .map((rule) => {
      const { truth, evidence } = explain(rule.condition, view, subject, policy, time);
      const onUnknown = rule.unknown ?? policy.unknown;
      const outcome: Outcome = truth === "true" ? "violation" : truth === "false" ? "pass" : onUnknown;
      if (outcome === "pass") return { ruleId: rule.id, outcome, evidence: [] };
      const waiver = waiverFor(rule.id, subject, policy, time);
      return {
        ruleId: rule.id,
        outcome: waiver !== undefined && !waiver.expired ? "waived" : outcome,
        evidence,
        ...(waiver === undefined ? {} : { waiver }),
      };
    });
}

function shown(value: unknown): string {
  if (value === undefined) return "absent";
  if (isUnknownValue(value)) {
    const reason = (value as { reason?: unknown }).reason;
    return reason === undefined ? "unknown" : `unknown (${reason})`;
  }
  return JSON.stringify(value);
}

/** The findings a sweep or the gate records for one subject: every judgement that is not a pass. */
export function referenceFindings(rules: readonly Rule[], policy: Policy, subject: Subject, now: Date): Finding[] {
  const isCall = subject.subject === "api-call";
  const ref = {
    type: subject.subject,
    provider: subject.provider,
    account: subject.account,
    region: subject.region,
    kind: isCall ? "api-call" : subject.kind,
    nativeType: isCall ? subject.service : subject.type,
    id: isCall ? subject.eventId : subject.id,
    name: isCall ? `${subject.service}:${subject.operation}` : subject.name,
  } as const;
  const byId = new Map(rules.map((rule) => [rule.id, rule]));
  return referenceJudgements(rules, policy, subject, now)
    .filter((judgement) => judgement.outcome !== "pass")
    .map((judgement): Finding => {
      const rule = byId.get(judgement.ruleId)!;
      const status = judgement.outcome === "waived" ? "waived" : judgement.outcome === "unknown" ? "unknown" : "open";
      const detail = judgement.evidence
        .filter((_, index) => index < 3)
        .map((item) => `${item.field} = ${shown(item.value)}`)
        .join(", ");
      const change = isCall ? undefined : subject.change;
      return {
        id: createHash("sha256").update(`${rule.id}\n${ref.type}|${ref.provider}|${ref.id}`).digest("hex").slice(0, 32),
        ruleId: rule.id,
        title: rule.title,
        severity: rule.severity,
        status,
        subject: ref,
        message: `${status === "unknown" ? "cannot tell: " : ""}${rule.title}: ${ref.name}${detail === "" ? "" : ` (${detail})`}`,
        evidence: judgement.evidence,
        remediation: rule.remediation,
        references: rule.references,
        frameworks: rule.frameworks,
        ...(judgement.waiver === undefined ? {} : { waiver: judgement.waiver }),
        ...(change === undefined ? {} : { change }),
        ...(subject.source === undefined ? {} : { source: subject.source }),
        observedAt: now.toISOString(),
      };
    });
}

/** A glob read the plain way, backtracking to the last `*` on a mismatch (the engine compiles its globs instead). */
export function plainGlobMatch(pattern: string, text: string): boolean {
  let p = 0;
  let t = 0;
  let starP = -1;
  let starT = 0;
  while (t < text.length) {
    const c = pattern[p];
    if (c === "*") {
      starP = p++;
      starT = t;
    } else if (c !== undefined && (c === "?" || c === text[t])) {
      p++;
      t++;
    } else if (starP >= 0) {
      p = starP + 1;
      t = ++starT;
    } else {
      return false;
    }
  }
  while (pattern[p] === "*") p++;
  return p === pattern.length;
}
