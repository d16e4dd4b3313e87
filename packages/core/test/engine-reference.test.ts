// The engine's indexed, compiled evaluation gives exactly the judgements and findings of a plain reading of the rules
// (reference-engine.ts), over random subjects shaped by what the rules read: the default rule pack under several
// policies (waivers current and expired, per-provider lists, a registry, unknown meaning violation), and random
// conditions over every operator.
import { execFileSync } from "node:child_process";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createEngine, type Judgement } from "../src/engine.ts";
import { ASSET_KINDS, type ChangeAction, PROVIDERS, type Subject, type SubjectType } from "../src/model.ts";
import { defaultPolicy, type Policy, parsePolicy } from "../src/policy.ts";
import { loadRules, type Rule } from "../src/rule.ts";
import { referenceFindings, referenceJudgements } from "./reference-engine.ts";
import { ruleWith } from "./rule-fixture.ts";

const NOW = new Date("2026-06-01T00:00:00Z");
const rules = await loadRules();

const STRICT_POLICY = `approved_models: ["gpt-4o*", "anthropic.*"]
approved_regions: { aws: [us-east-1, "eu-*"], azure: [westeurope], gcp: [] }
approved_accounts: { aws: ["111111111111"], azure: ["*"], gcp: ["proj-*"] }
approved_principals: ["arn:aws:iam::111111111111:role/*", "*@corp.example"]
required_tags: [owner, env]
owner_tags: [owner, Team]
registry:
  assets: ["*:endpoint/registered-*"]
  tags: { ai-registry-id: "AIR-*" }
unknown: violation
parameters: { key_max_age: 30d, max_deployment_capacity: 100 }
waivers:
  - { rule: "ai-*", subject: "*shadow*", reason: pilot, approver: ciso@corp.example, expires: 2027-01-01 }
  - { rule: "*", subject: "*:endpoint/legacy-*", reason: legacy, approver: ciso@corp.example, expires: 2026-01-31 }
  - { rule: "aws-log-*", subject: "evt-1*", reason: drill, approver: soc@corp.example }
  - { rule: "*key*", subject: "*", reason: rotation, approver: soc@corp.example, expires: "2026-06-01T00:00:00Z" }
  - { rule: "aws-*", subject: "module.shadow*", reason: iac pilot, approver: soc@corp.example }
  - { rule: "*", subject: "legacy-ch?t", reason: by name, approver: soc@corp.example }
  - { rule: "ai-*", subject: "arn:aws:sagemaker:*:1:endpoint/*", reason: account one, approver: soc@corp.example }
`;

const POLICIES: Record<string, Policy> = {
  default: defaultPolicy(),
  strict: parsePolicy(STRICT_POLICY, "/work/strict.yaml"),
  lenient: parsePolicy("unknown: pass\napproved_models: { aws: ['amazon.*'] }\n", "/work/lenient.yaml"),
};

/** Every field path a set of rules reads, with each of its prefixes (so intermediate steps get odd values too). */
function fieldPaths(conditions: readonly unknown[]): string[] {
  const paths = new Set<string>();
  const walk = (node: unknown): void => {
    const record = node as Record<string, unknown>;
    for (const key of ["all", "any"]) if (Array.isArray(record[key])) (record[key] as unknown[]).forEach(walk);
    if (record.not !== undefined) walk(record.not);
    if (typeof record.field === "string") {
      const segments = record.field.split(".");
      for (let end = 1; end <= segments.length; end++) paths.add(segments.slice(0, end).join("."));
    }
  };
  conditions.forEach(walk);
  return [...paths].sort();
}

/** Every string a set of rules compares with, so random values often hit what a rule looks for. */
function operandStrings(conditions: readonly unknown[]): string[] {
  const strings = new Set<string>();
  const walk = (value: unknown): void => {
    if (typeof value === "string" && !value.startsWith("$policy.")) strings.add(value);
    else if (Array.isArray(value)) value.forEach(walk);
    else if (typeof value === "object" && value !== null) Object.values(value).forEach(walk);
  };
  conditions.forEach(walk);
  return [...strings];
}

const PACK_CONDITIONS = rules.map((rule) => rule.condition);
const PATHS = fieldPaths(PACK_CONDITIONS);
const TYPES = [...new Set(rules.flatMap((rule) => rule.appliesTo.type ?? [])), "Other::Type"];
const CHANGES: ChangeAction[] = ["create", "update", "replace", "delete", "no-op", "import"];

const STRINGS = [
  ...operandStrings(PACK_CONDITIONS),
  ...operandStrings(PACK_CONDITIONS).map((text) => text.toUpperCase()),
  "",
  "  ",
  "x",
  "gpt-4o-mini",
  "anthropic.claude-3-haiku-20240307-v1:0",
  "amazon.titan-text",
  "meta.llama3-70b",
  "us-east-1",
  "eu-west-1",
  "westeurope",
  "us-central1",
  "111111111111",
  "proj-ml",
  "arn:aws:iam::111111111111:role/app",
  "arn:aws:iam::222222222222:user/dev",
  "bot@corp.example",
  "svc@proj.iam.gserviceaccount.com",
  "Microsoft.Insights/diagnosticSettings/delete",
  "microsoft.cognitiveservices/accounts/raipolicies/x/write",
  "AccessDenied",
  "403",
  "7",
  "sk-admin-abc",
  "sk-proj-abc",
  "763104351884.dkr.ecr.us-east-1.amazonaws.com/tgi:2",
  "ghcr.io/x/y:1",
  "2020-01-01T00:00:00Z",
  "2026-05-20T00:00:00Z",
  "2026-06-02T00:00:00Z",
  "not a date",
  "AIR-0042",
  "shadow-7",
  "arn:aws:sagemaker:us-east-1:111111111111:endpoint/legacy-chat",
  "arn:aws:sagemaker:us-east-1:111111111111:endpoint/registered-chat",
  "evt-12",
  "evt-2",
];

const unknownValue = fc.constantFrom({ $unknown: true }, { $unknown: true, reason: "known after apply" });
const scalar = fc.oneof(
  fc.constantFrom(...STRINGS),
  fc.constantFrom(true, false, null, 0, 1, 2, 99, 101, 3601, 5000, -1, 1.5),
  fc.string({ maxLength: 6 }),
);
const TAG_KEYS = ["owner", "Owner", "team", "Team", "env", "ai-registry-id", "constructor", "SESSION_SUMMARY"];
const mapping = fc.dictionary(fc.constantFrom(...TAG_KEYS, ...STRINGS.slice(0, 20)), fc.oneof(scalar, unknownValue), {
  maxKeys: 4,
});
const value: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 6, arbitrary: scalar },
  { weight: 2, arbitrary: unknownValue },
  { weight: 2, arbitrary: fc.array(fc.oneof({ weight: 4, arbitrary: scalar }, unknownValue), { maxLength: 4 }) },
  { weight: 1, arbitrary: mapping },
  { weight: 1, arbitrary: fc.array(mapping, { maxLength: 2 }) },
);

/** Sets `path` in `target`, creating mappings (lists for numeric steps) on the way; a step already set to a non-mapping stays. */
function setPath(target: Record<string, unknown>, path: string, leaf: unknown): void {
  const segments = path.split(".");
  let current: Record<string, unknown> = target;
  for (const [index, segment] of segments.entries()) {
    if (index === segments.length - 1) {
      current[segment] = leaf;
      return;
    }
    if (current[segment] === undefined) current[segment] = /^\d+$/.test(segments[index + 1]!) ? [] : {};
    const next = current[segment];
    if (typeof next !== "object" || next === null || (next as Record<string, unknown>).$unknown === true) return;
    current = next as Record<string, unknown>;
  }
}

/** What the index and a finding's identity read is always there and well typed (scanners and the gate guarantee it). */
const STRUCTURAL = new Set(["subject", "provider", "kind", "type", "service", "operation", "id", "name", "eventId"]);

function subjectArbitrary(paths: readonly string[]): fc.Arbitrary<Subject> {
  const writable = paths.filter((path) => !STRUCTURAL.has(path));
  return fc
    .record({
      subject: fc.constantFrom<SubjectType>("asset", "key", "api-call"),
      provider: fc.constantFrom(...PROVIDERS),
      kind: fc.constantFrom(...ASSET_KINDS),
      type: fc.constantFrom(...TYPES, "bedrock", "sagemaker", "azure-openai", "vertex-ai", "gemini"),
      id: fc.constantFrom(...STRINGS.slice(-8), "arn:aws:sagemaker:eu-west-1:1:endpoint/e1"),
      name: fc.constantFrom("shadow-1", "chat", "legacy-chat", "evt-1x"),
      tags: fc.oneof(mapping, unknownValue, fc.constant(undefined)),
      change: fc.option(fc.constantFrom(...CHANGES), { nil: undefined }),
      sourcePath: fc.option(fc.constantFrom("module.shadow.aws_x.y", "module.app"), { nil: undefined }),
      fields: fc.array(fc.tuple(fc.constantFrom(...writable), value), { maxLength: 14 }),
    })
    .map((drawn) => {
      const subject: Record<string, unknown> =
        drawn.subject === "api-call"
          ? {
              subject: "api-call",
              provider: drawn.provider,
              account: "111111111111",
              region: "us-east-1",
              time: "2026-05-31T00:00:00Z",
              service: drawn.type,
              operation: "InvokeModel",
              principal: "arn:aws:iam::111111111111:role/app",
              authType: "iam",
              outcome: "success",
              eventId: drawn.name,
              native: {},
            }
          : {
              subject: drawn.subject,
              provider: drawn.provider,
              account: "111111111111",
              region: "eu-west-1",
              kind: drawn.subject === "key" ? "key" : drawn.kind,
              type: drawn.type,
              id: drawn.id,
              name: drawn.name,
              ...(drawn.tags === undefined ? {} : { tags: drawn.tags }),
              native: {},
              ...(drawn.change === undefined
                ? {}
                : {
                    change: { action: drawn.change, actions: [drawn.change], changedAttributes: [], importing: false },
                  }),
              ...(drawn.sourcePath === undefined ? {} : { source: { path: drawn.sourcePath } }),
            };
      for (const [path, leaf] of drawn.fields) setPath(subject, path, leaf);
      return subject as unknown as Subject;
    });
}

/** A judgement as plain data (the engine works evidence out when it is read). */
const plain = (judgement: Judgement) => ({
  ruleId: judgement.rule.id,
  outcome: judgement.outcome,
  evidence: judgement.evidence,
  ...(judgement.waiver === undefined ? {} : { waiver: judgement.waiver }),
});

function expectSameAsReference(engineRules: readonly Rule[], policy: Policy, subject: Subject): void {
  const engine = createEngine(engineRules, policy, { now: NOW });
  expect(engine.judge(subject).map(plain)).toStrictEqual(referenceJudgements(engineRules, policy, subject, NOW));
  expect(engine.findings(subject)).toStrictEqual(referenceFindings(engineRules, policy, subject, NOW));
}

describe("the engine gives exactly the reference's judgements and findings", () => {
  for (const [name, policy] of Object.entries(POLICIES)) {
    it(`for the default rule pack under the ${name} policy`, () => {
      const engine = createEngine(rules, policy, { now: NOW });
      fc.assert(
        fc.property(subjectArbitrary(PATHS), (subject) => {
          // The same engine judges every subject, so its caches are exercised across subjects.
          expect(engine.judge(subject).map(plain)).toStrictEqual(referenceJudgements(rules, policy, subject, NOW));
          expect(engine.findings(subject)).toStrictEqual(referenceFindings(rules, policy, subject, NOW));
        }),
        { numRuns: 1500 },
      );
    });
  }

  const RANDOM_PATHS = [
    "public",
    "name",
    "models",
    "tags",
    "tags.owner",
    "native.a",
    "native.a.b",
    "native.list.0.x",
    "createdAt",
  ];
  const globs = fc.constantFrom<unknown>(
    "*",
    "gpt-*",
    ["a*", "?x"],
    ["*"],
    "$policy.approved_models",
    "$policy.approved_regions",
  );
  const primitives = fc.array(scalar, { minLength: 1, maxLength: 3 });
  const leaf = fc.oneof(
    fc.record({ op: fc.constantFrom("eq", "ne", "contains"), operand: fc.oneof(scalar, primitives, mapping) }),
    fc.record({ op: fc.constantFrom("in", "not_in", "contains_any"), operand: primitives }),
    fc.record({ op: fc.constant("contains_all"), operand: fc.oneof(primitives, fc.constant("$policy.required_tags")) }),
    fc.record({ op: fc.constant("exists"), operand: fc.boolean() }),
    fc.record({ op: fc.constant("absent"), operand: fc.constant(true) }),
    fc.record({ op: fc.constant("glob"), operand: globs }),
    fc.record({
      op: fc.constant("matches"),
      operand: fc.constantFrom("^shadow-[0-9]+$", "(?i)^GPT", "a|b", "x*$", "^$"),
    }),
    fc.record({
      op: fc.constantFrom("gt", "ge", "lt", "le"),
      operand: fc.oneof(fc.integer({ min: -2, max: 200 }), fc.constant("$policy.max_deployment_capacity")),
    }),
    fc.record({
      op: fc.constantFrom("older_than", "newer_than"),
      operand: fc.constantFrom("1d", "30d", "1y", "$policy.key_max_age"),
    }),
  );
  const fieldTest = fc
    .record({ field: fc.constantFrom(...RANDOM_PATHS), test: leaf, match: fc.constantFrom(undefined, "any", "all") })
    .map(({ field, test, match }) => ({ field, [test.op]: test.operand, ...(match === undefined ? {} : { match }) }));
  const { condition } = fc.letrec((tie) => ({
    condition: fc.oneof(
      { depthSize: "small", withCrossShrink: true },
      fieldTest,
      fc.record({ all: fc.array(tie("condition"), { minLength: 1, maxLength: 3 }) }),
      fc.record({ any: fc.array(tie("condition"), { minLength: 1, maxLength: 3 }) }),
      fc.record({ not: tie("condition") }),
    ),
  }));
  const scopedRule = fc
    .record({
      condition,
      provider: fc.option(fc.subarray([...PROVIDERS], { minLength: 1 }), { nil: undefined }),
      kind: fc.option(fc.subarray(["endpoint", "model", "notebook"], { minLength: 1 }), { nil: undefined }),
      change: fc.option(fc.subarray(["create", "update"], { minLength: 1 }), { nil: undefined }),
      unknown: fc.constantFrom(undefined, "violation", "pass", "unknown"),
    })
    .map(({ condition: raw, unknown, ...scope }) => ({ raw, unknown, scope }));

  it("for random conditions over every operator", () => {
    fc.assert(
      fc.property(
        fc.array(scopedRule, { minLength: 1, maxLength: 4 }),
        fc.constantFrom(...Object.keys(POLICIES)),
        fc.array(subjectArbitrary(RANDOM_PATHS), { minLength: 1, maxLength: 5 }),
        (drawn, policyName, subjects) => {
          const randomRules = drawn.map(({ raw, unknown, scope }, index) =>
            ruleWith(raw, {
              id: `random-rule-${index}`,
              applies_to: {
                subject: "asset",
                ...Object.fromEntries(Object.entries(scope).filter(([, list]) => list !== undefined)),
              },
              ...(unknown === undefined ? {} : { unknown }),
            }),
          );
          const policy = POLICIES[policyName]!;
          for (const subject of subjects) expectSameAsReference(randomRules, policy, subject);
          // One engine judging them over and over: past a group's first 32 subjects, its tests read slots.
          const engine = createEngine(randomRules, policy, { now: NOW });
          for (let pass = 0; pass * subjects.length < 40; pass++) {
            for (const subject of subjects) {
              expect(engine.judge(subject).map(plain)).toStrictEqual(
                referenceJudgements(randomRules, policy, subject, NOW),
              );
            }
          }
        },
      ),
      { numRuns: 400 },
    );
  });
});

describe("a process that may not compile code (node --disallow-code-generation-from-strings)", () => {
  it("judges every subject as a process that may (through the conditions' explanations)", () => {
    // Through JSON both ways, so both processes judge the same values. The default policy: a policy file is checked
    // against its schema by Ajv, which itself compiles code.
    const subjects: Subject[] = JSON.parse(
      JSON.stringify(fc.sample(subjectArbitrary(PATHS), { numRuns: 600, seed: 19 })),
    );
    const judgedBy = (engine: ReturnType<typeof createEngine>) =>
      subjects.map((subject) => [engine.judge(subject).map(plain), engine.findings(subject)] as const);
    const script = `import { readFileSync } from "node:fs";
import { createEngine, defaultPolicy, loadRules } from "./packages/core/src/index.ts";
const { subjects, now } = JSON.parse(readFileSync(0, "utf8"));
let mayCompile = true;
try {
  new Function("");
} catch {
  mayCompile = false;
}
const engine = createEngine(await loadRules(), defaultPolicy(), { now: new Date(now) });
const judged = subjects.map((subject) => [
  engine.judge(subject).map((j) => ({ ruleId: j.rule.id, outcome: j.outcome, evidence: j.evidence, ...(j.waiver === undefined ? {} : { waiver: j.waiver }) })),
  engine.findings(subject),
]);
process.stdout.write(JSON.stringify({ mayCompile, judged }));`;
    const output = execFileSync(
      process.execPath.includes("node_modules") ? process.execPath : "node_modules/.bin/node",
      ["--disallow-code-generation-from-strings", "--input-type=module", "-e", script],
      { input: JSON.stringify({ subjects, now: NOW.toISOString() }), encoding: "utf8", maxBuffer: 1 << 28 },
    );
    const child = JSON.parse(output);
    expect(child.mayCompile).toBe(false);
    const judged = judgedBy(createEngine(rules, defaultPolicy(), { now: NOW }));
    expect(child.judged).toStrictEqual(JSON.parse(JSON.stringify(judged)));
    // Not a vacuous comparison: the subjects meet rules, and some of them are flagged.
    expect(judged.flatMap(([judgements]) => judgements).length).toBeGreaterThan(600);
    expect(judged.flatMap(([, findings]) => findings).length).toBeGreaterThan(100);
  });
});
