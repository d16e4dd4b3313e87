import { setImmediate as nextTurn } from "node:timers/promises";
import { Worker } from "node:worker_threads";
import { stopThread } from "@aigov/core/worker-thread";
import { scanWholeFile, type WholeFileScan } from "./whole-object.ts";

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

/** Batches a thread holds at once: the next is there when it ends one, even when this thread waits for a core. */
const BATCHES_IN_FLIGHT = 4;

/** Files this thread scans between two looks at the threads' replies (a few milliseconds' work). */
const FILES_PER_TURN = 8;

/** One small file to scan, by a scan thread or by the reading thread, whichever takes it first. */
export interface ScanJob {
  readonly path: string;
  result: WholeFileScan | undefined;
}

interface PendingJob extends ScanJob {
  readonly settled: Promise<void>;
  readonly settle: (scan: WholeFileScan) => void;
}

interface Thread {
  readonly worker: Worker;
  /** Batches sent and not yet answered, oldest first: a thread answers its batches in order. */
  readonly sent: PendingJob[][];
  alive: boolean;
}

const STREAM: WholeFileScan = { kind: "stream" };

/**
 * Worker threads that read, gunzip and scan small log files beside the reading thread, which parses the few AI
 * records, runs the rules and lists the files, and which takes files itself whenever it would otherwise wait for a
 * thread (work sharing): gunzip and the byte scan are most of reading a trail of small files, and with one scan
 * thread the reading thread sat idle for most of the read. Files are given out oldest first, so whatever the reader
 * waits for is already being scanned. A thread gets files in batches, and only a few batches ahead, so the files
 * not yet sent are there for the reader to take. A thread that fails hands its files back as to be streamed, so a
 * broken thread costs speed, never records.
 */
export class ScanPool {
  private readonly threads: Thread[] = [];
  /** Jobs given to the pool, oldest first; those from `next` on are not yet taken by a thread or the reader. */
  private waiting: PendingJob[] = [];
  private next = 0;
  private flushScheduled = false;
  private readonly needles: readonly string[];

  constructor(size: number, needles: readonly string[]) {
    this.needles = needles;
    for (let index = 0; index < size; index += 1) {
      const thread: Thread = {
        worker: new Worker(workerFile, { workerData: { needles }, resourceLimits: { maxYoungGenerationSizeMb: 4 } }),
        sent: [],
        alive: true,
      };
      thread.worker.on("message", (reply: ScanReply) => {
        const jobs = thread.sent.shift() ?? [];
        for (const [position, job] of jobs.entries()) job.settle(reply.scans[position] ?? STREAM);
        this.feed(thread, false);
        this.scheduleFlush();
      });
      const fail = () => {
        thread.alive = false;
        for (const jobs of thread.sent) for (const job of jobs) job.settle(STREAM);
        thread.sent.length = 0;
      };
      thread.worker.on("error", fail);
      thread.worker.on("exit", fail);
      this.threads.push(thread);
    }
  }

  /**
   * Files listed ahead of the one being read: the threads' batches in flight, and two batches more for the reader to
   * take. Each listed file outlives young-generation collections: with one thread, 256 files ahead instead of 192 held
   * some 8 MB more at peak (median of 6 runs), 512 some 14 MB more.
   */
  get window(): number {
    return (this.threads.length * BATCHES_IN_FLIGHT + 2) * BATCH_FILES;
  }

  /** Queues a file; its scan is `result` once a thread or the reader (in `scanned`) has scanned it. */
  scan(path: string): ScanJob {
    let settle!: (scan: WholeFileScan) => void;
    const settled = new Promise<void>((resolve) => {
      settle = (scan) => {
        job.result = scan;
        resolve();
      };
    });
    const job: PendingJob = { path, result: undefined, settled, settle };
    this.waiting.push(job);
    for (const thread of this.threads) this.feed(thread, false);
    this.scheduleFlush();
    return job;
  }

  /**
   * The job's scan. While a thread has it, this thread scans the oldest files not yet sent meanwhile, a few at a
   * time, looking at the threads' replies in between; it waits only when every file before the job's is out.
   */
  async scanned(job: ScanJob): Promise<WholeFileScan> {
    while (job.result === undefined) {
      if (this.next < this.waiting.length) {
        this.scanHere(FILES_PER_TURN);
        if (job.result === undefined) await nextTurn();
      } else await (job as PendingJob).settled;
    }
    return job.result;
  }

  private scanHere(count: number): void {
    for (let taken = 0; taken < count && this.next < this.waiting.length; taken += 1) {
      const job = this.take(1)[0]!;
      job.settle(scanWholeFile(job.path, this.needles));
    }
  }

  /** The oldest `count` jobs not yet taken, marked taken. */
  private take(count: number): PendingJob[] {
    const jobs = this.waiting.slice(this.next, this.next + count);
    this.next += jobs.length;
    // Taken jobs are dropped in bulk, not one shift at a time.
    if (this.next >= 4096 && this.next * 2 >= this.waiting.length) {
      this.waiting = this.waiting.slice(this.next);
      this.next = 0;
    }
    return jobs;
  }

  /** Sends the thread batches up to its limit in flight: full ones only, or `partial` the last few files too. */
  private feed(thread: Thread, partial: boolean): void {
    while (thread.alive && thread.sent.length < BATCHES_IN_FLIGHT) {
      const unsent = this.waiting.length - this.next;
      if (unsent === 0 || (unsent < BATCH_FILES && !partial)) return;
      const jobs = this.take(BATCH_FILES);
      thread.sent.push(jobs);
      thread.worker.postMessage({ paths: jobs.map((job) => job.path) } satisfies ScanBatch);
    }
  }

  /** Files short of a batch go at the next turn: the reader lists every file it can before it waits for one. */
  private scheduleFlush(): void {
    if (this.flushScheduled || this.next === this.waiting.length) return;
    this.flushScheduled = true;
    setImmediate(() => {
      this.flushScheduled = false;
      for (const thread of this.threads) this.feed(thread, true);
    });
  }

  async close(): Promise<void> {
    await Promise.all(this.threads.map((thread) => stopThread(thread.worker)));
  }
}
