import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseYamlSource } from "@aigov/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { analyze } from "./analysis-harness.ts";
import { FIXTURES, GRYCAP_CORPUS } from "./corpus-paths.ts";

describe("real CloudTrail corpora", () => {
  it("the 17,615 real events of the grycap corpus (1,073 files) yield 0 AI calls and 0 findings", async () => {
    const result = await analyze([GRYCAP_CORPUS]);
    expect(result.stats.objects).toBe(1073);
    expect(result.stats.records).toBe(17615);
    expect(result.stats.malformedRecords + result.stats.malformedFiles).toBe(0);
    expect(result.summary.calls).toBe(0);
    expect(result.findings).toEqual([]);
  });

  it("the 295 Stratus Red Team detonation events (34 non-AI attacks) yield 0 AI calls and 0 findings", async () => {
    const result = await analyze([join(FIXTURES, "stratus-red-team")]);
    expect(result.stats.objects).toBe(34);
    expect(result.stats.records).toBe(295);
    expect(result.summary.calls).toBe(0);
    expect(result.findings).toEqual([]);
  });
});

/** Panther rule file → the aigov rules that cover the same detection (an update is medium, a deletion high). */
const PANTHER_RULES: Record<string, readonly string[]> = {
  "aws_bedrock_deletemodelinvocationloggingconfiguration.yml": ["aws-log-bedrock-invocation-logging-deleted"],
  "aws_bedrock_guardrail_update_delete.yml": ["aws-log-bedrock-guardrail-changed", "aws-log-bedrock-guardrail-deleted"],
};

describe("Panther Bedrock rule tests", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "aigov-panther-"));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  for (const file of readdirSync(join(FIXTURES, "panther"))) {
    const ruleIds = PANTHER_RULES[file];
    const source = parseYamlSource(readFileSync(join(FIXTURES, "panther", file), "utf8"), file);
    const tests = (source.value as { Tests: { Name: string; ExpectedResult: boolean; Log: unknown }[] }).Tests;
    for (const test of tests) {
      it(`${file} › ${test.Name}: ${ruleIds?.join(" or ")} ${test.ExpectedResult ? "fires" : "stays silent"}`, async () => {
        expect(ruleIds).toBeDefined();
        const input = join(dir, `${file}-${test.Name.replace(/\W+/g, "-")}.json`);
        writeFileSync(input, JSON.stringify(test.Log, null, 2));
        const result = await analyze([input]);
        expect(result.summary.calls).toBe(1);
        const fired = result.findings.filter((finding) => ruleIds?.includes(finding.ruleId));
        expect(fired.length).toBe(test.ExpectedResult ? 1 : 0);
      });
    }
  }
});

describe("malformed input", () => {
  it("reports a truncated line, a plain-text file and a truncated gzip with where they are, and reads the rest", async () => {
    const result = await analyze([join(FIXTURES, "malformed"), join(FIXTURES, "cloudtrail/bedrock-activity.ndjson")]);
    expect(result.stats.objects).toBe(4);
    const byFile = (name: string) => result.malformed.filter((report) => report.file.endsWith(name));
    expect(byFile("truncated-line.ndjson")).toEqual([expect.objectContaining({ kind: "record", line: 2 })]);
    expect(byFile("not-json.log")).toEqual([
      expect.objectContaining({ kind: "file", reason: expect.stringContaining("not a JSON log") }),
    ]);
    expect(byFile("truncated.json.gz")).toEqual([
      expect.objectContaining({ kind: "file", reason: expect.stringMatching(/unexpected end of file/i) }),
    ]);
    expect(result.stats.malformedRecords).toBe(1);
    expect(result.stats.malformedFiles).toBe(2);
    // Still read: the 2 good lines around the broken one, the 1 complete record before the gzip cut, the 11 of the good file.
    expect(result.summary.calls).toBe(14);
    expect(result.findings.some((finding) => finding.ruleId === "aws-log-llmjacking")).toBe(true);
  });
});
