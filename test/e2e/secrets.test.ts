import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { DatabaseSync } from "node:sqlite";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fingerprintSecret } from "../../packages/core/src/ai-key-patterns.ts";
import { fakeAiKey } from "../../packages/core/test/fake-ai-keys.ts";
import { type CloudSim, startCloudSim } from "../../packages/cloud-sim/src/index.ts";
import {
  leakForms,
  type Placement,
  SECRET_ACCOUNT,
  SECRET_REGION,
  secretWorld,
} from "../../scanners/aws/test/secret-world.ts";
import { type CliRun, runCli } from "./run-cli.ts";
import { simEnv } from "./sweep-world.ts";

// The secrets test of the outside review: a world with a distinct fake key in every string field the simulator
// serves, swept by the CLI process with the real SDK clients; then every byte a user, a SIEM or the disk gets
// (stdout and stderr of every command, the store and its -wal/-shm, the rule cache, the report, temporary files)
// is searched for every key in every form it could take.

const NOW = new Date();
const { world, placements } = secretWorld(NOW);
const root = mkdtempSync(join(tmpdir(), "aigov-secrets-e2e-"));
// What the commands read (it holds the keys) apart from everything they may write, which is searched.
const inputs = join(root, "inputs");
const written = join(root, "written");
const store = join(written, "store.db");
const env = {
  ...simEnv(inputs),
  AIGOV_CACHE_DIR: join(written, "cache"),
  HOME: join(written, "home"),
  TMPDIR: join(written, "tmp"),
};
const policy = join(inputs, "aigov.yaml");
const runs: { args: string; run: CliRun }[] = [];
let sim: CloudSim;

async function aigov(...args: string[]): Promise<CliRun> {
  const run = await runCli(args, { env });
  runs.push({ args: args.join(" "), run });
  return run;
}

beforeAll(async () => {
  for (const dir of [inputs, written, env.HOME, env.TMPDIR]) mkdirSync(dir, { recursive: true });
  writeFileSync(
    policy,
    `targets:\n  aws:\n    organization: true\n    role: OrganizationAccountAccessRole\n    regions: [${SECRET_REGION}]\n    read_ssm_parameter_values: true\n`,
  );
  // JSON is YAML: the same world, for `aigov demo --world`.
  writeFileSync(join(inputs, "world.yaml"), JSON.stringify(world));
  sim = await startCloudSim({ world, pageSize: 3 });
}, 120_000);

afterAll(async () => {
  await sim?.close();
  rmSync(root, { recursive: true, force: true });
});

/** Every file under `dir`, with its path. */
function files(dir: string): { path: string; bytes: Buffer }[] {
  return readdirSync(dir, { recursive: true, encoding: "utf8" })
    .map((name) => join(dir, name))
    .filter((path) => statSync(path).isFile())
    .map((path) => ({ path, bytes: readFileSync(path) }));
}

/** The placements any of whose forms occurs in `text`: one pass over the text, keyed by each form's first 16 characters. */
function leaksIn(text: string, candidates: readonly Placement[]): Set<Placement> {
  const anchors = new Map<string, { form: string; placement: Placement }[]>();
  for (const placement of candidates) {
    for (const form of leakForms(placement.secret)) {
      const anchor = form.slice(0, 16);
      anchors.set(anchor, [...(anchors.get(anchor) ?? []), { form, placement }]);
    }
  }
  const found = new Set<Placement>();
  // Every form is spelled with these characters only, so it lies inside one run of them.
  for (const run of text.matchAll(/[A-Za-z0-9+/=_\-%\\]{16,}/g)) {
    for (let at = run.index; at + 16 <= run.index + run[0].length; at++) {
      const hits = anchors.get(text.slice(at, at + 16));
      if (hits === undefined) continue;
      for (const { form, placement } of hits) if (text.startsWith(form, at)) found.add(placement);
    }
  }
  return found;
}

function leakReport(candidates: readonly Placement[]): string[] {
  const report: string[] = [];
  for (const { args, run } of runs) {
    for (const [stream, text] of [
      ["stdout", run.stdout],
      ["stderr", run.stderr],
    ] as const) {
      for (const placement of leaksIn(text, candidates)) report.push(`aigov ${args} ${stream}: ${placement.where}`);
    }
  }
  for (const { path, bytes } of files(written)) {
    for (const placement of leaksIn(bytes.toString("latin1"), candidates))
      report.push(`${path.slice(written.length + 1)}: ${placement.where}`);
  }
  return report;
}

interface InventoryJson {
  assets: { subject: string; fingerprint?: string }[];
}

describe(`the secrets test: ${placements.length} keys in every string field the simulator serves`, () => {
  it("sweep, inventory, findings, export in every format, report and demo: every key the scanner reads is a Key subject, and no key is in any output, store, WAL, cache or temporary file", async () => {
    const swept = ["--policy", policy, "--store", store, "--aws-endpoint", sim.url];
    const sweep = await aigov("sweep", ...swept, "--format", "json", "--progress-interval", "0");
    expect(sweep.code, sweep.stderr).toBe(1);
    expect(JSON.parse(sweep.stdout).summary.status).toBe("complete");
    // SQLite folds the WAL into the store and deletes it when the last connection closes: holding one open keeps
    // the -wal and -shm of every later command on disk, to be searched.
    const holder = new DatabaseSync(store);
    holder.prepare("SELECT count(*) FROM runs").get();
    await aigov("sweep", ...swept, "--format", "text");
    const inventory = await aigov("inventory", "--store", store, "--format", "json");
    await aigov("inventory", "--store", store);
    const findings = await aigov("findings", "--store", store, "--format", "json");
    await aigov("findings", "--store", store);
    // ASFF names the Security Hub account and home region the findings are imported into.
    const home = ["--account-id", SECRET_ACCOUNT, "--region", SECRET_REGION];
    for (const format of ["ocsf", "asff", "ecs", "cef", "syslog", "sarif", "cyclonedx"]) {
      const exported = await aigov("export", "--store", store, "--format", format, ...home);
      expect(exported.code, exported.stderr).toBe(0);
    }
    expect((await aigov("report", "--store", store, "--output", join(written, "report.html"))).code).toBe(0);
    const demo = await aigov(
      "demo",
      "--world",
      join(inputs, "world.yaml"),
      "--policy",
      policy,
      "--format",
      "json",
      "--progress-interval",
      "0",
    );
    expect(demo.code, demo.stderr).toBe(0);
    for (const { args, run } of runs)
      expect(run.code === 0 || run.code === 1, `aigov ${args}: ${run.stderr}`).toBe(true);

    // Reported: each key the scanner reads is a Key subject in the inventory (a SageMaker name may come back
    // lower-cased inside an ARN only), and each Key subject has a finding.
    const fingerprints = new Set(
      (JSON.parse(inventory.stdout) as InventoryJson).assets.flatMap((a) =>
        a.subject === "key" ? [a.fingerprint] : [],
      ),
    );
    const reported = (p: Placement) =>
      fingerprints.has(p.fingerprint) ||
      (p.form === "name" && fingerprints.has(fingerprintSecret(p.secret.toLowerCase())));
    const expected = placements.filter((p) => p.expect === "key");
    expect(expected.filter((p) => !reported(p)).map((p) => p.where)).toEqual([]);
    expect(placements.filter((p) => p.expect === "quiet" && reported(p)).map((p) => p.where)).toEqual([]);
    const keyFindings = (JSON.parse(findings.stdout) as { findings: { ruleId: string }[] }).findings.filter(
      (f) => f.ruleId === "ai-key-in-resource-metadata" || f.ruleId === "third-party-ai-key-in-configuration",
    );
    expect(keyFindings.length).toBeGreaterThanOrEqual(expected.length);

    // Raw values found: none, in any form, anywhere. (The search does find every key in the world it was given.)
    expect(leaksIn(readFileSync(join(inputs, "world.yaml"), "latin1"), placements).size).toBe(placements.length);
    const searched = files(written).map((file) => file.path.slice(written.length + 1));
    expect(searched).toEqual(expect.arrayContaining(["store.db", "store.db-wal", "store.db-shm", "report.html"]));
    expect(leakReport(placements)).toEqual([]);
    holder.close();
  }, 180_000);

  it("aigov logs on the world's CloudTrail records: keys in request parameters are findings, never output", async () => {
    const events = world.aws!.accounts[0]!.regions![SECRET_REGION]!.cloudtrail!.events!;
    const trail = join(inputs, "trail.ndjson");
    writeFileSync(
      trail,
      events
        .map((event, index) => JSON.stringify({ ...event, eventID: `e-${index}`, recipientAccountId: SECRET_ACCOUNT }))
        .join("\n"),
    );
    const inTrail = placements.filter((p) => p.where.includes(".cloudtrail.events["));
    expect(inTrail.length).toBeGreaterThan(10);
    runs.length = 0;
    const json = await aigov("logs", trail, "--format", "json", "--state-db", join(written, "logs-state.db"));
    expect(json.code, json.stderr).toBe(1);
    await aigov("logs", trail, "--no-state");
    const found = (JSON.parse(json.stdout) as { findings: { ruleId: string }[] }).findings.filter(
      (f) => f.ruleId === "ai-key-in-resource-metadata",
    );
    expect(found).toHaveLength(inTrail.length);
    expect(leakReport(inTrail)).toEqual([]);
  });

  it("aigov gate on a plan with keys in planned values: blocked by Key findings, no key in any output format", async () => {
    const keys = ["openai-project-key", "huggingface-token", "google-api-key", "anthropic-api-key"].map((id) =>
      fakeAiKey(id, "gate-e2e"),
    );
    const planned: Placement[] = keys.map((secret, index) => ({
      where: `plan key ${index}`,
      patternId: "",
      form: "text",
      secret,
      fingerprint: fingerprintSecret(secret),
      expect: "key",
    }));
    const plan = join(inputs, "plan.json");
    const change = (address: string, type: string, after: Record<string, unknown>) => ({
      address,
      mode: "managed",
      type,
      name: address.split(".")[1],
      provider_name: "registry.terraform.io/hashicorp/aws",
      change: { actions: ["create"], before: null, after, after_unknown: {} },
    });
    writeFileSync(
      plan,
      JSON.stringify({
        format_version: "1.2",
        terraform_version: "1.9.8",
        resource_changes: [
          change("aws_sagemaker_model.chat", "aws_sagemaker_model", {
            name: "chat",
            primary_container: [{ image: "x", environment: { OPENAI_API_KEY: keys[0] } }],
            tags: { note: `token ${keys[1]}` },
          }),
          change("aws_bedrockagent_agent.helper", "aws_bedrockagent_agent", {
            agent_name: "helper",
            instruction: `Search with ${keys[2]}`,
            description: Buffer.from(`export ANTHROPIC_API_KEY=${keys[3]}\n`).toString("base64"),
          }),
        ],
      }),
    );
    runs.length = 0;
    for (const format of ["text", "json", "sarif", "markdown"]) {
      const run = await aigov("gate", plan, "--format", format);
      expect(run.code, run.stderr).toBe(1);
    }
    const json = runs[1]!.run.stdout;
    expect(json.match(/ai-key-in-resource-metadata/g)?.length).toBeGreaterThanOrEqual(keys.length);
    expect(leakReport(planned)).toEqual([]);
  });
});
