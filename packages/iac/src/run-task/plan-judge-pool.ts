import { Worker } from "node:worker_threads";
import { AigovError, type Position } from "@aigov/core";
import { stopThread, threadGone } from "@aigov/core/worker-thread";
import type { RunTaskRequest } from "./payload.ts";
import type { PlanJudge } from "./server.ts";
import type { PlanVerdict } from "./task-result.ts";

/** What a judging thread needs to load the same policy and rules as the command line would. */
export interface PlanJudgeSettings {
  readonly policyFile?: string;
  readonly cwd: string;
  readonly ruleDirs: readonly string[];
  readonly failOn?: string;
  readonly blockExisting: boolean;
}

export interface PlanJudgeJob {
  readonly id: number;
  readonly plan: Uint8Array;
  readonly request: RunTaskRequest;
}

export type PlanJudgeReply =
  | { readonly id: number; readonly verdict: PlanVerdict }
  | { readonly id: number; readonly error: { code: string; message: string; position?: Position; hint?: string } };

export interface PlanJudgePool {
  readonly judge: PlanJudge;
  close(): Promise<void>;
}

// Beside this module: the TypeScript source, or in the bundled CLI (packages/cli/scripts/build.ts) its own entry point.
const workerFile = new URL(
  import.meta.url.endsWith(".ts") ? "./plan-judge-worker.ts" : "./plan-judge-worker.js",
  import.meta.url,
);

/**
 * Judges plans on worker threads, one plan per thread at a time: parsing and judging a large plan takes seconds of
 * CPU, and on the main thread it would delay the immediate 200 HCP Terraform expects for every other request.
 * Resolves once every thread has loaded the policy and rules, so a broken policy stops `serve` at start-up.
 */
export async function createPlanJudgePool(settings: PlanJudgeSettings, size: number): Promise<PlanJudgePool> {
  const workers: Worker[] = [];
  const idle: Worker[] = [];
  const waiting: Array<(worker: Worker) => void> = [];
  const pending = new Map<number, { resolve: (verdict: PlanVerdict) => void; reject: (error: Error) => void }>();
  const running = new Map<Worker, number>();
  let nextId = 1;
  let closing = false;

  const start = () =>
    new Promise<Worker>((resolve, reject) => {
      const worker = new Worker(workerFile, { workerData: settings });
      // A thread that fails to load the policy and rules is waited for until it has gone: nothing is left running.
      const exited = (code: number) =>
        reject(new Error(`the judging thread exited with code ${code} before it was ready`));
      const failed = (error: Error) => {
        worker.off("exit", exited);
        threadGone(worker).then(() => reject(error));
      };
      worker.once("error", failed);
      worker.once("exit", exited);
      worker.once("message", () => {
        worker.off("error", failed);
        worker.off("exit", exited);
        worker.on("message", (reply: PlanJudgeReply) => settle(worker, reply));
        worker.on("error", (error) => replace(worker, error));
        resolve(worker);
      });
    });

  const settle = (worker: Worker, reply: PlanJudgeReply) => {
    running.delete(worker);
    const job = pending.get(reply.id);
    pending.delete(reply.id);
    if (job !== undefined) {
      if ("verdict" in reply) job.resolve(reply.verdict);
      else
        job.reject(
          new AigovError(reply.error.code, reply.error.message, {
            ...(reply.error.position ? { position: reply.error.position } : {}),
            ...(reply.error.hint ? { hint: reply.error.hint } : {}),
          }),
        );
    }
    const next = waiting.shift();
    if (next !== undefined) next(worker);
    else idle.push(worker);
  };

  // A thread that dies fails its run (closed: the run task reports failed) and is replaced, so the pool keeps its size.
  const replace = (worker: Worker, error: Error) => {
    const id = running.get(worker);
    running.delete(worker);
    const job = id === undefined ? undefined : pending.get(id);
    if (id !== undefined) pending.delete(id);
    job?.reject(new AigovError("RUN_TASK_INTERNAL", `the judging thread failed: ${error.message}`));
    workers.splice(workers.indexOf(worker), 1);
    if (closing) return;
    start().then(
      (fresh) => {
        workers.push(fresh);
        const next = waiting.shift();
        if (next !== undefined) next(fresh);
        else idle.push(fresh);
      },
      () => undefined,
    );
  };

  try {
    for (let i = 0; i < size; i++) workers.push(await start());
  } catch (error) {
    await Promise.all(workers.map((worker) => stopThread(worker)));
    throw error instanceof AigovError
      ? error
      : new AigovError("RUN_TASK_POLICY", `cannot load the policy and rules: ${(error as Error).message}`, {
          cause: error,
        });
  }
  idle.push(...workers);

  return {
    async judge(plan, request) {
      const worker = idle.pop() ?? (await new Promise<Worker>((resolve) => waiting.push(resolve)));
      const id = nextId++;
      return new Promise<PlanVerdict>((resolve, reject) => {
        pending.set(id, { resolve, reject });
        running.set(worker, id);
        const job: PlanJudgeJob = { id, plan, request };
        worker.postMessage(job);
      });
    },
    // `serve` closes the pool once the runs it accepted are answered, so the threads are idle and leave at once.
    async close() {
      closing = true;
      await Promise.all(workers.map((worker) => stopThread(worker)));
    },
  };
}
