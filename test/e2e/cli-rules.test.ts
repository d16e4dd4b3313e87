import { execSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { REPO_ROOT, runCli } from "./run-cli.ts";

const version = JSON.parse(readFileSync(join(REPO_ROOT, "packages/cli/package.json"), "utf8")).version as string;

describe("aigov (the process)", () => {
  it("--version prints the version, then the digest of the rule pack that judges, which sha256sum reproduces", async () => {
    const run = await runCli(["--version"]);
    expect(run.code).toBe(0);
    const [first, second] = run.stdout.split("\n");
    expect(first).toBe(version);
    // The check the README gives, run on the repository's pack (the bundle carries a copy of it).
    const listing = execSync(
      `find . -name '*.yaml' -o -name '*.yml' | sed 's|^\\./||' | LC_ALL=C sort | xargs sha256sum | sha256sum`,
      { cwd: join(REPO_ROOT, "rules"), encoding: "utf8" },
    );
    const files = execSync("find . -name '*.yaml' -o -name '*.yml' | wc -l", {
      cwd: join(REPO_ROOT, "rules"),
      encoding: "utf8",
    });
    expect(second).toBe(
      `rule pack sha256:${listing.split(" ")[0]} (${files.trim()} rules in ${join(REPO_ROOT, "rules")})`,
    );
  });

  it("an unknown command exits 2 with a hint", async () => {
    const run = await runCli(["sweeep"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("unknown command 'sweeep'");
  });

  it("an unknown flag exits 2 with one line naming the flag and the command's flags", async () => {
    const run = await runCli(["rules", "list", "--frobnicate"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(
      "aigov: rules: unknown flag --frobnicate; its flags: --format --output --policy --rules --no-color; see 'aigov help rules'\n",
    );
  });
});

describe("aigov rules", () => {
  it("test runs every inline test of the default pack and ends with the N passed, N failed line", async () => {
    const run = await runCli(["rules", "test"]);
    expect(run.code).toBe(0);
    expect(run.stdout.trim().split("\n").at(-1)).toMatch(/^\d+ passed, 0 failed$/);
    // Every test the rule files hold ran (the bundle reads them from a file of their own, built-rule-pack.ts).
    const { defaultRulesDir, loadRules } = await import("../../packages/core/src/index.ts");
    const rules = await loadRules({ includeDefault: false, dirs: [defaultRulesDir()] });
    const count = rules.reduce((sum, rule) => sum + rule.tests.length, 0);
    expect(count).toBeGreaterThan(300);
    expect(run.stdout.trim().split("\n").at(-1)).toBe(`${count} passed, 0 failed`);
  });

  it("test exits 1 and names the failing test's file:line:column", async () => {
    const dir = mkdtempSync(join(tmpdir(), "aigov-rules-"));
    const rule = readFileSync(join(REPO_ROOT, "rules/common/ai-key-auth-enabled.yaml"), "utf8").replace(
      "keyAuth: false }\n    expect: pass",
      "keyAuth: false }\n    expect: violation",
    );
    writeFileSync(join(dir, "ai-key-auth-enabled.yaml"), rule);
    const run = await runCli(["rules", "test", dir]);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(
      new RegExp(
        `FAIL ${dir}/ai-key-auth-enabled.yaml:\\d+:\\d+ ai-key-auth-enabled › local auth disabled: expected violation, got pass`,
      ),
    );
    expect(run.stdout).toContain("1 passed, 1 failed");
  });

  it("validate on a broken rule prints file:line:column and exits 2", async () => {
    const dir = mkdtempSync(join(tmpdir(), "aigov-rules-"));
    const broken = readFileSync(join(REPO_ROOT, "rules/common/ai-public-network-access.yaml"), "utf8").replace(
      "  eq: true",
      "  equals: true",
    );
    writeFileSync(join(dir, "ai-public-network-access.yaml"), broken);
    const run = await runCli(["rules", "validate", dir]);
    expect(run.code).toBe(2);
    const line = broken.split("\n").findIndex((text) => text.includes("equals:")) + 1;
    expect(run.stderr).toContain(`${dir}/ai-public-network-access.yaml:${line}:3: unknown key 'equals' in 'condition'`);
    expect(run.stdout).toBe("");
  });

  it("validate refuses a parameter the policy does not define, at its position", async () => {
    const dir = mkdtempSync(join(tmpdir(), "aigov-rules-"));
    writeFileSync(
      join(dir, "my-rule.yaml"),
      "id: my-rule\ntitle: my rule\nseverity: low\ndescription: d\nrisk: r\nremediation: { text: t }\napplies_to: { subject: asset }\ncondition:\n  field: region\n  in: $policy.allowed_zones\ntests:\n  - { name: a, subject: {}, expect: pass }\n  - { name: b, subject: {}, expect: pass }\n",
    );
    const run = await runCli(["rules", "validate", dir]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`${dir}/my-rule.yaml:10:7: the policy does not define the parameter 'allowed_zones'`);
  });

  it("a policy file with an error stops the run with its position", async () => {
    const dir = mkdtempSync(join(tmpdir(), "aigov-policy-"));
    writeFileSync(join(dir, "aigov.yaml"), "gate:\n  fail_on: severe\n");
    const run = await runCli(["rules", "list"], { cwd: dir });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(
      `${dir}/aigov.yaml:2:12: 'gate.fail_on' is "severe", not one of: info, low, medium, high, critical`,
    );
  });

  it("list --format json is the rule catalogue", async () => {
    const run = await runCli(["rules", "list", "--format", "json"]);
    expect(run.code).toBe(0);
    const rules = JSON.parse(run.stdout) as { id: string; severity: string }[];
    expect(rules.length).toBeGreaterThanOrEqual(10);
    expect(rules.find((rule) => rule.id === "ai-resource-ungoverned")?.severity).toBe("high");
  });

  it("the committed rule catalogue is what list --format markdown prints (regenerate: cd docs && pnpm --silent aigov rules list --format markdown > rule-catalog.md)", async () => {
    const run = await runCli(["rules", "list", "--format", "markdown"], { cwd: join(REPO_ROOT, "docs") });
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(readFileSync(join(REPO_ROOT, "docs/rule-catalog.md"), "utf8"));
  });
});
