import { Worker } from "node:worker_threads";
import type { WholeFileScan } from "./whole-object.ts";

/** Files sent to a scan thread in one message, answered in one: a message each way per small file cost more than its scan. */
export interface ScanBatch {
  readonly paths: readonly string[];
}

export interface ScanReply {
  readonly scans: readonly WholeFileScan[];
}

// Beside this module: the TypeScript source, or in the bundled CLI (packages/cli/scripts/build.ts) its own entry point.
const workerFile = new URL(
  import.meta.url.endsWith(".ts") ? "./log-scan-worker.ts" : "./log-scan-worker.js",
  import.meta.url,
);

/** Files per message to a scan thread. */
const BATCH_FILES = 32;

type Settle = (scan: WholeFileScan) => void;

interface Thread {
  readonly worker: Worker;
  /** Batches sent and not yet answered, oldest first: a thread answers its batches in order. */
  readonly sent: Settle[][];
  /** Files given to the thread, not yet sent: sent when the batch is full or at the next turn of the event loop. */
  pending: { paths: string[]; settles: Settle[] };
  alive: boolean;
  /** Files given to this thread and not yet answered. */
  load: number;
}

const STREAM: WholeFileScan = { kind: "stream" };

/**
 * Worker threads that read, gunzip and scan small log files: gunzip and the byte scan are most of reading a trail of
 * small files, and they run beside the main thread, which parses the few AI records and runs the rules. Files go to a
 * thread in batches, and come back in batches. A thread that fails hands its files back as to be streamed, so a
 * broken thread costs speed, never records.
 */
export class ScanPool {
  private readonly threads: Thread[] = [];
  private flushScheduled = false;

  constructor(size: number, needles: readonly string[]) {
    for (let index = 0; index < size; index += 1) {
      const thread: Thread = {
        worker: new Worker(workerFile, { workerData: { needles }, resourceLimits: { maxYoungGenerationSizeMb: 4 } }),
        sent: [],
        pending: { paths: [], settles: [] },
        alive: true,
        load: 0,
      };
      thread.worker.on("message", (reply: ScanReply) => {
        const settles = thread.sent.shift() ?? [];
        thread.load -= settles.length;
        for (const [position, settle] of settles.entries()) settle(reply.scans[position] ?? STREAM);
      });
      const fail = () => {
        thread.alive = false;
        for (const settles of [...thread.sent, thread.pending.settles]) for (const settle of settles) settle(STREAM);
        thread.sent.length = 0;
        thread.pending = { paths: [], settles: [] };
        thread.load = 0;
      };
      thread.worker.on("error", fail);
      thread.worker.on("exit", fail);
      this.threads.push(thread);
    }
  }

  /**
   * Files this pool may have in flight before their results are taken: four batches a thread, so a thread has the
   * next batch before it ends one even when the main thread waits for a core on a busy machine.
   */
  get window(): number {
    return this.threads.length * BATCH_FILES * 4;
  }

  scan(path: string): Promise<WholeFileScan> {
    let least: Thread | undefined;
    for (const thread of this.threads)
      if (thread.alive && (least === undefined || thread.load < least.load)) least = thread;
    if (least === undefined) return Promise.resolve(STREAM);
    const thread = least;
    return new Promise((resolve) => {
      thread.load += 1;
      thread.pending.paths.push(path);
      thread.pending.settles.push(resolve);
      if (thread.pending.paths.length >= BATCH_FILES) this.send(thread);
      else if (!this.flushScheduled) {
        // A batch not full yet goes at the next turn: the reader waits for a result only after giving every file it
        // could, so whatever it waits for is sent by then.
        this.flushScheduled = true;
        setImmediate(() => {
          this.flushScheduled = false;
          for (const each of this.threads) this.send(each);
        });
      }
    });
  }

  private send(thread: Thread): void {
    const { paths, settles } = thread.pending;
    if (paths.length === 0 || !thread.alive) return;
    thread.pending = { paths: [], settles: [] };
    thread.sent.push(settles);
    thread.worker.postMessage({ paths } satisfies ScanBatch);
  }

  async close(): Promise<void> {
    await Promise.all(this.threads.map((thread) => thread.worker.terminate()));
  }
}
