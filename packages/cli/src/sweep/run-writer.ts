import type { CoverageGap, Finding, Subject } from "@aigov/core";
import type { Observation, Store, TargetDone } from "@aigov/store";

/** How long what a sweep saw may wait for its write, at most (the store's heartbeat moves with each write). */
const MAX_WAIT_MS = 5000;

/**
 * What the targets of one run yield, written to the store in batches shared by every target in flight: one
 * transaction per `rows` findings and inventory items (or per MAX_WAIT_MS), where each target wrote its own small
 * batches and then its end, two transactions or more per target. A commit rewrites every page it touched, and
 * findings land at random places of the run's index (their ids are hashes): at 4,000 targets, the commits were
 * most of the store's CPU. A target is written done in the batch that holds its last observation or a later one,
 * so the store never counts a target done before what it saw; a process killed meanwhile leaves a run the next
 * open aborts, as before.
 */
export class RunWriter {
  readonly #store: Store;
  readonly #runId: number;
  readonly #rows: number;
  #observations: Observation[] = [];
  #gaps: (CoverageGap & { readonly targetKey?: string })[] = [];
  #done: TargetDone[] = [];
  #pendingRows = 0;
  #lastWrite = performance.now();

  constructor(store: Store, runId: number, rows: number) {
    this.#store = store;
    this.#runId = runId;
    this.#rows = Math.max(1, rows);
  }

  /** A subject and its findings; an API call without findings writes nothing (calls are evidence, not inventory). */
  observe(targetKey: string, subject: Subject, findings: readonly Finding[]): void {
    const inventory = subject.subject === "api-call" ? 0 : 1;
    if (inventory + findings.length === 0) return;
    this.#observations.push({ targetKey, subject, findings });
    this.#pendingRows += inventory + findings.length;
    if (this.#pendingRows >= this.#rows) this.flush();
    else this.#flushIfWaited();
  }

  gap(gap: CoverageGap & { readonly targetKey?: string }): void {
    this.#gaps.push(gap);
    this.#flushIfWaited();
  }

  targetDone(done: TargetDone): void {
    this.#done.push(done);
    this.#flushIfWaited();
  }

  /** Writes whatever waits; the run's end calls it before finishing the run. */
  flush(): void {
    const observations = this.#observations;
    const gaps = this.#gaps;
    const done = this.#done;
    this.#observations = [];
    this.#gaps = [];
    this.#done = [];
    this.#pendingRows = 0;
    this.#lastWrite = performance.now();
    this.#store.record(this.#runId, observations, gaps, done);
  }

  #flushIfWaited(): void {
    if (performance.now() - this.#lastWrite >= MAX_WAIT_MS) this.flush();
  }
}
