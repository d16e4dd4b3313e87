import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { REPO_ROOT, runCli } from "./run-cli.ts";

const dir = mkdtempSync(join(tmpdir(), "aigov-logs-export-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("aigov logs delivers its findings to the policy's sinks", () => {
  it("as events: sent once, and never reported resolved when a later read does not see them again", async () => {
    const policy = join(dir, "aigov.yaml");
    writeFileSync(
      policy,
      "sinks:\n  - name: archive\n    type: file\n    path: log-findings.ndjson\n    format: ocsf\n",
    );
    const state = join(dir, "state.db");
    const logs = join(REPO_ROOT, "test/fixtures/logs/cloudtrail/bedrock-activity.ndjson");

    const first = await runCli(["logs", logs, "--policy", policy, "--state-db", state, "--format", "json"]);
    expect([0, 1]).toContain(first.code);
    const findings = (JSON.parse(first.stdout) as { findings: { id: string }[] }).findings;
    expect(findings.length).toBeGreaterThan(0);
    const sent = () =>
      readFileSync(join(dir, "log-findings.ndjson"), "utf8")
        .trim()
        .split("\n")
        .map((line) => JSON.parse(line) as { class_uid: number; activity_id: number; finding_info: { uid: string } });
    expect(
      new Set(
        sent()
          .filter((event) => event.class_uid === 2004)
          .map((event) => event.finding_info.uid),
      ),
    ).toEqual(new Set(findings.map((finding) => finding.id)));

    // The state remembers the file was read: the next run reads nothing new, and nothing is "resolved".
    const second = await runCli(["logs", logs, "--policy", policy, "--state-db", state]);
    expect(second.code, second.stderr).toBe(0);
    expect(second.stderr).toMatch(/aigov: archive: 0 new, 0 changed, 0 resolved/);
    expect(sent().filter((event) => event.activity_id === 3)).toEqual([]);
  });
});
