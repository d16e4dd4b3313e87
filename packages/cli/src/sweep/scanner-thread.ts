import { createHash } from "node:crypto";
import { setFlagsFromString } from "node:v8";
import { Worker, type WorkerOptions } from "node:worker_threads";
import { AigovError, type ScanItem, type Scanner, type ScanTarget, type TargetItem } from "@aigov/core";
import { stopThread } from "@aigov/core/worker-thread";
import { SCANNER_THREAD_SEMI_SPACE, SWEEP_NODE_FLAGS } from "../../bin/sweep-process.js";
import type {
  ScannerState,
  ScannerThreadAnswer,
  ScannerThreadAsk,
  ScannerThreadData,
  ThreadError,
} from "./scanner-thread-protocol.ts";

// Beside this module: the TypeScript source, or in the bundled CLI (packages/cli/scripts/build.ts) its own entry point.
const workerFile = new URL(
  import.meta.url.endsWith(".ts") ? "./scanner-thread-worker.ts" : "./scanner-thread-worker.js",
  import.meta.url,
);

function fromThread(error: ThreadError): Error {
  return error.code === undefined
    ? new Error(error.message)
    : new AigovError(error.code, error.message, error.hint === undefined ? {} : { hint: error.hint });
}

/**
 * A thread with the young generation a scanner's requests need, when this process runs with the sweep's flags
 * (bin/sweep-process.js). V8 reads the flag as it creates each isolate, and a Worker's own `resourceLimits` give way to
 * the flag: so the flag is the scanner's while the thread starts (its isolate is made on the thread, before it comes
 * online), then the sweep thread's again.
 */
export function startScannerWorker(file: URL | string, options: WorkerOptions): Worker {
  const sweepSemiSpace = SWEEP_NODE_FLAGS.find((flag) => flag.startsWith("--max-semi-space-size="))!;
  if (!process.execArgv.includes(sweepSemiSpace)) return new Worker(file, options);
  setFlagsFromString(SCANNER_THREAD_SEMI_SPACE);
  const worker = new Worker(file, options);
  const restore = () => setFlagsFromString(sweepSemiSpace);
  worker.once("online", restore);
  worker.once("exit", restore);
  return worker;
}

/** One ask's items as they arrive from the thread, read by one `for await`. */
class ItemStream<Item> {
  private readonly items: Item[] = [];
  private ended = false;
  private error: Error | undefined;
  private wake: (() => void) | undefined;

  push(items: readonly Item[]): void {
    for (const item of items) this.items.push(item);
    this.wake?.();
  }

  end(error?: Error): void {
    this.ended = true;
    this.error = error;
    this.wake?.();
  }

  async *read(): AsyncGenerator<Item> {
    for (;;) {
      // Taken whole: shifting one at a time from a long array copies it each time.
      const ready = this.items.splice(0);
      yield* ready;
      if (ready.length > 0) continue;
      if (this.ended) break;
      await new Promise<void>((resolve) => {
        this.wake = resolve;
      });
      this.wake = undefined;
    }
    if (this.error !== undefined) throw this.error;
  }
}

/**
 * An installed scanner run in a thread of its own: its cloud SDK, its requests and their responses use that thread,
 * and the sweep's thread judges and stores what it finds. In one thread the two took turns: at 200 accounts × 4 Regions
 * the sweep's judging and store writes took a fifth of the thread the requests were waiting for. The same Scanner to
 * the sweep: `stats`, `notices`, `concurrency` and `targetsInFlight` answer from what the thread last told (it tells
 * with every stream's end), which is current whenever the sweep asks them (at its start, for progress, at its end).
 */
export async function scannerInThread(provider: string, config: unknown): Promise<Scanner<unknown, unknown>> {
  const data: ScannerThreadData = { provider, config };
  const worker = startScannerWorker(workerFile, { workerData: data });
  const streams = new Map<number, ItemStream<ScanItem | TargetItem<unknown>>>();
  let nextId = 0;
  let state: ScannerState = { stats: { apiCalls: 0, retries: 0 }, notices: undefined };
  let stopped = false;

  const ready = new Promise<Extract<ScannerThreadAnswer, { kind: "ready" }>>((resolve, reject) => {
    worker.on("message", (answer: ScannerThreadAnswer) => {
      if (answer.kind === "ready") {
        state = answer.state;
        resolve(answer);
      } else if (answer.kind === "failed") reject(fromThread(answer.error));
      else if (answer.kind === "items") streams.get(answer.id)?.push(answer.items);
      else {
        state = answer.state;
        streams.get(answer.id)?.end(answer.kind === "error" ? fromThread(answer.error) : undefined);
        streams.delete(answer.id);
      }
    });
    // A thread that breaks ends every stream with its reason: the sweep records each target as failed, never as done.
    const broken = (reason: Error) => {
      reject(reason);
      for (const open of streams.values()) open.end(reason);
      streams.clear();
    };
    worker.on("error", (error) => broken(new Error(`the ${provider} scanner's thread failed: ${error.message}`)));
    worker.on("exit", (code) => {
      if (!stopped) broken(new Error(`the ${provider} scanner's thread stopped (exit code ${code})`));
    });
  });
  const started = await ready;
  const ask = (message: ScannerThreadAsk) => worker.postMessage(message);

  async function* streamOf(
    message: (id: number) => ScannerThreadAsk,
    signal: AbortSignal | undefined,
  ): AsyncGenerator<ScanItem | TargetItem<unknown>> {
    const id = nextId++;
    const stream = new ItemStream<ScanItem | TargetItem<unknown>>();
    streams.set(id, stream);
    const onAbort = () => ask({ kind: "abort", id });
    signal?.addEventListener("abort", onAbort, { once: true });
    try {
      ask(message(id));
      yield* stream.read();
    } finally {
      signal?.removeEventListener("abort", onAbort);
    }
  }

  return {
    provider: provider as Scanner["provider"],
    targets: (_config, signal) =>
      streamOf((id) => ({ kind: "targets", id }), signal) as AsyncIterable<TargetItem<unknown>>,
    collect: (target: ScanTarget<unknown>, _config, signal) =>
      streamOf((id) => ({ kind: "collect", id, target }), signal) as AsyncIterable<ScanItem>,
    queued: (target: ScanTarget<unknown>) => ask({ kind: "queued", target }),
    stats: () => state.stats,
    notices: () => state.notices ?? [],
    ...(started.concurrency === undefined ? {} : { concurrency: () => started.concurrency! }),
    ...(started.targetsInFlight === undefined ? {} : { targetsInFlight: () => started.targetsInFlight! }),
    close() {
      stopped = true;
      void stopThread(worker);
    },
  };
}

/** PROTOTYPE: `count` scanner threads, each collecting the accounts that hash to it; the first also lists. */
export async function scannerInThreads(
  provider: string,
  config: unknown,
  count: number,
): Promise<Scanner<unknown, unknown>> {
  if (count <= 1) return scannerInThread(provider, config);
  const threads = await Promise.all(Array.from({ length: count }, () => scannerInThread(provider, config)));
  const pick = (target: ScanTarget<unknown>) =>
    threads[createHash("sha256").update(target.account).digest().readUInt32BE(0) % threads.length]!;
  const sum = (of: (scanner: Scanner<unknown, unknown>) => number | undefined) =>
    threads.reduce((total, scanner) => total + (of(scanner) ?? 0), 0);
  return {
    provider: provider as Scanner["provider"],
    targets: (c, signal) => threads[0]!.targets(c, signal),
    collect: (target, c, signal) => pick(target).collect(target, c, signal),
    queued: (target, c, signal) => pick(target).queued?.(target, c, signal),
    stats: () => ({
      apiCalls: sum((s) => s.stats().apiCalls),
      retries: sum((s) => s.stats().retries),
      requestSeconds: sum((s) => s.stats().requestSeconds),
      peakInFlight: sum((s) => s.stats().peakInFlight),
    }),
    notices: (c) => threads[0]!.notices?.(c) ?? [],
    concurrency: (c) => sum((s) => s.concurrency?.(c)),
    targetsInFlight: (c) => sum((s) => s.targetsInFlight?.(c)),
    close() {
      for (const scanner of threads) scanner.close?.();
    },
  };
}
