import { Worker } from "node:worker_threads";
import type { WholeFileScan } from "./whole-object.ts";

export interface ScanJob {
  readonly id: number;
  readonly path: string;
}

export interface ScanReply {
  readonly id: number;
  readonly scan: WholeFileScan;
}

// Beside this module: the TypeScript source, or in the bundled CLI (packages/cli/scripts/build.ts) its own entry point.
const workerFile = new URL(
  import.meta.url.endsWith(".ts") ? "./log-scan-worker.ts" : "./log-scan-worker.js",
  import.meta.url,
);

interface Thread {
  readonly worker: Worker;
  readonly jobs: Map<number, (scan: WholeFileScan) => void>;
  alive: boolean;
}

const STREAM: WholeFileScan = { kind: "stream" };

/**
 * Worker threads that read, gunzip and scan small log files: gunzip and the byte scan are most of reading a trail of
 * small files, and they run beside the main thread, which parses the few AI records and runs the rules. A thread that
 * fails hands its files back as to be streamed, so a broken thread costs speed, never records.
 */
export class ScanPool {
  private readonly threads: Thread[] = [];
  private nextId = 0;

  constructor(size: number, needles: readonly string[]) {
    for (let index = 0; index < size; index += 1) {
      const thread: Thread = {
        worker: new Worker(workerFile, { workerData: { needles }, resourceLimits: { maxYoungGenerationSizeMb: 4 } }),
        jobs: new Map(),
        alive: true,
      };
      thread.worker.on("message", (reply: ScanReply) => {
        const settle = thread.jobs.get(reply.id);
        thread.jobs.delete(reply.id);
        settle?.(reply.scan);
      });
      const fail = () => {
        thread.alive = false;
        for (const settle of thread.jobs.values()) settle(STREAM);
        thread.jobs.clear();
      };
      thread.worker.on("error", fail);
      thread.worker.on("exit", fail);
      this.threads.push(thread);
    }
  }

  /** Files this pool may have in flight before their results are taken: enough to keep every thread busy. */
  get window(): number {
    return this.threads.length * 16;
  }

  scan(path: string): Promise<WholeFileScan> {
    let least: Thread | undefined;
    for (const thread of this.threads)
      if (thread.alive && (least === undefined || thread.jobs.size < least.jobs.size)) least = thread;
    if (least === undefined) return Promise.resolve(STREAM);
    const id = this.nextId++;
    const thread = least;
    return new Promise((resolve) => {
      thread.jobs.set(id, resolve);
      thread.worker.postMessage({ id, path } satisfies ScanJob);
    });
  }

  async close(): Promise<void> {
    await Promise.all(this.threads.map((thread) => thread.worker.terminate()));
  }
}
