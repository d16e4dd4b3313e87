import { isUnknown, type Maybe, PROVIDERS, SEVERITIES, type Severity } from "@aigov/core";
import { type FindingFilter, LIFECYCLES, queryFindings, type StoredFinding } from "@aigov/store";
import { type Command, PLAIN_EXIT_CODES } from "../command.ts";
import { countNote, openConfiguredStore } from "../configured-store.ts";
import { renderTable } from "../table.ts";
import { listOption, QUERY_OPTIONS, runId } from "../sweep/query-options.ts";
import { loadCheckedPolicy } from "../policy-load.ts";

export const command: Command = {
  name: "findings",
  summary: "list findings from the sweep history, with their lifecycle",
  usage:
    "aigov findings [--store FILE] [--severity SEVERITY] [--status STATE,…] [--rule ID,…] [--run N|latest] [filters]",
  description: `--run shows what one run saw or resolved, with the state that run gave each finding (--run latest --status
new: new since the previous run). JSON: {"findings": [Finding + lifecycle {state, firstSeen, lastSeen, firstRun,
lastRun, resolvedAt?, reopened}]}, each finding's full text.`,
  options: {
    ...QUERY_OPTIONS,
    severity: {
      type: "string",
      example: "high",
      description: "only findings of this severity and above (info, low, medium, high, critical)",
    },
    status: {
      type: "string",
      multiple: true,
      example: "new,reopened",
      description:
        "only findings in these states: new, open, reopened, waived, resolved, active (all but resolved), unknown",
      default: "active",
    },
    rule: {
      type: "string",
      multiple: true,
      example: "aws-bedrock-agent-idle-session-too-long",
      description: "only these rules",
    },
    run: { type: "string", example: "latest", description: "what one run (its number, or latest) saw or resolved" },
  },
  examples: [
    "aigov findings --severity high             # high and critical",
    "aigov findings --run latest --status new    # new since the previous run",
    "aigov findings --format json -o findings.json",
  ],
  exitCodes: PLAIN_EXIT_CODES,
  async run(context) {
    const format = context.stringOption("format", ["text", "json"]) ?? "text";
    const policy = await loadCheckedPolicy(context.stringOption("policy"), context.io.cwd);
    const filter: FindingFilter = {
      provider: listOption(context, "provider", PROVIDERS),
      account: listOption(context, "account"),
      kind: listOption(context, "kind"),
      severity: severityAndAbove(context.stringOption("severity", SEVERITIES) as Severity | undefined),
      status:
        listOption(context, "status", [...LIFECYCLES, "active", "unknown"]) ??
        (context.stringOption("run") === undefined ? ["active"] : undefined),
      rule: listOption(context, "rule"),
    };
    const { store } = openConfiguredStore(context, policy, "read");
    try {
      const runText = context.stringOption("run");
      const findings =
        runText === undefined
          ? [...queryFindings(store, filter)]
          : [...store.runFindings(runId(store, runText))].filter((f) => matches(f, filter));
      if (format === "json") {
        await context.resultJson({ findings });
        return 0;
      }
      const rows = findings.map((f) => [
        f.severity,
        f.lifecycle.state,
        f.ruleId,
        `${f.subject.provider}/${known(f.subject.account)}/${known(f.subject.region)}`,
        f.subject.name,
        f.lifecycle.firstSeen.slice(0, 10),
        f.lifecycle.lastSeen.slice(0, 10),
      ]);
      // Nothing to list is said on stderr, not shown as a table of headings (an --output file is still written).
      await context.result(
        rows.length === 0
          ? ""
          : renderTable(
              ["SEVERITY", "STATE", "RULE", "WHERE", "SUBJECT", "FIRST SEEN", "LAST SEEN"],
              rows,
              context.out,
              {
                fold: ["FIRST SEEN", "LAST SEEN", "SUBJECT", "WHERE"],
              },
            ),
      );
      context.message(countNote(store, findings.length, "finding"));
      return 0;
    } finally {
      store.close();
    }
  },
};

/** The same filter queryFindings applies in SQL, for a run's findings. */
function matches(finding: StoredFinding, filter: FindingFilter): boolean {
  const any = (values: readonly string[] | undefined, value: string) =>
    values === undefined || values.length === 0 || values.includes(value);
  const state = finding.lifecycle.state;
  const status =
    filter.status === undefined ||
    filter.status.length === 0 ||
    filter.status.some((wanted) =>
      wanted === "active"
        ? state !== "resolved"
        : wanted === "unknown"
          ? finding.status === "unknown" && state !== "resolved"
          : wanted === state,
    );
  return (
    status &&
    any(filter.provider, finding.subject.provider) &&
    any(filter.account, known(finding.subject.account)) &&
    any(filter.kind, finding.subject.kind) &&
    any(filter.severity, finding.severity) &&
    any(filter.rule, finding.ruleId)
  );
}

function known(value: Maybe<string>): string {
  return isUnknown(value) ? "?" : value;
}

/** `--severity high` means high and above, as `--fail-on high` does: nobody filtering for high wants to miss a critical. */
function severityAndAbove(minimum: Severity | undefined): Severity[] | undefined {
  return minimum === undefined ? undefined : SEVERITIES.slice(SEVERITIES.indexOf(minimum));
}
