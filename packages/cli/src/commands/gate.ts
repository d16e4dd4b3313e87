import { resolve } from "node:path";
import {
  escapeControlCharacters,
  AigovError,
  type Finding,
  formatValue,
  isAigovError,
  loadRules,
  SEVERITIES,
  type Severity,
} from "@aigov/core";
import {
  commandLineValues,
  environmentValues,
  type GateInput,
  type GateResult,
  judgePlanned,
  readGateSource,
} from "@aigov/iac/gate";
import type { Command, CommandContext } from "../command.ts";
import { countOf } from "../count-text.ts";
import { outputPathError } from "../output-path.ts";
import { renderTable } from "../table.ts";
import type { Terminal } from "../terminal.ts";
import { compareText } from "../text-order.ts";
import { fitText } from "../text-wrap.ts";
import { loadCheckedPolicy } from "../policy-load.ts";

const FORMATS = ["text", "json", "sarif", "junit", "markdown"] as const;

export const command: Command = {
  name: "gate",
  summary:
    "judge what a terraform/OpenTofu plan, cdktf synth, terraform configuration, CloudFormation or ARM template introduces; exit 1 when it adds ungoverned AI",
  usage:
    "aigov gate <plan.json | cdk.tf.json | cdktf.out/ | dir/ | main.tf | template.yaml | azuredeploy.json | -> [--fail-on SEVERITY] [--format FORMAT] [options]",
  description: `Reads a plan as 'terraform show -json plan.out' writes it (OpenTofu alike), a cdktf synth (cdk.tf.json or the
cdktf.out directory), a terraform configuration (a directory of .tf/.tf.json files, or one file: a pull request
where no plan can be made), a CloudFormation template (YAML or JSON), an ARM template (what 'bicep build' writes),
or - for stdin, and judges the AI resources it creates or changes with the rules and the policy. Configuration and
templates have no prior state, so every resource in them counts as introduced; values only a deployment knows
(other resources' attributes, variables or parameters without a value) are unknown, judged as the policy says. It
fails closed: an input it cannot read or a broken rule or policy is exit 2, never a pass.`,
  options: {
    format: {
      type: "string",
      short: "f",
      example: "sarif",
      description: "text, json, sarif, junit or markdown (a PR comment)",
      default: "text",
    },
    "fail-on": {
      type: "string",
      example: "critical",
      description: "block on findings of this severity and above (info, low, medium, high, critical)",
      default: "the policy's gate.fail_on, high",
    },
    "var-file": {
      type: "string",
      multiple: true,
      example: "prod.tfvars",
      description:
        "variables for a terraform configuration, after terraform.tfvars and *.auto.tfvars; a CloudFormation or ARM template's parameters file (repeatable)",
    },
    var: {
      type: "string",
      multiple: true,
      example: "owner=ml-platform",
      description:
        "one terraform variable or template parameter, after every --var-file (repeatable); TF_VAR_ variables are read too",
    },
    "block-existing": {
      type: "boolean",
      description: "block on findings of AI resources the plan leaves untouched too",
    },
    "github-summary": { type: "boolean", description: "append the markdown result to GITHUB_STEP_SUMMARY" },
  },
  examples: [
    "terraform show -json plan.out > plan.json && aigov gate plan.json",
    "terraform show -json plan.out | aigov gate - --format sarif -o aigov.sarif",
    "aigov gate cdktf.out --fail-on critical",
    "aigov gate infra/ --var-file prod.tfvars --format markdown",
    "aigov gate azuredeploy.json --var-file azuredeploy.parameters.json --var location=westeurope",
  ],
  exitCodes: [
    [0, "passed: nothing at or above the threshold is introduced"],
    [1, "blocked: the plan introduces findings at or above the threshold"],
    [2, "could not judge (unreadable plan, bad policy or rules, unwritable output): not approved"],
  ],
  async run(context) {
    try {
      return await gate(context);
    } catch (error) {
      // Fail closed: whatever went wrong, the gate never passes. AigovErrors carry their own message and exit code 2.
      if (isAigovError(error)) throw error;
      throw new AigovError(
        "GATE_INTERNAL",
        `could not judge the plan: ${error instanceof Error ? error.message : String(error)}`,
        {
          hint: "this is a bug in aigov; the deployment is not approved",
          cause: error,
        },
      );
    }
  },
};

async function gate(context: CommandContext): Promise<number> {
  const format = (context.stringOption("format", FORMATS) ?? "text") as (typeof FORMATS)[number];
  const failOn = context.stringOption("fail-on", SEVERITIES) as Severity | undefined;
  if (context.positionals.length !== 1) {
    throw new AigovError(
      "CLI_BAD_ARGUMENTS",
      context.positionals.length === 0
        ? "gate needs a plan or configuration: a plan JSON, cdk.tf.json, cdktf.out directory, terraform configuration directory or .tf file, or - for stdin"
        : "gate judges one plan or configuration at a time",
      {
        hint: `usage: ${command.usage}; see 'aigov help gate'`,
      },
    );
  }
  const policy = await loadCheckedPolicy(context.stringOption("policy"), context.io.cwd);
  const rules = await loadRules({ dirs: context.ruleDirs(), policy });
  const given = (name: string) => {
    const values = context.options[name];
    return (Array.isArray(values) ? values : []).map(String);
  };
  const source = context.positionals[0]!;
  // Standard input only for `-`: process.stdin, once asked for, is a stream made for it (and its modules loaded).
  const input = await readGateSource(source, source === "-" ? context.io.stdin : undefined, {
    varFiles: given("var-file").map((file) => resolve(context.io.cwd, file)),
    vars: commandLineValues(given("var")),
    environment: environmentValues(context.io.env),
  });
  const result = judgePlanned(input.subjects, {
    rules,
    policy,
    ...(failOn === undefined ? {} : { failOn }),
    blockExisting: context.options["block-existing"] === true,
  });
  const blockingIds = new Set(result.blocking.map((finding) => finding.id));
  const notes = summaryLines(input, result);
  for (const note of notes) context.message(note);
  for (const module of input.modulesNotInspected) {
    context.message(
      isTemplate(input)
        ? `warning: ${escapeControlCharacters(module)} (a nested stack, nested deployment or loop only a transform ` +
            "expands) is not inspected, so its resources were not judged; gate its own template"
        : `warning: module ${escapeControlCharacters(module)} is not ` +
            `${input.source === "cdktf" ? "in the synth output" : "a local directory"}, so its resources were not ` +
            "judged; gate its terraform plan to see them",
    );
  }
  for (const note of input.notes ?? []) context.message(`note: ${escapeControlCharacters(note)}`);
  const title = `aigov gate ${input.file}`;
  // The export package also holds the SIEM sinks and their SDKs: load it only for the formats that need it.
  const exporters =
    format === "sarif" || format === "junit" || format === "markdown" || context.options["github-summary"] === true
      ? await import("@aigov/export")
      : undefined;
  switch (format) {
    case "json":
      await context.resultJson(jsonResult(input, result));
      break;
    case "sarif":
      await context.resultJson(exporters!.toSarif(result.findings, { rules, defaultUri: input.file }));
      break;
    case "junit":
      await context.result(exporters!.toJunit(result.findings, { suite: title, blocking: blockingIds }));
      break;
    case "markdown":
      await context.result(exporters!.toMarkdown(result.findings, { title, blocking: blockingIds, notes }));
      break;
    default:
      await context.result(textResult(result, context.out));
  }
  const summaryFile = context.io.env.GITHUB_STEP_SUMMARY;
  if (context.options["github-summary"] === true) {
    if (summaryFile !== undefined && summaryFile !== "")
      // Looked up here, not imported: node:fs/promises loads readline and the file streams, which a gate needs only
      // for this (see builtinsFromProcess in scripts/build.ts).
      await process
        .getBuiltinModule("node:fs/promises")
        .appendFile(summaryFile, exporters!.toMarkdown(result.findings, { title, blocking: blockingIds, notes }))
        .catch((error: unknown) => {
          throw outputPathError(summaryFile, error);
        });
    else context.message("warning: --github-summary: GITHUB_STEP_SUMMARY is not set (not running in GitHub Actions?)");
  }
  const said = verdict(result);
  context.message(context.err.paint(result.exitCode === 0 ? "green" : ["bold", "red"], said));
  return result.exitCode;
}

function summaryLines(input: GateInput, result: GateResult): string[] {
  const { counts } = result;
  // Terraform leaves resource_changes out of a plan that has no resources: say so rather than "0 resources".
  const resources = input.resources === 0 ? "no resources" : countOf(input.resources, "resource");
  const read = isTemplate(input)
    ? `read ${input.file}: configuration check of ${input.source === "arm" ? "an ARM" : "a CloudFormation"} ` +
      `template with ${resources} (no prior state: every resource counts as introduced)`
    : `read ${input.file}: ${
        input.source === "plan"
          ? `terraform plan (format ${input.formatVersion})`
          : input.source === "cdktf"
            ? `cdktf synth (${countOf(input.stacks.length || 1, "stack")})`
            : `terraform configuration, ${countOf(input.files ?? 0, "file")}`
      }, ${resources}, ${countOf(input.dataSources, "data source")} ignored`;
  return [
    read,
    ...(input.source === "cdktf" || input.source === "terraform-configuration"
      ? ["configuration check: no prior state, every resource counts as introduced"]
      : []),
    `AI resources: ${counts.subjects} (${counts.introduced} introduced, ${counts.changed} updated, ${counts.untouched} untouched, ${counts.deleted} deleted)`,
    `threshold: ${result.threshold}`,
  ];
}

function isTemplate(input: GateInput): boolean {
  return input.source === "cloudformation" || input.source === "arm";
}

function verdict(result: GateResult): string {
  if (result.exitCode === 0) {
    const reported = result.findings.length;
    return `PASSED: nothing at or above ${result.threshold} is introduced${reported > 0 ? ` (${reported} finding${reported === 1 ? "" : "s"} reported)` : ""}`;
  }
  return `BLOCKED: ${result.blocking.length} finding${result.blocking.length === 1 ? "" : "s"} at or above ${result.threshold} (fix them, or waive them in aigov.yaml with a reason and expiry)`;
}

function why(finding: Finding): string {
  if (finding.evidence.length === 0) return finding.message;
  return [...new Set(finding.evidence.map((item) => `${item.field} = ${formatValue(item.value)}`))]
    .slice(0, 2)
    .join(", ");
}

function textResult(result: GateResult, terminal: Terminal): string {
  if (result.entries.length === 0) return "no findings";
  const status = (entry: GateResult["entries"][number]): string =>
    entry.blocking
      ? "block"
      : entry.finding.status === "waived"
        ? "waived"
        : entry.finding.status === "unknown"
          ? "unknown"
          : entry.role === "existing"
            ? "existing"
            : "warn";
  const order = (entry: GateResult["entries"][number]): number =>
    entry.blocking ? 0 : entry.role === "existing" ? 2 : 1;
  const entries = [...result.entries].sort(
    (a, b) =>
      order(a) - order(b) ||
      SEVERITIES.indexOf(b.finding.severity) - SEVERITIES.indexOf(a.finding.severity) ||
      compareText(a.finding.subject.id, b.finding.subject.id),
  );
  const rows = entries.map((entry) => [
    status(entry),
    entry.finding.subject.id,
    entry.finding.ruleId,
    entry.finding.severity,
    why(entry.finding),
    entry.finding.remediation.text.trim(),
  ]);
  // On a narrow terminal the fix, the why and then the rule move under their row, whole, rather than cut to a word.
  const lines = [
    renderTable(["STATUS", "ADDRESS", "RULE", "SEVERITY", "WHY", "FIX"], rows, terminal, {
      fold: ["FIX", "WHY", "RULE"],
    }),
  ];
  const waived = result.waived.filter((finding) => finding.waiver !== undefined);
  if (waived.length > 0) {
    lines.push("", "waivers applied:");
    for (const finding of waived) {
      const waiver = finding.waiver!;
      lines.push(
        `  ${finding.ruleId} on ${finding.subject.id}: ${waiver.reason} (approver ${waiver.approver}, expires ${waiver.expires ?? "never"})`,
      );
    }
  }
  const expired = result.findings.filter((finding) => finding.waiver?.expired === true);
  if (expired.length > 0) {
    lines.push("", "expired waivers (no longer applied):");
    for (const finding of expired)
      lines.push(
        `  ${finding.ruleId} on ${finding.subject.id}: expired ${finding.waiver!.expires} (${finding.waiver!.reason}, approver ${finding.waiver!.approver})`,
      );
  }
  return fitText(lines.join("\n"), terminal.width);
}

/** The `--format json` result; `findings` and `assets` are what `aigov export --input` reads. Stable. */
function jsonResult(input: GateInput, result: GateResult): Record<string, unknown> {
  return {
    verdict: result.exitCode === 0 ? "pass" : "blocked",
    exitCode: result.exitCode,
    threshold: result.threshold,
    input: {
      file: input.file,
      source: input.source,
      formatVersion: input.formatVersion ?? null,
      check: input.source === "plan" ? "plan" : "configuration",
      files: input.files ?? null,
      resources: input.resources,
      dataSources: input.dataSources,
      stacks: input.stacks,
      modulesNotInspected: input.modulesNotInspected,
      notes: input.notes ?? [],
    },
    counts: result.counts,
    blocking: result.blocking.map((finding) => finding.id),
    findings: result.entries.map((entry) => ({
      ...entry.finding,
      gate: { role: entry.role, blocking: entry.blocking },
    })),
    assets: input.subjects,
  };
}
