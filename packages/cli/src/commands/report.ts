import { writeFile } from "node:fs/promises";
import { resolve } from "node:path";
import { AigovError } from "@aigov/core";
import { type Command, PLAIN_EXIT_CODES } from "../command.ts";
import { checkOutputPath, outputPathError } from "../output-path.ts";
import { collectReportData } from "../report/report-data.ts";
import { renderReport } from "../report/report-html.ts";
import { openConfiguredStore, STORE_OPTION } from "../configured-store.ts";
import { loadCheckedPolicy } from "../policy-load.ts";

export const command: Command = {
  name: "report",
  summary: "a self-contained HTML report of inventory, findings, coverage and trends",
  usage: "aigov report [--store FILE] [--output report.html]",
  description: `One HTML file (inline CSS, script and SVG charts; no network when viewed) from the sweep history in the
store: governed and ungoverned AI by cloud and account, the models in use, findings by rule and resource, coverage,
and trends over runs. The same data as JSON: aigov inventory / findings --format json.`,
  options: {
    format: { type: "string", short: "f", example: "html", description: "html (the only format)", default: "html" },
    output: {
      type: "string",
      short: "o",
      example: "report.html",
      description: "where to write the report ('-' is stdout)",
      default: "./aigov-report.html",
    },
    store: STORE_OPTION,
  },
  examples: ["aigov report", "aigov report --store demo.db -o /tmp/report.html"],
  exitCodes: PLAIN_EXIT_CODES,
  async run(context) {
    // JSON is what findings and inventory give; a report asked for as JSON and written as HTML would surprise.
    const format = context.stringOption("format");
    if (format !== undefined && format !== "html")
      throw new AigovError("CLI_BAD_ARGUMENTS", `report writes HTML only, not ${format}`, {
        hint: "the same data as JSON: 'aigov findings --format json' and 'aigov inventory --format json'",
      });
    const output = context.stringOption("output") ?? "aigov-report.html";
    checkOutputPath(output, context.io.cwd);
    const policy = await loadCheckedPolicy(context.stringOption("policy"), context.io.cwd);
    const { store } = openConfiguredStore(context, policy, "read");
    let html: string;
    try {
      html = renderReport(collectReportData(store, policy.approvedModels));
    } finally {
      store.close();
    }
    if (output === "-") {
      await context.result(html);
      return 0;
    }
    await writeFile(resolve(context.io.cwd, output), html).catch((error: unknown) => {
      throw outputPathError(output, error);
    });
    context.message(`aigov report: wrote ${output}`);
    return 0;
  },
};
