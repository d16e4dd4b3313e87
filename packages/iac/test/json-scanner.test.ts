import { AigovError } from "@aigov/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { JSON_ARRAY, JSON_OBJECT, JSON_STRING, type JsonKind, scanJson } from "../src/json-scanner.ts";
import { MAX_JSON_DEPTH, parseStrictJson } from "../src/index.ts";
import { applyEdits, JSON_EDIT_CHARACTERS, jsonEdits } from "./mutated-json.ts";

function scanError(text: string): AigovError | undefined {
  try {
    scanJson(text, { file: "in.json" });
    return undefined;
  } catch (error) {
    expect(error).toBeInstanceOf(AigovError);
    return error as AigovError;
  }
}

function parses(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/**
 * An independent opinion on duplicate keys, for text JSON.parse accepts: tokens by regular expression, a string
 * followed by ':' is a key, keys compared after decoding.
 */
function hasDuplicateKey(text: string): boolean {
  const tokens = text.match(/"(?:[^"\\]|\\.)*"|[{}[\]:,]|[^"{}[\]:,\s]+/g) ?? [];
  const open: (Set<string> | undefined)[] = [];
  for (let index = 0; index < tokens.length; index++) {
    const token = tokens[index]!;
    if (token === "{") open.push(new Set());
    else if (token === "[") open.push(undefined);
    else if (token === "}" || token === "]") open.pop();
    else if (token.startsWith('"') && tokens[index + 1] === ":") {
      const keys = open.at(-1)!;
      const key = JSON.parse(token) as string;
      if (keys.has(key)) return true;
      keys.add(key);
    }
  }
  return false;
}

const spaced = (text: string, spaces: readonly string[]) => {
  let index = 0;
  // Strings are matched first so that what they hold is left alone.
  return text.replace(/"(?:[^"\\]|\\.)*"|[,:{}[\]]/g, (token) =>
    token.startsWith('"') ? token : `${token}${spaces[index++ % spaces.length] ?? ""}`,
  );
};

describe("scanJson accepts exactly what JSON.parse accepts, less duplicate keys", () => {
  it("accepts 3,000 generated documents, in any layout, and parseStrictJson gives JSON.parse's value", () => {
    fc.assert(
      fc.property(
        fc.jsonValue({ maxDepth: 6 }),
        fc.array(fc.constantFrom("", " ", "\n", "\t", "\r\n  "), { minLength: 1, maxLength: 5 }),
        (value, spaces) => {
          const text = spaced(JSON.stringify(value), spaces);
          expect(scanError(text)).toBeUndefined();
          expect(parseStrictJson(text, { file: "in.json" })).toEqual(JSON.parse(text));
        },
      ),
      { numRuns: 3000, seed: 11 },
    );
  });

  it("agrees with JSON.parse (and an independent duplicate check) on 5,000 mutated documents", () => {
    const alphabet = fc.constantFrom(...JSON_EDIT_CHARACTERS);
    let refused = 0;
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 4 }), jsonEdits(alphabet, 1), (value, edits) => {
        const text = applyEdits(JSON.stringify(value), edits);
        const error = scanError(text);
        const valid = parses(text) && !hasDuplicateKey(text);
        if (valid) expect(error, text).toBeUndefined();
        else {
          refused++;
          expect(error, text).toBeDefined();
          expect(["PLAN_INVALID_JSON", "PLAN_DUPLICATE_KEY", "PLAN_MULTIPLE_DOCUMENTS"]).toContain(error!.code);
          if (error!.code === "PLAN_DUPLICATE_KEY") expect(hasDuplicateKey(text)).toBe(true);
        }
      }),
      { numRuns: 5000, seed: 12 },
    );
    expect(refused).toBeGreaterThan(1000);
  });

  it("refuses a key twice in any object of 2,000 documents, at the second key's line and column", () => {
    fc.assert(
      fc.property(
        fc.dictionary(fc.string({ maxLength: 6 }), fc.jsonValue({ maxDepth: 2 }), { minKeys: 1, maxKeys: 40 }),
        fc.nat(),
        fc.jsonValue({ maxDepth: 1 }),
        fc.boolean(),
        (object, pick, other, escaped) => {
          const keys = Object.keys(object);
          const key = keys[pick % keys.length]!;
          // The same key again, maybe spelled with \u escapes: it decodes to the same name.
          const spelled = escaped
            ? `"${[...key].map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`).join("")}"`
            : JSON.stringify(key);
          const inner = JSON.stringify(object);
          const text = `{"outer":\n${inner.slice(0, -1)}${keys.length > 0 ? "," : ""}${spelled}:${JSON.stringify(other)}}}`;
          const error = scanError(text);
          expect(error?.code).toBe("PLAN_DUPLICATE_KEY");
          expect(error?.message).toContain(JSON.stringify(key));
          expect(error?.message).toContain("(at outer)");
          expect(error?.position?.line).toBe(2);
          expect(error?.position?.column).toBe(inner.length + 1);
        },
      ),
      { numRuns: 2000, seed: 13 },
    );
  });
});

describe("what JSON.parse lets through and the gate must not", () => {
  it("a second document after the first, on the same line or the next", () => {
    for (const text of ['{"a":1}{"a":2}', '{"a":1}\n{"a":2}', "[1] [2]", '{} "x"', "{}\n\n-1"]) {
      expect(scanError(text)?.code, text).toBe("PLAN_MULTIPLE_DOCUMENTS");
    }
    expect(scanError('{"a":1}\n{"a":2}')?.position).toEqual({ file: "in.json", line: 2, column: 1 });
    expect(scanError("{} x")?.code).toBe("PLAN_INVALID_JSON");
  });

  it("nesting 10,000 levels deep is 'too deeply nested' with where it happened, not a stack overflow", () => {
    for (const [open, close] of [
      ["[", "]"],
      ['{"a":', "}"],
    ] as const) {
      const text = open.repeat(10_000) + close.repeat(10_000);
      const error = scanError(text);
      expect(error?.code).toBe("PLAN_TOO_DEEP");
      expect(error?.message).toContain(`too deeply nested: more than ${MAX_JSON_DEPTH} levels`);
      expect(error?.message).toMatch(/\(at (\[0\]|a\.a\.a)/);
      expect(error?.message).toContain("more levels)");
    }
    const deepest = "[".repeat(MAX_JSON_DEPTH) + "]".repeat(MAX_JSON_DEPTH);
    expect(scanError(deepest)).toBeUndefined();
    expect(scanError(`[${deepest}]`)?.code).toBe("PLAN_TOO_DEEP");
  });

  it("a large object with a duplicate far apart, and one with 100,000 distinct keys", () => {
    const keys = Array.from({ length: 2000 }, (_, index) => `"k${index}":${index}`);
    expect(scanError(`{${keys.join(",")}}`)).toBeUndefined();
    expect(scanError(`{${keys.join(",")},"k3":0}`)?.message).toContain('"k3" twice');
    const many = Array.from({ length: 100_000 }, (_, index) => `"${index}":0`).join(",");
    expect(scanError(`{${many}}`)).toBeUndefined();
  });

  it("wide objects side by side and nested each hold their own keys (a real plan's resources run past 60)", () => {
    const wide = (from: number, extra = "") =>
      `{${Array.from({ length: 100 }, (_, index) => `"k${from + index}":${index}`).join(",")}${extra}}`;
    expect(scanError(`[${wide(0)},${wide(0)},${wide(0, `,"in":${wide(0)}`)}]`)).toBeUndefined();
    expect(scanError(`[${wide(0)},${wide(0, ',"k50":0')}]`)?.message).toContain('"k50" twice');
    expect(scanError(`[${wide(0)},${wide(100, ',"k50":0')}]`)).toBeUndefined();
    expect(scanError(`{"a":${wide(0, ',"\\u006b3":0')}}`)?.message).toMatch(/"k3" twice in one object \(at a\)/);
    expect(scanError(`[${wide(0, `,"in":${wide(0, ',"k99":0')}`)}]`)?.message).toContain('"k99" twice');
    // After an object of 100,000 keys, the wide objects that follow at the same depth see none of its keys.
    const many = Array.from({ length: 100_000 }, (_, index) => `"k${index}":0`).join(",");
    expect(scanError(`[{${many}},${Array.from({ length: 1000 }, () => wide(0)).join(",")}]`)).toBeUndefined();
    expect(scanError(`[{${many}},${wide(0)},${wide(0, ',"k7":0')}]`)?.message).toContain('"k7" twice');
  });

  it("keys and values beyond ASCII: the same key spelled raw and escaped is a duplicate; columns count characters", () => {
    expect(scanError('{"é":1,"\\u00e9":2}')?.code).toBe("PLAN_DUPLICATE_KEY");
    expect(scanError('{"\\ud83d\\ude00":1,"😀":2}')?.code).toBe("PLAN_DUPLICATE_KEY");
    expect(scanError('{"é":"😀","e":"é"}')).toBeUndefined();
    expect(scanError('{"ééé": x}')?.position).toEqual({ file: "in.json", line: 1, column: 9 });
  });

  it("the same key in sibling or nested objects is not a duplicate", () => {
    expect(scanError('{"a":{"a":1},"b":{"a":2},"c":[{"a":1},{"a":2}]}')).toBeUndefined();
  });

  it("truncation is told apart from corruption", () => {
    expect(scanError('{"a": [1, 2')?.message).toContain("truncated");
    expect(scanError('{"a": tru')?.message).toContain("truncated");
    expect(scanError('{"a": "x')?.message).toContain("truncated");
    expect(scanError('{"a": 01}')?.message).toContain("not valid JSON");
    expect(scanError('{"a": "\u0001"}')?.message).toContain("control character");
    expect(scanError('{"a": "\\x"}')?.message).toContain("escape sequence");
  });
});

describe("span readers", () => {
  it("hands a reader the spans of the values it asks for, and nothing under a value it does not", () => {
    const text = '{"skip": {"type": "no"}, "items": [{"type": "a", "n": 1}, {"\\u0074ype": "b\\u0021"}], "last": null}';
    const seen: { role: number; kind: JsonKind; text: string; key?: string }[] = [];
    const opened: number[] = [];
    scanJson(text, {
      file: "in.json",
      reader: {
        rootRole: 1,
        members: { 1: { keys: { items: 2 } }, 2: { other: 3 }, 3: { keys: { type: 4 } } },
        opened: (role) => opened.push(role),
        value(role, kind, start, end, key) {
          seen.push({
            role,
            kind,
            text: Buffer.from(text).toString("utf8", start, end),
            ...(key ? { key: key.text } : {}),
          });
        },
      },
    });
    expect(opened).toEqual([1, 2, 3, 3]);
    expect(seen).toEqual([
      { role: 4, kind: JSON_STRING, text: '"a"', key: "type" },
      { role: 3, kind: JSON_OBJECT, text: '{"type": "a", "n": 1}' },
      // A key spelled with escapes is the same key.
      { role: 4, kind: JSON_STRING, text: '"b\\u0021"', key: "type" },
      { role: 3, kind: JSON_OBJECT, text: '{"\\u0074ype": "b\\u0021"}' },
      { role: 2, kind: JSON_ARRAY, text: '[{"type": "a", "n": 1}, {"\\u0074ype": "b\\u0021"}]', key: "items" },
      { role: 1, kind: JSON_OBJECT, text },
    ]);
  });
});
