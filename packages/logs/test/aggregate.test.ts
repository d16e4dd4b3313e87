import {
  type ApiCall,
  createAggregator,
  defaultPolicy,
  type Finding,
  findingId,
  memoryFirstSeenStore,
  parsePolicy,
  parseRule,
  unknown,
} from "@aigov/core";
import { describe, expect, it } from "vitest";

function rule(aggregate: string, condition = "field: operation\n  eq: InvokeModel") {
  const text = `id: test-aggregate
title: test aggregate rule
severity: high
description: d
risk: r
remediation: { text: t }
applies_to: { subject: api-call }
condition:
  ${condition}
aggregate:
${aggregate}
tests:
  - { name: a, subjects: [{}], expect: pass }
  - { name: b, subjects: [{}], expect: pass }
`;
  return parseRule(text, "test-aggregate.yaml");
}

let sequenceNumber = 0;
function call(fields: Partial<Record<keyof ApiCall, unknown>>): ApiCall {
  sequenceNumber += 1;
  return {
    subject: "api-call",
    provider: "aws",
    account: "111122223333",
    region: "us-east-1",
    time: "2026-11-20T10:00:00Z",
    service: "bedrock",
    operation: "InvokeModel",
    principal: "arn:aws:iam::111122223333:user/a",
    authType: "iam",
    outcome: "success",
    eventId: `e${sequenceNumber}`,
    native: {},
    ...fields,
  } as ApiCall;
}

function feed(
  aggregate: string,
  calls: ApiCall[],
  options: Parameters<typeof createAggregator>[2] = {},
  policy = defaultPolicy(),
): Finding[] {
  const aggregator = createAggregator([rule(aggregate)], policy, options);
  return calls.flatMap((item) => aggregator.push(item));
}

describe("aggregate rules", () => {
  it("threshold within a window: fires once per group, with the group as the subject and a stable id", () => {
    const calls = ["10:00", "10:04", "10:09", "10:10"].map((minute) => call({ time: `2026-11-20T${minute}:00Z` }));
    const findings = feed("  by: [principal]\n  window: 10m\n  threshold: 3", calls);
    expect(findings).toHaveLength(1);
    const finding = findings[0]!;
    expect(finding.subject.id).toBe("principal=arn:aws:iam::111122223333:user/a");
    expect(finding.id).toBe(findingId("test-aggregate", finding.subject));
    expect(finding.evidence).toContainEqual(expect.objectContaining({ field: "count", value: 3 }));
    expect(finding.evidence).toContainEqual(
      expect.objectContaining({ field: "eventIds", value: [calls[0]!.eventId, calls[1]!.eventId, calls[2]!.eventId] }),
    );
  });

  it("threshold: calls spread wider than the window do not fire; out-of-order calls inside it do", () => {
    const spread = ["10:00", "10:20", "10:40"].map((minute) => call({ time: `2026-11-20T${minute}:00Z` }));
    expect(feed("  by: [principal]\n  window: 30m\n  threshold: 3", spread)).toEqual([]);
    const shuffled = ["10:09", "10:00", "10:05"].map((minute) => call({ time: `2026-11-20T${minute}:00Z` }));
    expect(feed("  by: [principal]\n  window: 10m\n  threshold: 3", shuffled)).toHaveLength(1);
  });

  it("calls the condition does not select, or whose group is unknown, are not counted", () => {
    const calls = [call({ operation: "ListFoundationModels" }), call({ principal: unknown("key auth") }), call({})];
    expect(feed("  by: [principal]\n  threshold: 2", calls)).toEqual([]);
  });

  it("keeps at most max_groups groups: the least recently active is evicted and starts again", () => {
    const a = "arn:aws:iam::1:user/a";
    const b = "arn:aws:iam::1:user/b";
    const c = "arn:aws:iam::1:user/c";
    const calls = [a, b, c, b, a].map((principal) => call({ principal }));
    // With room for 2 groups, c evicts a (least recently active), b survives and reaches 2; a's second call counts as its first.
    const findings = feed("  by: [principal]\n  threshold: 2\n  max_groups: 2", calls);
    expect(findings.map((finding) => finding.subject.id)).toEqual([`principal=${b}`]);
  });

  it("sequence: steps in order by one group within the window; a late step restarts the sequence", () => {
    const spec =
      "  by: [principal]\n  window: 1h\n  sequence:\n    - { field: operation, eq: PutUseCaseForModelAccess }\n    - { field: operation, eq: InvokeModel }";
    const condition = "field: service\n  eq: bedrock";
    const aggregator = createAggregator([rule(spec, condition)], defaultPolicy());
    const late = [
      call({ operation: "PutUseCaseForModelAccess", time: "2026-11-20T08:00:00Z" }),
      call({ operation: "InvokeModel", time: "2026-11-20T09:30:00Z" }),
    ];
    expect(late.flatMap((item) => aggregator.push(item))).toEqual([]);
    const inTime = [
      call({ operation: "PutUseCaseForModelAccess", time: "2026-11-20T10:00:00Z" }),
      call({ operation: "InvokeModel", time: "2026-11-20T10:30:00Z" }),
    ];
    const findings = inTime.flatMap((item) => aggregator.push(item));
    expect(findings).toHaveLength(1);
    expect(findings[0]!.evidence).toContainEqual(
      expect.objectContaining({ field: "eventIds", value: [inTime[0]!.eventId, inTime[1]!.eventId] }),
    );
  });

  it("first_seen: once per group across aggregators sharing a store", () => {
    const firstSeen = memoryFirstSeenStore();
    const spec = "  by: [account, service]\n  first_seen: true";
    expect(feed(spec, [call({}), call({})], { firstSeen })).toHaveLength(1);
    expect(feed(spec, [call({})], { firstSeen })).toEqual([]);
    expect(feed(spec, [call({ account: "999999999999" })], { firstSeen })).toHaveLength(1);
  });

  it("a policy waiver naming the group waives the finding", () => {
    const policy = parsePolicy(
      `waivers:
  - rule: test-aggregate
    subject: "principal=arn:aws:iam::111122223333:user/*"
    reason: load test
    approver: sec@example.com
    expires: "2099-01-01"
`,
      "aigov.yaml",
    );
    const findings = feed("  by: [principal]\n  threshold: 1", [call({})], {}, policy);
    expect(findings.map((finding) => finding.status)).toEqual(["waived"]);
  });
});
