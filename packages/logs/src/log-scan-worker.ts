// A scan worker thread (see scan-pool.ts): reads, gunzips and scans the small files it is sent, a batch at a time,
// and returns only the few records that may be AI calls, with the counts.
import { parentPort, workerData } from "node:worker_threads";
import { answerUntilStopped } from "@aigov/core/worker-thread";
import type { ScanBatch, ScanReply } from "./scan-pool.ts";
import { scanWholeFile } from "./whole-object.ts";

const needles = (workerData as { needles: readonly string[] }).needles;
const port = parentPort!;
answerUntilStopped(port, (batch: ScanBatch) => {
  const reply: ScanReply = { scans: batch.paths.map((path) => scanWholeFile(path, needles)) };
  port.postMessage(reply);
});
