// A scanner's own thread, started by scanner-thread.ts: the scanner, its cloud SDK and every request live here, and
// what it finds goes to the sweep's thread in batches.
import { parentPort, workerData } from "node:worker_threads";
import type { ScanItem, Scanner, TargetItem } from "@aigov/core";
import { AigovError } from "@aigov/core/errors";
import { answerUntilStopped } from "@aigov/core/worker-thread";
import { installedScanner } from "@aigov/scanner-registry";
import type {
  ScannerState,
  ScannerThreadAnswer,
  ScannerThreadAsk,
  ScannerThreadData,
  ThreadError,
} from "./scanner-thread-protocol.ts";

/** Items per message at most; fewer when the scanner pauses (one message per turn of the event loop). */
const BATCH_ITEMS = 64;

const port = parentPort!;
const { provider, config } = workerData as ScannerThreadData;
const post = (answer: ScannerThreadAnswer) => port.postMessage(answer);

function threadError(error: unknown): ThreadError {
  if (error instanceof AigovError)
    return { message: error.message, code: error.code, ...(error.hint === undefined ? {} : { hint: error.hint }) };
  return { message: error instanceof Error ? error.message : String(error) };
}

/** The scanner and what the sweep asks of it first; a failure here is told as the thread's failure, with its code. */
async function start(): Promise<{ scanner: Scanner<unknown, unknown>; ready: ScannerThreadAnswer } | undefined> {
  try {
    const plugin = await installedScanner(provider);
    if (plugin === undefined) throw new Error(`no installed scanner for ${provider}`);
    const scanner = await plugin.create();
    const ready: ScannerThreadAnswer = {
      kind: "ready",
      concurrency: scanner.concurrency?.(config),
      targetsInFlight: scanner.targetsInFlight?.(config),
      state: { stats: scanner.stats(), notices: scanner.notices?.(config) },
    };
    return { scanner, ready };
  } catch (error) {
    post({ kind: "failed", error: threadError(error) });
    // With its port closed and nothing else to do, the thread ends.
    port.close();
    return undefined;
  }
}

const started = await start();
if (started !== undefined) serve(started.scanner, started.ready);

function serve(scanner: Scanner<unknown, unknown>, ready: ScannerThreadAnswer): void {
  const state = (): ScannerState => ({ stats: scanner.stats(), notices: scanner.notices?.(config) });

  /** Streams one ask's items in batches: a message per item cost more than the item. */
  async function stream(id: number, items: AsyncIterable<ScanItem | TargetItem<unknown>>): Promise<void> {
    let batch: (ScanItem | TargetItem<unknown>)[] = [];
    const flush = () => {
      if (batch.length === 0) return;
      post({ kind: "items", id, items: batch });
      batch = [];
    };
    try {
      for await (const item of items) {
        // The first item of a batch sends it when this turn of the event loop ends: what arrives together goes together.
        if (batch.length === 0) setImmediate(flush);
        batch.push(item);
        if (batch.length >= BATCH_ITEMS) flush();
      }
      flush();
      post({ kind: "end", id, state: state() });
    } catch (error) {
      flush();
      post({ kind: "error", id, error: threadError(error), state: state() });
    } finally {
      aborts.delete(id);
    }
  }

  const aborts = new Map<number, AbortController>();

  post(ready);

  answerUntilStopped<ScannerThreadAsk>(port, (ask) => {
    if (ask.kind === "queued") scanner.queued?.(ask.target, config);
    else if (ask.kind === "abort") aborts.get(ask.id)?.abort(new Error("interrupted"));
    else {
      const abort = new AbortController();
      aborts.set(ask.id, abort);
      void stream(
        ask.id,
        ask.kind === "targets"
          ? scanner.targets(config, abort.signal)
          : scanner.collect(ask.target, config, abort.signal),
      );
    }
  });
  // Asked to stop (the sweep has ended): the pooled connections close, and with nothing left the thread ends.
  port.once("close", () => scanner.close?.());
}
