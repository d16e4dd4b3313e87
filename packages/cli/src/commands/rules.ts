import { aggregateRuleTest, formatPosition, loadPolicy, loadRules, type Rule, type RuleTestRunner, runRuleTests } from "@aigov/core";
import type { Command, CommandContext } from "../command.ts";
import { renderTable } from "../table.ts";

/** Extra runners for rule features that judge several subjects at once (log aggregation registers here). */
const TEST_RUNNERS: RuleTestRunner[] = [aggregateRuleTest];

export const command: Command = {
  name: "rules",
  summary: "list, validate and test rules",
  usage: "aigov rules list|validate|test [paths…] [--rules DIR] [--policy FILE] [--format text|json]",
  async run(context) {
    const [action, ...paths] = context.positionals;
    switch (action) {
      case "list":
        return list(context);
      case "validate":
        return validate(context, paths);
      case "test":
        return test(context, paths);
      default:
        context.message(`usage: ${this.usage}`);
        return 2;
    }
  },
};

/** Paths given on the command line are judged alone; otherwise the default pack plus --rules directories. */
async function load(context: CommandContext, paths: readonly string[]): Promise<Rule[]> {
  const policy = await loadPolicy(context.stringOption("policy"), context.io.cwd);
  if (paths.length > 0) return loadRules({ dirs: paths, includeDefault: false, policy });
  return loadRules({ dirs: context.ruleDirs(), policy });
}

async function list(context: CommandContext): Promise<number> {
  const format = context.stringOption("format", ["text", "json"]) ?? "text";
  const rules = await load(context, []);
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
  const rows = rules.map((rule) => [rule.id, rule.severity, rule.appliesTo.subject, (rule.appliesTo.provider ?? ["any"]).join(","), rule.title]);
  await context.result(renderTable(["ID", "SEVERITY", "SUBJECT", "PROVIDER", "TITLE"], rows));
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
  const results = runRuleTests(rules, TEST_RUNNERS);
  const failed = results.filter((result) => !result.passed);
  const format = context.stringOption("format", ["text", "json"]) ?? "text";
  if (format === "json") {
    await context.result(
      JSON.stringify(
        {
          passed: results.length - failed.length,
          failed: failed.length,
          failures: failed.map((result) => ({ rule: result.rule.id, test: result.test.name, expected: result.expected, actual: result.actual, position: result.position })),
        },
        null,
        2,
      ),
    );
  } else {
    const lines = failed.map((result) => `FAIL ${formatPosition(result.position)} ${result.rule.id} › ${result.test.name}: expected ${result.expected}, got ${result.actual}`);
    lines.push(`${results.length - failed.length} passed, ${failed.length} failed`);
    await context.result(lines.join("\n"));
  }
  return failed.length === 0 ? 0 : 1;
}
