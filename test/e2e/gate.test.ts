import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { hostilePlan } from "../../packages/iac/test/hostile-plans.ts";
import { runCli } from "./run-cli.ts";

const root = join(dirname(fileURLToPath(import.meta.url)), "../..");
const node = join(root, "node_modules/.bin/node");
const plans = join(root, "test/fixtures/plans");

/** `aigov gate …` as a process, the way CI runs it. */
function gate(args: string[], options: { input?: Buffer; env?: Record<string, string>; cwd?: string } = {}) {
  const run = spawnSync(node, [join(root, "packages/cli/src/main.ts"), "gate", ...args], {
    cwd: options.cwd ?? mkdtempSync(join(tmpdir(), "gate-e2e-")),
    input: options.input,
    env: { ...process.env, NO_COLOR: "1", ...options.env },
    encoding: "utf8",
    timeout: 60_000,
  });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

describe("aigov gate as a process", () => {
  it("blocks the README sample plan: exit 1, a table of address/rule/severity/why/fix", () => {
    const run = gate([join(plans, "sample-ai-plan.json")]);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^STATUS\s+ADDRESS\s+RULE\s+SEVERITY\s+WHY\s+FIX/);
    expect(run.stdout).toMatch(
      /block\s+aws_sagemaker_notebook_instance\.scratch\s+ai-resource-ungoverned\s+high\s+owner = absent/,
    );
    expect(run.stdout).toMatch(/existing\s+azurerm_machine_learning_workspace\.research/);
    expect(run.stderr).toContain("AI resources: 14 (11 introduced, 1 updated, 1 untouched, 1 deleted)");
    expect(run.stderr).toMatch(/BLOCKED: \d+ findings at or above high/);
  });

  it("passes a real plan with no AI (checkov, 55 changes): exit 0", () => {
    const run = gate([join(plans, "checkov/checkov_runner_tfplan_55rc.json")]);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain("55 resources");
    expect(run.stderr).toContain("PASSED");
  });

  it("reads the UTF-16 plan, the setup-terraform wrapper output and the 0.12 plan", () => {
    for (const file of [
      "checkov/tfplan_win_utf16.json",
      "infracost/plan_with_terraform_wrapper.json",
      "infracost/terraform_v0.12_plan.json",
      "checkov/plan_nested_child_modules.json",
      "checkov/plan_with_deleted_resources.json",
      "checkov/plan_after_unknown.json",
    ]) {
      const run = gate([join(plans, file)]);
      expect(run.code, `${file}: ${run.stderr}`).toBe(0);
    }
  });

  it("refuses checkov's corrupted plan with exit 2 and says why", () => {
    const run = gate([join(plans, "checkov/corrupted-tfplan.json")]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("this is terraform state");
    expect(run.stdout).toBe("");
  });

  it("a truncated plan is exit 2 with file:line", () => {
    const dir = mkdtempSync(join(tmpdir(), "gate-e2e-"));
    const text = readFileSync(join(plans, "sample-ai-plan.json"), "utf8");
    writeFileSync(join(dir, "cut.json"), text.slice(0, 5000));
    const run = gate([join(dir, "cut.json")]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/cut\.json:\d+:\d+: the plan JSON is truncated/);
  });

  it("reads a plan from stdin", () => {
    const run = gate(["-"], { input: readFileSync(join(plans, "sample-ai-plan.json")) });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("read <stdin>");
  });

  it("judges every stack of a cdktf.out directory", () => {
    const run = gate([join(plans, "cdktf-out")]);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/block\s+ai\/azurerm_cognitive_account\.openai\s+ai-resource-ungoverned/);
    expect(run.stderr).toContain("cdktf synth (2 stacks)");
    expect(run.stderr).toContain("warning: module network/images_module is not in the synth output");
  });

  it("--fail-on critical lets the sample through; --block-existing adds the untouched workspace", () => {
    expect(gate([join(plans, "sample-ai-plan.json"), "--fail-on", "critical"]).code).toBe(0);
    const strict = gate([join(plans, "sample-ai-plan.json"), "--block-existing", "--format", "json"]);
    expect(strict.code).toBe(1);
    const result = JSON.parse(strict.stdout) as {
      findings: { subject: { id: string }; gate: { blocking: boolean } }[];
    };
    expect(
      result.findings.some(
        (finding) => finding.subject.id === "azurerm_machine_learning_workspace.research" && finding.gate.blocking,
      ),
    ).toBe(true);
  });

  it("--format json: verdict, stable finding ids, the planned assets for aigov export", () => {
    const first = gate([join(plans, "sample-ai-plan.json"), "--format", "json"]);
    const second = gate([join(plans, "sample-ai-plan.json"), "--format", "json"]);
    const result = JSON.parse(first.stdout) as {
      verdict: string;
      exitCode: number;
      blocking: string[];
      findings: { id: string }[];
      assets: { id: string }[];
    };
    expect(result.verdict).toBe("blocked");
    expect(result.exitCode).toBe(1);
    expect(result.blocking.length).toBeGreaterThanOrEqual(5);
    expect(result.assets).toHaveLength(14);
    const again = JSON.parse(second.stdout) as { findings: { id: string }[] };
    expect(again.findings.map((finding) => finding.id)).toEqual(result.findings.map((finding) => finding.id));
  });

  it("--format sarif: SARIF 2.1.0 with rule metadata, security-severity and fingerprints", () => {
    const run = gate([join(plans, "sample-ai-plan.json"), "--format", "sarif"]);
    expect(run.code).toBe(1);
    const log = JSON.parse(run.stdout);
    expect(log.version).toBe("2.1.0");
    const [sarifRun] = log.runs;
    const rule = sarifRun.tool.driver.rules.find((entry: { id: string }) => entry.id === "ai-resource-ungoverned");
    expect(rule.properties["security-severity"]).toBe("8.0");
    const result = sarifRun.results.find(
      (entry: { ruleId: string; locations: { logicalLocations: { fullyQualifiedName: string }[] }[] }) =>
        entry.ruleId === "ai-resource-ungoverned" &&
        entry.locations[0]?.logicalLocations[0]?.fullyQualifiedName === "aws_sagemaker_notebook_instance.scratch",
    );
    expect(result.level).toBe("error");
    expect(result.partialFingerprints["aigovFindingId/v1"]).toMatch(/^[0-9a-f]{32}$/);
    expect(sarifRun.tool.driver.rules[result.ruleIndex].id).toBe("ai-resource-ungoverned");
  });

  it("--format junit and markdown", () => {
    const blocking = (
      JSON.parse(gate([join(plans, "sample-ai-plan.json"), "--format", "json"]).stdout) as { blocking: string[] }
    ).blocking.length;
    const junit = gate([join(plans, "sample-ai-plan.json"), "--format", "junit"]);
    expect(junit.stdout).toMatch(new RegExp(`<testsuites name="aigov" tests="\\d+" failures="${blocking}"`));
    const markdown = gate([join(plans, "sample-ai-plan.json"), "--format", "markdown"]);
    expect(markdown.stdout).toContain("## ❌ aigov gate");
    expect(markdown.stdout).toContain(
      "| `aws_sagemaker_notebook_instance.scratch` | AI resource has no owner and is not in the AI registry (`ai-resource-ungoverned`) | high |",
    );
  });

  it("--github-summary appends the markdown summary to $GITHUB_STEP_SUMMARY", () => {
    const dir = mkdtempSync(join(tmpdir(), "gate-e2e-"));
    const summary = join(dir, "summary.md");
    writeFileSync(summary, "previous step\n");
    const run = gate([join(plans, "sample-ai-plan.json"), "--github-summary"], {
      env: { GITHUB_STEP_SUMMARY: summary },
    });
    expect(run.code).toBe(1);
    const text = readFileSync(summary, "utf8");
    expect(text.startsWith("previous step\n## ❌ aigov gate")).toBe(true);
  });

  it("a policy with waivers: the waived findings pass and are shown with reason and expiry", () => {
    const dir = mkdtempSync(join(tmpdir(), "gate-e2e-"));
    writeFileSync(
      join(dir, "aigov.yaml"),
      [
        "waivers:",
        "  - { rule: '*', subject: aws_sagemaker_notebook_instance.scratch, reason: sandbox account, approver: ciso@example.com, expires: 2099-12-31 }",
        "  - { rule: '*', subject: 'module.openai*', reason: migration to private endpoint in Q1, approver: ciso@example.com, expires: 2099-03-31 }",
        "  - { rule: bedrock-api-key-never-expires, subject: aws_iam_service_specific_credential.*, reason: CI key rotated by vault, approver: secops@example.com }",
        "  - { rule: '*', subject: 'google_*', reason: GCP pilot under review, approver: ciso@example.com, expires: 2099-06-30 }",
      ].join("\n"),
    );
    const run = gate([join(plans, "sample-ai-plan.json")], { cwd: dir });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("waivers applied:");
    expect(run.stdout).toContain(
      "ai-resource-ungoverned on aws_sagemaker_notebook_instance.scratch: sandbox account (approver ciso@example.com, expires 2099-12-31)",
    );
    expect(run.stdout).toContain("CI key rotated by vault (approver secops@example.com, expires never)");
  });

  it("an expired waiver no longer applies, and the text says so", () => {
    const dir = mkdtempSync(join(tmpdir(), "gate-e2e-"));
    writeFileSync(
      join(dir, "aigov.yaml"),
      "waivers:\n  - { rule: ai-resource-ungoverned, subject: aws_sagemaker_notebook_instance.scratch, reason: pilot ended, approver: ciso@example.com, expires: 2024-01-31 }\n",
    );
    const run = gate([join(plans, "sample-ai-plan.json")], { cwd: dir });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(
      "ai-resource-ungoverned on aws_sagemaker_notebook_instance.scratch: expired 2024-01-31 (pilot ended, approver ciso@example.com)",
    );
  });

  it("a broken rule in --rules stops the gate with exit 2 and its file:line", () => {
    const dir = mkdtempSync(join(tmpdir(), "gate-e2e-"));
    writeFileSync(join(dir, "broken.yaml"), "id: broken-rule\ntitle: broken\nseverity: nope\n");
    const run = gate([join(plans, "sample-ai-plan.json"), "--rules", dir]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("broken.yaml:");
  });

  it("a rule in --rules whose condition does not compile stops the gate with exit 2 and its message, judged or not", () => {
    const dir = mkdtempSync(join(tmpdir(), "gate-e2e-"));
    const rule = readFileSync(join(root, "rules/common/ai-public-network-access.yaml"), "utf8")
      .replace("id: ai-public-network-access", "id: bad-pattern")
      .replace("  eq: true", "  matches: '(a)\\1'");
    writeFileSync(join(dir, "bad-pattern.yaml"), rule);
    const line = rule.split("\n").findIndex((text) => text.includes("matches:")) + 1;
    // A plan with no AI resource: the rule never judges anything, and is refused at load all the same.
    for (const plan of [join(plans, "checkov/plan_after_unknown.json"), join(plans, "sample-ai-plan.json")]) {
      const run = gate([plan, "--rules", dir], { env: { AIGOV_NO_CACHE: "1" } });
      expect(run.code).toBe(2);
      expect(run.stdout).toBe("");
      expect(run.stderr).toMatch(new RegExp(`^aigov: ${join(dir, "bad-pattern.yaml")}:${line}:\\d+: .*backreference`));
    }
  });

  it("usage errors and missing files are exit 2", () => {
    expect(gate([]).code).toBe(2);
    expect(gate([join(plans, "nope.json")]).code).toBe(2);
    expect(gate([join(plans, "sample-ai-plan.json"), "--fail-on", "severe"]).code).toBe(2);
  });
});

describe("aigov gate on terraform configuration (HCL), where no plan can be made", () => {
  const config = (files: Record<string, string>): string => {
    const dir = mkdtempSync(join(tmpdir(), "gate-config-"));
    for (const [name, text] of Object.entries(files)) {
      mkdirSync(dirname(join(dir, name)), { recursive: true });
      writeFileSync(join(dir, name), text);
    }
    return dir;
  };
  const endpoint = (owner: string) => `
variable "owner" {
  default = "${owner}"
}
resource "aws_sagemaker_endpoint_configuration" "chat" {
  name = "chat"
  production_variants {
    variant_name  = "primary"
    model_name    = aws_sagemaker_model.chat.name
    instance_type = "ml.g5.xlarge"
  }
  tags = {
    owner = var.owner
  }
}
resource "aws_s3_bucket" "data" {
  count = 3
}
`;

  it("a directory: says it read a configuration (files, resources) and that every resource counts as introduced", () => {
    const dir = config({ "main.tf": endpoint("") });
    const run = gate([dir]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`read ${dir}: terraform configuration, 1 file, 4 resources, 0 data sources ignored`);
    expect(run.stderr).toContain("configuration check: no prior state, every resource counts as introduced");
    expect(run.stdout).toMatch(/block\s+aws_sagemaker_endpoint_configuration\.chat\s+ai-resource-ungoverned/);
    // Code scanning annotates the resource block in its .tf file.
    const sarif = JSON.parse(gate([dir, "--format", "sarif"], { cwd: dir }).stdout);
    const location = sarif.runs[0].results[0].locations[0].physicalLocation;
    expect(location).toEqual({ artifactLocation: { uri: "main.tf" }, region: { startLine: 5 } });
  });

  it("variables from --var-file apply: the owner tag it sets lets the configuration through", () => {
    const dir = config({ "main.tf": endpoint(""), "prod.tfvars": 'owner = "ml-platform"\n' });
    const run = gate([join(dir, "main.tf"), "--var-file", "prod.tfvars", "--format", "json"], { cwd: dir });
    const result = JSON.parse(run.stdout);
    expect(result.input).toMatchObject({
      file: join(dir, "main.tf"),
      source: "terraform-configuration",
      check: "configuration",
      files: 1,
      resources: 4,
    });
    expect(result.findings.map((finding: { ruleId: string }) => finding.ruleId)).not.toContain(
      "ai-resource-ungoverned",
    );
    expect(gate([dir, "--var-file", "missing.tfvars"], { cwd: dir }).code).toBe(2);
  });

  it("TF_VAR_ and --var give the owner as a pipeline would; with a plan they are refused, exit 2", () => {
    const dir = config({ "main.tf": endpoint("") });
    const owned = (run: ReturnType<typeof gate>) =>
      !JSON.parse(run.stdout).findings.some(
        (finding: { ruleId: string }) => finding.ruleId === "ai-resource-ungoverned",
      );
    expect(owned(gate([dir, "--format", "json"]))).toBe(false);
    expect(owned(gate([dir, "--format", "json"], { env: { TF_VAR_owner: "ml-platform" } }))).toBe(true);
    expect(owned(gate([dir, "--var", "owner=ml-platform", "--format", "json"]))).toBe(true);
    const bad = gate([dir, "--var", "owner"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("aigov: --var owner: give a name and a value, as name=value");
    const plan = gate([join(plans, "sample-ai-plan.json"), "--var", "owner=x"]);
    expect(plan.code).toBe(2);
    expect(plan.stderr).toContain("--var and --var-file do not apply to a terraform plan: it holds its values");
  });

  it("an HCL syntax error is exit 2 at file:line:column", () => {
    const dir = config({ "ai.tf": 'resource "aws_sagemaker_endpoint" "e" {\n  name = "e"\n  tags = {\n}\n' });
    const run = gate([dir]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`${join(dir, "ai.tf")}:1:39: HCL syntax error: Unclosed configuration block`);
  });

  it("the markdown PR comment and the plan say which kind of input they judged", () => {
    const dir = config({ "main.tf": endpoint("team") });
    const markdown = gate([dir, "--format", "markdown"]);
    expect(markdown.code).toBe(0);
    expect(markdown.stdout).toContain("terraform configuration, 1 file, 4 resources");
    expect(markdown.stdout).toContain("every resource counts as introduced");
    expect(gate([join(plans, "sample-ai-plan.json")]).stderr).toContain("terraform plan (format 1.2)");
  });

  it("text that is not JSON on stdin says what the gate reads, and HCL is pointed at its file or directory", () => {
    const hcl = gate(["-"], { input: Buffer.from('resource "aws_s3_bucket" "b" {}\n') });
    expect(hcl.code).toBe(2);
    expect(hcl.stderr).toContain("this is terraform configuration (HCL): pass its directory or a file named *.tf");
    const other = gate(["-"], { input: Buffer.from("hello\n") });
    expect(other.code).toBe(2);
    expect(other.stderr).toContain("a terraform configuration (a directory of .tf/.tf.json files, or one such file)");
  });
});

/** A plan document around resource changes (and what planned_values holds), written to a file. */
function planFile(changes: Record<string, unknown>[], extra: Record<string, unknown> = {}, name = "plan.json"): string {
  const dir = mkdtempSync(join(tmpdir(), "gate-e2e-"));
  const path = join(dir, name);
  const text =
    typeof extra.text === "string"
      ? extra.text
      : JSON.stringify({ format_version: "1.2", resource_changes: changes, ...extra });
  writeFileSync(path, text);
  return path;
}

const create = (type: string, after: Record<string, unknown>, address = `${type}.x`) => ({
  address,
  mode: "managed",
  type,
  name: "x",
  change: { actions: ["create"], before: null, after, after_unknown: {} },
});

describe("aigov gate lets no AI through: AWS Cloud Control, azapi, newer AI types", () => {
  it("an untagged awscc SageMaker endpoint is blocked as ungoverned (it used to pass)", () => {
    const run = gate([planFile([create("awscc_sagemaker_endpoint", { endpoint_config_name: "cfg", tags: [] })])]);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/block\s+awscc_sagemaker_endpoint\.x\s+ai-resource-ungoverned\s+high/);
  });

  it("an awscc notebook with direct internet and root access is blocked for both, like its aws twin", () => {
    const notebook = {
      direct_internet_access: "Enabled",
      root_access: "Enabled",
      tags: [{ key: "owner", value: "ds" }],
    };
    const run = gate([planFile([create("awscc_sagemaker_notebook_instance", notebook)]), "--fail-on", "medium"]);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/block\s+awscc_sagemaker_notebook_instance\.x\s+ai-public-network-access/);
    expect(run.stdout).toMatch(/block\s+awscc_sagemaker_notebook_instance\.x\s+ai-notebook-root-access/);
    expect(run.stdout).not.toContain("ai-resource-ungoverned");
  });

  it("an untagged awscc Bedrock agent, an azapi ML workspace and an AI type newer than aigov are blocked", () => {
    const run = gate([
      planFile([
        create("awscc_bedrock_agent", {
          agent_name: "helpdesk",
          foundation_model: "anthropic.claude-3-haiku-20240307-v1:0",
        }),
        create("azapi_resource", {
          type: "Microsoft.MachineLearningServices/workspaces@2025-06-01",
          name: "ws",
          location: "westeurope",
          body: { properties: {} },
        }),
        create("awscc_bedrockagentcore_memory", { name: "m" }),
        create("awscc_bedrockagentcore_newer_than_aigov", { name: "n" }),
      ]),
      "--format",
      "json",
    ]);
    expect(run.code).toBe(1);
    const result = JSON.parse(run.stdout) as {
      blocking: string[];
      findings: { ruleId: string; subject: { id: string; kind: string; nativeType: string } }[];
    };
    const ungoverned = result.findings
      .filter((finding) => finding.ruleId === "ai-resource-ungoverned")
      .map((finding) => finding.subject);
    expect(ungoverned).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ id: "awscc_bedrock_agent.x", kind: "agent" }),
        expect.objectContaining({
          id: "azapi_resource.x",
          kind: "workspace",
          nativeType: "Microsoft.MachineLearningServices/workspaces",
        }),
        expect.objectContaining({ id: "awscc_bedrockagentcore_memory.x", kind: "memory" }),
        expect.objectContaining({ id: "awscc_bedrockagentcore_newer_than_aigov.x", kind: "unclassified" }),
      ]),
    );
  });
});

describe("aigov gate refuses hand-edited and ambiguous input with exit 2 and says where", () => {
  const sample = readFileSync(join(plans, "sample-ai-plan.json"), "utf8").trimEnd();

  it('a key twice (`"resource_changes": []` appended): file:line:column and the key', () => {
    const path = planFile([], { text: `${sample.slice(0, -1)},\n  "resource_changes": []\n}\n` });
    const run = gate([path]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/plan\.json:\d+:3: the plan has the key "resource_changes" twice in one object/);
    expect(run.stdout).toBe("");
  });

  it("two documents, and setup-terraform wrapper output with two JSON lines", () => {
    const empty = JSON.stringify({ format_version: "1.2", planned_values: { root_module: {} } });
    expect(gate(["-"], { input: Buffer.from(`${sample}\n${empty}\n`) }).stderr).toContain(
      "more than one JSON document",
    );
    const wrapped = gate(["-"], {
      input: Buffer.from(`[command]/bin/terraform-bin show -json p\n${empty}\n${JSON.stringify(JSON.parse(sample))}\n`),
    });
    expect(wrapped.code).toBe(2);
    expect(wrapped.stderr).toContain("2 JSON documents (lines 2, 3)");
  });

  it("odd types, a managed read, a data source created, an address naming another type", () => {
    const cases: [Record<string, unknown>, string][] = [
      [
        { ...create("AWS_SAGEMAKER_ENDPOINT", {}), address: "AWS_SAGEMAKER_ENDPOINT.x" },
        "not a terraform resource type",
      ],
      [
        { ...create("aws_sagemaker_endpoint ", {}), address: "aws_sagemaker_endpoint .x" },
        "not a terraform resource type",
      ],
      [
        { ...create("aws_sagemaker_endpoint", {}), change: { actions: ["read"], after: {} } },
        "[read] on a managed resource",
      ],
      [
        { ...create("aws_sagemaker_endpoint", {}), mode: "data", address: "data.aws_sagemaker_endpoint.x" },
        "[create] on a data source",
      ],
      [{ ...create("aws_sagemaker_endpoint", {}), address: "aws_s3_bucket.x" }, "names another"],
    ];
    for (const [change, message] of cases) {
      const run = gate([planFile([change], { planned_values: { root_module: {} } })]);
      expect(run.code, message).toBe(2);
      expect(run.stderr).toContain(message);
    }
  });

  it("an AI resource in planned_values that resource_changes leaves out", () => {
    const planned = {
      root_module: {
        resources: [
          {
            address: "aws_sagemaker_notebook_instance.nb",
            mode: "managed",
            type: "aws_sagemaker_notebook_instance",
            name: "nb",
            values: {},
          },
        ],
      },
    };
    const run = gate([planFile([], { planned_values: planned })]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("planned_values holds aws_sagemaker_notebook_instance.nb");
  });

  it("values nested 10,000 levels deep in a plan, a cdk.tf.json and a cdktf.out stack: 'too deeply nested', never an internal error", () => {
    const deep = `${'{"a":'.repeat(10_000)}1${"}".repeat(10_000)}`;
    const plan = JSON.stringify({
      format_version: "1.2",
      resource_changes: [create("aws_sagemaker_endpoint", { tags: "DEEP" })],
    });
    const cdktf = JSON.stringify({ resource: { aws_sagemaker_endpoint: { x: { tags: "DEEP" } } } });
    const dir = mkdtempSync(join(tmpdir(), "gate-e2e-"));
    mkdirSync(join(dir, "stacks/a"), { recursive: true });
    writeFileSync(
      join(dir, "manifest.json"),
      JSON.stringify({ stacks: { a: { synthesizedStackPath: "stacks/a/cdk.tf.json" } } }),
    );
    writeFileSync(join(dir, "stacks/a/cdk.tf.json"), cdktf.replace('"DEEP"', deep));
    for (const run of [
      gate(["-"], { input: Buffer.from(plan.replace('"DEEP"', deep)) }),
      gate(["-"], { input: Buffer.from(cdktf.replace('"DEEP"', deep)) }),
      gate([dir]),
    ]) {
      expect(run.code).toBe(2);
      expect(run.stderr).toContain("too deeply nested: more than 512 levels");
      expect(run.stderr).not.toMatch(/internal|call stack/i);
    }
  });

  it("a cdk.tf.json or cdktf manifest with a key twice", () => {
    const dir = mkdtempSync(join(tmpdir(), "gate-e2e-"));
    writeFileSync(join(dir, "manifest.json"), '{"stacks": {"a": {"synthesizedStackPath": "a.json"}}, "stacks": {}}');
    const manifest = gate([dir]);
    expect(manifest.code).toBe(2);
    expect(manifest.stderr).toContain('manifest.json has the key "stacks" twice');
    const stack = gate(["-"], {
      input: Buffer.from(
        '{"resource": {"aws_sagemaker_endpoint": {"x": {"tags": {"owner": "a"}}}, "aws_sagemaker_endpoint": {}}}',
      ),
    });
    expect(stack.code).toBe(2);
    expect(stack.stderr).toContain('"aws_sagemaker_endpoint" twice');
  });

  it("a plan with no resources at all (terraform leaves resource_changes out) passes and says so", () => {
    const run = gate(["-"], { input: readFileSync(join(plans, "empty-plan.json")) });
    expect(run.code).toBe(0);
    expect(run.stderr).toContain("read <stdin>: terraform plan (format 1.2), no resources, 0 data sources ignored");
    expect(run.stderr).toContain("PASSED");
    const planned = JSON.parse(sample) as Record<string, unknown>;
    delete planned.resource_changes;
    const refused = gate(["-"], { input: Buffer.from(JSON.stringify(planned)) });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain("resource_changes is missing, but planned_values holds resources");
  });

  it("33 hostile plans (three of each class) through the process: the exit code each class must have, never 0", async () => {
    const cases = fc.sample(hostilePlan, { numRuns: 400, seed: 7 });
    const picked = [...new Set(cases.map((hostile) => hostile.kind))].flatMap((kind) =>
      cases.filter((hostile) => hostile.kind === kind).slice(0, 3),
    );
    expect(picked).toHaveLength(33);
    // Three processes at a time: the machine running the tests is small.
    for (let start = 0; start < picked.length; start += 3) {
      const batch = picked.slice(start, start + 3);
      const runs = await Promise.all(batch.map((hostile) => runCli(["gate", "-"], { stdin: hostile.text })));
      runs.forEach((run, index) => {
        expect(run.code, `${batch[index]!.kind}: ${run.stderr}`).toBe(batch[index]!.expected);
        expect(run.stderr).not.toMatch(/internal error|call stack/i);
      });
    }
  }, 240_000);
});
