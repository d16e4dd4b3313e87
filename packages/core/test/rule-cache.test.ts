import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parsePolicy } from "../src/policy.ts";
import { loadRules } from "../src/rule.ts";
import { createRuleCache } from "../src/rule-cache.ts";

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
    const withParameter = base.replace("  field: keyAuth\n  eq: true", "  field: keyAuth\n  eq: $policy.key_auth_forbidden");
    const dir = ruleDir(withParameter);
    await loadRules({ dirs: [dir], includeDefault: false, cache, policy: parsePolicy("parameters:\n  key_auth_forbidden: true\n", "/p.yaml") });
    const line = withParameter.split("\n").findIndex((text) => text.includes("$policy.key_auth_forbidden")) + 1;
    await expect(loadRules({ dirs: [dir], includeDefault: false, cache })).rejects.toThrowError(
      expect.objectContaining({ position: { file: join(dir, "ai-key-auth-enabled.yaml"), line, column: 7 } }),
    );
  });
});
