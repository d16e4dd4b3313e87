import { readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fakeLake } from "../../packages/logs/test/cloudtrail-lake-fake.ts";
import { GRYCAP_CORPUS } from "../../packages/logs/test/corpus-paths.ts";
import { REPO_ROOT, runCli } from "./run-cli.ts";

const fixture = (path: string) => join(REPO_ROOT, "test/fixtures/logs", path);

interface LogsJson {
  read: {
    objects: number;
    unchanged: number;
    records: number;
    aiCalls: number;
    malformedRecords: number;
    malformedFiles: number;
  };
  calls: { calls: number; by: Record<string, Record<string, number>> };
  malformed: {
    records: number;
    files: number;
    reports: { kind: string; file: string; line?: number; reason: string }[];
  };
  findings: { id: string; ruleId: string; severity: string; status: string; subject: { id: string } }[];
  blocking: number;
}

describe("aigov logs", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "aigov-logs-e2e-"));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("over the 17,615 real CloudTrail events: 0 AI calls, no findings, exit 0", async () => {
    const run = await runCli(["logs", "--no-state", GRYCAP_CORPUS]);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("read 1073 log objects, 17615 records, 0 AI calls");
    expect(run.stdout).toContain("no findings");
  });

  it("finds the LLMjacking sequence, exits 1, and gives the same finding ids on every run", async () => {
    const runs = await Promise.all(
      [1, 2].map(() =>
        runCli(["logs", "--no-state", "--format", "json", fixture("cloudtrail/bedrock-activity.ndjson")]),
      ),
    );
    for (const run of runs) expect(run.code).toBe(1);
    const [first, second] = runs.map((run) => JSON.parse(run.stdout) as LogsJson);
    expect(first!.calls.calls).toBe(11);
    expect(first!.calls.by.authType).toEqual({ iam: 9, key: 2 });
    const llmjacking = first!.findings.filter((finding) => finding.ruleId === "aws-log-llmjacking");
    expect(llmjacking).toEqual([
      expect.objectContaining({
        severity: "critical",
        status: "open",
        subject: expect.objectContaining({ id: "principal=arn:aws:iam::111122223333:user/ci-deployer" }),
      }),
    ]);
    expect(first!.blocking).toBe(1);
    expect(second!.findings.map((finding) => finding.id)).toEqual(first!.findings.map((finding) => finding.id));
  });

  it("reads stdin with '-'", async () => {
    const run = await runCli(["logs", "--no-state", "--format", "json", "-"], {
      stdin: readFileSync(fixture("cloudtrail/111122223333_CloudTrail_us-east-1_20261120T1015Z_bedrock.json.gz")),
    });
    expect(run.code).toBe(1);
    expect((JSON.parse(run.stdout) as LogsJson).calls.calls).toBe(11);
  });

  it("reports malformed records and files on stderr and in JSON, and still reads the rest", async () => {
    const run = await runCli(["logs", "--no-state", "--format", "json", fixture("malformed")]);
    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout) as LogsJson;
    expect(result.malformed.records).toBe(1);
    expect(result.malformed.files).toBe(2);
    expect(result.malformed.reports).toContainEqual(
      expect.objectContaining({ kind: "record", file: fixture("malformed/truncated-line.ndjson"), line: 2 }),
    );
    expect(result.calls.calls).toBe(3);
    expect(run.stderr).toContain(`malformed record: ${fixture("malformed/truncated-line.ndjson")}:2`);
    expect(run.stderr).toContain(`malformed file: ${fixture("malformed/not-json.log")}`);
  });

  it("exits 2 when nothing could be read or an input is missing", async () => {
    const notJson = await runCli(["logs", "--no-state", fixture("malformed/not-json.log")]);
    expect(notJson.code).toBe(2);
    const missing = await runCli(["logs", "--no-state", join(dir, "nope.json")]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("nope.json");
  });

  it("with a state database, a second run reads nothing new and does not repeat first-use findings", async () => {
    const db = join(dir, "state.db");
    const args = ["logs", "--state-db", db, "--format", "json", fixture("gcp"), fixture("azure")];
    const first = JSON.parse((await runCli(args)).stdout) as LogsJson;
    expect(first.read.objects).toBe(4);
    expect(first.findings.filter((finding) => finding.ruleId === "ai-log-first-use-in-account")).toHaveLength(4);
    const again = await runCli(args);
    const second = JSON.parse(again.stdout) as LogsJson;
    expect(second.read.objects).toBe(0);
    expect(second.read.unchanged).toBe(4);
    expect(second.calls.calls).toBe(0);
    expect(second.findings).toEqual([]);
    expect(again.code).toBe(0);
  });

  it("--cloudtrail-lake runs the query through the SDK and judges the rows", async () => {
    const rows = (
      JSON.parse(readFileSync(fixture("query-results/cloudtrail-lake-get-query-results.json"), "utf8")) as {
        QueryResultRows: unknown[][];
      }
    ).QueryResultRows;
    const lake = await fakeLake(rows);
    try {
      const env = { AWS_ACCESS_KEY_ID: "AKIAFAKE", AWS_SECRET_ACCESS_KEY: "fake", AIGOV_LAKE_POLL_MS: "5" };
      const store = "arn:aws:cloudtrail:us-east-1:111122223333:eventdatastore/EXAMPLE-1234";
      const run = await runCli(
        [
          "logs",
          "--no-state",
          "--format",
          "json",
          "--cloudtrail-lake",
          store,
          "--since",
          "2026-11-20T00:00:00Z",
          "--lake-endpoint",
          lake.url,
        ],
        { env },
      );
      expect(run.code).toBe(1);
      expect(lake.statements).toHaveLength(1);
      expect(lake.statements[0]).toContain("FROM EXAMPLE-1234");
      const result = JSON.parse(run.stdout) as LogsJson;
      expect(result.calls.calls).toBe(11);
      expect(result.findings.some((finding) => finding.ruleId === "aws-log-llmjacking")).toBe(true);
      const withoutSince = await runCli(["logs", "--no-state", "--cloudtrail-lake", store], { env });
      expect(withoutSince.code).toBe(2);
      expect(withoutSince.stderr).toContain("--since");
    } finally {
      await lake.close();
    }
  });
});
