import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compileGlob, compileGlobs, globExpression } from "../src/glob.ts";
import { plainGlobMatch } from "./reference-engine.ts";

// Few letters, so that parts of a glob recur and overlap in a text (where a search that skips too far goes wrong).
const glob = fc.string({ unit: fc.constantFrom("a", "a", "b", ":", "*", "?"), maxLength: 10 });
const text = fc.string({ unit: fc.constantFrom("a", "a", "a", "b", ":", "*", "?", "é", "😀"), maxLength: 16 });

describe("globs", () => {
  it("match exactly what the plain backtracking reading of a glob matches", () => {
    fc.assert(
      fc.property(glob, fc.array(text, { minLength: 1, maxLength: 8 }), (pattern, texts) => {
        const matches = compileGlob(pattern);
        for (const sample of texts)
          expect(matches(sample), `${pattern} on ${sample}`).toBe(plainGlobMatch(pattern, sample));
      }),
      { numRuns: 5000 },
    );
  });

  it("agree on texts made from the glob itself: its stars and marks filled in, and then one unit changed", () => {
    const filling = fc.string({ unit: fc.constantFrom("a", "b", ":"), maxLength: 4 });
    fc.assert(
      fc.property(glob, fc.array(filling, { minLength: 12, maxLength: 12 }), fc.nat(), (pattern, fills, change) => {
        let next = 0;
        const made = [...pattern]
          .map((unit) => (unit === "*" ? fills[next++ % fills.length]! : unit === "?" ? "a" : unit))
          .join("");
        const changed =
          made === "" ? "a" : `${made.slice(0, change % made.length)}a${made.slice((change % made.length) + 1)}`;
        for (const sample of [made, changed, `a${made}`, `${made}a`])
          expect(compileGlob(pattern)(sample), `${pattern} on ${sample}`).toBe(plainGlobMatch(pattern, sample));
      }),
      { numRuns: 5000 },
    );
  });

  it("written as an expression (for generated code), match what the compiled glob matches, non-strings too", () => {
    // Globs with quotes and escapes in their text, on strings and other values; those written out (no `?`) counted.
    const written = fc.string({ unit: fc.constantFrom("a", "b", ":", "*", '"', "\\", "\u2028", "é"), maxLength: 10 });
    const value = fc.oneof(
      fc.string({ unit: fc.constantFrom("a", "b", ":", '"', "\\", "\u2028", "é"), maxLength: 12 }),
      fc.constantFrom(undefined, null, 0, 1, true, ["a"], { a: "a" }),
    );
    let writtenOut = 0;
    fc.assert(
      fc.property(
        fc.oneof(written, glob),
        fc.array(value, { minLength: 1, maxLength: 8 }),
        written,
        fc.array(fc.string({ unit: fc.constantFrom("a", "b", ":", '"'), maxLength: 3 }), {
          minLength: 8,
          maxLength: 8,
        }),
        (pattern, values, others, fills) => {
          const compiled = compileGlob(pattern) as (text: unknown) => boolean;
          // Which units are rare (where a part is searched for from) is counted in other globs' text: any counts agree.
          const unitCounts = new Map<number, number>();
          for (const unit of others) unitCounts.set(unit.charCodeAt(0), (unitCounts.get(unit.charCodeAt(0)) ?? 0) + 1);
          const expression = globExpression(pattern, "text", "compiled(text)", unitCounts);
          if (expression !== "compiled(text)") writtenOut++;
          const test = new Function("text", "compiled", `return ${expression};`) as (
            text: unknown,
            compiled: (text: unknown) => boolean,
          ) => boolean;
          // Texts the glob matches (its stars filled, often with nothing, so parts meet) and ones it nearly matches.
          let next = 0;
          const made = [...pattern]
            .map((unit) => (unit === "*" ? fills[next++ % fills.length]! : unit === "?" ? "a" : unit))
            .join("");
          for (const sample of [...values, made, `${made}a`, `a${made}`, made.slice(1), made.slice(0, -1)])
            expect(test(sample, compiled), `${pattern} on ${String(sample)}`).toBe(compiled(sample));
        },
      ),
      { numRuns: 5000 },
    );
    expect(writtenOut).toBeGreaterThan(2000);
  });

  it("compiled as a list, match when one of them does", () => {
    fc.assert(
      fc.property(
        fc.array(glob, { maxLength: 4 }),
        fc.array(text, { minLength: 1, maxLength: 6 }),
        (patterns, texts) => {
          const matches = compileGlobs(patterns);
          for (const sample of texts)
            expect(matches(sample), `${JSON.stringify(patterns)} on ${sample}`).toBe(
              patterns.some((pattern) => plainGlobMatch(pattern, sample)),
            );
        },
      ),
      { numRuns: 3000 },
    );
  });

  it("match ARNs and ids the way policies write them", () => {
    const arn = "arn:aws:sagemaker:us-east-1:100000000001:endpoint/ep-0";
    expect(compileGlob("arn:aws:sagemaker:*:100000000001:endpoint/*")(arn)).toBe(true);
    expect(compileGlob("arn:aws:*:*:100000000049:*")(arn)).toBe(false);
    expect(compileGlob("arn:aws:sagemaker:??-east-1:*")(arn)).toBe(true);
    expect(compileGlob("*ep-0")(arn)).toBe(true);
    expect(compileGlob("*ep-0*ep-0")(arn)).toBe(false);
    expect(compileGlob("gpt-4o")("gpt-4o-mini")).toBe(false);
  });

  it("match a glob by its end, middle and head alike, whichever is compared first", () => {
    const model = compileGlob("arn:aws:sagemaker:*:*:model/support-chat-model");
    expect(model("arn:aws:sagemaker:us-east-1:100000000001:model/support-chat-model")).toBe(true);
    expect(model("arn:aws:sagemaker:us-east-1:100000000001:model/support-chat-model-2")).toBe(false);
    expect(model("arn:aws:bedrock:us-east-1:100000000001:model/support-chat-model")).toBe(false);
    expect(model("arn:aws:sagemaker:us-east-1/model/support-chat-model")).toBe(false);
    expect(model("arn:aws:sagemaker::model/support-chat-model")).toBe(false);
    expect(model("arn:aws:sagemaker:::model/support-chat-model")).toBe(true);
    const marked = compileGlob("arn:aws:sagemaker:*:*:model/m-2?");
    expect(marked("arn:aws:sagemaker:eu-west-1:100000000001:model/m-21")).toBe(true);
    expect(marked("arn:aws:sagemaker:eu-west-1:100000000001:model/m-211")).toBe(false);
    expect(marked("arn:aws:bedrock:eu-west-1:100000000001:model/m-21")).toBe(false);
    expect(marked("arn:aws:sagemaker:eu-west-1:model/m-21")).toBe(false);
  });

  it("match a value that is not a string (YAML a rule test's author wrote) only by a glob of stars", () => {
    for (const pattern of ["", "*", "**", "*a", "1", "1*", "?"])
      for (const value of [1, null, { $unknown: true }, ["a"]])
        expect(compileGlob(pattern)(value as unknown as string), `${pattern} on ${JSON.stringify(value)}`).toBe(
          /^\**$/.test(pattern),
        );
  });
});
