import { writeFile } from "node:fs/promises";
import { resolve } from "node:path";
import { loadPolicy } from "@aigov/core";
import type { Command } from "../command.ts";
import { collectReportData } from "../report/report-data.ts";
import { renderReport } from "../report/report-html.ts";
import { openConfiguredStore } from "../configured-store.ts";

export const command: Command = {
  name: "report",
  summary: "a self-contained HTML report of inventory, findings, coverage and trends",
  usage: `aigov report [--store FILE] [--output report.html]
One HTML file (inline CSS, script and SVG charts; no network when viewed) from the sweep history in the store:
the AI inventory (bill of materials), findings with filters, coverage, and trends over runs.
Default output: ./aigov-report.html; --output - writes it to stdout.`,
  options: { store: { type: "string" } },
  async run(context) {
    const policy = await loadPolicy(context.stringOption("policy"), context.io.cwd);
    const { store } = openConfiguredStore(context, policy, "read");
    let html: string;
    try {
      html = renderReport(collectReportData(store));
    } finally {
      store.close();
    }
    const output = context.stringOption("output") ?? "aigov-report.html";
    if (output === "-") {
      await context.result(html);
      return 0;
    }
    await writeFile(resolve(context.io.cwd, output), html);
    context.message(`aigov report: wrote ${output}`);
    return 0;
  },
};
