// The worker thread that validates a large plan's bytes for `aigov gate` (gate-check.ts): started by bin/aigov.js
// with the plan's shared buffer before the bytes are read into it; told their length once they are (-1: they could
// not be read whole), it posts one verdict and ends.
import { parentPort, workerData } from "node:worker_threads";
import { type GateCheckVerdict, gateCheckVerdict } from "./gate-check.ts";

const { shared, file } = workerData as { shared: SharedArrayBuffer; file: string };
parentPort!.once("message", (length: number) => {
  const verdict: GateCheckVerdict =
    length < 0 ? { unavailable: true } : gateCheckVerdict(Buffer.from(shared, 0, length), file);
  parentPort!.postMessage(verdict);
  parentPort!.close();
});
