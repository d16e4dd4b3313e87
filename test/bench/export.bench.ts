// Export throughput to a local Splunk HEC endpoint, and what the durable outbox costs per finding.
// The HEC stand-in runs in its own process (so it does not share the exporter's event loop); each sample exports
// the same findings once straight to the sink and once through a fresh file-backed outbox, interleaved, and the
// medians are compared side by side.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parsePolicy } from "../../packages/core/src/index.ts";
import { createSink, exportDirect, exportWithOutbox, parseSinks } from "../../packages/export/src/index.ts";
import { Outbox, openStore } from "../../packages/store/src/index.ts";
import { manyFindings } from "../../packages/export/test/finding-fixtures.ts";
import { median, writeBenchResult } from "./bench-result.ts";

const FINDINGS = 20_000;
const BATCH = 1_000;
const SAMPLES = 5;

const HEC_SERVER = `
const http = require("node:http");
let events = 0;
const server = http.createServer((req, res) => {
  let body = "";
  req.setEncoding("utf8");
  req.on("data", (chunk) => { body += chunk; });
  req.on("end", () => {
    events += body.split("\\n").length;
    res.writeHead(200, { "Content-Type": "application/json" });
    res.end('{"text":"Success","code":0}');
  });
});
server.listen(0, "127.0.0.1", () => process.stdout.write(String(server.address().port) + "\\n"));
process.stdin.on("end", () => { process.stdout.write("events " + events + "\\n"); process.exit(0); });
process.stdin.resume();
`;

async function startHec(): Promise<{ url: string; stop: () => Promise<number> }> {
  const child = spawn(process.execPath, ["-e", HEC_SERVER], { stdio: ["pipe", "pipe", "inherit"] });
  let output = "";
  const port = await new Promise<number>((resolve) => {
    child.stdout.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      const match = /^(\d+)\n/.exec(output);
      if (match !== null) resolve(Number(match[1]));
    });
  });
  return {
    url: `http://127.0.0.1:${port}`,
    stop: () =>
      new Promise<number>((resolve) => {
        child.on("close", () => resolve(Number(/events (\d+)/.exec(output)?.[1] ?? 0)));
        child.stdin.end();
      }),
  };
}

const hec = await startHec();
const config = parseSinks(
  parsePolicy(
    `sinks:\n  - { name: hec, type: splunk-hec, url: "${hec.url}", token_env: HEC_TOKEN, batch: { max_records: ${BATCH} } }`,
    "aigov.yaml",
  ),
)[0]!;
const sink = createSink(config, { HEC_TOKEN: "bench" });
const findings = manyFindings(FINDINGS, { frameworks: {} });
const retry = { attempts: 1, baseMs: 0, maxMs: 0, maxRetryAfterMs: 0 };
const dir = mkdtempSync(join(tmpdir(), "aigov-export-bench-"));

const direct: number[] = [];
const withOutbox: number[] = [];
const enqueueOnly: number[] = [];
const unchangedReexport: number[] = [];
// One warm-up of each path (JIT, sockets), not measured.
await exportDirect(sink, findings.slice(0, BATCH), { retry });
for (let sample = 0; sample < SAMPLES; sample++) {
  let start = performance.now();
  await exportDirect(sink, findings, { retry });
  direct.push(performance.now() - start);

  const store = openStore(join(dir, `outbox-${sample}.db`));
  const outbox = new Outbox(store);
  start = performance.now();
  const report = await exportWithOutbox(outbox, sink, findings, { retry });
  withOutbox.push(performance.now() - start);
  if (report.delivered !== FINDINGS) throw new Error(`outbox run delivered ${report.delivered} of ${FINDINGS}`);
  // The steady state of scheduled sweeps: nothing changed, so change detection runs and nothing is sent.
  start = performance.now();
  const again = await exportWithOutbox(outbox, sink, findings, { retry });
  unchangedReexport.push(performance.now() - start);
  if (again.delivered !== 0 || again.unchanged !== FINDINGS) throw new Error("an unchanged re-export sent findings");
  store.close();

  // The outbox's own bookkeeping without the network: enqueue (with change detection) + mark delivered.
  const bare = new Outbox(openStore(join(dir, `bare-${sample}.db`)));
  start = performance.now();
  bare.enqueue(
    "hec",
    findings.map((finding) => ({ id: finding.id, hash: finding.id, payload: JSON.stringify(finding) })),
  );
  for (let pending = bare.pending("hec", BATCH); pending.length > 0; pending = bare.pending("hec", BATCH))
    bare.markDelivered(pending.map((entry) => entry.seq));
  enqueueOnly.push(performance.now() - start);
}
await sink.close();
const received = await hec.stop();
rmSync(dir, { recursive: true, force: true });

const directMs = median(direct);
const outboxMs = median(withOutbox);
writeBenchResult("export", {
  findings: FINDINGS,
  batch: BATCH,
  samples: SAMPLES,
  hecEventsReceived: received,
  directMedianMs: Math.round(directMs),
  outboxMedianMs: Math.round(outboxMs),
  findingsPerSecondDirect: Math.round(FINDINGS / (directMs / 1000)),
  findingsPerSecondWithOutbox: Math.round(FINDINGS / (outboxMs / 1000)),
  outboxOverheadMicrosPerFinding: Math.round(((outboxMs - directMs) * 1000) / FINDINGS),
  outboxBookkeepingMicrosPerFinding: Math.round((median(enqueueOnly) * 1000) / FINDINGS),
  outboxToDirectRatio: Number((outboxMs / directMs).toFixed(2)),
  unchangedReexportMicrosPerFinding: Math.round((median(unchangedReexport) * 1000) / FINDINGS),
  peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
});
