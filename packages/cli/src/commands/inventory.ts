import { isUnknown, type Maybe, PROVIDERS } from "@aigov/core";
import { type InventoryFilter, queryInventory } from "@aigov/store";
import { type Command, PLAIN_EXIT_CODES } from "../command.ts";
import { listOption, QUERY_OPTIONS, runId } from "../sweep/query-options.ts";
import { countNote, openConfiguredStore } from "../configured-store.ts";
import { renderTable } from "../table.ts";
import { loadCheckedPolicy } from "../policy-load.ts";

export const command: Command = {
  name: "inventory",
  summary: "list the AI assets and keys the sweeps found (the AI bill of materials)",
  usage: "aigov inventory [--store FILE] [--provider aws,…] [--account ID,…] [--kind endpoint,…] [--run N]",
  description: `By default, for every target, what its newest finished run found (so shards writing one store combine).
JSON: {"assets": [Asset | Key, normalized as the scanners produce them]}, each with its full text.`,
  options: {
    ...QUERY_OPTIONS,
    run: {
      type: "string",
      example: "12",
      description: "what this run (its number, or latest) found",
      default: "each target's newest run",
    },
  },
  examples: ["aigov inventory --provider aws --kind endpoint,model", "aigov inventory --format json -o ai-bom.json"],
  exitCodes: PLAIN_EXIT_CODES,
  async run(context) {
    const format = context.stringOption("format", ["text", "json"]) ?? "text";
    const policy = await loadCheckedPolicy(context.stringOption("policy"), context.io.cwd);
    const runText = context.stringOption("run");
    const { store } = openConfiguredStore(context, policy, "read");
    try {
      const filter: InventoryFilter = {
        provider: listOption(context, "provider", PROVIDERS),
        account: listOption(context, "account"),
        kind: listOption(context, "kind"),
        ...(runText === undefined ? {} : { run: runId(store, runText) }),
      };
      const assets = [...queryInventory(store, filter)];
      if (format === "json") {
        await context.resultJson({ assets });
        return 0;
      }
      const rows = assets.map((a) => [
        a.provider,
        known(a.account),
        known(a.region),
        a.kind,
        a.type,
        a.name,
        a.subject === "asset" && a.models !== undefined && !isUnknown(a.models)
          ? a.models.join(",")
          : a.subject === "key"
            ? (a.redacted ?? a.vendor)
            : "",
      ]);
      // Nothing to list is said on stderr, not shown as a table of headings (an --output file is still written).
      await context.result(
        rows.length === 0
          ? ""
          : renderTable(["CLOUD", "ACCOUNT", "REGION", "KIND", "TYPE", "NAME", "MODELS / KEY"], rows, context.out, {
              fold: ["MODELS / KEY", "TYPE", "REGION", "ACCOUNT"],
            }),
      );
      context.message(countNote(store, assets.length, "asset or key", "assets and keys"));
      return 0;
    } finally {
      store.close();
    }
  },
};

function known(value: Maybe<string>): string {
  return isUnknown(value) ? "?" : value;
}
