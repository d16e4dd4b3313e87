import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parsePolicy } from "../src/policy.ts";
import { loadRules } from "../src/rule.ts";
import { createRuleCache, layeredRuleCache, PACKAGED_RULES_FILE, packagedRuleCache } from "../src/rule-cache.ts";

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

describe("the packaged rule pack", () => {
  /** A rule pack in its own directory, as the default pack sits in rules/, with one rule in a subdirectory. */
  function pack(): { dir: string; file: string } {
    const dir = mkdtempSync(join(tmpdir(), "aigov-pack-"));
    mkdirSync(join(dir, "common"));
    const file = join(dir, "common", "ai-key-auth-enabled.yaml");
    writeFileSync(file, base);
    return { dir, file };
  }

  it("serves the pack it was made from, from wherever the pack is installed", async () => {
    const { dir, file } = pack();
    const built = await loadRules({ dirs: [dir], includeDefault: false, cache: packagedRuleCache(dir) });
    expect(existsSync(join(dir, PACKAGED_RULES_FILE))).toBe(true);
    const installed = mkdtempSync(join(tmpdir(), "aigov-pack-installed-"));
    mkdirSync(join(installed, "common"));
    writeFileSync(join(installed, "common", "ai-key-auth-enabled.yaml"), base);
    writeFileSync(join(installed, PACKAGED_RULES_FILE), readFileSync(join(dir, PACKAGED_RULES_FILE)));
    expect(packagedRuleCache(installed).read([join(installed, "common", "ai-key-auth-enabled.yaml")], [base])).toEqual(
      built.map((rule) => rule.raw),
    );
    expect(packagedRuleCache(dir).read([file], [base])).toBeDefined();
  });

  it("serves nothing for an edited file, a renamed file, or a file from outside the pack", async () => {
    const { dir, file } = pack();
    await loadRules({ dirs: [dir], includeDefault: false, cache: packagedRuleCache(dir) });
    const packaged = packagedRuleCache(dir);
    const edited = base.replace("severity: medium", "severity: low");
    expect(edited).not.toBe(base);
    expect(packaged.read([file], [edited])).toBeUndefined();
    expect(packaged.read([join(dir, "common", "other-name.yaml")], [base])).toBeUndefined();
    const outside = ruleDir(base);
    expect(packaged.read([join(outside, "ai-key-auth-enabled.yaml")], [base])).toBeUndefined();
    expect(packaged.read([file, join(outside, "ai-key-auth-enabled.yaml")], [base, base])).toBeUndefined();
  });

  it("is written by the build only: loading rules fills the user's cache, never the packaged pack", async () => {
    const { dir, file } = pack();
    const userCache = createRuleCache(mkdtempSync(join(tmpdir(), "aigov-cache-")));
    await loadRules({ dirs: [dir], includeDefault: false, cache: layeredRuleCache(packagedRuleCache(dir), userCache) });
    expect(existsSync(join(dir, PACKAGED_RULES_FILE))).toBe(false);
    expect(userCache.read([file], [base])).toBeDefined();
  });
});
