import { describe, expect, it } from "vitest";
import { createEngine } from "../src/engine.ts";
import { FindingRollup } from "../src/finding-rollup.ts";
import type { ApiCall } from "../src/model.ts";
import { unknown } from "../src/unknown.ts";
import { policyFrom, ruleWith } from "./rule-fixture.ts";

const rule = ruleWith({ field: "operation", eq: "InvokeModel" }, { applies_to: { subject: "api-call" } });

function call(fields: Partial<Record<keyof ApiCall, unknown>>): ApiCall {
  return {
    subject: "api-call",
    provider: "aws",
    account: "111122223333",
    region: "us-east-1",
    time: "2026-11-20T10:00:00.000Z",
    service: "bedrock",
    operation: "InvokeModel",
    principal: "arn:aws:iam::111122223333:user/intern",
    model: "anthropic.claude-3-haiku-20240307-v1:0",
    authType: "iam",
    outcome: "success",
    eventId: "e-1",
    native: {},
    ...fields,
  } as ApiCall;
}

function rollUp(calls: readonly ApiCall[], policy = policyFrom("version: 1\n")) {
  const engine = createEngine([rule], policy, { now: new Date("2026-11-21T00:00:00Z") });
  const rollup = new FindingRollup();
  for (const item of calls) rollup.add(engine.findings(item), item);
  return rollup.findings();
}

const evidenceOf = (finding: { evidence: readonly { field: string; value: unknown }[] }) =>
  Object.fromEntries(finding.evidence.map((item) => [item.field, item.value]));

describe("per-call findings rolled up", () => {
  it("one finding per pattern and UTC day, with count, first and last seen, operations and sample event ids", () => {
    const calls = [
      call({ eventId: "e-3", time: "2026-11-20T23:59:59.000Z" }),
      call({ eventId: "e-1", time: "2026-11-20T00:00:00.000Z" }),
      call({ eventId: "e-2", time: "2026-11-20T12:00:00.000Z" }),
      call({ eventId: "e-4", time: "2026-11-21T00:00:00.000Z" }),
      call({ eventId: "e-5", principal: "arn:aws:iam::111122223333:user/other" }),
      call({ eventId: "e-6", model: "meta.llama3-70b-instruct-v1:0" }),
      call({ eventId: "e-7", region: "eu-west-1" }),
    ];
    const findings = rollUp(calls);
    expect(findings.map((finding) => finding.subject.id)).toEqual([
      "principal=arn:aws:iam::111122223333:user/intern,service=bedrock,model=anthropic.claude-3-haiku-20240307-v1:0,account=111122223333,region=us-east-1,window=2026-11-20",
      "principal=arn:aws:iam::111122223333:user/intern,service=bedrock,model=anthropic.claude-3-haiku-20240307-v1:0,account=111122223333,region=us-east-1,window=2026-11-21",
      "principal=arn:aws:iam::111122223333:user/other,service=bedrock,model=anthropic.claude-3-haiku-20240307-v1:0,account=111122223333,region=us-east-1,window=2026-11-20",
      "principal=arn:aws:iam::111122223333:user/intern,service=bedrock,model=meta.llama3-70b-instruct-v1:0,account=111122223333,region=us-east-1,window=2026-11-20",
      "principal=arn:aws:iam::111122223333:user/intern,service=bedrock,model=anthropic.claude-3-haiku-20240307-v1:0,account=111122223333,region=eu-west-1,window=2026-11-20",
    ]);
    expect(evidenceOf(findings[0]!)).toMatchObject({
      count: 3,
      firstSeen: "2026-11-20T00:00:00.000Z",
      lastSeen: "2026-11-20T23:59:59.000Z",
      operations: ["InvokeModel"],
      eventIds: ["e-3", "e-1", "e-2"],
    });
    expect(findings[0]!.message).toBe(
      "test rule: bedrock calls by arn:aws:iam::111122223333:user/intern (model anthropic.claude-3-haiku-20240307-v1:0) on 2026-11-20 (3 calls: InvokeModel, 2026-11-20T00:00:00.000Z … 2026-11-20T23:59:59.000Z)",
    );
  });

  it("the id depends on the pattern, not on the calls read or their order", () => {
    const calls = Array.from({ length: 50 }, (_, i) =>
      call({ eventId: `e-${i}`, time: new Date(Date.parse("2026-11-20T10:00:00Z") + i * 1000).toISOString() }),
    );
    const forward = rollUp(calls);
    const backward = rollUp([...calls].reverse().slice(10));
    expect(forward).toHaveLength(1);
    expect(backward.map((finding) => finding.id)).toEqual(forward.map((finding) => finding.id));
    expect(evidenceOf(forward[0]!).count).toBe(50);
    expect(evidenceOf(backward[0]!).count).toBe(40);
  });

  it("keeps a waived call apart from the open ones of its pattern, and names an unknown principal", () => {
    const policy = policyFrom(`waivers:
  - rule: test-rule
    subject: e-waived
    reason: load test
    approver: ciso@example.com
`);
    const findings = rollUp(
      [
        call({ eventId: "e-open" }),
        call({ eventId: "e-waived" }),
        call({ eventId: "e-key", principal: unknown("key") }),
      ],
      policy,
    );
    expect(findings.map((finding) => [finding.status, finding.subject.id.split(",")[0]])).toEqual([
      ["open", "principal=arn:aws:iam::111122223333:user/intern"],
      ["waived", "principal=arn:aws:iam::111122223333:user/intern"],
      ["open", "principal=(unknown)"],
    ]);
    expect(new Set(findings.map((finding) => finding.id)).size).toBe(3);
  });
});
