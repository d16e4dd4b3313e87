// Side by side: `aigov gate` of two or more builds on the gate bench's plans (generated, real, tiny), beside a node
// process that only reads and JSON.parses the plan and a bare node, each a fresh process timed as gate.bench.ts
// times them (measuredChild: wall, CPU of all threads and of the main thread, peak RSS; no compile cache, no rule
// cache, NO_COLOR), in
// interleaved rounds whose order turns every round, so that all see the same machine load. Checks that every build
// gives the same exit code, stdout and stderr on each plan.
//   node test/bench/gate-side-by-side.ts RESULT_NAME ROUNDS name=path/to/cli [name=path/to/cli ...]
// where path/to/cli holds bin/aigov.js (a copy of packages/cli: bin, dist, package.json, node_modules linked).
// Writes test/bench/results/RESULT_NAME.json, with the load average of every round.
import { mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { median, writeBenchResult } from "./bench-result.ts";
import { type ChildUsage, measuredChild } from "./child-process-usage.ts";
import { generatePlan } from "./generated-plan.ts";
import { writeReadAndParseScript } from "./read-and-parse.ts";
import { realResourcePlan } from "./real-plan.ts";

const root = join(dirname(fileURLToPath(import.meta.url)), "../..");
const [resultName, roundsText, ...buildArgs] = process.argv.slice(2);
const rounds = Number(roundsText);
if (resultName === undefined || !(rounds > 0) || buildArgs.length === 0)
  throw new Error("usage: gate-side-by-side.ts RESULT_NAME ROUNDS name=cliDir [name=cliDir ...]");
const builds = buildArgs.map((arg) => {
  const [name, path] = arg.split("=") as [string, string];
  return { name, cli: join(resolve(path), "bin/aigov.js") };
});

const dir = mkdtempSync(join(tmpdir(), "gate-side-by-side-"));
const readOnly = writeReadAndParseScript(dir);
const plans: Record<string, string> = {
  generated: join(dir, "generated.json"),
  real: join(dir, "real.json"),
  tiny: join(root, "test/fixtures/plans/checkov/plan_after_unknown.json"),
};
writeFileSync(plans.generated!, generatePlan());
writeFileSync(plans.real!, realResourcePlan());

const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: "1", NODE_DISABLE_COMPILE_CACHE: "1", AIGOV_NO_CACHE: "1" };
delete env.NODE_COMPILE_CACHE;
const run = (args: string[]): ChildUsage => {
  const usage = measuredChild(args, { env, cwd: dir });
  if (usage.status === null || usage.status > 1) throw new Error(`${args.join(" ")}: exit ${usage.status}`);
  return usage;
};

type Samples = Record<string, ChildUsage[]>;
const samples: Record<string, Samples> = {};
const outputs = new Map<string, string>();
const sameOutput: Record<string, boolean> = {};
for (const plan of Object.keys(plans)) {
  samples[plan] = { read: [] };
  for (const build of builds) {
    samples[plan]![build.name] = [];
    const first = run([build.cli, "gate", plans[plan]!]); // warm the file cache; not counted
    const output = JSON.stringify([first.status, first.stdout, first.stderr]);
    if (!outputs.has(plan)) outputs.set(plan, output);
    sameOutput[plan] = (sameOutput[plan] ?? true) && outputs.get(plan) === output;
  }
}
const bare: ChildUsage[] = [];
const loads: number[] = [];
for (let round = 0; round < rounds; round++) {
  loads.push(Number(loadavg()[0]!.toFixed(2)));
  for (const plan of Object.keys(plans)) {
    const order = [...builds.map((build) => build.name), "read"];
    if (round % 2 === 1) order.reverse();
    for (const name of order) {
      const build = builds.find((candidate) => candidate.name === name);
      const usage = build === undefined ? run([readOnly, plans[plan]!]) : run([build.cli, "gate", plans[plan]!]);
      if (build !== undefined && JSON.stringify([usage.status, usage.stdout, usage.stderr]) !== outputs.get(plan))
        sameOutput[plan] = false;
      samples[plan]![name]!.push(usage);
    }
  }
  bare.push(run(["-e", ""]));
}
loads.push(Number(loadavg()[0]!.toFixed(2)));

const ms = (values: ChildUsage[]) => Math.round(median(values.map((value) => value.ms)));
const cpu = (values: ChildUsage[]) => Math.round(median(values.map((value) => value.cpuMs)));
const summary = (values: ChildUsage[]) => ({
  ms: ms(values),
  cpuMs: cpu(values),
  mainThreadCpuMs: Math.round(median(values.map((value) => value.mainThreadCpuMs))),
  minMs: Math.round(Math.min(...values.map((value) => value.ms))),
  rssMiB: Number((median(values.map((value) => value.maxRssKiB)) / 1024).toFixed(1)),
});
const result: Record<string, unknown> = {
  rounds,
  builds: Object.fromEntries(builds.map((build) => [build.name, build.cli])),
  loadAverageByRound: loads,
  bareNode: summary(bare),
};
for (const plan of Object.keys(plans)) {
  const read = samples[plan]!.read!;
  const byBuild: Record<string, unknown> = {};
  for (const build of builds) {
    const values = samples[plan]![build.name]!;
    byBuild[build.name] = {
      ...summary(values),
      ratio: Number((ms(values) / ms(read)).toFixed(3)),
      cpuRatio: Number((cpu(values) / cpu(read)).toFixed(3)),
      // Each round's gate against the read+parse run beside it, then the median of those.
      pairedRatio: Number(median(values.map((value, index) => value.ms / read[index]!.ms)).toFixed(3)),
    };
  }
  result[plan] = {
    sizeMiB: Number((statSync(plans[plan]!).size / 2 ** 20).toFixed(1)),
    sameOutput: sameOutput[plan],
    readAndParse: summary(read),
    ...byBuild,
  };
}
writeBenchResult(resultName, result);
rmSync(dir, { recursive: true, force: true });
