// `pnpm bench logs`: aigov logs' reader over the real CloudTrail corpus (grycap, 17,615 events) repeated to >= 1 GB of
// decoded JSON, against bare gunzip + JSON.parse of the same files, in the same run; and aigov's peak RSS at ~100 MB and
// >= 1 GB of input. Each measurement runs in its own child process so its peak RSS is its own.
import { spawnSync } from "node:child_process";
import { createReadStream, linkSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { createGunzip, gunzipSync, gzipSync } from "node:zlib";
import { createAggregator, createEngine, defaultPolicy, loadRules } from "../../packages/core/src/index.ts";
import { analyzeLogs, emptyStats, readLogs } from "../../packages/logs/src/index.ts";
import { median, writeBenchResult } from "./bench-result.ts";

const here = dirname(fileURLToPath(import.meta.url));
const ROUNDS = 3;

interface ChildResult {
  readonly events: number;
  readonly aiCalls: number;
  readonly bytes: number;
  readonly ms: number;
  /** User + system CPU of the whole process (zlib's thread-pool work included): steadier than wall time on a shared machine. */
  readonly cpuMs: number;
  readonly maxRssKiB: number;
}

function cpuMs(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
}

async function baseline(dir: string): Promise<ChildResult> {
  const start = performance.now();
  const cpuStart = cpuMs();
  let events = 0;
  let bytes = 0;
  for (const name of readdirSync(dir).sort()) {
    const chunks: Buffer[] = [];
    for await (const chunk of createReadStream(join(dir, name), { highWaterMark: 1024 * 1024 }).pipe(
      createGunzip({ chunkSize: 256 * 1024 }),
    ))
      chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString("utf8");
    bytes += text.length;
    events += (JSON.parse(text) as { Records: unknown[] }).Records.length;
  }
  return {
    events,
    aiCalls: 0,
    bytes,
    ms: performance.now() - start,
    cpuMs: cpuMs() - cpuStart,
    maxRssKiB: process.resourceUsage().maxRSS,
  };
}

async function aigov(dir: string): Promise<ChildResult> {
  const start = performance.now();
  const cpuStart = cpuMs();
  const policy = defaultPolicy();
  const rules = (await loadRules({ policy })).filter((rule) => rule.appliesTo.subject === "api-call");
  const engine = createEngine(rules, policy);
  const aggregator = createAggregator(rules, policy);
  const stats = emptyStats();
  const analysis = await analyzeLogs(readLogs([dir], { env: {} }, stats), engine, aggregator);
  if (stats.malformedFiles + stats.malformedRecords > 0)
    throw new Error(`malformed input in the bench corpus: ${JSON.stringify(stats)}`);
  return {
    events: stats.records,
    aiCalls: analysis.summary.calls,
    bytes: stats.bytes,
    ms: performance.now() - start,
    cpuMs: cpuMs() - cpuStart,
    maxRssKiB: process.resourceUsage().maxRSS,
  };
}

function child(mode: "baseline" | "aigov", dir: string): ChildResult {
  const run = spawnSync(process.execPath, [fileURLToPath(import.meta.url), "--child", mode, dir], {
    encoding: "utf8",
    maxBuffer: 1024 * 1024,
  });
  if (run.status !== 0) throw new Error(`${mode} child failed (${run.status}): ${run.stderr}`);
  return JSON.parse(run.stdout.trim().split("\n").at(-1)!) as ChildResult;
}

/** One delivery-format file holding every record of the corpus, gzipped once and hard-linked N times. */
function buildInputs(
  corpus: string,
  root: string,
): { small: string; large: string; fileBytes: number; smallCopies: number; largeCopies: number } {
  const records: string[] = [];
  for (const name of readdirSync(corpus).sort()) {
    const raw = readFileSync(join(corpus, name));
    const text = (raw[0] === 0x1f && raw[1] === 0x8b ? gunzipSync(raw) : raw).toString("utf8");
    for (const record of (JSON.parse(text) as { Records: unknown[] }).Records) records.push(JSON.stringify(record));
  }
  if (records.length !== 17615) throw new Error(`expected 17,615 events in ${corpus}, found ${records.length}`);
  const json = Buffer.from(`{"Records":[${records.join(",")}]}`, "utf8");
  const gz = gzipSync(json);
  const smallCopies = Math.ceil((100 * 1024 * 1024) / json.length);
  const largeCopies = Math.ceil((1024 * 1024 * 1024) / json.length);
  const small = join(root, "100mb");
  const large = join(root, "1gb");
  mkdirSync(small);
  mkdirSync(large);
  const first = join(large, "974349055189_CloudTrail_sa-east-1_0000.json.gz");
  writeFileSync(first, gz);
  for (let index = 1; index < largeCopies; index += 1)
    linkSync(first, join(large, `974349055189_CloudTrail_sa-east-1_${String(index).padStart(4, "0")}.json.gz`));
  for (let index = 0; index < smallCopies; index += 1)
    linkSync(first, join(small, `974349055189_CloudTrail_sa-east-1_${String(index).padStart(4, "0")}.json.gz`));
  return { small, large, fileBytes: json.length, smallCopies, largeCopies };
}

async function main(): Promise<void> {
  const corpus = resolve(here, "../fixtures/logs/cloudtrail-grycap");
  const root = await mkdtemp(join(tmpdir(), "aigov-logs-bench-"));
  try {
    const inputs = buildInputs(corpus, root);
    const base: ChildResult[] = [];
    const ours: ChildResult[] = [];
    const small: ChildResult[] = [];
    for (let round = 0; round < ROUNDS; round += 1) {
      base.push(child("baseline", inputs.large));
      ours.push(child("aigov", inputs.large));
      if (round === 0) small.push(child("aigov", inputs.small));
      process.stderr.write(
        `round ${round + 1}/${ROUNDS}: baseline ${Math.round(base.at(-1)!.ms)} ms, aigov ${Math.round(ours.at(-1)!.ms)} ms\n`,
      );
    }
    const events = ours[0]!.events;
    if (base.some((run) => run.events !== events) || ours.some((run) => run.aiCalls !== 0))
      throw new Error("runs disagree on the events read");
    const baseRate = median(base.map((run) => run.events / (run.ms / 1000)));
    const ourRate = median(ours.map((run) => run.events / (run.ms / 1000)));
    // Each round runs both back to back, so the per-round ratio cancels most of the machine's load swings.
    const pairedRatio = median(ours.map((run, index) => base[index]!.ms / run.ms));
    const cpuRatio = median(ours.map((run, index) => base[index]!.cpuMs / run.cpuMs));
    writeBenchResult("logs", {
      corpus: "grycap/cloudtrail-tracker, 17,615 real CloudTrail events, one S3-delivery-format gzip file per copy",
      inputBytes1GB: inputs.fileBytes * inputs.largeCopies,
      inputBytes100MB: inputs.fileBytes * inputs.smallCopies,
      events1GB: events,
      events100MB: small[0]!.events,
      aiCalls: ours[0]!.aiCalls,
      rounds: ROUNDS,
      baselineEventsPerSecond: Math.round(baseRate),
      aigovEventsPerSecond: Math.round(ourRate),
      ratioToGunzipJsonParse: Number(pairedRatio.toFixed(2)),
      cpuRatioToGunzipJsonParse: Number(cpuRatio.toFixed(2)),
      wallMs1GB: { baseline: base.map((run) => Math.round(run.ms)), aigov: ours.map((run) => Math.round(run.ms)) },
      cpuMs1GB: { baseline: base.map((run) => Math.round(run.cpuMs)), aigov: ours.map((run) => Math.round(run.cpuMs)) },
      aigovMBPerSecond: Number(median(ours.map((run) => run.bytes / 1024 / 1024 / (run.ms / 1000))).toFixed(1)),
      peakRssMB100MB: Number((median(small.map((run) => run.maxRssKiB)) / 1024).toFixed(1)),
      peakRssMB1GB: Number((median(ours.map((run) => run.maxRssKiB)) / 1024).toFixed(1)),
      baselinePeakRssMB1GB: Number((median(base.map((run) => run.maxRssKiB)) / 1024).toFixed(1)),
    });
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

if (process.argv[2] === "--child") {
  const mode = process.argv[3];
  const dir = process.argv[4]!;
  const result = mode === "baseline" ? await baseline(dir) : await aigov(dir);
  process.stdout.write(`${JSON.stringify(result)}\n`);
} else {
  await main();
}
