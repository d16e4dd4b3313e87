// A scan worker thread (see scan-pool.ts): reads, gunzips and scans the small files it is sent, and returns only
// the few records that may be AI calls, with the counts.
import { parentPort, workerData } from "node:worker_threads";
import type { ScanJob, ScanReply } from "./scan-pool.ts";
import { scanWholeFile } from "./whole-object.ts";

const needles = (workerData as { needles: readonly string[] }).needles;
parentPort?.on("message", (job: ScanJob) => {
  const reply: ScanReply = { id: job.id, scan: scanWholeFile(job.path, needles) };
  parentPort?.postMessage(reply);
});
