import { AigovError, formatPosition, loadRules, type Rule, runRuleTests } from "@aigov/core";
import { relative } from "node:path";
import type { Command, CommandContext } from "../command.ts";
import { subcommandList } from "../help.ts";
import { renderTable } from "../table.ts";
import { loadCheckedPolicy } from "../policy-load.ts";

export const command: Command = {
  name: "rules",
  summary: "list, validate and test rules",
  usage: "aigov rules list|validate|test [paths…] [--rules DIR] [--policy FILE] [--format FORMAT]",
  description: `Paths given to validate or test are judged alone; without paths, the default pack and the --rules
directories are.`,
  subcommands: {
    list: "the rules: id, severity, what they apply to, title (--format markdown: the rule catalogue)",
    validate: "check rule files against the rule schema; errors at file:line",
    test: "run the pass/fail cases each rule carries",
  },
  options: {
    format: {
      type: "string",
      short: "f",
      example: "json",
      description: "text or json (list also markdown)",
      default: "text",
    },
  },
  examples: ["aigov rules list", "aigov rules validate ./my-rules", "aigov rules test ./my-rules --format json"],
  exitCodes: [
    [0, "done (every rule valid, every test passed)"],
    [1, "rules test: a test failed"],
    [2, "could not run (an invalid rule or policy, bad arguments)"],
  ],
  async run(context) {
    const [action, ...paths] = context.positionals;
    switch (action) {
      case "list":
        return list(context);
      case "validate":
        return validate(context, paths);
      case "test":
        return test(context, paths);
      case undefined:
        // A group alone lists what it holds, as `kubectl config` does.
        await context.result(subcommandList(command));
        return 0;
      default:
        throw new AigovError(
          "CLI_UNKNOWN_COMMAND",
          `rules: unknown subcommand '${action}' (one of: ${Object.keys(command.subcommands ?? {}).join(", ")}); see 'aigov help rules'`,
        );
    }
  },
};

/** Paths given on the command line are judged alone; otherwise the default pack plus --rules directories. */
async function load(context: CommandContext, paths: readonly string[]): Promise<Rule[]> {
  const policy = await loadCheckedPolicy(context.stringOption("policy"), context.io.cwd);
  if (paths.length > 0) return loadRules({ dirs: paths, includeDefault: false, policy });
  return loadRules({ dirs: context.ruleDirs(), policy });
}

async function list(context: CommandContext): Promise<number> {
  const format = context.stringOption("format", ["text", "json", "markdown"]) ?? "text";
  const rules = await load(context, []);
  if (format === "markdown") {
    await context.result(ruleCatalog(rules, context.io.cwd));
    return 0;
  }
  if (format === "json") {
    await context.result(
      JSON.stringify(
        rules.map((rule) => ({
          id: rule.id,
          title: rule.title,
          severity: rule.severity,
          appliesTo: rule.appliesTo,
          frameworks: rule.frameworks,
          file: rule.source.file,
        })),
        null,
        2,
      ),
    );
    return 0;
  }
  const rows = rules.map((rule) => [
    rule.id,
    rule.severity,
    rule.appliesTo.subject,
    (rule.appliesTo.provider ?? ["any"]).join(","),
    rule.title,
  ]);
  await context.result(
    renderTable(["ID", "SEVERITY", "SUBJECT", "PROVIDER", "TITLE"], rows, context.out, { fold: ["TITLE"] }),
  );
  context.message(`${rules.length} rules`);
  return 0;
}

async function validate(context: CommandContext, paths: readonly string[]): Promise<number> {
  const rules = await load(context, paths);
  const format = context.stringOption("format", ["text", "json"]) ?? "text";
  if (format === "json") await context.result(JSON.stringify({ valid: true, rules: rules.length }));
  else await context.result(`${rules.length} rules valid`);
  return 0;
}

async function test(context: CommandContext, paths: readonly string[]): Promise<number> {
  const rules = await load(context, paths);
  const results = runRuleTests(rules);
  const failed = results.filter((result) => !result.passed);
  const format = context.stringOption("format", ["text", "json"]) ?? "text";
  if (format === "json") {
    await context.result(
      JSON.stringify(
        {
          passed: results.length - failed.length,
          failed: failed.length,
          failures: failed.map((result) => ({
            rule: result.rule.id,
            test: result.test.name,
            expected: result.expected,
            actual: result.actual,
            position: result.position,
          })),
        },
        null,
        2,
      ),
    );
  } else {
    const lines = failed.map(
      (result) =>
        `FAIL ${formatPosition(result.position)} ${result.rule.id} › ${result.test.name}: expected ${result.expected}, got ${result.actual}`,
    );
    lines.push(`${results.length - failed.length} passed, ${failed.length} failed`);
    await context.result(lines.join("\n"));
  }
  return failed.length === 0 ? 0 : 1;
}

/** The rule catalogue (docs/rule-catalog.md): every rule, what it applies to, its severity and frameworks. */
function ruleCatalog(rules: readonly Rule[], cwd: string): string {
  const escapeCell = (text: string) => text.replace(/\|/g, "\\|");
  const lines = [
    "# Rule catalogue",
    "",
    "Generated by `aigov rules list --format markdown`; a test keeps it in step with `rules/`.",
    "",
    `${rules.length} rules.`,
    "",
    "| rule | severity | subject | provider | kind / type | title | frameworks |",
    "|---|---|---|---|---|---|---|",
  ];
  const sorted = [...rules].sort((a, b) => a.source.file.localeCompare(b.source.file));
  for (const rule of sorted) {
    const file = relative(cwd, rule.source.file);
    const scope = [...(rule.appliesTo.kind ?? []), ...(rule.appliesTo.type ?? [])].join(", ") || "any";
    const frameworks = Object.entries(rule.frameworks)
      .map(([framework, controls]) => `${framework}: ${controls.join(", ")}`)
      .join("; ");
    lines.push(
      `| [${rule.id}](${file}) | ${rule.severity} | ${rule.appliesTo.subject} | ${(rule.appliesTo.provider ?? ["any"]).join(", ")} | ${escapeCell(scope)} | ${escapeCell(rule.title)} | ${escapeCell(frameworks)} |`,
    );
  }
  return lines.join("\n");
}
