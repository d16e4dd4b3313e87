import { stringify } from "yaml";
import { createEngine, type Engine } from "../src/engine.ts";
import type { Asset, Subject } from "../src/model.ts";
import { defaultPolicy, type Policy, parsePolicy } from "../src/policy.ts";
import { parseRule, type Rule } from "../src/rule.ts";

/** A rule around one condition, written as YAML the way a rule author would, so tests go through the loader too. */
export function ruleWith(condition: unknown, extra: Record<string, unknown> = {}): Rule {
  const rule = {
    id: "test-rule",
    title: "test rule",
    severity: "high",
    description: "d",
    risk: "r",
    remediation: { text: "fix" },
    applies_to: { subject: "asset" },
    condition,
    tests: [
      { name: "a", subject: {}, expect: "pass" },
      { name: "b", subject: {}, expect: "pass" },
    ],
    ...extra,
  };
  return parseRule(stringify(rule), `/rules/${rule.id}.yaml`);
}

export function asset(fields: Record<string, unknown> = {}): Asset {
  return {
    subject: "asset",
    provider: "aws",
    account: "111111111111",
    region: "eu-west-1",
    kind: "endpoint",
    type: "AWS::SageMaker::Endpoint",
    id: "arn:aws:sagemaker:eu-west-1:111111111111:endpoint/e1",
    name: "e1",
    tags: {},
    native: {},
    ...fields,
  } as Asset;
}

export function policyFrom(yaml: string): Policy {
  return parsePolicy(yaml, "/work/aigov.yaml");
}

/** The outcome of one condition on one subject, through the real engine. */
export function outcomeOf(condition: unknown, subject: Subject, policy: Policy = defaultPolicy(), now?: Date): string {
  const engine: Engine = createEngine([ruleWith(condition)], policy, now === undefined ? {} : { now });
  return engine.judge(subject)[0]?.outcome ?? "not-applicable";
}
