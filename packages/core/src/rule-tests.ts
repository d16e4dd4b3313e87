import { createAggregator, isAggregateRule } from "./aggregate.ts";
import { createEngine } from "./engine.ts";
import { AigovError, type Position } from "./errors.ts";
import type { Outcome } from "./finding.ts";
import type { ApiCall, Subject } from "./model.ts";
import { defaultPolicy, type Policy, policyFromSource } from "./policy.ts";
import type { Rule, RuleTest } from "./rule.ts";

export interface RuleTestResult {
  readonly rule: Rule;
  readonly test: RuleTest;
  readonly expected: RuleTest["expect"];
  readonly actual: Outcome;
  readonly passed: boolean;
  /** Where the test is written. */
  readonly position: Position;
}

/**
 * Runs every inline test of every rule, each against the built-in default policy plus the test's own `policy:`,
 * so a rule pack's tests give the same result on every machine whatever the organization's aigov.yaml says.
 */
export function runRuleTests(rules: readonly Rule[]): RuleTestResult[] {
  const results: RuleTestResult[] = [];
  for (const rule of rules) {
    rule.tests.forEach((test, index) => {
      const position = rule.source.locate(["tests", index]);
      const policy = test.policy === undefined ? defaultPolicy() : testPolicy(rule, test.policy, index);
      const now = test.now === undefined ? new Date() : new Date(test.now);
      if (Number.isNaN(now.getTime())) {
        throw new AigovError("RULE_TEST_INVALID", `test '${test.name}': now '${test.now}' is not a date`, {
          position: rule.source.locate(["tests", index, "now"]),
        });
      }
      const actual = isAggregateRule(rule)
        ? aggregateOutcome(rule, test, index, policy, now)
        : singleSubjectOutcome(rule, test, index, policy, now);
      results.push({ rule, test, expected: test.expect, actual, passed: actual === test.expect, position });
    });
  }
  return results;
}

/** An ordinary rule's test: its one subject through the engine. */
function singleSubjectOutcome(rule: Rule, test: RuleTest, index: number, policy: Policy, now: Date): Outcome {
  if (test.subject === undefined) {
    throw new AigovError("RULE_TEST_INVALID", `test '${test.name}' has no subject`, {
      position: rule.source.locate(["tests", index]),
      hint: "add subject: { … } (the asset, key or api-call to judge)",
    });
  }
  const engine = createEngine([rule], policy, { now });
  const judgement = engine.judge(completeSubject(rule, test.subject)).find((item) => item.rule === rule);
  return judgement?.outcome ?? "not-applicable";
}

/**
 * An aggregate rule's test: its `subjects:` (api-calls, in log order) go through the aggregator; any finding is a
 * violation (waived when the test's policy waives it), none is a pass.
 */
function aggregateOutcome(rule: Rule, test: RuleTest, index: number, policy: Policy, now: Date): Outcome {
  const subjects = test.subjects ?? (test.subject === undefined ? [] : [test.subject]);
  const aggregator = createAggregator([rule], policy, { now });
  let open = 0;
  let waived = 0;
  for (const partial of subjects) {
    // `$repeat: N` feeds the same call N times (volume rules), with distinct event ids.
    const { $repeat, ...fields } = partial;
    const times = typeof $repeat === "number" && $repeat > 1 ? $repeat : 1;
    for (let repeat = 0; repeat < times; repeat += 1) {
      const call = completeSubject(rule, times === 1 ? fields : { eventId: `test-event-${repeat}`, ...fields });
      for (const finding of aggregator.push(apiCall(call, rule, index))) {
        if (finding.status === "open") open += 1;
        else waived += 1;
      }
    }
  }
  return open > 0 ? "violation" : waived > 0 ? "waived" : "pass";
}

function apiCall(subject: Subject, rule: Rule, index: number): ApiCall {
  if (subject.subject === "api-call") return subject;
  throw new AigovError("RULE_TEST_INVALID", `an aggregate rule judges api-calls, not a ${subject.subject}`, {
    position: rule.source.locate(["tests", index]),
    hint: "remove subject: from the test's calls (the rule's applies_to gives it)",
  });
}

function testPolicy(rule: Rule, policy: RuleTest["policy"], index: number): Policy {
  const base = rule.source;
  const path = ["tests", index, "policy"] as const;
  return policyFromSource({
    file: base.file,
    value: policy,
    locate: (inner) => base.locate([...path, ...inner]),
  });
}

/** Test subjects may leave out what the rule's applies_to already says: subject type, provider, kind, type, id. */
function completeSubject(rule: Rule, partial: Readonly<Record<string, unknown>>): Subject {
  const { appliesTo } = rule;
  const defaults: Record<string, unknown> = {
    subject: appliesTo.subject,
    provider: appliesTo.provider?.[0] ?? "aws",
    id: "test-subject",
    name: typeof partial.id === "string" ? partial.id : "test-subject",
    native: {},
  };
  if (appliesTo.subject === "api-call") {
    Object.assign(defaults, {
      service: appliesTo.type?.[0] ?? "bedrock",
      operation: "InvokeModel",
      eventId: "test-event",
      time: "2026-01-01T00:00:00Z",
      authType: "iam",
      outcome: "success",
    });
  } else {
    Object.assign(defaults, {
      kind: appliesTo.kind?.[0] ?? (appliesTo.subject === "key" ? "key" : "other"),
      type: appliesTo.type?.[0] ?? "test",
      tags: {},
    });
  }
  // A test's subject is YAML the rule author wrote: the engine reads whatever fields it has, like a scanner's.
  return { ...defaults, ...partial } as unknown as Subject;
}
