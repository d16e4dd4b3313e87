// A cloud plugs into the sweep by registering its scanner plugin: no cli file names it. This test registers a
// scanner of its own and drives the cli in this process, as a new cloud's package would be driven.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createSectionCheck, type ScanTarget } from "@aigov/core";
import { asset, CollectContext, defineScanner, type ScannerPlugin, subjects } from "@aigov/scanner-kit";
import { registerScanner, unregisterScanner } from "@aigov/scanner-registry";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { aigovInProcess } from "./in-process.ts";

interface TestConfig {
  readonly projects: readonly string[];
}
interface TestMeta {
  readonly project: string;
}

const SECTION_SCHEMA = {
  type: "object",
  additionalProperties: false,
  properties: { projects: { type: "array", items: { type: "string" } } },
};
const checkSection = createSectionCheck<{ readonly projects?: readonly string[] }>(SECTION_SCHEMA, ["targets", "gcp"]);

const created: unknown[] = [];

const testPlugin: ScannerPlugin<TestConfig, TestMeta, { readonly token: string }> = {
  provider: "gcp",
  policySchema: SECTION_SCHEMA,
  flags: { "gcp-test-project": { type: "string", multiple: true, description: "a project to sweep", example: "P" } },
  configFrom({ section, flags }) {
    const projects = [
      ...(section === undefined ? [] : (checkSection(section).projects ?? [])),
      ...(flags.list("gcp-test-project") ?? []),
    ];
    return projects.length === 0 ? undefined : { projects };
  },
  demo: () => ({ flags: {}, options: { token: "demo" } }),
  async create(options) {
    created.push(options);
    return defineScanner({
      provider: "gcp",
      async *targets(config: TestConfig) {
        for (const project of config.projects)
          yield { provider: "gcp", key: `gcp:${project}`, account: project, label: project, meta: { project } };
      },
      async *collect(target: ScanTarget<TestMeta>) {
        const ctx = new CollectContext({
          errors: { provider: "gcp", code: () => "Error", message: String },
          account: target.meta.project,
          region: "us-central1",
          now: new Date(),
        });
        const id = `projects/${target.meta.project}/locations/us-central1/endpoints/chat`;
        const type = "aiplatform.googleapis.com/Endpoint";
        yield* subjects([asset(ctx, { kind: "endpoint", type, id, name: "chat", tags: { owner: "ml" }, native: {} })]);
      },
      stats: () => ({ apiCalls: 1, retries: 0 }),
    });
  },
};

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "aigov-registry-"));
  registerScanner(testPlugin);
});
afterAll(() => {
  unregisterScanner("gcp");
  rmSync(dir, { recursive: true, force: true });
});

function aigov(...args: string[]) {
  return aigovInProcess(dir, ...args);
}

describe("the scanner registry", () => {
  it("lists a registered scanner's flags in aigov sweep --help", async () => {
    const help = await aigov("sweep", "--help");
    expect(help.stdout).toMatch(/^ +--gcp-test-project P +a project to sweep \(repeatable\)$/m);
    expect(help.stdout).toMatch(/^ +--aws-region eu-west-1 /m);
  });

  it("sweeps a registered scanner from its policy section and its flags, with the cloud's standard options", async () => {
    const policy = join(dir, "aigov.yaml");
    writeFileSync(policy, "targets:\n  gcp:\n    projects: [alpha]\n");
    const run = await aigov(
      "sweep",
      "--policy",
      policy,
      "--store",
      join(dir, "sweep.db"),
      "--gcp-test-project",
      "beta",
      "--format",
      "json",
      "--progress-interval",
      "0",
    );
    expect(run.stderr).toContain("aigov sweep: gcp into");
    const result = JSON.parse(run.stdout) as { summary: { targets: { total: number } }; assets: { id: string }[] };
    expect(result.summary.targets.total).toBe(2);
    expect(result.assets.map((asset) => asset.id).sort()).toEqual([
      "projects/alpha/locations/us-central1/endpoints/chat",
      "projects/beta/locations/us-central1/endpoints/chat",
    ]);
    expect(created).toEqual([undefined]);
  });

  it("checks the scanner's section against its own schema, at the policy's line and column", async () => {
    const policy = join(dir, "bad.yaml");
    writeFileSync(policy, "targets:\n  gcp:\n    projects: [alpha]\n    projectz: [beta]\n");
    const run = await aigov("sweep", "--policy", policy, "--store", join(dir, "bad.db"));
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`${policy}:4:5: targets.gcp.projectz: unknown key 'projectz'`);
  });

  it("refuses a sweep with nothing to sweep, naming every registered scanner's section", async () => {
    const policy = join(dir, "empty.yaml");
    writeFileSync(policy, "approved_regions: [us-east-1]\n");
    const run = await aigov("sweep", "--policy", policy, "--store", join(dir, "empty.db"));
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(
      /nothing to sweep[\s\S]*hint: add a targets: section \(targets\.aws, targets\.azure, targets\.gcp\)/,
    );
  });
});
