import { describe, expect, it } from "vitest";
import { createEngine } from "../src/engine.ts";
import { unknown } from "../src/unknown.ts";
import { asset, outcomeOf, policyFrom, ruleWith } from "./rule-fixture.ts";

const NOW = new Date("2026-06-01T00:00:00Z");

describe("operators: each is a violation when it holds and a pass when it does not", () => {
  const cases: [string, unknown, Record<string, unknown>, Record<string, unknown>][] = [
    ["eq", { field: "public", eq: true }, { public: true }, { public: false }],
    [
      "ne",
      { field: "native.Status", ne: "InService" },
      { native: { Status: "Failed" } },
      { native: { Status: "InService" } },
    ],
    ["in", { field: "region", in: ["us-east-1", "us-west-2"] }, { region: "us-east-1" }, { region: "eu-west-1" }],
    ["not_in", { field: "region", not_in: ["eu-west-1"] }, { region: "us-east-1" }, { region: "eu-west-1" }],
    ["exists true", { field: "native.KmsKeyId", exists: true }, { native: { KmsKeyId: "k" } }, { native: {} }],
    ["exists false", { field: "native.KmsKeyId", exists: false }, { native: {} }, { native: { KmsKeyId: "k" } }],
    [
      "absent",
      { field: "native.KmsKeyId", absent: true },
      { native: { KmsKeyId: null } },
      { native: { KmsKeyId: "k" } },
    ],
    ["matches", { field: "name", matches: "^shadow-[0-9]+$" }, { name: "shadow-42" }, { name: "prod-42" }],
    [
      "glob",
      { field: "id", glob: "arn:aws:sagemaker:*:endpoint/dev-*" },
      { id: "arn:aws:sagemaker:eu-west-1:1:endpoint/dev-x" },
      { id: "arn:aws:sagemaker:eu-west-1:1:endpoint/prod" },
    ],
    ["glob list", { field: "region", glob: ["us-*", "ap-*"] }, { region: "ap-south-1" }, { region: "eu-west-1" }],
    ["gt", { field: "native.capacity", gt: 10 }, { native: { capacity: 11 } }, { native: { capacity: 10 } }],
    ["ge", { field: "native.capacity", ge: 10 }, { native: { capacity: 10 } }, { native: { capacity: 9 } }],
    ["lt", { field: "native.capacity", lt: 10 }, { native: { capacity: 9 } }, { native: { capacity: 10 } }],
    ["le", { field: "native.capacity", le: 10 }, { native: { capacity: 10 } }, { native: { capacity: 11 } }],
    ["contains string", { field: "name", contains: "gpt" }, { name: "my-gpt-bot" }, { name: "my-bot" }],
    ["contains list", { field: "models", contains: "gpt-4o" }, { models: ["gpt-4o", "o1"] }, { models: ["o1"] }],
    ["contains map key", { field: "tags", contains: "owner" }, { tags: { owner: "x" } }, { tags: { team: "x" } }],
    [
      "contains_all",
      { field: "tags", contains_all: ["owner", "env"] },
      { tags: { owner: "a", env: "b" } },
      { tags: { owner: "a" } },
    ],
    ["contains_any", { field: "models", contains_any: ["a", "b"] }, { models: ["b"] }, { models: ["c"] }],
    [
      "older_than",
      { field: "createdAt", older_than: "90d" },
      { createdAt: "2026-01-01T00:00:00Z" },
      { createdAt: "2026-05-01T00:00:00Z" },
    ],
    [
      "newer_than",
      { field: "createdAt", newer_than: "1w" },
      { createdAt: "2026-05-30T00:00:00Z" },
      { createdAt: "2026-05-01T00:00:00Z" },
    ],
  ];
  for (const [name, condition, violating, passing] of cases) {
    it(name, () => {
      expect(outcomeOf(condition, asset(violating), undefined, NOW)).toBe("violation");
      expect(outcomeOf(condition, asset(passing), undefined, NOW)).toBe("pass");
    });
  }

  it("compares a type mismatch as not holding rather than coercing", () => {
    expect(outcomeOf({ field: "native.capacity", gt: 10 }, asset({ native: { capacity: "11" } }))).toBe("pass");
    expect(outcomeOf({ field: "createdAt", older_than: "1d" }, asset({ createdAt: "not a date" }))).toBe("pass");
  });

  it("treats an absent field as not equal and not in, and as nothing else", () => {
    expect(outcomeOf({ field: "native.x", ne: "a" }, asset())).toBe("violation");
    expect(outcomeOf({ field: "native.x", not_in: ["a"] }, asset())).toBe("violation");
    expect(outcomeOf({ field: "native.x", eq: "a" }, asset())).toBe("pass");
    expect(outcomeOf({ field: "native.x", glob: "*" }, asset())).toBe("pass");
  });
});

describe("field paths read only the subject's own properties", () => {
  it("an inherited member of a mapping (constructor, toString, __proto__) is absent, a key of that name is read", () => {
    for (const field of [
      "tags.constructor",
      "tags.toString",
      "tags.__proto__",
      "native.hasOwnProperty",
      "constructor",
    ]) {
      expect(outcomeOf({ field, exists: true }, asset({ tags: {}, native: {} })), field).toBe("pass");
      expect(outcomeOf({ field, absent: true }, asset({ tags: {}, native: {} })), field).toBe("violation");
    }
    expect(outcomeOf({ field: "tags.constructor", eq: "x" }, asset({ tags: { constructor: "x" } }))).toBe("violation");
    expect(outcomeOf({ field: "tags.constructor", exists: true }, asset({ tags: { constructor: "x" } }))).toBe(
      "violation",
    );
  });
});

describe("a field inherited from any prototype is absent", () => {
  it("from a subject's or a mapping's own prototype, and from a property added to Object.prototype", () => {
    const inheriting = Object.setPrototypeOf(asset({ native: Object.create({ x: 1 }) }), { public: true });
    expect(outcomeOf({ field: "public", exists: true }, inheriting)).toBe("pass");
    expect(outcomeOf({ field: "native.x", exists: true }, inheriting)).toBe("pass");
    expect(outcomeOf({ field: "public", eq: true }, asset({ public: true }))).toBe("violation");
    Object.defineProperty(Object.prototype, "aigovAdded", { value: 1, configurable: true, writable: true });
    try {
      for (const field of ["aigovAdded", "native.aigovAdded", "tags.aigovAdded"]) {
        expect(outcomeOf({ field, exists: true }, asset({ tags: {}, native: {} })), field).toBe("pass");
        expect(outcomeOf({ field, absent: true }, asset({ tags: {}, native: {} })), field).toBe("violation");
      }
      const own = asset({ aigovAdded: 2, tags: { aigovAdded: 2 }, native: { aigovAdded: 2 } });
      for (const field of ["aigovAdded", "native.aigovAdded", "tags.aigovAdded"])
        expect(outcomeOf({ field, eq: 2 }, own), field).toBe("violation");
    } finally {
      delete (Object.prototype as { aigovAdded?: unknown }).aigovAdded;
    }
  });
});

describe("a rule's field names and operands are data in its generated test", () => {
  // Each would end a string literal, a template, a comment, a line or a script if the test's code were built by
  // pasting rule text: the rule would then run code, or fail to load. Written as JSON literals, they are just names.
  const CODE_LIKE = [
    'a"b',
    "c'd",
    "\\e",
    "line\nbreak",
    "line\u2028separator\u2029paragraph",
    // biome-ignore lint/suspicious/noTemplateCurlyInString: text meant to look like a template, kept as text
    "`${(globalThis.aigovInjected = 1)}`",
    "</script><script>globalThis.aigovInjected = 1</script>",
    '"); globalThis.aigovInjected = 1; ("',
    "*/ globalThis.aigovInjected = 1; /*",
    "__proto__",
    "constructor",
  ].map((name) => name.replaceAll(".", "_")); // a dot would make the name a path of two fields

  it("reads a field of any name as that name, at the top and nested", () => {
    for (const name of CODE_LIKE) {
      // A computed key is an own property, even `__proto__`.
      const own = (value: unknown) => ({ [name]: value });
      expect(outcomeOf({ field: name, eq: 1 }, asset(own(1))), name).toBe("violation");
      expect(outcomeOf({ field: name, eq: 1 }, asset(own(2))), name).toBe("pass");
      expect(outcomeOf({ field: `native.${name}`, eq: 1 }, asset({ native: own(1) })), name).toBe("violation");
      expect(outcomeOf({ field: `native.${name}`, eq: 1 }, asset({ native: own(2) })), name).toBe("pass");
      expect(outcomeOf({ field: `native.${name}`, exists: true }, asset({ native: {} })), name).toBe("pass");
    }
    expect((globalThis as { aigovInjected?: unknown }).aigovInjected).toBeUndefined();
  });

  it("compares with an operand of any text as that text", () => {
    for (const text of CODE_LIKE) {
      expect(outcomeOf({ field: "name", eq: text }, asset({ name: text })), text).toBe("violation");
      expect(outcomeOf({ field: "name", in: [text, "x"] }, asset({ name: `${text} ` })), text).toBe("pass");
      expect(outcomeOf({ field: "name", contains: text }, asset({ name: `[${text}]` })), text).toBe("violation");
    }
    expect((globalThis as { aigovInjected?: unknown }).aigovInjected).toBeUndefined();
  });
});

describe("list values", () => {
  it("match: any (default) holds when one element holds", () => {
    expect(outcomeOf({ field: "models", glob: "meta.*" }, asset({ models: ["anthropic.x", "meta.llama"] }))).toBe(
      "violation",
    );
  });
  it("match: all needs every element", () => {
    const condition = { not: { field: "models", match: "all", glob: ["anthropic.*"] } };
    expect(outcomeOf(condition, asset({ models: ["anthropic.x", "meta.llama"] }))).toBe("violation");
    expect(outcomeOf(condition, asset({ models: ["anthropic.x", "anthropic.y"] }))).toBe("pass");
  });
  it("an unknown element makes an undecided quantifier unknown", () => {
    expect(outcomeOf({ field: "models", glob: "meta.*" }, asset({ models: ["anthropic.x", unknown()] }))).toBe(
      "unknown",
    );
    expect(outcomeOf({ field: "models", glob: "meta.*" }, asset({ models: ["meta.x", unknown()] }))).toBe("violation");
  });
});

describe("$policy parameters", () => {
  it("resolve per provider", () => {
    const policy = policyFrom("approved_regions:\n  aws: [eu-*]\n  azure: [westeurope]\n");
    const condition = { not: { field: "region", glob: "$policy.approved_regions" } };
    expect(outcomeOf(condition, asset({ region: "eu-west-1" }), policy)).toBe("pass");
    expect(outcomeOf(condition, asset({ provider: "azure", region: "eu-west-1" }), policy)).toBe("violation");
  });
  it("answer the same for a value seen before, past thousands of new values, as for a new one", () => {
    // A glob list's answers are kept by value for the values that repeat across a sweep; it forgets them past a bound.
    const policy = policyFrom('approved_accounts:\n  aws: ["10000000000?", "1000000001*"]\n');
    const engine = createEngine([ruleWith({ not: { field: "account", glob: "$policy.approved_accounts" } })], policy);
    const approved = (account: string) => /^(10000000000.|1000000001.*)$/.test(account);
    const accounts = Array.from({ length: 6000 }, (_, index) => String(100_000_000_000 + index));
    for (const pass of [1, 2])
      for (const account of [...accounts, ...accounts.slice(0, 50)])
        expect(engine.judge(asset({ account }))[0]!.outcome, `${account} in pass ${pass}`).toBe(
          approved(account) ? "pass" : "violation",
        );
  });
  it("derive the owner from the first owner tag in the policy's order that is set, whatever the tags' order", () => {
    const policy = policyFrom("owner_tags: [owner, team, Team]\n");
    const ownerOf = (tags: Record<string, unknown>) =>
      createEngine([ruleWith({ field: "owner", exists: true })], policy)
        .judge(asset({ tags }))[0]!
        .evidence.find((item) => item.field === "owner")?.value;
    expect(ownerOf({ Team: "c", team: "b", owner: "a" })).toBe("a");
    expect(ownerOf({ Team: "c", team: "b", owner: " " })).toBe("b");
    expect(ownerOf({ Team: "c", env: "prod" })).toBe("c");
    expect(ownerOf({ env: unknown("known after apply"), team: "b" })).toBe("b");
    expect(ownerOf({ Team: unknown("known after apply"), team: "b" })).toBe("b");
    expect(ownerOf({ team: unknown("known after apply"), Team: "c" })).toEqual(unknown("known after apply"));
    expect(ownerOf({ env: unknown("known after apply") })).toEqual(unknown("an owner tag may be set at apply"));
    expect(outcomeOf({ field: "owner", exists: true }, asset({ tags: { env: "prod" } }), policy)).toBe("pass");
  });
  it("read organization parameters", () => {
    const policy = policyFrom("parameters:\n  max_units: 5\n");
    expect(outcomeOf({ field: "native.units", gt: "$policy.max_units" }, asset({ native: { units: 6 } }), policy)).toBe(
      "violation",
    );
  });
});

describe("the regex engine is linear", () => {
  it("(a+)+$ on 100k characters answers at once", () => {
    const started = performance.now();
    expect(outcomeOf({ field: "name", matches: "(a+)+$" }, asset({ name: `${"a".repeat(100_000)}!` }))).toBe("pass");
    expect(performance.now() - started).toBeLessThan(2_000);
  });
  it("refuses a pattern too large to run, says it is the size and why, and quotes only its start", () => {
    const names = Array.from({ length: 5_000 }, (_, i) => `model-${String(i).padStart(4, "0")}`);
    const pattern = `^(${names.join("|")})$`;
    expect(pattern.length).toBeGreaterThan(40_000);
    let error: unknown;
    try {
      outcomeOf({ field: "name", matches: pattern }, asset());
    } catch (caught) {
      error = caught;
    }
    expect(error).toMatchObject({ code: "RULE_INVALID", position: { file: "/rules/test-rule.yaml" } });
    const { message, hint } = error as { message: string; hint: string };
    expect(message).toMatch(
      /refused for size: it compiles to [\d,]+ instructions, over the limit of 20,000 \(5,000 alternatives\)/,
    );
    expect(message).toContain('"^(model-0000|model-0001|');
    expect(message).toContain(`(${pattern.length.toLocaleString("en")} characters)`);
    expect(message).not.toContain("counted repetitions");
    expect(message.length).toBeLessThan(300);
    expect(hint).toMatch(/`in` or `glob`/);
    expect(() => outcomeOf({ field: "name", matches: "(ab{100}){300}" }, asset())).toThrowError(
      /refused for size: .*\(counted repetitions/,
    );
    // Large but within the limit: compiles and matches.
    const fits = `^(${names.slice(0, 1_000).join("|")})$`;
    expect(outcomeOf({ field: "name", matches: fits }, asset({ name: "model-0999" }))).toBe("violation");
  });
  it("refuses backreferences at load time with a position", () => {
    expect(() => outcomeOf({ field: "name", matches: "(a)\\1" }, asset())).toThrowError(
      /backreferences are not supported/,
    );
  });
});
