import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { REPO_ROOT, runCli } from "./run-cli.ts";

const dir = mkdtempSync(join(tmpdir(), "aigov-sweep-export-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("a sweep exports to the policy's sinks", () => {
  it("delivers every finding of the first run as OCSF, then only what changed", async () => {
    const policy = join(dir, "aigov.yaml");
    const demoPolicy = readFileSync(join(REPO_ROOT, "packages/cli/assets/demo-policy.yaml"), "utf8");
    writeFileSync(
      policy,
      `${demoPolicy}\nsinks:\n  - name: archive\n    type: file\n    path: findings.ocsf.ndjson\n    format: ocsf\n`,
    );
    const store = join(dir, "aigov.db");

    const first = await runCli([
      "demo",
      "--policy",
      policy,
      "--store",
      store,
      "--format",
      "json",
      "--progress-interval",
      "0",
    ]);
    expect(first.code, first.stderr).toBe(0);
    const findings = (JSON.parse(first.stdout) as { findings: { id: string; status: string }[] }).findings;
    const events = readFileSync(join(dir, "findings.ocsf.ndjson"), "utf8")
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as { class_uid: number; finding_info: { uid: string } });
    const detected = new Set(events.filter((event) => event.class_uid === 2004).map((event) => event.finding_info.uid));
    expect(detected).toEqual(new Set(findings.map((finding) => finding.id)));
    expect(first.stderr).toMatch(
      new RegExp(`aigov: archive: ${findings.length} new, 0 changed, 0 resolved, 0 unchanged`),
    );

    const second = await runCli(["demo", "--policy", policy, "--store", store, "--progress-interval", "0"]);
    expect(second.code, second.stderr).toBe(0);
    // The demo's CloudTrail clock moves with the wall clock, so log findings (call times in their evidence) change;
    // nothing is new or resolved, and only the changed findings are sent again, as OCSF Update events.
    const report = /aigov: archive: 0 new, (\d+) changed, 0 resolved, (\d+) unchanged; delivered (\d+) in/.exec(
      second.stderr,
    );
    expect(report, second.stderr).not.toBeNull();
    const [changed, unchanged, delivered] = report!.slice(1).map(Number) as [number, number, number];
    expect(changed + unchanged).toBe(findings.length);
    expect(delivered).toBe(changed);
    const after = readFileSync(join(dir, "findings.ocsf.ndjson"), "utf8")
      .trim()
      .split("\n")
      .slice(events.length)
      .map((line) => JSON.parse(line) as { class_uid: number; activity_id: number });
    expect(after.filter((event) => event.class_uid === 2004)).toHaveLength(changed);
    expect(after.every((event) => event.activity_id === 2)).toBe(true);
  });

  it("--no-export skips the sinks", async () => {
    const policy = join(dir, "aigov-2.yaml");
    const demoPolicy = readFileSync(join(REPO_ROOT, "packages/cli/assets/demo-policy.yaml"), "utf8");
    writeFileSync(
      policy,
      `${demoPolicy}\nsinks:\n  - name: archive\n    type: file\n    path: skipped.ndjson\n    format: ocsf\n`,
    );
    const run = await runCli(["demo", "--policy", policy, "--no-export", "--progress-interval", "0"]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).not.toContain("aigov: archive:");
    expect(() => readFileSync(join(dir, "skipped.ndjson"))).toThrowError(/ENOENT/);
  });

  it("shards sharing one store and one sink never report each other's findings as resolved", async () => {
    const policy = join(dir, "aigov-shards.yaml");
    const demoPolicy = readFileSync(join(REPO_ROOT, "packages/cli/assets/demo-policy.yaml"), "utf8");
    writeFileSync(
      policy,
      `${demoPolicy}\nsinks:\n  - name: archive\n    type: file\n    path: shards.ndjson\n    format: ocsf\n`,
    );
    const store = join(dir, "shards.db");
    for (const shard of ["0/2", "1/2", "0/2"]) {
      const run = await runCli([
        "demo",
        "--policy",
        policy,
        "--store",
        store,
        "--shard",
        shard,
        "--progress-interval",
        "0",
      ]);
      expect(run.code, run.stderr).toBe(0);
      expect(run.stderr).toMatch(/aigov: archive: \d+ new, \d+ changed, 0 resolved/);
    }
    const events = readFileSync(join(dir, "shards.ndjson"), "utf8")
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as { activity_id: number });
    expect(events.length).toBeGreaterThan(0);
    expect(events.filter((event) => event.activity_id === 3)).toEqual([]);
  });
});
