import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import { AigovError, blocks, fileErrorReason, type Finding, type Policy, type Subject } from "@aigov/core";
import {
  cyclonedxAiBom,
  defaultChange,
  type ExportInput,
  findingHash,
  formatRecordLines,
  parseExportInput,
  RECORD_FORMATS,
  type SinkRecord,
  toJunit,
  toSarif,
} from "@aigov/export";
import type { Store } from "@aigov/store";
import type { Command, CommandContext } from "../command.ts";
import { openConfiguredStore, STORE_OPTION } from "../configured-store.ts";
import { deliverToSink } from "../sink-delivery.ts";
import { loadCheckedPolicy } from "../policy-load.ts";

const FORMATS = [...RECORD_FORMATS, "sarif", "junit", "cyclonedx"] as const;

export const command: Command = {
  name: "export",
  summary:
    "write findings as OCSF/ASFF/ECS/CEF/syslog/SARIF or the inventory as a CycloneDX AI-BOM; deliver them to a SIEM sink",
  usage: `aigov export --format ${FORMATS.join("|")} [--input result.json] [--output FILE]
aigov export --sink NAME [--input result.json] [--full] [--store FILE] [--policy FILE]`,
  description: `Exports the newest finished run in the store, or the result --input names (a 'sweep', 'gate' or 'logs'
--format json document). With --sink, delivers what changed since the last export to that sink of the policy's
sinks: section, through the store's outbox (what a sink does not take waits for the next run).`,
  options: {
    format: {
      type: "string",
      short: "f",
      example: "sarif",
      description: `${FORMATS.join(", ")} (cyclonedx: the AI-BOM of the assets)`,
      default: "ocsf",
    },
    input: {
      type: "string",
      short: "i",
      example: "sweep.json",
      description: "a result document to export ('-' is stdin)",
      default: "the store's newest run",
    },
    sink: { type: "string", example: "splunk", description: "deliver to this sink of the policy's sinks: section" },
    full: { type: "boolean", description: "with --sink: deliver every finding, not only what changed" },
    store: STORE_OPTION,
    "account-id": {
      type: "string",
      example: "111122223333",
      description: "the AWS account ASFF findings are imported into",
    },
    region: { type: "string", example: "eu-west-1", description: "the AWS region ASFF findings are imported into" },
  },
  examples: [
    "aigov export --format sarif -o aigov.sarif",
    "aigov gate plan.json --format json | aigov export --input - --format junit",
    "aigov export --sink splunk",
  ],
  exitCodes: [
    [0, "exported"],
    [2, "could not export (no run, unreadable input, a sink rejected the findings)"],
  ],
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
    const policy = await loadCheckedPolicy(context.stringOption("policy"), context.io.cwd);
    const input = (await readInputFile(context)) ?? readNewestRun(context, policy);
    await context.result(render(format, input, context, policy));
    return 0;
  },
};

function render(format: (typeof FORMATS)[number], input: ExportInput, context: CommandContext, policy: Policy): string {
  if (format === "cyclonedx") return JSON.stringify(cyclonedxAiBom(input.assets), null, 2);
  if (format === "sarif") return JSON.stringify(toSarif(input.findings), null, 2);
  if (format === "junit") {
    // A test fails for each finding that would fail the sweep or gate: at or above the policy's threshold.
    const blocking = new Set(input.findings.filter((finding) => blocks(finding, policy)).map((finding) => finding.id));
    return toJunit(input.findings, { suite: "aigov", blocking });
  }
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
      : await readFile(resolve(context.io.cwd, input), "utf8").catch((error: unknown) => {
          throw new AigovError("EXPORT_INPUT_UNREADABLE", `cannot read ${input}: ${fileErrorReason(error)}`);
        });
  return parseExportInput(text, input === "-" ? "<stdin>" : input);
}

/** The newest finished run of the store the sweep writes, opened read-only: an export never creates a store. */
function readNewestRun(context: CommandContext, policy: Policy): ExportInput {
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
  const policy = await loadCheckedPolicy(context.stringOption("policy"), context.io.cwd);
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
