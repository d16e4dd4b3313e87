import {
  escapeControlCharacters,
  AigovError,
  blocks,
  createAggregator,
  createEngine,
  type Finding,
  loadRules,
  parseDuration,
  type Policy,
  SEVERITIES,
  type Severity,
} from "@aigov/core";
import {
  analyzeLogs,
  cloudTrailLakeCalls,
  emptyStats,
  type LogAnalysis,
  type LogEvent,
  type LogReadStats,
  type MalformedReport,
  type PersistentReadState,
  readLogs,
  storeFirstSeen,
  storeReadState,
} from "@aigov/logs";
import type { Store } from "@aigov/store";
import type { Command, CommandContext } from "../command.ts";
import { openConfiguredStore, STORE_OPTION } from "../configured-store.ts";
import { countOf } from "../count-text.ts";
import { renderTable } from "../table.ts";
import { type StatusDisplay, showStatusLine } from "../status-line.ts";
import { countingObjects, localReadTotal, newReadProgress, readingLine } from "../log-progress.ts";
import type { Terminal } from "../terminal.ts";
import { fitText } from "../text-wrap.ts";
import { deliverToSink, policySinkNames } from "../sink-delivery.ts";
import { loadCheckedPolicy } from "../policy-load.ts";

export const command: Command = {
  name: "logs",
  summary: "AI API calls from logs (CloudTrail, Azure activity/diagnostic, GCP audit) and the log rules' findings",
  usage: `aigov logs <file | dir | - | s3://bucket/prefix | gs://bucket/prefix | https://<account>.blob.core.windows.net/<container>/<prefix> …> [options]
aigov logs --cloudtrail-lake <eventDataStoreArn> --since 24h [options]`,
  description: `Reads CloudTrail, Azure activity/diagnostic and GCP audit logs (files, directories, gzip, object stores),
keeps the AI API calls, summarizes them and judges them with the log rules.

Incremental: the objects read and the first_seen groups reported are kept in the store (the one 'aigov sweep'
writes), so a second run over the same files reads only what is new or changed and says how many objects it left
unchanged; --no-state reads everything again. The findings go to every sink under the policy's sinks: (new or
changed ones; log findings are events, never resolved), unless --no-export.

On a terminal a status line shows the objects read of the total (local files and directories are listed beside the
reading; stdin and object stores say ETA ?), percent, ETA and rate; piped, only the result is printed. The table has
one row per rule, with how many findings it holds; --format json lists each finding.`,
  options: {
    format: { type: "string", short: "f", example: "json", description: "text or json", default: "text" },
    since: {
      type: "string",
      example: "24h",
      description: "only calls after this time (ISO-8601, or a duration before now: 30m, 24h, 7d)",
    },
    until: { type: "string", example: "2026-11-02T00:00:00Z", description: "only calls before this time" },
    store: { ...STORE_OPTION, description: "the store keeping what was read (incremental runs) and the outbox" },
    "state-db": { type: "string", example: "aigov.db", description: "--store's older name" },
    "no-state": { type: "boolean", description: "read every object again, and remember nothing" },
    "cloudtrail-lake": {
      type: "string",
      example: "arn:aws:cloudtrail:eu-west-1:111122223333:eventdatastore/EXAMPLE",
      description: "query this CloudTrail Lake event data store (needs --since)",
    },
    "fail-on": {
      type: "string",
      example: "high",
      description: "exit 1 on findings of this severity and above",
      default: "the policy's gate.fail_on, high",
    },
    "s3-endpoint": { type: "string", example: "http://127.0.0.1:4566", description: "an S3-compatible endpoint" },
    "lake-endpoint": { type: "string", example: "http://127.0.0.1:4566", description: "a CloudTrail endpoint" },
    "no-export": { type: "boolean", description: "do not deliver the findings to the policy's sinks" },
    "scan-threads": {
      type: "string",
      example: "0",
      description:
        "worker threads reading and scanning many small local files (a trail's S3 layout copied down) beside the main one; 0: none",
      default: "1 when there is a second core",
    },
  },
  examples: [
    "aigov logs ./cloudtrail/ --since 7d",
    "aigov logs s3://org-trail/AWSLogs/ --format json -o calls.json",
    "aigov logs activity.json --no-state       # read it again, as if for the first time",
  ],
  exitCodes: [
    [0, "no finding at or above the threshold"],
    [1, "findings at or above the threshold (--fail-on)"],
    [2, "could not run (no input could be read, a sink rejected the findings)"],
  ],
  run,
};

async function run(context: CommandContext): Promise<number> {
  const format = context.stringOption("format", ["text", "json"]) ?? "text";
  const failOn = context.stringOption("fail-on", SEVERITIES) as Severity | undefined;
  const lake = context.stringOption("cloudtrail-lake");
  const inputs = context.positionals;
  if (inputs.length === 0 && lake === undefined) {
    throw new AigovError("CLI_BAD_ARGUMENTS", "logs: give at least one input or --cloudtrail-lake", {
      hint: "see 'aigov help logs'",
    });
  }
  const now = new Date();
  const since = timeOption(context, "since", now);
  const until = timeOption(context, "until", now);
  if (lake !== undefined && since === undefined) {
    throw new AigovError(
      "CLI_BAD_ARGUMENTS",
      "--cloudtrail-lake needs --since (CloudTrail Lake bills by the data a query scans)",
      { hint: "e.g. --since 24h" },
    );
  }

  const policy = await loadCheckedPolicy(context.stringOption("policy"), context.io.cwd);
  // Key rules judge the AI keys found in the records' request parameters.
  const rules = (await loadRules({ dirs: context.ruleDirs(), policy })).filter(
    (rule) => rule.appliesTo.subject === "api-call" || rule.appliesTo.subject === "key",
  );
  const engine = createEngine(rules, policy, { now });

  const store =
    context.options["no-state"] === true
      ? undefined
      : openConfiguredStore(context, policy, "create", { store: storeOption(context) }).store;
  const readState = store === undefined ? undefined : storeReadState(store);
  const firstSeen = store === undefined ? undefined : storeFirstSeen(store);
  const aggregator = createAggregator(rules, policy, { now, ...(firstSeen === undefined ? {} : { firstSeen }) });

  const scanThreads = scanThreadsOption(context);
  const stats = emptyStats();
  const progress = newReadProgress();
  const events = countingObjects(
    allEvents(context, inputs, lake, stats, {
      ...(scanThreads === undefined ? {} : { scanThreads }),
      ...(readState === undefined ? {} : { state: readState }),
      ...(since === undefined ? {} : { since }),
      ...(until === undefined ? {} : { until }),
    }),
    progress,
    stats,
  );
  // Progress on a terminal only: a pipe or CI log gets the result and nothing else.
  const started = Date.now();
  let display: StatusDisplay | undefined;
  if (context.io.stderr.isTTY === true) {
    display = showStatusLine(() => readingLine(stats, progress, Date.now() - started), "aigov logs", context.io.stderr);
    // Local inputs are listed beside the reading for the ETA; a path that cannot be listed is the reader's to report.
    if (lake === undefined)
      localReadTotal(inputs, context.io.env).then(
        (total) => {
          progress.total = total;
        },
        () => undefined,
      );
  }
  let analysis: LogAnalysis;
  try {
    analysis = await analyzeLogs(events, engine, aggregator, (report) =>
      context.message(
        `aigov: malformed ${report.kind}: ${escapeControlCharacters(where(report))}: ${escapeControlCharacters(report.reason)}`,
      ),
    );
  } catch (error) {
    store?.close();
    throw error;
  } finally {
    display?.stop();
  }
  if (lake === undefined && heldNoLog(stats)) {
    store?.close();
    // A mistyped path in cron must not read as "no findings".
    throw new AigovError(
      "LOGS_NO_LOG_RECORDS",
      `no log record in ${inputs.join(", ")}: ${stats.objects === 0 ? "no log file there" : `${stats.objects} empty file(s)`}, nothing was judged`,
      {
        hint: "check the path: aigov logs reads *.json, *.jsonl, *.ndjson, *.log and *.gz files (CloudTrail, Azure activity and resource logs, GCP audit logs), and directories of them",
      },
    );
  }

  const blocking = analysis.findings.filter((finding) => blocks(finding, policy, failOn));
  await context.result(
    format === "json"
      ? renderJson(analysis, stats, blocking.length)
      : renderText(analysis, stats, blocking.length, context.out),
  );
  // Only now that the results are out is it safe to remember what was read.
  readState?.commit();
  firstSeen?.commit();
  let exportFailed = false;
  try {
    exportFailed = await exportLogFindings(context, policy, analysis.findings, store);
  } finally {
    store?.close();
  }
  if (exportFailed) return 2;

  if (stats.objects > 0 && stats.malformedFiles === stats.objects && analysis.summary.calls === 0) {
    context.message("aigov: no input could be read");
    return 2;
  }
  return blocking.length > 0 ? 1 : 0;
}

/**
 * Delivers the findings to every sink under the policy's `sinks:` through the outbox in the store, as events: a
 * finding a later read does not see again is not resolved. Returns whether any sink failed.
 */
async function exportLogFindings(
  context: CommandContext,
  policy: Policy,
  findings: readonly Finding[],
  store: Store | undefined,
): Promise<boolean> {
  if (context.options["no-export"] === true) return false;
  const sinks = policySinkNames(policy);
  if (sinks.length === 0) return false;
  if (store === undefined) {
    context.message("aigov logs: --no-state: the sinks under sinks: are skipped (their outbox lives in the store)");
    return false;
  }
  let failed = false;
  for (const name of sinks) {
    try {
      if ((await deliverToSink(context, policy, name, findings, store, { events: true })).exitCode !== 0) failed = true;
    } catch (error) {
      failed = true;
      context.message(
        `aigov logs: export to ${name} failed, the findings wait in the outbox for the next run: ${error instanceof AigovError ? error.format() : escapeControlCharacters(String(error))}`,
      );
    }
  }
  return failed;
}

async function* allEvents(
  context: CommandContext,
  inputs: readonly string[],
  lake: string | undefined,
  stats: LogReadStats,
  options: { state?: PersistentReadState; since?: Date; until?: Date; scanThreads?: number },
): AsyncIterable<LogEvent> {
  const { env } = context.io;
  if (inputs.length > 0) {
    const s3Endpoint = context.stringOption("s3-endpoint");
    for await (const event of readLogs(
      inputs,
      {
        env,
        stdin: context.io.stdin,
        ...(s3Endpoint === undefined ? {} : { s3Endpoint }),
        ...(options.state === undefined ? {} : { state: options.state }),
        ...(options.since === undefined ? {} : { since: options.since }),
        ...(options.scanThreads === undefined ? {} : { scanThreads: options.scanThreads }),
      },
      stats,
    )) {
      if (event.type === "call" && options.until !== undefined && event.call.time >= options.until.toISOString())
        continue;
      yield event;
    }
  }
  if (lake !== undefined && options.since !== undefined) {
    const endpoint = context.stringOption("lake-endpoint") ?? env.AIGOV_CLOUDTRAIL_ENDPOINT;
    yield* cloudTrailLakeCalls(
      {
        eventDataStore: lake,
        since: options.since,
        ...(options.until === undefined ? {} : { until: options.until }),
        ...(endpoint === undefined ? {} : { endpoint }),
        ...(env.AIGOV_LAKE_POLL_MS === undefined ? {} : { pollMs: Number(env.AIGOV_LAKE_POLL_MS) }),
      },
      stats,
    );
  }
}

/**
 * The inputs held no log object at all: an empty directory, a directory of other files, empty files. Objects skipped
 * as read before or older than --since were logs; malformed files are reported as such.
 */
function heldNoLog(stats: LogReadStats): boolean {
  return (
    stats.records === 0 &&
    stats.unchanged === 0 &&
    stats.tooOld === 0 &&
    stats.malformedFiles === 0 &&
    stats.malformedRecords === 0
  );
}

/** `--since 2026-11-01T00:00:00Z` or `--since 24h` (that long before now). */
function timeOption(context: CommandContext, name: string, now: Date): Date | undefined {
  const value = context.stringOption(name);
  if (value === undefined) return undefined;
  if (/^\d+(m|h|d|w|y)$/.test(value)) return new Date(now.getTime() - parseDuration(value));
  const time = Date.parse(value);
  if (Number.isNaN(time)) {
    throw new AigovError("CLI_BAD_ARGUMENTS", `--${name} ${value} is neither an ISO-8601 time nor a duration`, {
      hint: "e.g. 2026-11-01T00:00:00Z, 24h, 7d",
    });
  }
  return new Date(time);
}

/** `--scan-threads N`: worker threads for many small files; 0 reads on the main thread only. */
function scanThreadsOption(context: CommandContext): number | undefined {
  const value = context.stringOption("scan-threads");
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value) || Number(value) > 64) {
    throw new AigovError("CLI_BAD_ARGUMENTS", `--scan-threads ${value} is not a number of threads from 0 to 64`, {
      hint: "e.g. --scan-threads 0 to read on the main thread only",
    });
  }
  return Number(value);
}

/** `--store FILE`, or its older name `--state-db FILE`. */
function storeOption(context: CommandContext): string | undefined {
  const store = context.stringOption("store");
  const stateDb = context.stringOption("state-db");
  if (store !== undefined && stateDb !== undefined && store !== stateDb) {
    throw new AigovError("CLI_BAD_ARGUMENTS", `--store ${store} and --state-db ${stateDb} name different files`, {
      hint: "--state-db is --store's older name: give one of them",
    });
  }
  return store ?? stateDb;
}

function where(report: MalformedReport): string {
  if (report.line !== undefined)
    return `${report.file}:${report.line}${report.offset === undefined ? "" : ` (byte ${report.offset})`}`;
  return report.offset === undefined ? report.file : `${report.file} (byte ${report.offset})`;
}

function renderJson(analysis: LogAnalysis, stats: LogReadStats, blocking: number): string {
  return JSON.stringify(
    {
      read: stats,
      calls: analysis.summary.toJSON(),
      malformed: { records: stats.malformedRecords, files: stats.malformedFiles, reports: analysis.malformed },
      findings: analysis.findings,
      blocking,
    },
    null,
    2,
  );
}

function renderText(analysis: LogAnalysis, stats: LogReadStats, blocking: number, terminal: Terminal): string {
  const { summary } = analysis;
  const lines: string[] = [];
  lines.push(
    `read ${countOf(stats.objects, "log object")}, ${countOf(stats.records, "record")}, ${countOf(summary.calls, "AI call")} (${summary.usage} model invocations, ${summary.failures} failed)`,
  );
  // A second run over the same files finds nothing new: say why, or "no findings" reads as a clean bill of health.
  if (stats.unchanged > 0)
    lines.push(
      `${countOf(stats.unchanged, "object")} unchanged since the last run, not read again (the store keeps what was read); --no-state reads them again`,
    );
  if (stats.tooOld > 0) lines.push(`${countOf(stats.tooOld, "object")} dated before --since, not read`);
  if (stats.malformedRecords + stats.malformedFiles > 0)
    lines.push(
      `malformed: ${countOf(stats.malformedRecords, "record")}, ${countOf(stats.malformedFiles, "file")} (details on stderr)`,
    );
  if (summary.calls > 0) {
    lines.push(`time: ${summary.first} … ${summary.last}`);
    for (const [dimension, title] of [
      ["service", "by service"],
      ["operation", "top operations"],
      ["model", "top models"],
      ["principal", "top principals"],
      ["actor", "by actor"],
      ["authType", "by auth"],
    ] as const) {
      lines.push(
        `${title}: ${summary
          .top(dimension, 5)
          .map(([key, count]) => `${key} ${count}`)
          .join(", ")}`,
      );
    }
  }
  lines.push("");
  if (analysis.findings.length === 0)
    lines.push(stats.objects === 0 && stats.unchanged > 0 ? "no findings: nothing new was read" : "no findings");
  else {
    lines.push(`${countOf(analysis.findings.length, "finding")}, ${blocking} at or above the threshold:`);
    lines.push(
      renderTable(["SEVERITY", "RULE", "COUNT", "MESSAGE"], groupedRows(analysis.findings), terminal, {
        indent: 2,
        fold: ["MESSAGE"],
      }),
    );
  }
  return fitText(lines.join("\n"), terminal.width);
}

/** Subjects a grouped row names before "and N more". */
const GROUP_NAMES = 3;

/**
 * One row per severity and rule, with how many findings it holds: a rule that fires for every principal or every day
 * is one line naming its first subjects (`--format json` has every finding).
 */
function groupedRows(findings: readonly Finding[]): string[][] {
  const groups = new Map<string, Finding[]>();
  for (const finding of [...findings].sort(bySeverity)) {
    const key = JSON.stringify([finding.severity, finding.ruleId]);
    const group = groups.get(key);
    if (group === undefined) groups.set(key, [finding]);
    else group.push(finding);
  }
  return [...groups.values()].map((group) => {
    const first = group[0]!;
    const names = [...new Set(group.map((finding) => finding.subject.name))];
    const message =
      group.length === 1
        ? first.message
        : `${first.title}: ${names.slice(0, GROUP_NAMES).join("; ")}${names.length > GROUP_NAMES ? `; and ${names.length - GROUP_NAMES} more` : ""}`;
    return [first.severity, first.ruleId, String(group.length), escapeControlCharacters(message)];
  });
}

function bySeverity(a: Finding, b: Finding): number {
  return (
    SEVERITIES.indexOf(b.severity) - SEVERITIES.indexOf(a.severity) ||
    (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0)
  );
}
