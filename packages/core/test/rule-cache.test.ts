import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { parse as parseYaml } from "yaml";
import { tmpdir } from "node:os";
import { join, relative, sep } from "node:path";
import { describe, expect, it } from "vitest";
import { createEngine } from "../src/engine.ts";
import { defaultPolicy, parsePolicy } from "../src/policy.ts";
import { loadRules } from "../src/rule.ts";
import { createRuleCache, type RuleCache } from "../src/rule-cache.ts";
import { runRuleTests } from "../src/rule-tests.ts";

const base = readFileSync(new URL("../../../rules/common/ai-key-auth-enabled.yaml", import.meta.url), "utf8");

function ruleDir(text: string): string {
  const dir = mkdtempSync(join(tmpdir(), "aigov-cache-rules-"));
  writeFileSync(join(dir, "ai-key-auth-enabled.yaml"), text);
  return dir;
}

describe("the rule cache", () => {
  it("serves the same rules from the cache as from the files", async () => {
    const cache = createRuleCache(mkdtempSync(join(tmpdir(), "aigov-cache-")));
    const dir = ruleDir(base);
    const first = await loadRules({ dirs: [dir], includeDefault: false, cache });
    const second = await loadRules({ dirs: [dir], includeDefault: false, cache });
    expect(second.map((rule) => rule.raw)).toEqual(first.map((rule) => rule.raw));
    expect(cache.read([join(dir, "ai-key-auth-enabled.yaml")], [base])).toBeDefined();
  });

  it("never serves a changed file: an edit is parsed and checked again", async () => {
    const cache = createRuleCache(mkdtempSync(join(tmpdir(), "aigov-cache-")));
    const dir = ruleDir(base);
    await loadRules({ dirs: [dir], includeDefault: false, cache });
    writeFileSync(join(dir, "ai-key-auth-enabled.yaml"), base.replace("  eq: true", "  equals: true"));
    await expect(loadRules({ dirs: [dir], includeDefault: false, cache })).rejects.toThrowError(/unknown key 'equals'/);
  });

  it("still names file:line:column for a cached rule whose parameter an organization policy lacks", async () => {
    const cache = createRuleCache(mkdtempSync(join(tmpdir(), "aigov-cache-")));
    const withParameter = base.replace(
      "  field: keyAuth\n  eq: true",
      "  field: keyAuth\n  eq: $policy.key_auth_forbidden",
    );
    const dir = ruleDir(withParameter);
    await loadRules({
      dirs: [dir],
      includeDefault: false,
      cache,
      policy: parsePolicy("parameters:\n  key_auth_forbidden: true\n", "/p.yaml"),
    });
    const line = withParameter.split("\n").findIndex((text) => text.includes("$policy.key_auth_forbidden")) + 1;
    await expect(loadRules({ dirs: [dir], includeDefault: false, cache })).rejects.toThrowError(
      expect.objectContaining({ position: { file: join(dir, "ai-key-auth-enabled.yaml"), line, column: 7 } }),
    );
  });
});

describe("the default pack checked in advance (a bundle's built-rule-pack)", () => {
  const rulesDir = new URL("../../../rules/", import.meta.url).pathname;
  const checked = (text: string) => ({ ...(parseYaml(text) as Record<string, unknown>) });

  it("is used in place of the pack's files: they are not listed, read or parsed", async () => {
    const raw = { ...checked(base), title: "as checked at build time" };
    const rules = await loadRules({
      builtPack: { files: ["common/ai-key-auth-enabled.yaml"], raws: [raw], digest: "sha256:unused" },
    });
    expect(rules.map((rule) => [rule.id, rule.title, rule.source.file])).toEqual([
      ["ai-key-auth-enabled", "as checked at build time", join(rulesDir, "common", "ai-key-auth-enabled.yaml")],
    ]);
  });

  it("still comes with the rule directories given, read, checked and cached as before", async () => {
    const cache = createRuleCache(mkdtempSync(join(tmpdir(), "aigov-cache-")));
    const dir = mkdtempSync(join(tmpdir(), "aigov-cache-rules-"));
    writeFileSync(join(dir, "extra-rule.yaml"), base.replace("id: ai-key-auth-enabled", "id: extra-rule"));
    const builtPack = { files: ["common/ai-key-auth-enabled.yaml"], raws: [checked(base)], digest: "sha256:unused" };
    const rules = await loadRules({ builtPack, dirs: [dir], cache });
    expect(rules.map((rule) => rule.id)).toEqual(["ai-key-auth-enabled", "extra-rule"]);
    expect(
      cache.read([join(dir, "extra-rule.yaml")], [readFileSync(join(dir, "extra-rule.yaml"), "utf8")]),
    ).toBeDefined();
    writeFileSync(
      join(dir, "extra-rule.yaml"),
      base.replace("id: ai-key-auth-enabled", "id: extra-rule").replace("  eq: true", "  equals: true"),
    );
    await expect(loadRules({ builtPack, dirs: [dir], cache })).rejects.toThrowError(/unknown key 'equals'/);
  });

  // The build compiled the pack's own patterns: a pattern it would have refused stands in for "compiled on first use".
  const withPattern = (pattern: string) =>
    base.replace("  field: keyAuth\n  eq: true", `  field: name\n  matches: ${JSON.stringify(pattern)}`);
  const subject = { subject: "asset", provider: "azure", kind: "ai-account", type: "azurerm_cognitive_account" };

  it("compiles its own regular expressions when a subject first meets them, and judges with them", async () => {
    const builtPack = { files: ["common/ai-key-auth-enabled.yaml"], raws: [checked(withPattern("^oai-"))], digest: "" };
    const engine = createEngine(await loadRules({ builtPack }), defaultPolicy());
    const outcomes = (name: string) => engine.judge({ ...subject, id: name, name } as never).map((j) => j.outcome);
    expect([outcomes("oai-1"), outcomes("other")]).toEqual([["violation"], ["pass"]]);

    const refused = { files: builtPack.files, raws: [checked(withPattern("(a)\\1"))], digest: "" };
    const loaded = await loadRules({ builtPack: refused });
    expect(() => createEngine(loaded, defaultPolicy()).judge({ ...subject, id: "x", name: "x" } as never)).toThrowError(
      expect.objectContaining({ code: "RULE_INVALID", message: expect.stringMatching(/backreference/) }),
    );
  });

  it("judges every rule test of the pack as the pack read from its files does, each condition built at first use", async () => {
    const noCache: RuleCache = { read: () => undefined, write: () => undefined };
    const fromFiles = await loadRules({ includeDefault: false, dirs: [rulesDir], cache: noCache });
    const builtPack = {
      files: fromFiles.map((rule) => relative(rulesDir, rule.source.file).split(sep).join("/")),
      raws: fromFiles.map((rule) => checked(readFileSync(rule.source.file, "utf8"))),
      digest: "",
    };
    const fromPack = await loadRules({ builtPack });
    const outcomes = (rules: typeof fromFiles) =>
      runRuleTests(rules).map((result) => [result.rule.id, result.test.name, result.actual, result.passed]);
    const judged = outcomes(fromPack);
    expect(judged).toEqual(outcomes(fromFiles));
    expect(judged.length).toBeGreaterThan(200);
    expect(judged.filter(([, , , passed]) => !passed)).toEqual([]);
  });

  it("still compiles a policy's regular expression at load, so a bad one stops every command", async () => {
    const builtPack = {
      files: ["common/ai-key-auth-enabled.yaml"],
      raws: [checked(withPattern("$policy.name_pattern"))],
      digest: "",
    };
    const policy = parsePolicy('parameters:\n  name_pattern: "(a)\\\\1"\n', "/p.yaml");
    await expect(loadRules({ builtPack, policy })).rejects.toThrowError(
      expect.objectContaining({ code: "RULE_INVALID", message: expect.stringMatching(/backreference/) }),
    );
  });

  it("reads its rule file only to name file:line:column of an error, such as a parameter the policy lacks", async () => {
    const withParameter = base.replace(
      "  field: keyAuth\n  eq: true",
      "  field: keyAuth\n  eq: $policy.key_auth_forbidden",
    );
    const builtPack = {
      files: ["common/ai-key-auth-enabled.yaml"],
      raws: [checked(withParameter)],
      digest: "sha256:unused",
    };
    const line = base.split("\n").findIndex((text) => text.includes("  eq: true")) + 1;
    await expect(loadRules({ builtPack })).rejects.toThrowError(
      expect.objectContaining({
        position: { file: join(rulesDir, "common", "ai-key-auth-enabled.yaml"), line, column: 7 },
      }),
    );
  });
});
