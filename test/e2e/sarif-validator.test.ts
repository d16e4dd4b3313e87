// aigov's SARIF checked by Microsoft's SARIF Multitool (the SARIF SDK's validator): the SARIF 2.1.0 JSON schema,
// the SARIF rules, and the rules for what GitHub code scanning ingests (rule kinds "Sarif" and "Gh").
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { REPO_ROOT, runCli } from "./run-cli.ts";

const MULTITOOL = createRequire(import.meta.url)("@microsoft/sarif-multitool") as string;
const dir = mkdtempSync(join(tmpdir(), "aigov-sarif-"));

interface ValidationResult {
  readonly ruleId: string;
  readonly level: string;
  readonly message: { readonly arguments?: readonly string[] };
}

/** The validator's errors and warnings on a SARIF file (its notes are style advice and unreachable help URIs offline). */
function validate(sarif: string, name: string): ValidationResult[] {
  const input = join(dir, `${name}.sarif`);
  const output = join(dir, `${name}.validation.sarif`);
  writeFileSync(input, sarif);
  const run = spawnSync(
    MULTITOOL,
    [
      "validate",
      input,
      "--rule-kind",
      "Sarif;Gh",
      "--level",
      "Error;Warning",
      "--output",
      output,
      "--log",
      "ForceOverwrite",
    ],
    { encoding: "utf8" },
  );
  expect(run.status, run.stdout + run.stderr).toBe(0);
  return (JSON.parse(readFileSync(output, "utf8")) as { runs: { results: ValidationResult[] }[] }).runs[0]!.results;
}

describe("SARIF output, as the SARIF Multitool validates it", () => {
  it("aigov gate --format sarif has no schema, SARIF or GitHub error or warning", async () => {
    const gate = await runCli([
      "gate",
      join(REPO_ROOT, "test/fixtures/plans/sample-ai-plan.json"),
      "--format",
      "sarif",
    ]);
    expect(gate.code).toBe(1);
    expect(JSON.parse(gate.stdout).runs[0].results.length).toBeGreaterThan(5);
    expect(validate(gate.stdout, "gate")).toEqual([]);
  });

  it("aigov export --format sarif of a sweep has none either", async () => {
    const store = join(dir, "demo.db");
    expect((await runCli(["demo", "--store", store])).code).toBe(0);
    const exported = await runCli(["export", "--store", store, "--format", "sarif"]);
    expect(exported.code).toBe(0);
    expect(validate(exported.stdout, "export")).toEqual([]);
  });

  it("reports a broken log, so a clean result means something", async () => {
    const gate = await runCli([
      "gate",
      join(REPO_ROOT, "test/fixtures/plans/sample-ai-plan.json"),
      "--format",
      "sarif",
    ]);
    const log = JSON.parse(gate.stdout);
    delete log.runs[0].tool.driver.name;
    log.runs[0].results[0].level = "severe";
    const findings = validate(JSON.stringify(log), "broken");
    expect(findings.map((result) => result.message.arguments?.[0])).toEqual(
      expect.arrayContaining(["runs[0].tool.driver", "runs[0].results[0].level"]),
    );
  });
});
