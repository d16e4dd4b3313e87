import { AigovError, isUnknown, loadPolicy, type Maybe, PROVIDERS, SEVERITIES } from "@aigov/core";
import { type FindingFilter, LIFECYCLES, queryFindings, type Store, type StoredFinding } from "@aigov/store";
import type { Command } from "../command.ts";
import { openConfiguredStore } from "../configured-store.ts";
import { renderTable } from "../table.ts";
import { listOption, QUERY_OPTIONS } from "../sweep/query-options.ts";

export const command: Command = {
  name: "findings",
  summary: "list findings from the sweep history, with their lifecycle",
  usage: `aigov findings [--store FILE] [--provider aws,…] [--account ID,…] [--kind KIND,…] [--severity high,critical]
               [--status new|open|reopened|waived|resolved|active|unknown] [--rule ID,…] [--run N|latest] [--format text|json]
Default --status active (everything not resolved). --run: what one run saw or resolved, with the state that run gave
each finding (e.g. --run latest --status new: new since the previous run). JSON: {"findings": [Finding + lifecycle{state, firstSeen, lastSeen, firstRun, lastRun, resolvedAt?, reopened}]}`,
  options: {
    ...QUERY_OPTIONS,
    severity: { type: "string", multiple: true },
    status: { type: "string", multiple: true },
    rule: { type: "string", multiple: true },
    run: { type: "string" },
  },
  async run(context) {
    const format = context.stringOption("format", ["text", "json"]) ?? "text";
    const policy = await loadPolicy(context.stringOption("policy"), context.io.cwd);
    const filter: FindingFilter = {
      provider: listOption(context, "provider", PROVIDERS),
      account: listOption(context, "account"),
      kind: listOption(context, "kind"),
      severity: listOption(context, "severity", SEVERITIES),
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
      await context.result(
        renderTable(["SEVERITY", "STATE", "RULE", "WHERE", "SUBJECT", "FIRST SEEN", "LAST SEEN"], rows),
      );
      context.message(`${findings.length} findings in ${store.path}`);
      return 0;
    } finally {
      store.close();
    }
  },
};

function runId(store: Store, text: string): number {
  const run = text === "latest" ? store.latestRun() : store.run(Number(text));
  if (run === undefined || !Number.isInteger(run.id)) {
    throw new AigovError(
      "STORE_NO_SUCH_RUN",
      `no ${text === "latest" ? "finished run" : `run ${text}`} in ${store.path}`,
      { hint: "see the runs with 'aigov report', or omit --run" },
    );
  }
  return run.id;
}

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
