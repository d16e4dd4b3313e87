import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CloudSim, startCloudSim, type World } from "../../packages/cloud-sim/src/index.ts";
import { runCli } from "./run-cli.ts";
import { OPENAI_KEY, simEnv } from "./sweep-world.ts";

// What a sweep tells its user about its own configuration: the administrator role warning, and SSM parameter
// values left unread unless opted in. Each is said once on stderr and kept in the JSON summary.
const dir = mkdtempSync(join(tmpdir(), "aigov-sweep-notices-"));
const env = simEnv(dir);
const WORLD: World = {
  version: 1,
  aws: {
    organization: { managementAccountId: "300000000000" },
    accounts: [
      { id: "300000000000", name: "management", regions: { "us-east-1": {} } },
      {
        id: "300000000001",
        name: "app",
        regions: { "us-east-1": { ssm: { parameters: [{ Name: "/app/openai", Type: "String", Value: OPENAI_KEY }] } } },
      },
    ],
  },
};
let sim: CloudSim;
let policy: string;

beforeAll(async () => {
  sim = await startCloudSim({ world: WORLD });
  policy = join(dir, "aigov.yaml");
  writeFileSync(policy, "targets:\n  aws:\n    organization: true\n    regions: [us-east-1]\n    services: [ssm]\n");
});
afterAll(async () => {
  await sim.close();
  rmSync(dir, { recursive: true, force: true });
});

interface Summary {
  summary: { notices: { kind: string; code: string; message: string }[] };
  findings: { ruleId: string }[];
}

async function sweep(...args: string[]) {
  sim.requests.clear();
  const run = await runCli(
    [
      "sweep",
      "--policy",
      policy,
      "--store",
      join(dir, `${args.join("")}.db`),
      "--aws-endpoint",
      sim.url,
      "--progress-interval",
      "0",
      ...args,
    ],
    { env },
  );
  return { ...run, sent: sim.requests.operations() };
}

describe("aigov sweep notices", () => {
  it("by default reads SSM parameter metadata only and says once that values were not read, and why no SSM key is found", async () => {
    const run = await sweep("--format", "json");
    expect(run.code, run.stderr).toBe(0);
    expect(run.sent).toContain("ssm:DescribeParameters");
    expect(run.sent).not.toContain("ssm:GetParameters");
    const json = JSON.parse(run.stdout) as Summary;
    expect(json.findings.filter((finding) => finding.ruleId === "aws-ai-key-in-ssm-plaintext-parameter")).toEqual([]);
    expect(json.summary.notices.map((notice) => [notice.kind, notice.code])).toEqual([
      ["coverage", "ssm-parameter-values-not-read"],
    ]);
    expect(run.stderr.match(/aigov sweep: not read: aws: SSM parameter values were not read/g)).toHaveLength(1);
    expect(run.stderr).toContain("hint: to read them, set targets.aws.read_ssm_parameter_values: true");
    const text = await sweep();
    expect(text.stdout).toContain(
      "Not read (aws): SSM parameter values were not read, so AI keys stored in SSM String/StringList parameters are not found (1 String/StringList parameter(s) in 1 account-region(s) were listed by their metadata only)",
    );
  });

  it("with --aws-read-ssm-parameter-values finds the key in the String parameter, and says nothing", async () => {
    const run = await sweep("--format", "json", "--aws-read-ssm-parameter-values");
    expect(run.code, run.stderr).toBe(1);
    expect(run.sent).toContain("ssm:GetParameters");
    const json = JSON.parse(run.stdout) as Summary;
    expect(json.findings.map((finding) => finding.ruleId)).toContain("aws-ai-key-in-ssm-plaintext-parameter");
    expect(json.summary.notices).toEqual([]);
    expect(run.stderr).not.toContain("not read");
    // The same opt-in from the policy file.
    const optedIn = join(dir, "opted-in.yaml");
    writeFileSync(optedIn, `${readFileSync(policy, "utf8")}    read_ssm_parameter_values: true\n`);
    const fromPolicy = await sweep("--format", "json", "--policy", optedIn);
    expect((JSON.parse(fromPolicy.stdout) as Summary).summary.notices).toEqual([]);
    expect(fromPolicy.sent).toContain("ssm:GetParameters");
  });

  it("warns once, with what to do, when the sweep assumes the administrator role", async () => {
    const run = await sweep("--format", "json", "--aws-role", "OrganizationAccountAccessRole");
    const warnings = run.stderr.split("\n").filter((line) => line.startsWith("aigov sweep: warning:"));
    expect(warnings).toEqual([
      "aigov sweep: warning: aws: the sweep assumes OrganizationAccountAccessRole in member accounts, a role with AdministratorAccess: whoever holds the sweep's credentials can change every account it reaches",
    ]);
    expect(run.stderr).toContain("hint: create the read-only role AigovReadOnly in every account");
    const json = JSON.parse(run.stdout) as Summary;
    expect(json.summary.notices.map((notice) => notice.code)).toContain("admin-role");
    // The default role draws no warning.
    expect((await sweep("--format", "json")).stderr).not.toContain("warning:");
  });
});
