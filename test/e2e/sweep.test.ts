import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CloudSim, startCloudSim } from "../../packages/cloud-sim/src/index.ts";
import { runCli } from "./run-cli.ts";
import { accountId, orgWorld, shadowRegion, simEnv, writeSweepPolicy } from "./sweep-world.ts";

interface SweepJson {
  run: { id: number; status: string; shard?: string };
  summary: {
    status: string;
    apiCalls: number;
    requestSeconds: number;
    peakRequestsInFlight: number;
    targets: { total: number; partial: number };
    findings: { total: number; new: number; reopened: number; resolved: number; blocking: number };
  };
  findings: {
    id: string;
    ruleId: string;
    status: string;
    subject: { name: string; account: string; region: string };
    lifecycle: { state: string };
  }[];
  assets: { id: string; name: string }[];
  gaps: { account: string; region?: string; service: string; code: string; message: string }[];
}

const REGIONS = ["us-east-1", "eu-west-1"];
const dir = mkdtempSync(join(tmpdir(), "aigov-sweep-e2e-"));
const env = simEnv(dir);
const policy = writeSweepPolicy(dir, REGIONS);
let sim: CloudSim;

beforeAll(async () => {
  sim = await startCloudSim({ world: orgWorld(3, REGIONS), pageSize: 5 });
});
afterAll(async () => {
  await sim.close();
  rmSync(dir, { recursive: true, force: true });
});

async function sweep(
  store: string,
  ...args: string[]
): Promise<{ code: number | null; json: SweepJson; stderr: string }> {
  const run = await runCli(
    [
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
      ...args,
    ],
    { env },
  );
  let json: SweepJson;
  try {
    json = JSON.parse(run.stdout) as SweepJson;
  } catch {
    throw new Error(`exit ${run.code}, stdout not JSON:\n${run.stdout}\n${run.stderr}`);
  }
  return { code: run.code, json, stderr: run.stderr };
}

const key = (f: SweepJson["findings"][number]) => `${f.ruleId} ${f.subject.name}`;

describe("aigov sweep against the simulated organization", () => {
  it("tracks findings across runs: nothing new on a rerun, exactly the fixed ones resolved after the world changes", async () => {
    const store = join(dir, "lifecycle.db");
    const first = await sweep(store);
    expect(first.code, first.stderr).toBe(1);
    expect(first.json.summary.status).toBe("complete");
    expect(first.json.summary.targets.total).toBe(3 * REGIONS.length + 3); // regions, plus one global (IAM) target per account
    // Every region: notebook root access and an OpenAI key in Lambda; the owned endpoint on an approved model is clean.
    const rootAccess = first.json.findings.filter((f) => f.ruleId === "ai-notebook-root-access");
    const keys = first.json.findings.filter((f) => f.ruleId === "third-party-ai-key-in-configuration");
    expect(rootAccess).toHaveLength(6);
    expect(keys).toHaveLength(6);
    expect(first.json.findings.filter((f) => f.subject.name.startsWith("chat-"))).toEqual([]);
    expect(first.json.summary.findings.new).toBe(first.json.findings.length);

    const second = await sweep(store);
    expect(second.code).toBe(1);
    expect(second.json.summary.findings).toMatchObject({
      new: 0,
      reopened: 0,
      resolved: 0,
      total: first.json.findings.length,
    });
    expect(second.json.findings.map(key).sort()).toEqual(first.json.findings.map(key).sort());

    // Account 1 / us-east-1 fixes its notebook and removes the key; account 2 / eu-west-1 gets a new notebook.
    const fixed = accountId(1);
    const grown = accountId(2);
    sim.setWorld(
      orgWorld(3, REGIONS, (account, region) => {
        const base = shadowRegion(account, region);
        if (account === fixed && region === "us-east-1") {
          return {
            sagemaker: {
              ...base.sagemaker,
              notebookInstances: [{ ...base.sagemaker!.notebookInstances![0]!, RootAccess: "Disabled" }],
            },
            lambda: {
              functions: [{ ...base.lambda!.functions![0]!, Environment: { Variables: { LOG_LEVEL: "info" } } }],
            },
          };
        }
        if (account === grown && region === "eu-west-1") {
          return {
            ...base,
            sagemaker: {
              ...base.sagemaker,
              notebookInstances: [
                ...base.sagemaker!.notebookInstances!,
                {
                  NotebookInstanceName: "nb-new",
                  RootAccess: "Enabled",
                  DirectInternetAccess: "Disabled",
                  SubnetId: "subnet-1",
                  tags: { owner: "ds" },
                },
              ],
            },
          };
        }
        return base;
      }),
    );
    const third = await sweep(store);
    const resolved = third.json.findings.filter((f) => f.lifecycle.state === "resolved");
    const added = third.json.findings.filter((f) => f.lifecycle.state === "new");
    expect(resolved.map(key).sort()).toEqual([
      `ai-notebook-root-access nb-${fixed.slice(-4)}-us-east-1`,
      `third-party-ai-key-in-configuration bot-${fixed.slice(-4)}-us-east-1:env:OPENAI_API_KEY`,
    ]);
    expect(resolved.every((f) => f.status === "resolved")).toBe(true);
    // The new notebook raises what every other notebook of that shape raised (root access among them), and only that.
    const notebookRules = first.json.findings
      .filter((f) => f.subject.name === "nb-0000-us-east-1")
      .map((f) => f.ruleId);
    expect(notebookRules).toContain("ai-notebook-root-access");
    expect(added.every((f) => f.subject.name === "nb-new")).toBe(true);
    expect(added.map((f) => f.ruleId).sort()).toEqual(notebookRules.sort());
    expect(third.json.summary.findings).toMatchObject({ new: added.length, resolved: 2 });

    // `aigov findings` reads the same history: what the latest run found new, and what is resolved.
    const fresh = await runCli(
      ["findings", "--store", store, "--run", "latest", "--status", "new", "--format", "json"],
      { env },
    );
    expect((JSON.parse(fresh.stdout) as { findings: SweepJson["findings"] }).findings.map(key).sort()).toEqual(
      added.map(key).sort(),
    );
    const listed = await runCli(["findings", "--store", store, "--status", "resolved", "--format", "json"], { env });
    expect((JSON.parse(listed.stdout) as { findings: SweepJson["findings"] }).findings.map(key).sort()).toEqual(
      resolved.map(key).sort(),
    );
  });

  it("states partial coverage and never resolves what a gap hid", async () => {
    const store = join(dir, "partial.db");
    sim.setWorld(orgWorld(3, REGIONS));
    sim.setFaults([]);
    const first = await sweep(store);
    sim.setFaults([{ kind: "access-denied", service: "sagemaker", account: accountId(2) }]);
    const second = await sweep(store);
    sim.setFaults([]);
    expect(second.code).toBe(1);
    expect(second.json.summary.status).toBe("partial");
    expect(second.json.run.status).toBe("partial");
    expect(
      second.json.gaps.some(
        (g) => g.account === accountId(2) && g.service === "sagemaker" && g.code === "AccessDenied",
      ),
    ).toBe(true);
    expect(second.json.summary.findings.resolved).toBe(0);
    // The hidden notebooks' findings are still open in the store, with their first-seen run.
    const listed = JSON.parse(
      (
        await runCli(
          [
            "findings",
            "--store",
            store,
            "--account",
            accountId(2),
            "--rule",
            "ai-notebook-root-access",
            "--format",
            "json",
          ],
          { env },
        )
      ).stdout,
    ) as {
      findings: { lifecycle: { state: string; firstRun: number } }[];
    };
    expect(listed.findings).toHaveLength(2);
    expect(
      listed.findings.every((f) => f.lifecycle.state === "new" && f.lifecycle.firstRun === first.json.run.id),
    ).toBe(true);
    const text = await runCli(
      [
        "sweep",
        "--policy",
        policy,
        "--store",
        store,
        "--aws-endpoint",
        sim.url,
        "--progress-interval",
        "0",
        "--fail-on-gaps",
      ],
      { env },
    );
    expect(text.code).toBe(1); // blocking findings still decide first
  });

  it("splits targets across shards without overlap; the shards' store and JSON combine to the full sweep", async () => {
    sim.setWorld(orgWorld(3, REGIONS));
    const full = await sweep(join(dir, "full.db"));
    const shared = join(dir, "shards.db");
    const shards = [];
    for (let index = 0; index < 3; index += 1) {
      const shard = await sweep(shared, "--shard", `${index}/3`);
      expect(shard.json.run.shard).toBe(`${index}/3`);
      shards.push(shard.json);
    }
    const targetsOf = (json: SweepJson) => json.summary.targets.total;
    expect(shards.map(targetsOf).reduce((a, b) => a + b, 0)).toBe(targetsOf(full.json));
    const union = shards.flatMap((s) => s.findings.map((f) => f.id));
    expect(new Set(union).size).toBe(union.length); // no finding reported by two shards
    expect(union.sort()).toEqual(full.json.findings.map((f) => f.id).sort());
    const inventory = JSON.parse(
      (await runCli(["inventory", "--store", shared, "--format", "json"], { env })).stdout,
    ) as { assets: { id: string }[] };
    expect(inventory.assets.map((a) => a.id).sort()).toEqual(full.json.assets.map((a) => a.id).sort());
  });

  it("writes the JSON result to --output (as the Kubernetes and CI examples do), nothing on stdout", async () => {
    sim.setWorld(orgWorld(3, REGIONS));
    const output = join(dir, "result.json");
    const run = await runCli(
      [
        "sweep",
        "--policy",
        policy,
        "--store",
        join(dir, "output.db"),
        "--aws-endpoint",
        sim.url,
        "--format",
        "json",
        "--output",
        output,
        "--progress-interval",
        "0",
      ],
      { env },
    );
    expect(run.code).toBe(1);
    expect(run.stdout).toBe("");
    const json = JSON.parse(readFileSync(output, "utf8")) as SweepJson;
    expect(json.summary.findings.total).toBe(json.findings.length);
    expect(json.findings.length).toBeGreaterThan(0);
  });

  it("says how long its API calls took and how many were in flight at most, as the cloud answered them", async () => {
    sim.setWorld(orgWorld(3, REGIONS));
    // Every answer 40 ms away, as a cloud region is: no call can take less.
    sim.setFaults([{ kind: "latency", latencyMs: 40 }]);
    try {
      const { json } = await sweep(join(dir, "request-times.db"));
      const { apiCalls, requestSeconds, peakRequestsInFlight } = json.summary;
      expect(apiCalls).toBeGreaterThan(100);
      expect(requestSeconds / apiCalls).toBeGreaterThanOrEqual(0.04);
      // The AWS scanner keeps at most 128 requests in flight; 3 accounts x 2 regions keep several at once.
      expect(peakRequestsInFlight).toBeGreaterThan(1);
      expect(peakRequestsInFlight).toBeLessThanOrEqual(128);
      const text = await runCli(
        ["sweep", "--policy", policy, "--store", join(dir, "request-times-text.db"), "--aws-endpoint", sim.url],
        { env },
      );
      const said = /· (\d+) API calls \((\d+) ms each on average, up to (\d+) at once\) ·/.exec(text.stdout);
      expect(said, text.stdout).not.toBeNull();
      // The same world swept again sends the same calls.
      expect(Number(said![1])).toBe(apiCalls);
      expect(Number(said![2])).toBeGreaterThanOrEqual(40);
      expect(Number(said![3])).toBeGreaterThan(1);
    } finally {
      sim.setFaults([]);
    }
  });

  it("sweeps over TLS as against AWS, trusting only the CA it is given; an untrusted certificate sweeps nothing", async () => {
    sim.setWorld(orgWorld(3, REGIONS));
    const overTls = async (name: string, caFile?: string) => {
      const { NODE_EXTRA_CA_CERTS: _inherited, ...noExtraCa } = process.env;
      const run = await runCli(
        ["sweep", "--policy", policy, "--store", join(dir, name), "--aws-endpoint", sim.httpsUrl].concat([
          "--format",
          "json",
          "--progress-interval",
          "0",
        ]),
        { env: { ...noExtraCa, ...env, ...(caFile === undefined ? {} : { NODE_EXTRA_CA_CERTS: caFile }) } },
      );
      return { ...run, json: run.stdout === "" ? undefined : (JSON.parse(run.stdout) as SweepJson) };
    };
    const plain = await sweep(join(dir, "plain.db"));
    const trusted = await overTls("tls.db", sim.caCertificateFile);
    expect(trusted.code, trusted.stderr).toBe(1);
    expect(trusted.json?.summary.status).toBe("complete");
    expect(trusted.json?.findings.map(key).sort()).toEqual(plain.json.findings.map(key).sort());
    const untrusted = await overTls("untrusted.db");
    expect(untrusted.code).toBe(2);
    expect(untrusted.stderr).toContain("nothing could be swept");
    expect(untrusted.json?.findings).toEqual([]);
    expect(untrusted.json?.gaps.map((gap) => [gap.service, gap.message])).toEqual([
      ["sts", expect.stringContaining("unable to verify the first certificate")],
    ]);
  });

  it("exits 2 when nothing can be swept, and says why", async () => {
    const run = await runCli(
      [
        "sweep",
        "--policy",
        policy,
        "--store",
        join(dir, "none.db"),
        "--aws-endpoint",
        sim.url,
        "--aws-account",
        "999999999999",
        "--progress-interval",
        "0",
      ],
      {
        env,
      },
    );
    expect(run.code).toBe(2);
    expect(run.stdout).toContain("Coverage: FAILED");
    expect(run.stderr).toContain("nothing could be swept");
  });

  it("points at the policy line of a bad targets section", async () => {
    const bad = writeSweepPolicy(
      mkdtempSync(join(tmpdir(), "aigov-bad-policy-")),
      REGIONS,
      "    regionz: [us-east-1]\n",
    );
    const run = await runCli(["sweep", "--policy", bad, "--store", join(dir, "bad.db")], { env });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/aigov\.yaml:9:\d+: targets\.aws\.regionz: unknown key 'regionz'/);
    expect(readFileSync(bad, "utf8").split("\n")[8]).toContain("regionz");
  });
});
