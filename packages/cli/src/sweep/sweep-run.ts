import {
  AigovError,
  type ApiCall,
  type CoverageGap,
  type Finding,
  FindingRollup,
  type ScanItem,
  type Scanner,
  type ScanTarget,
  type Severity,
  type Subject,
} from "@aigov/core";
import type { Observation, RunRecord, Store, TargetStatus } from "@aigov/store";
import { formatShard, inShard, type Shard } from "./shard.ts";
import { SummaryCounter, type SweepSummary } from "./sweep-summary.ts";
import { WorkQueue } from "./work-queue.ts";

/** A scanner with the configuration it sweeps. */
export interface ScannerJob<Config = unknown, Meta = unknown> {
  readonly scanner: Scanner<Config, Meta>;
  readonly config: Config;
}

/** A listed target bound to the scanner that listed it, so the sweep never hands one cloud's target to another. */
interface QueuedTarget {
  readonly target: ScanTarget<unknown>;
  collect(signal: AbortSignal | undefined): AsyncIterable<ScanItem>;
}

export interface SweepOptions {
  /** Each job carries its own scanner's config and target meta types; the sweep only passes them back. */
  readonly jobs: readonly ScannerJob[];
  /**
   * The rule engine: findings for one subject. An API call's findings (the per-call rules') are rolled up per target:
   * one per rule and pattern per window (FindingRollup), not one per call.
   */
  readonly evaluate: (subject: Subject) => readonly Finding[];
  /** The aggregate rules: the findings of the groups an API call completes (createAggregator), kept as they are. */
  readonly aggregate?: (call: ApiCall) => readonly Finding[];
  /** Whether a finding fails the sweep (blocks() from @aigov/core with the policy's threshold). */
  readonly blocks: (finding: Finding) => boolean;
  readonly threshold: Severity;
  readonly store: Store;
  /** Targets collected at once across every cloud. */
  readonly concurrency: number;
  readonly shard?: Shard;
  readonly signal?: AbortSignal;
  /** Observations written per store transaction. */
  readonly batchSize?: number;
  readonly label?: string;
}

/** Live counters for the progress display; read, never written, by the display. */
export interface SweepProgress {
  readonly startedAt: number;
  /** Undefined until every scanner has finished listing its targets. */
  targetsTotal: number | undefined;
  targetsSeen: number;
  targetsDone: number;
  assets: number;
  findings: number;
  apiCalls: number;
  errors: number;
}

export interface SweepOutcome {
  readonly run: RunRecord;
  readonly summary: SweepSummary;
}

/**
 * targets → collect → evaluate → store, for every configured cloud at once. Targets of all clouds share one pool
 * of `concurrency` workers (scanners keep their own per-API rate limits and retries). Subjects are evaluated as
 * they stream and written in small batches, so memory depends on the concurrency, not on the size of the estate.
 */
export async function runSweep(options: SweepOptions, progress: SweepProgress = newProgress()): Promise<SweepOutcome> {
  const { store, jobs } = options;
  const batchSize = options.batchSize ?? 200;
  const counter = new SummaryCounter();
  const baseline = jobs.map((job) => ({ ...job.scanner.stats() }));
  // The scanners' counters since this sweep began, summed over its clouds.
  const counted = (stat: "apiCalls" | "retries" | "requestSeconds") =>
    jobs.reduce((sum, job, i) => sum + (job.scanner.stats()[stat] ?? 0) - (baseline[i]![stat] ?? 0), 0);
  const apiCalls = () => counted("apiCalls");
  const run = store.beginRun({
    ...(options.shard === undefined ? {} : { shard: formatShard(options.shard) }),
    ...(options.label === undefined ? {} : { label: options.label }),
  });
  const queue = new WorkQueue<QueuedTarget>();
  // The scanners' counters are summed per read (AWS: every operation's count); read per item, they took 0.4 s of a
  // 200-account sweep's CPU, against 1.0 s for judging the items. The progress line needs them a few times a second.
  let apiCallsReadAt = 0;
  const updateApiCalls = () => {
    apiCallsReadAt = performance.now();
    progress.apiCalls = apiCalls();
  };

  const recordGap = (gap: CoverageGap, targetKey?: string) => {
    counter.gap(gap);
    progress.errors += 1;
    store.record(run.id, [], [targetKey === undefined ? gap : { ...gap, targetKey }]);
  };

  // Accounts (or a whole cloud) that could not be entered: each is a target that failed, not one left uncounted.
  const unentered = new Set<string>();
  const list = async <Config, Meta>(job: ScannerJob<Config, Meta>) => {
    for await (const item of job.scanner.targets(job.config, options.signal)) {
      if ("type" in item) {
        // A listing gap (an account that cannot be assumed …) belongs to the shard its account would hash to.
        const key = gapKey(item.gap);
        if (!inShard(key, options.shard)) continue;
        recordGap(item.gap);
        if (!unentered.has(key)) {
          unentered.add(key);
          progress.targetsSeen += 1;
          progress.targetsDone += 1;
          counter.targets.failed += 1;
        }
        continue;
      }
      if (!inShard(item.key, options.shard)) continue;
      progress.targetsSeen += 1;
      queue.push({ target: item, collect: (signal) => job.scanner.collect(item, job.config, signal) });
      job.scanner.queued?.(item, job.config, options.signal);
    }
  };

  const collect = async ({ target, collect: items }: QueuedTarget) => {
    let batch: Observation[] = [];
    let inventoryItems = 0;
    let gaps = 0;
    let failed = false;
    // A target's API calls wait for its end (bounded by the scanner's per-target event cap), assets stream through.
    let calls: ApiCall[] = [];
    const flush = () => {
      store.record(run.id, batch);
      batch = [];
    };
    const observe = (subject: Subject, findings: readonly Finding[]) => {
      counter.subject(subject);
      if (subject.subject !== "api-call") {
        inventoryItems += 1;
        progress.assets += 1;
      }
      record(subject, findings);
    };
    const record = (subject: Subject, findings: readonly Finding[]) => {
      for (const finding of findings) {
        counter.finding(finding, options.blocks(finding));
        progress.findings += 1;
      }
      batch.push({ targetKey: target.key, subject, findings });
      if (batch.length >= batchSize) flush();
    };
    try {
      for await (const item of items(options.signal)) {
        if (item.type === "gap") {
          gaps += 1;
          recordGap(item.gap, target.key);
          continue;
        }
        if (item.subject.subject === "api-call") calls.push(item.subject);
        else observe(item.subject, options.evaluate(item.subject));
        if (performance.now() - apiCallsReadAt >= 250) updateApiCalls();
      }
      // A scanner may end its iteration quietly on abort: what it yielded is then incomplete, never a finished target.
      throwIfAborted(options.signal);
      // Log rules (sequences, windows) read calls in time order; CloudTrail LookupEvents pages newest first.
      calls.sort((a, b) => Date.parse(a.time) - Date.parse(b.time));
      // A target is one account and Region, so its calls are every call a per-call pattern can hold.
      const perCall = new FindingRollup();
      for (const call of calls) {
        perCall.add(options.evaluate(call), call);
        observe(call, options.aggregate?.(call) ?? []);
      }
      const last = calls.at(-1);
      if (last !== undefined && perCall.size > 0) record(last, perCall.findings());
      calls = [];
    } catch (error) {
      if (options.signal?.aborted === true) throw error;
      // A scanner broke its promise not to throw: say so as a gap and go on with the other targets.
      failed = true;
      recordGap(
        {
          provider: target.provider,
          account: target.account,
          ...(target.region === undefined ? {} : { region: target.region }),
          service: "scanner",
          code: "ScannerError",
          message: (error as Error).message,
        },
        target.key,
      );
    }
    flush();
    const status: TargetStatus = failed ? "failed" : gaps > 0 ? "partial" : "complete";
    counter.targets[status] += 1;
    store.targetDone(
      run.id,
      {
        key: target.key,
        provider: target.provider,
        account: target.account,
        ...(target.region === undefined ? {} : { region: target.region }),
        label: target.label,
      },
      status,
      inventoryItems,
    );
    progress.targetsDone += 1;
    updateApiCalls();
  };

  const worker = async () => {
    for (let next = await queue.next(); next !== undefined; next = await queue.next()) {
      throwIfAborted(options.signal);
      await collect(next);
    }
  };

  const workers = Array.from({ length: Math.max(1, options.concurrency) }, worker);
  try {
    await Promise.all(
      jobs.map((job) => list(job).catch((error: unknown) => listingFailed(error, job, recordGap, options.signal))),
    );
    throwIfAborted(options.signal);
    progress.targetsTotal = progress.targetsSeen;
    queue.close();
    await Promise.all(workers);
    throwIfAborted(options.signal);
  } catch (error) {
    queue.close();
    await Promise.allSettled(workers);
    store.abortRun(run.id, options.signal?.aborted === true ? "aborted" : "failed");
    throw error;
  }

  counter.targets.total = progress.targetsSeen;
  const status: SweepSummary["status"] =
    counter.targets.total === 0 || counter.targets.failed === counter.targets.total
      ? "failed"
      : counter.gaps > 0 || counter.targets.failed > 0
        ? "partial"
        : "complete";
  progress.apiCalls = apiCalls();
  const durationMs = Date.now() - progress.startedAt;
  const changes = store.finishRun(run.id, {
    status,
    targetsTotal: counter.targets.total,
    apiCalls: apiCalls(),
    errors: counter.gaps,
  });
  const summary = counter.summary({
    status,
    changes,
    threshold: options.threshold,
    apiCalls: apiCalls(),
    retries: counted("retries"),
    requestSeconds: counted("requestSeconds"),
    peakRequestsInFlight: Math.max(0, ...jobs.map((job) => job.scanner.stats().peakInFlight ?? 0)),
    durationMs,
    // Asked after collecting: a notice may count what the sweep left unread.
    notices: jobs.flatMap((job) => job.scanner.notices?.(job.config) ?? []),
  });
  store.setSummary(run.id, summary);
  return { run: store.run(run.id)!, summary };
}

export function newProgress(): SweepProgress {
  return {
    startedAt: Date.now(),
    targetsTotal: undefined,
    targetsSeen: 0,
    targetsDone: 0,
    assets: 0,
    findings: 0,
    apiCalls: 0,
    errors: 0,
  };
}

function gapKey(gap: CoverageGap): string {
  return gap.region === undefined ? `${gap.provider}:${gap.account}` : `${gap.provider}:${gap.account}:${gap.region}`;
}

/** Listing targets threw (the scanner should have yielded a gap): the cloud is not covered, which the summary says. */
function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted === true) throw signal.reason instanceof Error ? signal.reason : new Error("sweep aborted");
}

function listingFailed(
  error: unknown,
  job: ScannerJob,
  recordGap: (gap: CoverageGap) => void,
  signal: AbortSignal | undefined,
): void {
  if (error instanceof AigovError) throw error;
  throwIfAborted(signal);
  recordGap({
    provider: job.scanner.provider,
    account: "*",
    service: "targets",
    code: "ScannerError",
    message: (error as Error).message,
  });
}
