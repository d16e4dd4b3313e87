import { readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { compileCondition } from "../src/condition.ts";
import { AigovError } from "../src/errors.ts";
import { defaultPolicy, parsePolicy } from "../src/policy.ts";
import { defaultRulesDir, parseRule } from "../src/rule.ts";

const RULE_FILE = "/rules/ai-public-network-access.yaml";
const validRule = readFileSync(`${defaultRulesDir()}/common/ai-public-network-access.yaml`, "utf8");
const validPolicy = `approved_models:\n  aws: ["anthropic.*"]\nregistry:\n  assets: ["arn:*"]\nwaivers:\n  - rule: x\n    subject: y\n    reason: because\n    approver: me\n    expires: 2026-01-01\ngate:\n  fail_on: high\n`;

/** What a loader may do with any input: succeed, or throw an AigovError that names the file and (mostly) the line. */
function expectTypedPositionedError(load: () => unknown, file: string): void {
  try {
    load();
  } catch (error) {
    expect(error).toBeInstanceOf(AigovError);
    const typed = error as AigovError;
    expect(typed.code).toMatch(/^[A-Z_]+$/);
    expect(typed.position?.file).toBe(file);
    if (!["YAML_TOO_LARGE", "YAML_ALIAS_LIMIT"].includes(typed.code))
      expect(typed.position?.line).toBeGreaterThanOrEqual(1);
  }
}

const loadRule = (text: string) => () => {
  const rule = parseRule(text, RULE_FILE);
  compileCondition(rule.condition, rule.source, ["condition"], defaultPolicy());
};

/** Text edits a person makes by mistake: a deleted, inserted or replaced character. */
const mutated = (base: string) =>
  fc
    .array(
      fc.tuple(
        fc.nat({ max: base.length }),
        fc.constantFrom("delete", "insert", "replace"),
        fc.constantFrom(":", " ", "\n", "-", "{", "[", "'", '"', "&a", "*a", "#", "\t", "x", "1", "!!", "|", ">"),
      ),
      { minLength: 1, maxLength: 6 },
    )
    .map((edits) =>
      edits.reduce((text, [at, kind, chars]) => {
        if (kind === "delete") return text.slice(0, at) + text.slice(at + 1);
        if (kind === "insert") return text.slice(0, at) + chars + text.slice(at);
        return text.slice(0, at) + chars + text.slice(at + 1);
      }, base),
    );

describe("the rule loader never throws anything but a typed, positioned error", () => {
  it("on arbitrary text", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary", maxLength: 400 }), (text) =>
        expectTypedPositionedError(loadRule(text), RULE_FILE),
      ),
      { numRuns: 1500 },
    );
  });
  it("on arbitrary YAML values", () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 4 }), (value) =>
        expectTypedPositionedError(loadRule(stringify(value)), RULE_FILE),
      ),
      { numRuns: 1500 },
    );
  });
  it("on mutations of a valid rule file", () => {
    fc.assert(
      fc.property(mutated(validRule), (text) => expectTypedPositionedError(loadRule(text), RULE_FILE)),
      { numRuns: 2000 },
    );
  });
  it("on rules whose condition is arbitrary", () => {
    const base = parseRule(validRule, RULE_FILE).raw;
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 5 }), (condition) =>
        expectTypedPositionedError(loadRule(stringify({ ...base, condition })), RULE_FILE),
      ),
      { numRuns: 1500 },
    );
  });
});

describe("the policy loader never throws anything but a typed, positioned error", () => {
  const file = "/work/aigov.yaml";
  it("on arbitrary text and values", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary", maxLength: 400 }), (text) =>
        expectTypedPositionedError(() => parsePolicy(text, file), file),
      ),
      { numRuns: 1500 },
    );
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 4 }), (value) =>
        expectTypedPositionedError(() => parsePolicy(stringify(value), file), file),
      ),
      { numRuns: 1500 },
    );
  });
  it("on mutations of a valid policy", () => {
    fc.assert(
      fc.property(mutated(validPolicy), (text) => expectTypedPositionedError(() => parsePolicy(text, file), file)),
      { numRuns: 2000 },
    );
  });
});

describe("hostile files are refused, not expanded", () => {
  it("an alias bomb", () => {
    const bomb = [
      "a: &a [x, x, x, x, x, x, x, x, x]",
      ...Array.from(
        { length: 8 },
        (_, i) =>
          `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [${Array(9)
            .fill(`*${String.fromCharCode(97 + i)}`)
            .join(", ")}]`,
      ),
    ].join("\n");
    expect(() => parsePolicy(bomb, "/bomb.yaml")).toThrowError(expect.objectContaining({ code: "YAML_ALIAS_LIMIT" }));
    expect(() => parseRule(bomb, "/rules/bomb.yaml")).toThrowError(
      expect.objectContaining({ code: "YAML_ALIAS_LIMIT" }),
    );
  });
  it("an oversized file", () => {
    expect(() => parseRule(`description: "${"x".repeat(300 * 1024)}"`, "/rules/big.yaml")).toThrowError(
      expect.objectContaining({ code: "YAML_TOO_LARGE" }),
    );
  });
});
