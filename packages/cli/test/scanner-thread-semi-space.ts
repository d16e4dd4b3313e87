// Run by scanner-thread.test.ts in a process with the sweep's Node flags: prints the young generation (new space, MiB)
// of this thread and of a thread startScannerWorker starts, each after the same churn of short-lived objects.
import { getHeapSpaceStatistics } from "node:v8";
import { startScannerWorker } from "../src/sweep/scanner-thread.ts";

/** Allocates as a sweep's requests do (many objects that die young) until the young generation has grown. */
function newSpaceAfterChurn(spaces: typeof getHeapSpaceStatistics): number {
  let kept: unknown[] = [];
  for (let i = 0; i < 3e6; i++) {
    kept.push({ i, text: `x${i}` });
    if (kept.length > 20_000) kept = [];
  }
  return spaces().find((space) => space.space_name === "new_space")!.space_size / 1048576;
}

const worker = startScannerWorker(
  `const { getHeapSpaceStatistics } = require("node:v8");
   require("node:worker_threads").parentPort.postMessage((${newSpaceAfterChurn})(getHeapSpaceStatistics));`,
  { eval: true },
);
const scannerThread = await new Promise<number>((resolve) => worker.once("message", resolve));
process.stdout.write(`${JSON.stringify({ sweepThread: newSpaceAfterChurn(getHeapSpaceStatistics), scannerThread })}\n`);
