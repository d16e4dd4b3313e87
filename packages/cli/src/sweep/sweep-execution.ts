import {
  escapeControlCharacters,
  AigovError,
  blocks,
  createAggregator,
  createEngine,
  loadRules,
  type Policy,
  type Severity,
  SEVERITIES,
} from "@aigov/core";
import { prune } from "@aigov/store";
import type { CommandContext, OptionTable } from "../command.ts";
import { scannerJobs } from "./scanner-jobs.ts";
import { parseShard } from "./shard.ts";
import { showProgress } from "./sweep-progress.ts";
import { noticeText, renderSweepText, type SweepResultSource, writeSweepJson } from "./sweep-report.ts";
import { newProgress, runSweep, type ScannerJob } from "./sweep-run.ts";
import type { ConfiguredScanner } from "./sweep-targets.ts";
import { type ConfiguredStore, openConfiguredStore, type StoreFlags, STORE_OPTION } from "../configured-store.ts";
import { outputPathError } from "../output-path.ts";
import { deliverToSink, policySinkNames } from "../sink-delivery.ts";

/** Targets swept at once unless a scanner keeps more requests in flight (AWS's 64 give 32). */
const MIN_TARGETS_AT_ONCE = 16;

/** Options `aigov sweep` and `aigov demo` share (the demo is a sweep with each cloud pointed at the simulator). */
export const SWEEP_OPTIONS = {
  format: { type: "string", short: "f", example: "json", description: "text or json", default: "text" },
  store: STORE_OPTION,
  shard: { type: "string", example: "0/4", description: "sweep only shard i of N of the targets (0-based)" },
  concurrency: {
    type: "string",
    example: "32",
    description: "targets swept at once",
    default: `half the requests a scanner keeps in flight (AWS: 32), at least ${MIN_TARGETS_AT_ONCE}`,
  },
  "fail-on": {
    type: "string",
    example: "critical",
    description: "exit 1 on findings of this severity and above (info, low, medium, high, critical)",
    default: "the policy's gate.fail_on, high",
  },
  "fail-on-gaps": { type: "boolean", description: "exit 2 when some targets could not be swept" },
  "progress-interval": {
    type: "string",
    example: "30",
    description: "seconds between progress lines when stderr is not a terminal (0: none)",
    default: "10",
  },
  "keep-runs": { type: "string", example: "50", description: "keep the newest N runs in the store", default: "200" },
  "keep-days": { type: "string", example: "90", description: "keep runs of the last N days", default: "400" },
  label: { type: "string", example: "nightly", description: "a label recorded with the run" },
  "no-export": { type: "boolean", description: "do not deliver the findings to the policy's sinks" },
} as const satisfies OptionTable;

export interface SweepInput {
  readonly policy: Policy;
  /** The clouds to sweep (`sweepTargets`), each with its scanner's configuration. */
  readonly targets: readonly ConfiguredScanner[];
  /** `--store` and retention flags (the demo's temporary store is one). */
  readonly store: StoreFlags;
}

/**
 * The whole of a sweep as a command: load rules, sweep every cloud into the store, print the summary (text) or the
 * result document (json), apply retention. Exit 0 no blocking findings, 1 blocking findings, 2 could not sweep
 * (nothing covered, or partial coverage with --fail-on-gaps).
 */
export async function executeSweep(context: CommandContext, input: SweepInput): Promise<number> {
  const format = context.stringOption("format", ["text", "json"]) ?? "text";
  const threshold = (context.stringOption("fail-on", SEVERITIES) as Severity | undefined) ?? input.policy.gate.failOn;
  const shardText = context.stringOption("shard");
  const shard = shardText === undefined ? undefined : parseShard(shardText);
  const givenConcurrency =
    context.stringOption("concurrency") === undefined ? undefined : integerOption(context, "concurrency", 1);
  const intervalSeconds = integerOption(context, "progress-interval", 10, true);
  const rules = await loadRules({ dirs: context.ruleDirs(), policy: input.policy });
  // The engine judges one subject at a time; the aggregator the log rules that judge many calls together
  // (LLMjacking sequences, thresholds). Each picks its own rules.
  const engine = createEngine(rules, input.policy);
  const aggregator = createAggregator(rules, input.policy);
  for (const waiver of engine.expiredWaivers())
    context.message(
      `aigov: waiver for ${escapeControlCharacters(waiver.rule)} on ${escapeControlCharacters(waiver.subject)} expired ${waiver.expires}; it no longer applies`,
    );
  const { jobs, close: closeScanners } = await scannerJobs(input.targets);
  const concurrency = givenConcurrency ?? targetsAtOnce(jobs);

  let configured: ConfiguredStore;
  try {
    configured = openConfiguredStore(context, input.policy, "create", input.store);
  } catch (error) {
    closeScanners();
    throw error;
  }
  const { store, retention } = configured;
  const abort = new AbortController();
  const onSignal = () => abort.abort(new Error("interrupted"));
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  const progress = newProgress();
  const display =
    context.io.stderr.isTTY === true || intervalSeconds > 0
      ? showProgress(
          progress,
          context.io.stderr,
          context.io.stderr.isTTY === true ? {} : { intervalMs: intervalSeconds * 1000 },
        )
      : undefined;
  context.message(
    `aigov sweep: ${jobs.map((job) => job.scanner.provider).join(", ")} into ${store.path}${shard === undefined ? "" : ` (shard ${shardText})`}`,
  );
  try {
    const outcome = await runSweep(
      {
        jobs,
        evaluate: (subject) => engine.findings(subject),
        aggregate: (call) => aggregator.push(call),
        blocks: (finding) => blocks(finding, input.policy, threshold),
        threshold,
        store,
        concurrency,
        signal: abort.signal,
        ...(shard === undefined ? {} : { shard }),
        ...(typeof context.options.label === "string" ? { label: context.options.label } : {}),
      },
      progress,
    ).catch((error: unknown) => {
      if (!abort.signal.aborted) throw error;
      throw new AigovError(
        "SWEEP_INTERRUPTED",
        "the sweep was interrupted by a signal; the run is recorded as aborted and the previous findings are unchanged",
        {
          hint: "run it again; a Kubernetes Job needs terminationGracePeriodSeconds long enough only for this bookkeeping",
        },
      );
    });
    display?.stop();
    // What a scanner did not read matters only next to what it did: a sweep that read nothing says why, alone.
    if (outcome.summary.status !== "failed")
      for (const notice of outcome.summary.notices) context.message(noticeText(notice));
    const pruned = prune(store, retention);
    if (pruned.runs > 0) context.message(`aigov sweep: retention removed ${pruned.runs} old runs`);
    const source: SweepResultSource = {
      run: outcome.run,
      summary: outcome.summary,
      store: store.path,
      findings: () => store.runFindings(outcome.run.id),
      assets: () => store.runAssets(outcome.run.id),
      findingsJson: () => store.runFindingsJson(outcome.run.id),
      assetsJson: () => store.runAssetsJson(outcome.run.id),
      gaps: store.runGaps(outcome.run.id),
    };
    if (format === "json") {
      const output =
        typeof context.options.output === "string" && context.options.output !== "-"
          ? context.options.output
          : context.io.stdout;
      await writeSweepJson(source, output).catch((error: unknown) => {
        throw typeof output === "string" ? outputPathError(output, error) : error;
      });
    } else {
      await context.result(renderSweepText(source, context.out));
    }
    const { summary } = outcome;
    if (summary.status === "failed") {
      context.message("aigov sweep: nothing could be swept; see the coverage gaps");
      return 2;
    }
    // Export to every sink the policy declares (DESIGN: sweep = scan, evaluate, store, export). What a sink does
    // not take stays in the store's outbox for the next run; a sink that rejects findings makes the sweep exit 2.
    const sinks = context.options["no-export"] === true ? [] : policySinkNames(input.policy);
    if (sinks.length > 0) {
      let exportFailed = false;
      // With their lifecycle: formats take the first-seen time from it (ASFF CreatedAt). Read from the store only
      // when a sink takes them: a 1,000-account sweep's 119,000 findings held here were half its peak RSS.
      const findings = [...source.findings()];
      for (const name of sinks) {
        try {
          // Shards sharing a store keep separate export state: each knows only its own targets' findings.
          const outboxKey = shardText === undefined ? undefined : `${name}#shard-${shardText}`;
          const delivery = await deliverToSink(
            context,
            input.policy,
            name,
            findings,
            store,
            outboxKey === undefined ? {} : { outboxKey },
          );
          if (delivery.exitCode !== 0) exportFailed = true;
        } catch (error) {
          exportFailed = true;
          context.message(
            `aigov sweep: export to ${name} failed, the findings wait in the outbox for the next run: ${error instanceof AigovError ? error.format() : escapeControlCharacters(String(error))}`,
          );
        }
      }
      if (exportFailed) return 2;
    }
    if (summary.findings.blocking > 0) return 1;
    if (summary.status === "partial" && context.options["fail-on-gaps"] === true) return 2;
    return 0;
  } finally {
    display?.stop();
    process.removeListener("SIGINT", onSignal);
    process.removeListener("SIGTERM", onSignal);
    store.close();
    closeScanners();
  }
}

/**
 * The default of --concurrency: the most targets any of the sweep's scanners asks for (`targetsInFlight`), else half
 * the requests it keeps in flight. A target has several requests in flight at once, and waits on its own
 * rate-limited buckets (CloudTrail's 2 per second per account and region): fewer targets leave the scanner's request
 * slots idle, more hold more memory (each target keeps its clients and what it found until it is done) for no more
 * speed (test/bench/aws-sweep.bench.ts).
 */
export function targetsAtOnce(jobs: readonly ScannerJob[]): number {
  const targets = jobs.map(
    ({ scanner, config }) => scanner.targetsInFlight?.(config) ?? Math.floor((scanner.concurrency?.(config) ?? 0) / 2),
  );
  return Math.max(MIN_TARGETS_AT_ONCE, ...targets);
}

function integerOption(context: CommandContext, name: string, fallback: number, allowZero = false): number {
  const text = context.stringOption(name);
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < (allowZero ? 0 : 1)) {
    throw new AigovError(
      "CLI_BAD_ARGUMENTS",
      `--${name} ${text}: expected ${allowZero ? "a whole number" : "a positive whole number"}`,
    );
  }
  return value;
}
