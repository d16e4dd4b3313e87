// A mistake anywhere in the policy file stops every command, not only the one that reads that section: the gate in
// CI, `aigov rules`, the read-only history commands. Each says where (file:line:column), what and what to do, and
// exits 2. The cli runs in this process, as `aigov` would run it.
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { aigovInProcess } from "./in-process.ts";

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");
const plan = join(repoRoot, "test/fixtures/plans/empty-plan.json");

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "aigov-policy-load-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function aigov(...args: string[]) {
  return aigovInProcess(dir, ...args);
}

function policyFile(name: string, text: string): string {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}

describe("a policy the commands load", () => {
  it("passes the gate when every section is right (the documented example)", async () => {
    const example = join(dir, "example.yaml");
    copyFileSync(join(repoRoot, "docs/examples/aigov.yaml"), example);
    const run = await aigov("gate", plan, "--policy", example);
    expect(run.stderr).not.toContain("error");
    expect(run.code).toBe(0);
  });

  it("fails the gate closed on a broken sink, with where, what and what to do", async () => {
    const file = policyFile(
      "sink.yaml",
      "approved_regions: [eu-west-1]\nsinks:\n  - name: siem\n    type: splunk-hec\n    url: https://splunk:8088\n    token_env: T\n    indx: main\n",
    );
    const run = await aigov("gate", plan, "--policy", file);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`${file}:7:5: sinks[0].indx: unknown key 'indx'`);
    expect(run.stderr).toMatch(/hint: allowed here: .*\bindex\b/);
    expect(run.stdout).toBe("");
  });

  it("fails the gate closed on a broken targets.aws section and on a cloud no scanner sweeps", async () => {
    const regionz = policyFile("regionz.yaml", "targets:\n  aws:\n    accounts: ['111122223333']\n    regionz: [x]\n");
    const badKey = await aigov("gate", plan, "--policy", regionz);
    expect(badKey.code).toBe(2);
    expect(badKey.stderr).toContain(`${regionz}:4:5: targets.aws.regionz: unknown key 'regionz'`);
    const awz = policyFile("awz.yaml", "targets:\n  awz:\n    accounts: ['111122223333']\n");
    const badCloud = await aigov("gate", plan, "--policy", awz);
    expect(badCloud.code).toBe(2);
    expect(badCloud.stderr).toContain(`${awz}:2:3: targets.awz: unknown key 'awz'`);
    expect(badCloud.stderr).toMatch(/hint: allowed here: aws\b/);
  });

  it("fails the other commands closed on a broken store section", async () => {
    const file = policyFile("store.yaml", "store:\n  path: ./h.db\n  keep_runs: 0\n");
    for (const args of [["rules", "validate"], ["findings"], ["gate", plan]]) {
      const run = await aigov(...args, "--policy", file);
      expect(run.code, args.join(" ")).toBe(2);
      expect(run.stderr).toContain(`${file}:3:14: store.keep_runs: must be at least 1`);
      // What to write instead: what the key is for, and its default, from the schema editors show.
      expect(run.stderr).toMatch(/hint: retention of sweep runs: keep the newest N\b.*\(default: 200\)/);
    }
  });
});
