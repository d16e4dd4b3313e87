// Which file a command's store is. A path in the policy's `store:` is relative to the policy file's directory (as
// paths in terraform and kubectl configuration are), `--store` to the caller's working directory; every command
// resolves it the same way, and a command that only reads never creates a store.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CloudSim, startCloudSim } from "../../packages/cloud-sim/src/index.ts";
import { openStore } from "../../packages/store/src/index.ts";
import { REPO_ROOT, runCli } from "./run-cli.ts";
import { orgWorld, simEnv, writeSweepPolicy } from "./sweep-world.ts";

const REGIONS = ["us-east-1"];
const root = mkdtempSync(join(tmpdir(), "aigov-store-resolution-"));
const confDir = join(root, "conf");
const workDir = join(root, "work");
const home = join(root, "home");
const LOG = join(REPO_ROOT, "test/fixtures/logs/cloudtrail/bedrock-activity.ndjson");
let sim: CloudSim;
let policy: string;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  for (const dir of [confDir, workDir, home]) mkdirSync(dir);
  policy = writeSweepPolicy(confDir, REGIONS, "store:\n  path: ./x.db\n  keep_runs: 10\n");
  // The user's default store would land here: nothing may.
  env = { ...simEnv(join(root, "sim-env")), HOME: home, XDG_STATE_HOME: join(home, "state") };
  sim = await startCloudSim({ world: orgWorld(2, REGIONS) });
});
afterAll(async () => {
  await sim.close();
  rmSync(root, { recursive: true, force: true });
});

describe("a policy's store: { path: ./x.db } from another working directory", () => {
  it("sweep, logs and inventory all use <policy dir>/x.db", async () => {
    // The policy named relative to the working directory, as `aigov … --policy ../conf/aigov.yaml` would.
    const policyArg = relative(workDir, policy);
    const sweep = await runCli(
      ["sweep", "--policy", policyArg, "--aws-endpoint", sim.url, "--format", "json", "--progress-interval", "0"],
      { cwd: workDir, env },
    );
    expect([0, 1], sweep.stderr).toContain(sweep.code);
    const swept = JSON.parse(sweep.stdout) as { assets: { id: string }[] };
    expect(swept.assets.length).toBeGreaterThan(0);

    const logs = await runCli(["logs", "--policy", policyArg, "--format", "json", LOG], { cwd: workDir, env });
    expect([0, 1], logs.stderr).toContain(logs.code);

    const inventory = await runCli(["inventory", "--policy", policyArg, "--format", "json"], { cwd: workDir, env });
    expect(inventory.code, inventory.stderr).toBe(0);
    const ids = (assets: { id: string }[]) => assets.map((asset) => asset.id).sort();
    expect(ids((JSON.parse(inventory.stdout) as { assets: { id: string }[] }).assets)).toEqual(ids(swept.assets));

    // One file holds the sweep's run and what the log reader read; nothing went to the working or state directory.
    const store = openStore(join(confDir, "x.db"), { access: "read" });
    try {
      expect(store.runs()).toHaveLength(1);
      expect(store.all("SELECT source FROM log_read_state")).toEqual([{ source: `file:${LOG}` }]);
    } finally {
      store.close();
    }
    expect(readdirSync(workDir)).toEqual([]);
    expect(existsSync(join(home, "state"))).toBe(false);
  });

  it("--store is relative to the caller's working directory", async () => {
    const findings = await runCli(["findings", "--store", "conf/x.db"], { cwd: root, env });
    expect(findings.code, findings.stderr).toBe(0);
    expect(findings.stderr).toMatch(new RegExp(`^[1-9]\\d* findings in ${join(confDir, "x.db")}$`, "m"));
  });
});

describe("a command that only reads never creates a store", () => {
  for (const args of [
    ["export", "--format", "ocsf"],
    ["export", "--sink", "archive"],
    ["findings"],
    ["inventory"],
    ["report", "--output", "-"],
  ]) {
    it(`${args.join(" ")} --store typo.db: no store, exit 2, and no file made`, async () => {
      const run = await runCli([...args, "--store", "typo.db"], { cwd: workDir, env });
      expect(run.code).toBe(2);
      expect(run.stdout).toBe("");
      expect(run.stderr).toContain(
        `no store at ${join(workDir, "typo.db")}: run \`aigov sweep\` first, or pass --store`,
      );
      expect(readdirSync(workDir)).toEqual([]);
    });
  }
});

describe("aigov logs --store", () => {
  it("has --state-db as its older name, and refuses the two naming different files", async () => {
    const run = await runCli(["logs", "--store", "a.db", "--state-db", "b.db", LOG], { cwd: workDir, env });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("--store a.db and --state-db b.db name different files");
    expect(readdirSync(workDir)).toEqual([]);
  });
});
