import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { jsonPieces } from "../src/json-text.ts";

const text = (value: unknown) => [...jsonPieces(value)].join("");

/** JSON values, and what JSON.stringify leaves out or turns into null: undefined, functions, dates. */
const value = fc.letrec((tie) => ({
  any: fc.oneof(
    { depthSize: "small" },
    fc.jsonValue({ maxDepth: 2 }),
    fc.constantFrom(undefined, () => 1, new Date(0), "line\nbreak", "\u2028"),
    fc.array(tie("any"), { maxLength: 5 }),
    fc.dictionary(fc.string(), tie("any"), { maxKeys: 5 }),
  ),
}));

describe("jsonPieces", () => {
  it("joins to exactly what JSON.stringify(value, null, 2) writes", () => {
    fc.assert(
      fc.property(fc.oneof(fc.array(value.any), fc.dictionary(fc.string(), value.any)), (input) => {
        expect(text(input)).toBe(JSON.stringify(input, null, 2));
      }),
      { numRuns: 2000 },
    );
  });

  it("hands a large result on in pieces of about 64 KiB", () => {
    const findings = Array.from({ length: 3000 }, (_, index) => ({
      id: `finding-${index}`,
      evidence: [{ field: "public", value: true }],
      message: "x".repeat(100),
    }));
    const pieces = [...jsonPieces({ verdict: "blocked", findings })];
    expect(pieces.length).toBeGreaterThan(5);
    expect(Math.max(...pieces.map((piece) => piece.length))).toBeLessThan(70 * 1024);
    expect(pieces.join("")).toBe(JSON.stringify({ verdict: "blocked", findings }, null, 2));
  });
});
