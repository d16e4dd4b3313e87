// `pnpm bench logs-s3-layout`: `aigov logs --no-state` as users run it (bin/aigov.js, the built bundle) over the real
// CloudTrail corpus (grycap, 1,073 files) copied ten times as files in CloudTrail's S3 key layout
// (AWSLogs/<account>/CloudTrail/<region>/<yyyy>/<mm>/<dd>/<file>.json.gz: many small files), against a
// single-threaded loop doing readFileSync + gunzipSync + JSON.parse of each file, and gunzipSync alone; all in the
// same rounds, interleaved: every mode runs once to warm the page cache, then each round runs every mode back to
// back, in an order rotated per round, and the load average is recorded beside each run (the machine is shared: wall
// time follows the load, CPU time much less, so both are reported, as medians and as per-round ratios). Then one
// record of 10, 25 and 50 MB (a Bedrock call whose request carries a long text): time and peak RSS should grow
// linearly with the record. Each run is its own process, so its CPU (every thread) and
// peak RSS are its own. The older logs bench (one large file copied to 1 GB) stays beside this one.
// AIGOV_BENCH_BEFORE=<a copy of another build's packages/cli/dist> adds that build's `aigov logs` (default threads)
// to the same rounds, as `aigovBefore`, with per-round ratios before over this build; the result then goes to
// results/logs-s3-layout-before-after.json, so a side-by-side run under load never stands for the quiet one.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { availableParallelism, loadavg, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { requireFreshBundle } from "./fresh-bundle.ts";
import { median, writeBenchResult } from "./bench-result.ts";
import { measuredChild } from "./child-process-usage.ts";

const root = join(dirname(fileURLToPath(import.meta.url)), "../..");
const corpus = join(root, "test/fixtures/logs/cloudtrail-grycap");
const cli = join(root, "packages/cli/bin/aigov.js");
const ROUNDS = 7;
const COPIES = 10;
const BIG_RECORD_MB = [10, 25, 50] as const;

interface Run {
  readonly ms: number;
  readonly cpuMs: number;
  readonly rssMB: number;
  readonly stdout: string;
  /** The one-minute load average as the run ended. */
  readonly load: number;
}

const dir = mkdtempSync(join(tmpdir(), "aigov-logs-s3-bench-"));

/** Writes a helper script for the child processes into the bench's directory. */
function script(name: string, source: string): string {
  const path = join(dir, name);
  writeFileSync(path, source);
  return path;
}

// The baselines: every file of the tree in path order, read and gunzipped synchronously, then parsed (or not).
const baselineScript = script(
  "baseline.mjs",
  `import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
const [parse, top] = [process.argv[2] === "parse", process.argv[3]];
let events = 0;
let bytes = 0;
const walk = (dir) => {
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) { walk(path); continue; }
    const raw = readFileSync(path);
    const text = raw[0] === 0x1f && raw[1] === 0x8b ? gunzipSync(raw) : raw;
    bytes += text.length;
    if (parse) events += JSON.parse(text.toString("utf8")).Records.length;
  }
};
walk(top);
process.stdout.write(JSON.stringify({ events, bytes }));
`,
);

function timed(args: readonly string[]): Run {
  const run = measuredChild(args, { env: { ...process.env, NO_COLOR: "1" } });
  if (run.status !== 0) throw new Error(`${args.join(" ")} failed (${run.status}): ${run.stderr}`);
  return { ms: run.ms, cpuMs: run.cpuMs, rssMB: run.maxRssKiB / 1024, stdout: run.stdout, load: loadavg()[0]! };
}

/** The corpus copied COPIES times, each copy as another account, every file at its S3 key. */
function buildS3Layout(top: string): { files: number; gzipBytes: number } {
  let files = 0;
  let gzipBytes = 0;
  for (let copy = 0; copy < COPIES; copy += 1) {
    const account = String(974349055189 + copy);
    for (const name of readdirSync(corpus).sort()) {
      const match = /^\d{12}_CloudTrail_([a-z0-9-]+)_(\d{4})(\d{2})(\d{2})(T\d{4}Z_.+)$/.exec(name);
      if (match === null) throw new Error(`${name} is not named as CloudTrail names its files`);
      const [, region, year, month, day, rest] = match as unknown as [string, string, string, string, string, string];
      const at = join(top, "AWSLogs", account, "CloudTrail", region, year, month, day);
      mkdirSync(at, { recursive: true });
      const bytes = readFileSync(join(corpus, name));
      writeFileSync(join(at, `${account}_CloudTrail_${region}_${year}${month}${day}${rest}`), bytes);
      files += 1;
      gzipBytes += bytes.length;
    }
  }
  return { files, gzipBytes };
}

/** One delivery file holding one Bedrock call whose request parameters carry `mb` MB of text. */
function bigRecordFile(mb: number): string {
  const text = "the model is asked to summarise this paragraph again ".repeat(Math.ceil((mb * 2 ** 20) / 53));
  const record = {
    eventVersion: "1.09",
    userIdentity: {
      type: "IAMUser",
      arn: "arn:aws:iam::111122223333:user/alice",
      accountId: "111122223333",
      accessKeyId: "AKIAIOSFODNN7EXAMPLE",
    },
    eventTime: "2026-11-20T10:15:00Z",
    eventSource: "bedrock.amazonaws.com",
    eventName: "InvokeModel",
    awsRegion: "us-east-1",
    sourceIPAddress: "198.51.100.7",
    userAgent: "aws-cli/2.15.0",
    requestParameters: { modelId: "amazon.titan-text-express-v1", inputText: text.slice(0, mb * 2 ** 20) },
    responseElements: null,
    eventID: `big-${mb}`,
    eventType: "AwsApiCall",
    recipientAccountId: "111122223333",
  };
  const path = join(dir, `big-${mb}mb.json`);
  writeFileSync(path, JSON.stringify({ Records: [record] }));
  return path;
}

function readSummary(run: Run): { records: number; calls: number; objects: number } {
  const output = JSON.parse(run.stdout) as { read: { records: number; objects: number }; calls: { calls: number } };
  return { records: output.read.records, calls: output.calls.calls, objects: output.read.objects };
}

const round = (value: number, digits = 0) => Number(value.toFixed(digits));

const beforeDist = process.env.AIGOV_BENCH_BEFORE;

try {
  requireFreshBundle("before");
  const layout = join(dir, "bucket");
  const { files, gzipBytes } = buildS3Layout(layout);
  const beforeScript =
    beforeDist === undefined
      ? undefined
      : script(
          "before.mjs",
          // As bin/aigov.js runs its bundle: with Node's compile cache.
          `import module from "node:module";
module.enableCompileCache?.();
const { runMain } = await import(${JSON.stringify(pathToFileURL(join(beforeDist, "aigov.js")).href)});
await runMain();
`,
        );
  const modes = {
    parse: [baselineScript, "parse", layout],
    gunzip: [baselineScript, "gunzip", layout],
    aigov: [cli, "logs", "--no-state", "--format", "json", layout],
    aigovOneThread: [cli, "logs", "--no-state", "--format", "json", "--scan-threads", "0", layout],
    aigovTwoThreads: [cli, "logs", "--no-state", "--format", "json", "--scan-threads", "2", layout],
    aigovBefore: beforeScript === undefined ? [] : [beforeScript, "logs", "--no-state", "--format", "json", layout],
  } as const;
  type Mode = keyof typeof modes;
  const order = (Object.keys(modes) as Mode[]).filter((mode) => modes[mode].length > 0);
  const runs: Record<Mode, Run[]> = {
    parse: [],
    gunzip: [],
    aigov: [],
    aigovOneThread: [],
    aigovTwoThreads: [],
    aigovBefore: [],
  };
  for (const mode of order) timed(modes[mode]); // warm the page cache and the bundle's compile cache; not counted
  for (let index = 0; index < ROUNDS; index += 1) {
    const rotated = [...order.slice(index % order.length), ...order.slice(0, index % order.length)];
    for (const mode of rotated) runs[mode].push(timed(modes[mode]));
    const latest = order.map((mode) => {
      const run = runs[mode].at(-1)!;
      return `${mode} ${Math.round(run.ms)} ms / ${Math.round(run.cpuMs)} ms CPU`;
    });
    process.stderr.write(`round ${index + 1}/${ROUNDS} (load ${loadavg()[0]!.toFixed(1)}): ${latest.join(", ")}\n`);
  }
  requireFreshBundle("after");
  const baseline = JSON.parse(runs.parse[0]!.stdout) as { events: number; bytes: number };
  for (const run of order.filter((mode) => mode.startsWith("aigov")).flatMap((mode) => runs[mode])) {
    const summary = readSummary(run);
    if (summary.records !== baseline.events || summary.calls !== 0 || summary.objects !== files)
      throw new Error(
        `aigov read ${JSON.stringify(summary)}, the baseline ${baseline.events} events in ${files} files`,
      );
  }
  // Per round, baseline time over aigov's: above 1 means aigov is faster. Each round runs every mode back to back,
  // so the ratio cancels most of the shared machine's load swings.
  const ratio = (base: Mode, ours: Mode, field: "ms" | "cpuMs") =>
    round(median(runs[ours].map((run, index) => runs[base][index]![field] / run[field])), 2);
  const medians = (field: "ms" | "cpuMs" | "rssMB") =>
    Object.fromEntries(
      order.map((mode) => [mode, round(median(runs[mode].map((run) => run[field])), field === "rssMB" ? 1 : 0)]),
    );

  // The record sizes interleaved too, three rounds; per MB above the start-up of a run on a tiny file, so a
  // quadratic cost would show as a rising per-MB figure.
  const bigFiles = BIG_RECORD_MB.map((mb) => ({ mb, file: bigRecordFile(mb), samples: [] as Run[] }));
  const startUp: Run[] = [];
  const tinyFile = bigRecordFile(0);
  for (let index = 0; index < 3; index += 1) {
    startUp.push(timed([cli, "logs", "--no-state", "--format", "json", tinyFile]));
    for (const big of bigFiles) big.samples.push(timed([cli, "logs", "--no-state", "--format", "json", big.file]));
  }
  const startUpMs = median(startUp.map((run) => run.ms));
  const startUpCpuMs = median(startUp.map((run) => run.cpuMs));
  const bigRecords: Record<string, unknown>[] = [];
  for (const { mb, samples } of bigFiles) {
    const summary = readSummary(samples[0]!);
    if (summary.calls !== 1) throw new Error(`the ${mb} MB record gave ${summary.calls} AI calls, not 1`);
    const ms = median(samples.map((run) => run.ms));
    const cpuMs = median(samples.map((run) => run.cpuMs));
    bigRecords.push({
      recordMB: mb,
      wallMs: round(ms),
      cpuMs: round(cpuMs),
      cpuMsPerMBAboveStartUp: round((cpuMs - startUpCpuMs) / mb, 1),
      wallMsPerMBAboveStartUp: round((ms - startUpMs) / mb, 1),
      peakRssMB: round(median(samples.map((run) => run.rssMB)), 1),
      load: round(median(samples.map((run) => run.load)), 2),
    });
    process.stderr.write(`${mb} MB record: ${Math.round(ms)} ms, ${Math.round(cpuMs)} ms CPU\n`);
  }

  writeBenchResult(beforeDist === undefined ? "logs-s3-layout" : "logs-s3-layout-before-after", {
    corpus: `grycap/cloudtrail-tracker (1,073 real CloudTrail files) copied ${COPIES} times as accounts, at their S3 keys`,
    executable: "bin/aigov.js logs --no-state --format json, running the esbuild bundle (packages/cli/dist)",
    files,
    gzipMB: round(gzipBytes / 2 ** 20, 1),
    jsonMB: round(baseline.bytes / 2 ** 20, 1),
    events: baseline.events,
    rounds: ROUNDS,
    baselines: {
      parse: "one thread: readFileSync + gunzipSync + JSON.parse of each file",
      gunzip: "one thread: readFileSync + gunzipSync of each file",
      aigovOneThread: "aigov logs --scan-threads 0: everything on the main thread",
      aigovTwoThreads: "aigov logs --scan-threads 2: two scan threads beside the main one",
    },
    loadAverage: {
      median: round(median(order.flatMap((mode) => runs[mode].map((run) => run.load))), 2),
      min: round(Math.min(...order.flatMap((mode) => runs[mode].map((run) => run.load))), 2),
      max: round(Math.max(...order.flatMap((mode) => runs[mode].map((run) => run.load))), 2),
      cores: availableParallelism(),
    },
    wallMs: medians("ms"),
    cpuMs: medians("cpuMs"),
    peakRssMB: medians("rssMB"),
    wallRatioParseOverAigov: ratio("parse", "aigov", "ms"),
    cpuRatioParseOverAigov: ratio("parse", "aigov", "cpuMs"),
    wallRatioGunzipOverAigov: ratio("gunzip", "aigov", "ms"),
    cpuRatioGunzipOverAigov: ratio("gunzip", "aigov", "cpuMs"),
    wallRatioParseOverAigovOneThread: ratio("parse", "aigovOneThread", "ms"),
    cpuRatioParseOverAigovOneThread: ratio("parse", "aigovOneThread", "cpuMs"),
    wallRatioParseOverAigovTwoThreads: ratio("parse", "aigovTwoThreads", "ms"),
    cpuRatioParseOverAigovTwoThreads: ratio("parse", "aigovTwoThreads", "cpuMs"),
    ...(beforeDist === undefined
      ? {}
      : {
          before: `${beforeDist}: another build's bundle, aigov logs --no-state --format json (default threads)`,
          wallRatioParseOverAigovBefore: ratio("parse", "aigovBefore", "ms"),
          wallRatioBeforeOverAigov: ratio("aigovBefore", "aigov", "ms"),
          cpuRatioBeforeOverAigov: ratio("aigovBefore", "aigov", "cpuMs"),
        }),
    samples: Object.fromEntries(
      order.map((mode) => [
        mode,
        runs[mode].map((run) => ({
          ms: round(run.ms),
          cpuMs: round(run.cpuMs),
          rssMB: round(run.rssMB, 1),
          load: round(run.load, 2),
        })),
      ]),
    ),
    bigRecordStartUp: { wallMs: round(startUpMs), cpuMs: round(startUpCpuMs), recordMB: 0 },
    bigRecords,
  });
} finally {
  rmSync(dir, { recursive: true, force: true });
}
