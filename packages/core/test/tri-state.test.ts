import { describe, expect, it } from "vitest";
import { defaultPolicy, policyFromSource } from "../src/policy.ts";
import { unknown } from "../src/unknown.ts";
import { asset, outcomeOf } from "./rule-fixture.ts";
import { createEngine } from "../src/engine.ts";
import { ruleWith } from "./rule-fixture.ts";

const T = { field: "public", eq: true };
const F = { field: "cmk", eq: true };
const U = { field: "logging", eq: true };
const subject = asset({ public: true, cmk: false, logging: unknown("denied") });

describe("Kleene logic over true / false / unknown", () => {
  const table: [string, unknown, string][] = [
    ["T", T, "violation"],
    ["F", F, "pass"],
    ["U", U, "unknown"],
    ["all(T,U)", { all: [T, U] }, "unknown"],
    ["all(F,U)", { all: [F, U] }, "pass"],
    ["all(T,T)", { all: [T, T] }, "violation"],
    ["any(T,U)", { any: [T, U] }, "violation"],
    ["any(F,U)", { any: [F, U] }, "unknown"],
    ["any(F,F)", { any: [F, F] }, "pass"],
    ["not U", { not: U }, "unknown"],
    ["not T", { not: T }, "pass"],
    ["not F", { not: F }, "violation"],
    ["nested", { all: [{ any: [F, T] }, { not: F }] }, "violation"],
  ];
  for (const [name, condition, expected] of table) {
    it(name, () => expect(outcomeOf(condition, subject)).toBe(expected));
  }

  it("an unknown intermediate object makes the whole path unknown", () => {
    expect(outcomeOf({ field: "tags.owner", exists: false }, asset({ tags: unknown("known after apply") }))).toBe(
      "unknown",
    );
  });
});

describe("what unknown means", () => {
  it("follows the rule's own setting first", () => {
    const engine = createEngine([ruleWith(U, { unknown: "violation" })], defaultPolicy());
    expect(engine.judge(subject)[0]?.outcome).toBe("violation");
  });
  it("else the policy's", () => {
    const policy = policyFromSource({ file: "p", value: { unknown: "pass" }, locate: () => ({ file: "p" }) });
    expect(createEngine([ruleWith(U)], policy).judge(subject)[0]?.outcome).toBe("pass");
  });
  it("an unknown finding says so and carries the unknown value as evidence", () => {
    const [finding] = createEngine([ruleWith(U)], defaultPolicy()).findings(subject);
    expect(finding?.status).toBe("unknown");
    expect(finding?.evidence[0]).toMatchObject({ field: "logging", value: { $unknown: true, reason: "denied" } });
    expect(finding?.message).toMatch(/^cannot tell: /);
  });
});

describe("an unknown value against a glob that matches everything", () => {
  it("is not unknown: with every model approved, a model known only at apply is approved", () => {
    const condition = { not: { field: "models", match: "all", glob: "$policy.approved_models" } };
    expect(outcomeOf(condition, asset({ models: unknown("known after apply") }))).toBe("pass");
    expect(outcomeOf(condition, asset({ models: ["x", unknown("known after apply")] }))).toBe("pass");
  });
  it("stays unknown against a narrower list", () => {
    const policy = policyFromSource({
      file: "p",
      value: { approved_models: ["gpt-4o*"] },
      locate: () => ({ file: "p" }),
    });
    const condition = { not: { field: "models", match: "all", glob: "$policy.approved_models" } };
    expect(outcomeOf(condition, asset({ models: unknown("known after apply") }), policy)).toBe("unknown");
  });
});
