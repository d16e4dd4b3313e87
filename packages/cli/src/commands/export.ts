import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import { AigovError, type Finding, loadPolicy, type Subject } from "@aigov/core";
import {
  cyclonedxAiBom,
  defaultChange,
  type ExportInput,
  findingHash,
  formatRecordLines,
  parseExportInput,
  parseSinks,
  RECORD_FORMATS,
  type SinkRecord,
  toSarif,
} from "@aigov/export";
import type { Store } from "@aigov/store";
import type { Command, CommandContext } from "../command.ts";
import { openConfiguredStore } from "../configured-store.ts";
import { deliverToSink } from "../sink-delivery.ts";

const FORMATS = [...RECORD_FORMATS, "sarif", "cyclonedx"] as const;

export const command: Command = {
  name: "export",
  summary:
    "write findings as OCSF/ASFF/ECS/CEF/syslog/SARIF or the inventory as a CycloneDX AI-BOM; deliver them to a SIEM sink",
  usage:
    "aigov export --format ocsf|asff|ecs|cef|syslog|sarif|cyclonedx [--input result.json] [--output FILE]\n" +
    "       aigov export --sink NAME [--input result.json] [--full] [--store FILE] [--policy FILE]",
  options: {
    input: { type: "string", short: "i" },
    sink: { type: "string" },
    full: { type: "boolean" },
    store: { type: "string" },
    "account-id": { type: "string" },
    region: { type: "string" },
  },
  async run(context) {
    const sinkName = context.stringOption("sink");
    if (sinkName !== undefined) return toSink(context, sinkName);
    const format = formatOption(context);
    if (context.options.full !== undefined) {
      throw new AigovError(
        "CLI_BAD_ARGUMENTS",
        "--full applies to --sink exports (a stdout export always writes everything)",
      );
    }
    const input = (await readInputFile(context)) ?? (await readNewestRun(context));
    await context.result(render(format, input, context));
    return 0;
  },
};

function render(format: (typeof FORMATS)[number], input: ExportInput, context: CommandContext): string {
  if (format === "cyclonedx") return JSON.stringify(cyclonedxAiBom(input.assets), null, 2);
  if (format === "sarif") return JSON.stringify(toSarif(input.findings), null, 2);
  const accountId = context.stringOption("account-id");
  const region = context.stringOption("region");
  const options = { ...(accountId === undefined ? {} : { accountId }), ...(region === undefined ? {} : { region }) };
  return input.findings
    .flatMap((finding) => {
      const record: SinkRecord = { finding, change: defaultChange(finding), hash: findingHash(finding) };
      return formatRecordLines(format, record, options);
    })
    .join("\n");
}

function formatOption(context: CommandContext): (typeof FORMATS)[number] {
  const value = context.stringOption("format", FORMATS);
  return FORMATS.find((format) => format === value) ?? "ocsf";
}

/** `--input FILE` (or `-` for stdin): a result document; undefined when the input is the store's newest run. */
async function readInputFile(context: CommandContext): Promise<ExportInput | undefined> {
  const input = context.stringOption("input");
  if (input === undefined) return undefined;
  const text =
    input === "-"
      ? await readStdin(context.io.stdin)
      : await readFile(resolve(context.io.cwd, input), "utf8").catch((error: Error) => {
          throw new AigovError("EXPORT_INPUT_UNREADABLE", `cannot read ${input}: ${error.message}`, {
            position: { file: input },
          });
        });
  return parseExportInput(text, input === "-" ? "<stdin>" : input);
}

/** The newest finished run of the store the sweep writes, opened read-only: an export never creates a store. */
async function readNewestRun(context: CommandContext): Promise<ExportInput> {
  const policy = await loadPolicy(context.stringOption("policy"), context.io.cwd);
  const { store } = openConfiguredStore(context, policy, "read");
  try {
    return newestRun(store);
  } finally {
    store.close();
  }
}

function newestRun(store: Store): ExportInput {
  const run = store.latestRun();
  if (run === undefined) {
    throw new AigovError("EXPORT_NO_RUN", `the store ${store.path} has no finished run to export`, {
      hint: "run `aigov sweep` first, or give a result with --input",
    });
  }
  const findings: Finding[] = [];
  // The lifecycle rides along: formats take the first-seen time from it (ASFF CreatedAt); the export's change
  // detection ignores it.
  for (const stored of store.runFindings(run.id)) findings.push(stored);
  const assets: Subject[] = [...store.runAssets(run.id)];
  return { findings, assets };
}

async function readStdin(stdin: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stdin) chunks.push(typeof chunk === "string" ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks).toString("utf8");
}

/** Delivers through the outbox in the store's database: what changed since the last export to this sink, or all with --full. */
async function toSink(context: CommandContext, name: string): Promise<number> {
  if (context.options.format !== undefined) {
    throw new AigovError(
      "CLI_BAD_ARGUMENTS",
      "--format applies to stdout/--output exports; a sink's format is set in its entry under `sinks:`",
    );
  }
  const policy = await loadPolicy(context.stringOption("policy"), context.io.cwd);
  // Validate the sink section before reading anything, so a misconfigured sink fails fast with its position.
  parseSinks(policy);
  const fromFile = await readInputFile(context);
  // The outbox lives in the store: exporting a result file may start one; exporting the newest run needs its store.
  const { store } = openConfiguredStore(context, policy, fromFile === undefined ? "write" : "create");
  let delivery: Awaited<ReturnType<typeof deliverToSink>>;
  try {
    const input = fromFile ?? newestRun(store);
    delivery = await deliverToSink(context, policy, name, input.findings, store, {
      full: context.options.full === true,
    });
  } finally {
    store.close();
  }
  // A file sink writing to stdout owns stdout; otherwise the machine-readable report goes there.
  if (!delivery.ownsStdout) await context.result(JSON.stringify(delivery.report));
  return delivery.exitCode;
}
