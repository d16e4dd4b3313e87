import { isUnknown, loadPolicy, type Maybe, PROVIDERS, type Provider, SEVERITIES, type Severity } from "@aigov/core";
import { type FindingFilter, LIFECYCLES, openStore, queryFindings } from "@aigov/store";
import type { Command } from "../command.ts";
import { storeSettings } from "../sweep/store-settings.ts";
import { renderTable } from "../table.ts";
import { listOption, QUERY_OPTIONS } from "../sweep/query-options.ts";

export const command: Command = {
  name: "findings",
  summary: "list findings from the sweep history, with their lifecycle",
  usage: `aigov findings [--store FILE] [--provider aws,…] [--account ID,…] [--kind KIND,…] [--severity high,critical]
               [--status new|open|reopened|waived|resolved|active|unknown] [--rule ID,…] [--format text|json]
Default --status active (everything not resolved). JSON: {"findings": [Finding + lifecycle{state, firstSeen, lastSeen, firstRun, lastRun, resolvedAt?, reopened}]}`,
  options: { ...QUERY_OPTIONS, severity: { type: "string", multiple: true }, status: { type: "string", multiple: true }, rule: { type: "string", multiple: true } },
  async run(context) {
    const format = context.stringOption("format", ["text", "json"]) ?? "text";
    const policy = await loadPolicy(context.stringOption("policy"), context.io.cwd);
    const settings = storeSettings(policy, { store: context.stringOption("store") }, context.io.env, context.io.cwd);
    const filter: FindingFilter = {
      provider: listOption(context, "provider", PROVIDERS) as Provider[] | undefined,
      account: listOption(context, "account"),
      kind: listOption(context, "kind"),
      severity: listOption(context, "severity", SEVERITIES) as Severity[] | undefined,
      status: (listOption(context, "status", [...LIFECYCLES, "active", "unknown"]) ?? ["active"]) as FindingFilter["status"],
      rule: listOption(context, "rule"),
    };
    const store = openStore(settings.path);
    try {
      const findings = [...queryFindings(store, filter)];
      if (format === "json") {
        await context.result(JSON.stringify({ findings }, null, 2));
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
      await context.result(renderTable(["SEVERITY", "STATE", "RULE", "WHERE", "SUBJECT", "FIRST SEEN", "LAST SEEN"], rows));
      context.message(`${findings.length} findings in ${settings.path}`);
      return 0;
    } finally {
      store.close();
    }
  },
};

function known(value: Maybe<string>): string {
  return isUnknown(value) ? "?" : value;
}
