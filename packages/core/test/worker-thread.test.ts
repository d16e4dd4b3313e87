import { Worker } from "node:worker_threads";
import { describe, expect, it } from "vitest";
import { stopThread, threadGone } from "../src/worker-thread.ts";

const MODULE = new URL("../src/worker-thread.ts", import.meta.url).href;

/** A thread that echoes what it is sent, as aigov's judging and log-scanning threads answer jobs. */
function echoThread(): Worker {
  return new Worker(
    `import { parentPort } from "node:worker_threads";
     import { answerUntilStopped } from ${JSON.stringify(MODULE)};
     answerUntilStopped(parentPort, (message) => {
       if (message === "spin") for (;;);
       parentPort.postMessage(message);
     });
     parentPort.postMessage("ready");`,
    { eval: true },
  );
}

const exitCode = (worker: Worker) => new Promise<number>((resolve) => worker.once("exit", resolve));
const nextMessage = (worker: Worker) => new Promise<unknown>((resolve) => worker.once("message", resolve));

describe("stopping aigov's worker threads", () => {
  it("an idle thread leaves the normal way (exit code 0, not terminated) after answering what came before", async () => {
    const worker = echoThread();
    await nextMessage(worker);
    const answers: unknown[] = [];
    worker.on("message", (message) => answers.push(message));
    const exited = exitCode(worker);
    worker.postMessage("job 1");
    worker.postMessage("job 2");
    await stopThread(worker);
    expect(await exited).toBe(0);
    expect(answers).toEqual(["job 1", "job 2"]);
    expect(worker.threadId).toBe(-1);
    // Stopping a thread that has gone returns at once.
    await stopThread(worker);
  });

  it("a thread still busy after the grace period is terminated", async () => {
    const worker = echoThread();
    await nextMessage(worker);
    const exited = exitCode(worker);
    worker.postMessage("spin");
    const started = performance.now();
    await stopThread(worker, 100);
    expect(await exited).toBe(1);
    expect(performance.now() - started).toBeGreaterThanOrEqual(95);
    expect(worker.threadId).toBe(-1);
  });

  it("a thread that failed has gone when threadGone resolves, though its error came first", async () => {
    const worker = new Worker(`throw new Error("cannot load")`, { eval: true });
    const error = await new Promise<Error>((resolve) => worker.once("error", resolve));
    expect(error.message).toBe("cannot load");
    expect(worker.threadId).not.toBe(-1);
    await threadGone(worker);
    expect(worker.threadId).toBe(-1);
  });
});
