import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compileGlobs, globMatchAny } from "../src/glob.ts";

const glob = fc.string({ unit: fc.constantFrom("a", "b", ".", "*", "?"), maxLength: 6 });
const text = fc.string({ unit: fc.constantFrom("a", "b", ".", "*", "?", "c"), maxLength: 8 });

describe("a compiled glob list", () => {
  it("matches exactly what matching each glob in turn matches", () => {
    fc.assert(
      fc.property(
        fc.array(glob, { maxLength: 4 }),
        fc.array(text, { minLength: 1, maxLength: 6 }),
        (patterns, texts) => {
          const matches = compileGlobs(patterns);
          for (const sample of texts)
            expect(matches(sample), `${JSON.stringify(patterns)} on ${sample}`).toBe(globMatchAny(patterns, sample));
        },
      ),
      { numRuns: 3000 },
    );
  });
});
