import { startCloudSim } from "@aigov/cloud-sim";
import { Session } from "node:inspector/promises";
import { writeFileSync } from "node:fs";
import { createGcpScanner } from "./src/index.ts";
import { generatedWorld } from "./test/generated-world.ts";
import { runSweep, serviceAccountAuth } from "./test/run-sweep.ts";
const sim = await startCloudSim({
  world: generatedWorld(20, ["us-central1", "europe-west4", "asia-east1"], "2026-11-21T00:00:00Z"),
  pageSize: 1000,
});
const scanner = createGcpScanner({ credentials: serviceAccountAuth(), now: () => new Date("2026-11-21T06:00:00Z") });
const config = {
  organization: "900000000001",
  endpoint: sim.url,
  locations: ["us-central1", "europe-west4", "asia-east1"],
};
await runSweep(scanner, config);
const session = new Session();
session.connect();
await session.post("Profiler.enable");
await session.post("Profiler.start");
const t = performance.now();
await runSweep(scanner, config, 32);
console.log("warm", Math.round(performance.now() - t), "ms", sim.requests.size);
const { profile } = await session.post("Profiler.stop");
// aggregate self time by function+url
const self = new Map<string, number>();
const nodes = new Map(profile.nodes.map((n: any) => [n.id, n]));
const dt = profile.timeDeltas;
const samples = profile.samples;
for (let i = 0; i < samples.length; i++) {
  const n: any = nodes.get(samples[i]);
  const k = `${n.callFrame.functionName || "(anon)"} ${n.callFrame.url.split("node_modules/").pop()}:${n.callFrame.lineNumber}`;
  self.set(k, (self.get(k) ?? 0) + dt[i]);
}
const byPkg = new Map<string, number>();
for (const [k, v] of self) {
  const m = /(\.pnpm\/)?([@\w.-]+(\/[\w.-]+)?)@/.exec(k) ?? /src\/([\w-]+)/.exec(k);
  const p = m ? (m[2] ?? m[1]) : (k.split(" ")[1]?.slice(0, 40) ?? "?");
  byPkg.set(p, (byPkg.get(p) ?? 0) + v);
}
console.log(
  [...byPkg]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 15)
    .map(([k, v]) => `${Math.round(v / 1000)}ms ${k}`)
    .join("\n"),
);
console.log("---");
console.log(
  [...self]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 25)
    .map(([k, v]) => `${Math.round(v / 1000)}ms ${k}`)
    .join("\n"),
);
await scanner.close();
await sim.close();
