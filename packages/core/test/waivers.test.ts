import { describe, expect, it } from "vitest";
import { blocks, createEngine } from "../src/engine.ts";
import { asset, policyFrom, ruleWith } from "./rule-fixture.ts";

const rule = ruleWith({ field: "public", eq: true });
const subject = asset({
  public: true,
  id: "arn:aws:sagemaker:eu-west-1:111111111111:endpoint/legacy-chat",
  name: "legacy-chat",
});
const waiverPolicy = (expires: string) =>
  policyFrom(`waivers:
  - rule: test-*
    subject: "*:endpoint/legacy-*"
    reason: public demo until the private link is ready
    approver: ciso@example.com
    expires: ${expires}
`);

describe("waivers", () => {
  it("a current waiver turns the violation into waived, with reason, approver and expiry", () => {
    const engine = createEngine([rule], waiverPolicy("2026-12-31"), { now: new Date("2026-06-01T00:00:00Z") });
    const [finding] = engine.findings(subject);
    expect(finding?.status).toBe("waived");
    expect(finding?.waiver).toEqual({
      reason: "public demo until the private link is ready",
      approver: "ciso@example.com",
      expires: "2026-12-31",
      expired: false,
    });
    expect(blocks(finding!, engine.policy)).toBe(false);
  });

  it("a waiver lasts through its expiry day", () => {
    const engine = createEngine([rule], waiverPolicy("2026-12-31"), { now: new Date("2026-12-31T23:00:00Z") });
    expect(engine.findings(subject)[0]?.status).toBe("waived");
  });

  it("an expired waiver stops applying and is reported as expired", () => {
    const engine = createEngine([rule], waiverPolicy("2026-01-31"), { now: new Date("2026-06-01T00:00:00Z") });
    const [finding] = engine.findings(subject);
    expect(finding?.status).toBe("open");
    expect(finding?.waiver?.expired).toBe(true);
    expect(blocks(finding!, engine.policy)).toBe(true);
    expect(engine.expiredWaivers().map((waiver) => waiver.reason)).toEqual([
      "public demo until the private link is ready",
    ]);
  });

  it("does not apply to other subjects or rules", () => {
    const engine = createEngine([rule], waiverPolicy("2026-12-31"), { now: new Date("2026-06-01T00:00:00Z") });
    expect(
      engine.findings(asset({ public: true, id: "arn:aws:sagemaker:eu-west-1:1:endpoint/new", name: "new" }))[0]
        ?.status,
    ).toBe("open");
  });

  it("a waiver without a reason is refused at the line it is written", () => {
    expect(() => policyFrom("waivers:\n  - rule: x\n    subject: y\n    approver: z\n")).toThrowError(
      expect.objectContaining({ code: "POLICY_INVALID", position: { file: "/work/aigov.yaml", line: 2, column: 5 } }),
    );
  });

  it("an expiry that is not a date is refused", () => {
    expect(() => waiverPolicy("2026-13-45")).toThrowError(/is not a date/);
  });
});

describe("the gate threshold", () => {
  it("blocks open findings at or above fail_on, and unknown ones only when the policy says so", () => {
    const engine = createEngine([rule], policyFrom("gate:\n  fail_on: critical\n"));
    const [finding] = engine.findings(subject);
    expect(blocks(finding!, engine.policy)).toBe(false);
    expect(blocks(finding!, engine.policy, "high")).toBe(true);
    const unknownFinding = { ...finding!, status: "unknown" as const };
    expect(blocks(unknownFinding, policyFrom("gate:\n  fail_on: high\n  unknown: warn\n"))).toBe(false);
    expect(blocks(unknownFinding, policyFrom("gate:\n  fail_on: high\n  unknown: block\n"))).toBe(true);
  });
});
