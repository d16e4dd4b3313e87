// aigov in a hardened Node process (--disallow-code-generation-from-strings): the gate still judges with the built-in
// policy, and a policy file it cannot check stops it with exit 2 and a message that says why.
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");
const node = process.execPath.includes("node_modules") ? process.execPath : join(repoRoot, "node_modules/.bin/node");
const main = join(repoRoot, "packages/cli/src/main.ts");
const plan = join(repoRoot, "test/fixtures/plans/sample-ai-plan.json");

function gate(args: readonly string[], hardened: boolean, cwd: string) {
  const flags = hardened ? ["--disallow-code-generation-from-strings"] : [];
  const run = spawnSync(node, [...flags, main, "gate", plan, "--format", "json", ...args], {
    cwd,
    encoding: "utf8",
    env: { ...process.env, NO_COLOR: "1", NODE_OPTIONS: "" },
  });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

/** The gate's JSON without the time it observed the plan at, which differs between two runs. */
const judged = (stdout: string) => JSON.parse(stdout.replace(/"observedAt": "[^"]*"/g, '"observedAt": ""'));

describe("a Node process that may not compile code (--disallow-code-generation-from-strings)", () => {
  // A directory with no aigov.yaml: the built-in policy.
  const cwd = mkdtempSync(join(tmpdir(), "aigov-hardened-"));

  it("gates a plan with the built-in policy as any process does: the same findings, exit 1", () => {
    const hardened = gate([], true, cwd);
    const plain = gate([], false, cwd);
    expect(hardened.status).toBe(1);
    expect(plain.status).toBe(1);
    const result = judged(hardened.stdout);
    expect(result.findings.length).toBeGreaterThan(0);
    expect(result).toStrictEqual(judged(plain.stdout));
  });

  it("stops at a policy file it cannot check, with exit 2, saying why, and without Ajv's generated code", () => {
    const policy = join(cwd, "policy.yaml");
    writeFileSync(policy, "version: 1\n");
    const run = gate(["--policy", policy], true, cwd);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain("cannot be checked in this process");
    expect(run.stderr).toContain("--disallow-code-generation-from-strings");
    expect(run.stderr).not.toContain("function code");
    expect(run.stdout).toBe("");
    // The same file is a valid policy where code may be compiled.
    expect(gate(["--policy", policy], false, cwd).status).toBe(1);
  });
});
