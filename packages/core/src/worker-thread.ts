import type { MessagePort, Worker } from "node:worker_threads";

// Imported by worker threads (a light module on purpose: not the package's index, which loads the rule machinery).

/** The message that asks a thread made with `answerUntilStopped` to leave once it has answered what came before. */
const STOP = "aigov:stop-thread";

/**
 * In a worker thread: answers each message from the parent with `answer`, until the parent's `stopThread`. Then the
 * port closes and, with nothing else to do, the thread ends the normal way (exit code 0).
 */
export function answerUntilStopped<Message>(port: MessagePort, answer: (message: Message) => void): void {
  port.on("message", (message: Message | typeof STOP) => {
    if (message === STOP) port.close();
    else answer(message);
  });
}

/**
 * Ends a thread made with `answerUntilStopped`: asks it to stop and waits until it has gone. Only a thread still busy
 * after `graceMs` is terminated. `terminate()` stops a thread's JavaScript from outside wherever it is, which is the
 * path of Node's known crashes when threads end and start around it (nodejs/node#56312), so it is the fallback, not
 * the way out. Resolves at once for a thread that has already gone.
 */
export async function stopThread(worker: Worker, graceMs = 2_000): Promise<void> {
  if (worker.threadId === -1) return;
  const gone = threadGone(worker);
  worker.postMessage(STOP);
  const deadline = setTimeout(() => void worker.terminate(), graceMs);
  await gone;
  clearTimeout(deadline);
}

/** Resolves once the thread has gone (at once if it has): for a thread that failed and is on its way out. */
export function threadGone(worker: Worker): Promise<void> {
  // threadId is -1 once the thread has stopped.
  if (worker.threadId === -1) return Promise.resolve();
  return new Promise<void>((resolve) => worker.once("exit", () => resolve()));
}
