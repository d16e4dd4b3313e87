import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CloudSim, startCloudSim } from "../../packages/cloud-sim/src/index.ts";
import { openStore, queryFindings } from "../../packages/store/src/index.ts";
import { CLI, NODE, runCli } from "./run-cli.ts";
import { orgWorld, shadowRegion, simEnv, writeSweepPolicy } from "./sweep-world.ts";

interface SweepJson {
  run: { id: number; status: string };
  summary: { findings: { total: number; new: number; resolved: number } };
}

const REGIONS = ["us-east-1", "eu-west-1"];
const dir = mkdtempSync(join(tmpdir(), "aigov-store-e2e-"));
const env = simEnv(dir);
const policy = writeSweepPolicy(dir, REGIONS);
let sim: CloudSim;

beforeAll(async () => {
  sim = await startCloudSim({ world: orgWorld(6, REGIONS), pageSize: 5 });
});
afterAll(async () => {
  await sim.close();
  rmSync(dir, { recursive: true, force: true });
});

const sweepArgs = (store: string) => [
  "sweep",
  "--policy",
  policy,
  "--store",
  store,
  "--aws-endpoint",
  sim.url,
  "--format",
  "json",
  "--progress-interval",
  "0",
];

function lifecycle(store: string): string[] {
  const opened = openStore(store);
  try {
    return [...queryFindings(opened)].map((f) => `${f.id} ${f.lifecycle.state} ${f.lifecycle.lastRun}`).sort();
  } finally {
    opened.close();
  }
}

function integrity(store: string): string {
  const opened = openStore(store);
  try {
    return (opened.db.prepare("PRAGMA integrity_check").get() as { integrity_check: string }).integrity_check;
  } finally {
    opened.close();
  }
}

describe("the store under real sweeps", () => {
  it("a sweep SIGKILLed mid-run leaves the previous state intact, and the next sweep recovers", async () => {
    const store = join(dir, "killed.db");
    sim.setWorld(orgWorld(6, REGIONS));
    sim.setFaults([]);
    const first = await runCli(sweepArgs(store), { env });
    expect(first.code, first.stderr).toBe(1);
    const before = lifecycle(store);
    expect(before.length).toBeGreaterThan(0);

    // Every key removed and a slow cloud: had the killed run finished, it would have resolved findings.
    sim.setWorld(
      orgWorld(6, REGIONS, (account, region) => ({ ...shadowRegion(account, region), lambda: { functions: [] } })),
    );
    sim.setFaults([{ kind: "latency", latencyMs: 40 }]);
    const child = spawn(NODE, [CLI, ...sweepArgs(store)], { env: { ...process.env, ...env }, stdio: "ignore" });
    const exited = new Promise<NodeJS.Signals | null>((resolve) =>
      child.on("exit", (_code, signal) => resolve(signal)),
    );
    // Kill it once it has written some of its targets.
    for (;;) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      const probe = openStore(store);
      const done = probe.run(2)?.targetsDone ?? 0;
      probe.close();
      if (done >= 2) break;
    }
    child.kill("SIGKILL");
    expect(await exited).toBe("SIGKILL");
    sim.setFaults([]);

    expect(integrity(store)).toBe("ok");
    expect(lifecycle(store)).toEqual(before);
    const recovered = openStore(store);
    expect(recovered.runs().map((r) => [r.id, r.status])).toEqual([
      [2, "aborted"],
      [1, "complete"],
    ]);
    recovered.close();

    // The next sweep sees the changed world against run 1, as if the killed run never happened.
    const next = await runCli(sweepArgs(store), { env });
    const json = JSON.parse(next.stdout) as SweepJson;
    expect(json.run).toMatchObject({ id: 3, status: "complete" });
    expect(json.summary.findings.new).toBe(0);
    expect(json.summary.findings.resolved).toBe(12); // one OpenAI key per account-region, all gone
  });

  it("a sweep stopped with SIGTERM (a node drain) records its run as aborted, keeps the previous state, and exits 2", async () => {
    const store = join(dir, "terminated.db");
    sim.setWorld(orgWorld(6, REGIONS));
    sim.setFaults([]);
    expect((await runCli(sweepArgs(store), { env })).code).toBe(1);
    const before = lifecycle(store);
    sim.setFaults([{ kind: "latency", latencyMs: 40 }]);
    const child = spawn(NODE, [CLI, ...sweepArgs(store)], {
      env: { ...process.env, ...env },
      stdio: ["ignore", "ignore", "pipe"],
    });
    let stderr = "";
    child.stderr!.setEncoding("utf8").on("data", (chunk: string) => {
      stderr += chunk;
    });
    const exited = new Promise<number | null>((resolve) => child.on("close", (code) => resolve(code)));
    for (;;) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      const probe = openStore(store);
      const done = probe.run(2)?.targetsDone ?? 0;
      probe.close();
      if (done >= 1) break;
    }
    child.kill("SIGTERM");
    expect(await exited).toBe(2);
    sim.setFaults([]);
    expect(stderr).toContain("the sweep was interrupted by a signal");
    const after = openStore(store);
    expect(after.run(2)?.status).toBe("aborted");
    after.close();
    expect(lifecycle(store)).toEqual(before);
  });

  it("two sweeps writing one store at the same time both complete, and the history stays consistent", async () => {
    const store = join(dir, "concurrent.db");
    sim.setWorld(orgWorld(6, REGIONS));
    sim.setFaults([{ kind: "latency", latencyMs: 5 }]);
    const [a, b] = await Promise.all([runCli(sweepArgs(store), { env }), runCli(sweepArgs(store), { env })]);
    sim.setFaults([]);
    expect([a.code, b.code]).toEqual([1, 1]);
    const [ja, jb] = [JSON.parse(a.stdout) as SweepJson, JSON.parse(b.stdout) as SweepJson];
    expect([ja.run.status, jb.run.status]).toEqual(["complete", "complete"]);
    expect(ja.summary.findings.total).toBe(jb.summary.findings.total);
    // Whichever finished first saw every finding as new; the other saw them as already known.
    expect(ja.summary.findings.new + jb.summary.findings.new).toBe(ja.summary.findings.total);
    expect(integrity(store)).toBe("ok");
    // They really overlapped: each started before the other finished.
    const opened = openStore(store);
    const [one, two] = opened.runs().reverse();
    opened.close();
    expect(one!.startedAt < two!.finishedAt! && two!.startedAt < one!.finishedAt!).toBe(true);
    const states = lifecycle(store);
    expect(states).toHaveLength(ja.summary.findings.total);
    expect(new Set(states.map((s) => s.split(" ")[0])).size).toBe(states.length);
  });
});
