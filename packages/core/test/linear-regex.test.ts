// The `matches` operator's engine accepts exactly the texts V8's own engine accepts, for every pattern of the subset
// rules may use (V8's engine is the reference here only: rules never run on it, since it can backtrack for ever).
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compileLinearRegex } from "../src/linear-regex.ts";

const atom = fc.constantFrom(
  "a",
  "b",
  "c",
  "-",
  "\\.",
  ".",
  "[ab]",
  "[^a]",
  "[a-c]",
  "\\d",
  "\\w",
  "\\s",
  "\\W",
  "→",
  "^",
  "$",
);
const quantifier = fc.constantFrom("", "", "", "*", "+", "?", "{2}", "{1,}", "{0,2}", "*?", "+?");
// Small patterns (a group holds no group): V8's engine backtracks, and a large nested pattern would take it minutes.
const { pattern } = fc.letrec((tie) => ({
  pattern: fc
    .array(fc.array(fc.tuple(tie("piece"), quantifier), { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 2 })
    .map((options) =>
      options
        .map((pieces) =>
          pieces.map(([piece, times]) => (/^[$^]$/.test(piece as string) ? piece : `${piece}${times}`)).join(""),
        )
        .join("|"),
    ),
  piece: fc.oneof(
    { maxDepth: 1, depthIdentifier: "group" },
    atom,
    tie("pattern").map((inner) => `(${inner})`),
    tie("pattern").map((inner) => `(?:${inner})`),
  ),
}));
const text = fc.string({
  unit: fc.constantFrom("a", "b", "c", "A", "-", ".", "1", " ", "\n", "→", "é"),
  maxLength: 24,
});

function native(source: string): RegExp {
  return source.startsWith("(?i)") ? new RegExp(source.slice(4), "i") : new RegExp(source);
}

describe("the linear regex engine", () => {
  it("accepts exactly what V8's engine accepts, on random patterns and texts", () => {
    fc.assert(
      fc.property(fc.boolean(), pattern, fc.array(text, { minLength: 1, maxLength: 8 }), (ignoreCase, body, texts) => {
        const source = `${ignoreCase ? "(?i)" : ""}${body}`;
        const linear = compileLinearRegex(source);
        // One compiled pattern reads many texts, as a rule does across a sweep: its remembered steps are reused.
        for (const sample of [...texts, ...texts])
          expect(linear.test(sample), `${source} on ${JSON.stringify(sample)}`).toBe(native(source).test(sample));
      }),
      { numRuns: 4000 },
    );
  });

  it("stays right once a pattern has met more states than it remembers", () => {
    // The 9th character from the end decides: 2^9 states, past the cache, so later steps are worked out afresh.
    const source = "(a|b)*a(a|b){8}$";
    const linear = compileLinearRegex(source);
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom("a", "b"), minLength: 0, maxLength: 60 }), (sample) => {
        expect(linear.test(sample)).toBe(new RegExp(source).test(sample));
      }),
      { numRuns: 3000 },
    );
  });
});
