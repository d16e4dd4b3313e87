import { createEngine } from "./engine.ts";
import { AigovError, type Position } from "./errors.ts";
import type { Outcome } from "./finding.ts";
import type { Subject } from "./model.ts";
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
 * A hook for rule features that judge more than one subject at a time (log aggregation): when it returns an
 * outcome, that is the test's result; when it returns undefined, the test runs as a single-subject test.
 */
export type RuleTestRunner = (rule: Rule, test: RuleTest, policy: Policy, now: Date) => Outcome | undefined;

/**
 * Runs every inline test of every rule, each against the built-in default policy plus the test's own `policy:`,
 * so a rule pack's tests give the same result on every machine whatever the organization's aigov.yaml says.
 */
export function runRuleTests(rules: readonly Rule[], runners: readonly RuleTestRunner[] = []): RuleTestResult[] {
  const results: RuleTestResult[] = [];
  for (const rule of rules) {
    rule.tests.forEach((test, index) => {
      const position = rule.source.locate(["tests", index]);
      const policy = test.policy === undefined ? defaultPolicy() : testPolicy(rule, index);
      const now = test.now === undefined ? new Date() : new Date(test.now);
      if (Number.isNaN(now.getTime())) {
        throw new AigovError("RULE_TEST_INVALID", `test '${test.name}': now '${test.now}' is not a date`, {
          position: rule.source.locate(["tests", index, "now"]),
        });
      }
      let actual: Outcome | undefined;
      for (const runner of runners) {
        actual ??= runner(rule, test, policy, now);
      }
      if (actual === undefined) {
        if (test.subject === undefined) {
          throw new AigovError("RULE_TEST_INVALID", `test '${test.name}' has no subject`, {
            position,
            hint: "add subject: { … } (the asset, key or api-call to judge)",
          });
        }
        const engine = createEngine([rule], policy, { now });
        const subject = completeSubject(rule, test.subject);
        const judgement = engine.judge(subject).find((item) => item.rule === rule);
        actual = judgement?.outcome ?? "not-applicable";
      }
      results.push({ rule, test, expected: test.expect, actual, passed: actual === test.expect, position });
    });
  }
  return results;
}

function testPolicy(rule: Rule, index: number): Policy {
  const base = rule.source;
  const path = ["tests", index, "policy"] as const;
  return policyFromSource({
    file: base.file,
    value: rule.tests[index]!.policy,
    locate: (inner) => base.locate([...path, ...inner]),
  });
}

/** Test subjects may leave out what the rule's applies_to already says: subject type, provider, kind, type, id. */
export function completeSubject(rule: Rule, partial: Readonly<Record<string, unknown>>): Subject {
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
  return { ...defaults, ...partial } as unknown as Subject;
}
