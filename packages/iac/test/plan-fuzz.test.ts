import { readFileSync } from "node:fs";
import { defaultPolicy, isAigovError, loadRules, type Rule } from "@aigov/core";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { judgePlanned, readGateText } from "../src/index.ts";
import { type HostileClass, hostilePlan } from "./hostile-plans.ts";
import { planPath } from "./plan-fixture.ts";

const policy = defaultPolicy();
let rules: Rule[];
beforeAll(async () => {
  rules = await loadRules({ policy });
});

const sources = [
  "sample-ai-plan.json",
  "checkov/plan_with_deleted_resources.json",
  "checkov/tfplan_win_utf16.json",
  "infracost/plan_with_terraform_wrapper.json",
].map((name) => readFileSync(planPath(name)));

/**
 * What the gate decides about these bytes (the path `aigov gate` takes with a file's contents): an exit code, the
 * refusal's code, or the untyped error that escaped (a bug).
 */
function gateOutcome(input: Uint8Array | string): { code: 0 | 1 | 2; refusal?: string; untyped?: unknown } {
  try {
    const subjects = readGateText(input, "fuzz.json").subjects;
    return { code: judgePlanned(subjects, { rules, policy }).exitCode };
  } catch (error) {
    if (isAigovError(error) && error.exitCode === 2) return { code: 2, refusal: error.code };
    return { code: 2, untyped: error };
  }
}

/** An independent opinion: can these bytes be read as one JSON document at all (UTF-8, BOM allowed)? */
function naivelyReadable(bytes: Uint8Array): boolean {
  try {
    const text = new TextDecoder("utf-8", { fatal: true }).decode(bytes[0] === 0xef ? bytes.subarray(3) : bytes);
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

const byteMutation = fc.oneof(
  fc.record({ op: fc.constant("truncate" as const), at: fc.nat() }),
  fc.record({ op: fc.constant("flip" as const), at: fc.nat(), value: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ op: fc.constant("insert" as const), at: fc.nat(), bytes: fc.uint8Array({ minLength: 1, maxLength: 8 }) }),
  fc.record({ op: fc.constant("delete" as const), at: fc.nat(), length: fc.integer({ min: 1, max: 64 }) }),
);

interface ByteMutation {
  readonly op: string;
  readonly at: number;
  readonly value?: number;
  readonly bytes?: Uint8Array;
  readonly length?: number;
}

function mutateBytes(source: Uint8Array, mutations: readonly ByteMutation[]): Uint8Array {
  let bytes = Buffer.from(source);
  for (const mutation of mutations) {
    const at = bytes.length === 0 ? 0 : mutation.at % bytes.length;
    if (mutation.op === "truncate") bytes = bytes.subarray(0, at);
    else if (mutation.op === "flip" && bytes.length > 0) bytes[at] = mutation.value!;
    else if (mutation.op === "insert")
      bytes = Buffer.concat([bytes.subarray(0, at), Buffer.from(mutation.bytes!), bytes.subarray(at)]);
    else if (mutation.op === "delete")
      bytes = Buffer.concat([bytes.subarray(0, at), bytes.subarray(at + mutation.length!)]);
  }
  return bytes;
}

describe("fuzz: mutated plans", () => {
  it("2,000 byte-mutated plans: never an untyped error, and never a pass when the bytes are not readable JSON", () => {
    let unreadable = 0;
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: sources.length - 1 }),
        fc.array(byteMutation, { minLength: 1, maxLength: 4 }),
        (source, mutations) => {
          const bytes = mutateBytes(sources[source]!, mutations);
          const outcome = gateOutcome(bytes);
          expect(outcome.untyped).toBeUndefined();
          // UTF-16 and wrapper sources are readable only through the gate's own decoding; judge the UTF-8 ones.
          if (source < 2 && !naivelyReadable(bytes)) {
            unreadable++;
            expect(outcome.code).toBe(2);
          }
        },
      ),
      { numRuns: 2000, seed: 20261122 },
    );
    expect(unreadable).toBeGreaterThan(500);
  });

  // Structural mutations keep the JSON valid but break the plan's shape: any value anywhere, keys removed.
  const paths = (
    value: unknown,
    prefix: (string | number)[] = [],
    out: (string | number)[][] = [],
  ): (string | number)[][] => {
    if (out.length > 400) return out;
    if (Array.isArray(value)) {
      for (const [index, element] of value.entries()) paths(element, [...prefix, index], out);
    } else if (typeof value === "object" && value !== null)
      for (const [key, element] of Object.entries(value)) paths(element, [...prefix, key], out);
    out.push(prefix);
    return out;
  };
  const base = JSON.parse(sources[0]!.toString("utf8")) as Record<string, unknown>;
  const allPaths = paths(base).filter((path) => path.length > 0);

  function mutateJson(pathIndex: number, replacement: unknown, remove: boolean): unknown {
    const copy = structuredClone(base) as Record<string, unknown>;
    const path = allPaths[pathIndex % allPaths.length]!;
    let parent: Record<string | number, unknown> = copy;
    for (const step of path.slice(0, -1)) parent = parent[step] as Record<string | number, unknown>;
    const last = path.at(-1)!;
    if (remove && !Array.isArray(parent)) delete parent[last];
    else parent[last] = replacement;
    return copy;
  }

  it("2,000 shape-mutated plans: exit 0, 1 or 2, never an untyped error; a broken envelope is always 2", () => {
    fc.assert(
      fc.property(fc.nat(), fc.jsonValue({ maxDepth: 2 }), fc.boolean(), (pathIndex, replacement, remove) => {
        const document = mutateJson(pathIndex, replacement, remove) as Record<string, unknown>;
        const outcome = gateOutcome(Buffer.from(JSON.stringify(document)));
        expect(outcome.untyped).toBeUndefined();
        const version = document.format_version;
        const envelopeBroken =
          typeof version !== "string" || !/^[01]\.\d/.test(version) || !Array.isArray(document.resource_changes);
        if (envelopeBroken) expect(outcome.code).toBe(2);
      }),
      { numRuns: 2000, seed: 42 },
    );
  });

  it("a changed action list on an AI resource is never silently skipped: unknown lists are exit 2", () => {
    fc.assert(
      fc.property(fc.array(fc.string({ maxLength: 8 }), { minLength: 0, maxLength: 3 }), (actions) => {
        const document = structuredClone(base) as { resource_changes: { change: { actions: unknown } }[] };
        document.resource_changes[2]!.change.actions = actions;
        const outcome = gateOutcome(Buffer.from(JSON.stringify(document)));
        expect(outcome.untyped).toBeUndefined();
        const known = [
          "create",
          "update",
          "delete",
          "forget",
          "no-op",
          "read",
          "delete,create",
          "create,delete",
          "create,forget",
        ];
        if (!known.includes(actions.join(","))) expect(outcome.code).toBe(2);
      }),
      { numRuns: 500, seed: 7 },
    );
  });

  it("10,000 hostile plans (a key twice, two documents, odd actions and types, data writes, AI only in planned_values, deep nesting, awscc/azapi/newer AI types): none passes", () => {
    const seen = new Map<HostileClass, { cases: number; exits: Record<string, number> }>();
    fc.assert(
      fc.property(hostilePlan, (hostile) => {
        // The plan before the change passes: what fails is the change.
        expect(gateOutcome(hostile.base).code).toBe(0);
        const outcome = gateOutcome(hostile.text);
        expect(outcome.untyped).toBeUndefined();
        expect(outcome.code, `${hostile.kind}: ${outcome.refusal ?? ""}\n${hostile.text.slice(0, 400)}`).toBe(
          hostile.expected,
        );
        const tally = seen.get(hostile.kind) ?? { cases: 0, exits: {} };
        tally.cases++;
        tally.exits[outcome.code] = (tally.exits[outcome.code] ?? 0) + 1;
        seen.set(hostile.kind, tally);
      }),
      { numRuns: 10_000, seed: 20261205 },
    );
    const total = [...seen.values()].reduce((sum, tally) => sum + tally.cases, 0);
    expect(total).toBe(10_000);
    expect([...seen.values()].reduce((sum, tally) => sum + (tally.exits[0] ?? 0), 0)).toBe(0);
    expect(seen.size).toBe(11);
    for (const [kind, tally] of seen) expect(tally.cases, kind).toBeGreaterThan(300);
    console.log(
      `hostile plans by class: ${[...seen]
        .map(
          ([kind, tally]) =>
            `${kind} ${tally.cases} (${Object.entries(tally.exits)
              .map(([code, n]) => `exit ${code}: ${n}`)
              .join(", ")})`,
        )
        .join("; ")}`,
    );
  });
});
