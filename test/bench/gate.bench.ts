// `pnpm bench gate`: the gate on two plans of 10,000 resources, each as a process, against a node process that only
// reads and JSON.parses the same file, run interleaved so all see the same machine load:
//   - generated: a generated plan (about 5% AI) with the attribute volume of small resources;
//   - real: the resource_changes of three public plans repeated under module prefixes to 10,001 changes, 500 AI,
//     17 MB (real-plan.ts): real providers' long before/after objects, nested modules, updates and no-ops.
// Also the gate's start-up on a tiny plan. Reports medians of wall time and of each process's CPU time (user+system,
// read inside the child at exit: steadier than wall time when other work shares the machine), ratios, peak RSS.
// The gate runs as users run it: `aigov gate plan.json` through bin/aigov.js, which runs the built bundle (`pnpm bench`
// builds it first); the same run from the TypeScript sources is measured beside it.
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { defaultPolicy, loadRules } from "../../packages/core/src/index.ts";
import { judgePlanned } from "../../packages/iac/src/index.ts";
import { readGateSource } from "../../packages/iac/src/gate.ts";
import { requireFreshBundle } from "./fresh-bundle.ts";
import { median, writeBenchResult } from "./bench-result.ts";
import { measuredChild } from "./child-process-usage.ts";
import { writeReadAndParseScript } from "./read-and-parse.ts";
import { REAL_PLAN_CHANGES, realResourcePlan } from "./real-plan.ts";
import { generatePlan, RESOURCES } from "./generated-plan.ts";

const root = join(dirname(fileURLToPath(import.meta.url)), "../..");
const dir = mkdtempSync(join(tmpdir(), "gate-bench-"));
const RUNS = 11;

const readOnly = writeReadAndParseScript(dir);

// The aigov executable keeps two caches between runs: Node's compile cache (compiled modules) and aigov's rule cache
// (checked rule files). "Cold" runs turn both off (a fresh CI machine; the rule pack the build checked stays, as it is
// part of what is installed); "cached" runs keep them (every run after the first).
const compileCache = join(dir, "compile-cache");
const ruleCache = join(dir, "rule-cache");

interface Timed {
  readonly ms: number;
  readonly cpuMs: number;
  readonly rssKiB: number;
  readonly status: number | null;
}

function timed(args: string[], cached = false): Timed {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: "1" };
  delete env.NODE_COMPILE_CACHE;
  if (cached) Object.assign(env, { NODE_COMPILE_CACHE: compileCache, AIGOV_CACHE_DIR: ruleCache });
  else Object.assign(env, { NODE_DISABLE_COMPILE_CACHE: "1", AIGOV_NO_CACHE: "1" });
  const run = measuredChild(args, { env, cwd: dir });
  if (run.status === null || run.status > 1) throw new Error(`${args.join(" ")} failed (${run.status}): ${run.stderr}`);
  return { ms: run.ms, cpuMs: run.cpuMs, rssKiB: run.maxRssKiB, status: run.status };
}

requireFreshBundle("before");
const cli = join(root, "packages/cli/bin/aigov.js");
const sources = join(root, "packages/cli/src/main.ts");
const tinyPlan = join(root, "test/fixtures/plans/checkov/plan_after_unknown.json");
const policy = defaultPolicy();
const rules = await loadRules({ policy });

/** One plan's processes: the gate (text and JSON output), read+parse, and (generated only) cached and from sources. */
class PlanRuns {
  readonly file: string;
  readonly sizeMiB: number;
  readonly gateArgs: string[];
  readonly jsonArgs: string[];
  readonly resultFile: string;
  readonly samples = {
    gate: [] as Timed[],
    json: [] as Timed[],
    read: [] as Timed[],
    gateCached: [] as Timed[],
    sources: [] as Timed[],
  };
  readonly inProcess = { gate: [] as number[], read: [] as number[] };

  constructor(name: string, text: string) {
    this.file = join(dir, `${name}.json`);
    writeFileSync(this.file, text);
    this.sizeMiB = statSync(this.file).size / 2 ** 20;
    this.resultFile = join(dir, `${name}-result.json`);
    this.gateArgs = [cli, "gate", this.file];
    this.jsonArgs = [cli, "gate", this.file, "--format", "json", "--output", this.resultFile];
    timed(this.jsonArgs); // warm the file cache once; not counted
    timed(this.gateArgs, true); // fill the caches; not counted
  }

  run(withVariants: boolean): void {
    this.samples.gate.push(timed(this.gateArgs));
    this.samples.read.push(timed([readOnly, this.file]));
    this.samples.json.push(timed(this.jsonArgs));
    if (!withVariants) return;
    this.samples.gateCached.push(timed(this.gateArgs, true));
    this.samples.sources.push(timed([sources, "gate", this.file]));
  }

  /** In this process, with modules and rules already loaded: the gate's work on the plan against reading and parsing it. */
  async runInProcess(): Promise<void> {
    let started = performance.now();
    const input = await readGateSource(this.file);
    const judged = judgePlanned(input.subjects, { rules, policy });
    JSON.stringify({ findings: judged.findings, assets: input.subjects }, null, 2);
    this.inProcess.gate.push(performance.now() - started);
    started = performance.now();
    JSON.parse(readFileSync(this.file, "utf8"));
    this.inProcess.read.push(performance.now() - started);
  }

  result(resources: number, startup: { tiny: Timed[]; bare: Timed[] }): Record<string, unknown> {
    const result = JSON.parse(readFileSync(this.resultFile, "utf8")) as {
      counts: { subjects: number };
      findings: unknown[];
    };
    const ms = (values: Timed[]) => median(values.map((value) => value.ms));
    const cpu = (values: Timed[]) => median(values.map((value) => value.cpuMs));
    const mib = (values: Timed[]) => Number((median(values.map((value) => value.rssKiB)) / 1024).toFixed(1));
    const read = this.samples.read;
    const ratio = (values: Timed[]) => Number((ms(values) / ms(read)).toFixed(2));
    const cpuRatio = (values: Timed[]) => Number((cpu(values) / cpu(read)).toFixed(2));
    const measured = (values: Timed[]) =>
      values.length === 0
        ? undefined
        : {
            gateMedianMs: Math.round(ms(values)),
            ratio: ratio(values),
            cpuMedianMs: Math.round(cpu(values)),
            cpuRatio: cpuRatio(values),
          };
    return {
      plan: {
        resources,
        aiSubjects: result.counts.subjects,
        findings: result.findings.length,
        sizeMiB: Number(this.sizeMiB.toFixed(1)),
        gateExitCode: this.samples.gate.at(-1)!.status,
      },
      // `aigov gate plan.json`: the table a CI log shows, on stdout.
      gateMedianMs: Math.round(ms(this.samples.gate)),
      readAndParseMedianMs: Math.round(ms(read)),
      ratio: ratio(this.samples.gate),
      gateCpuMedianMs: Math.round(cpu(this.samples.gate)),
      readAndParseCpuMedianMs: Math.round(cpu(read)),
      cpuRatio: cpuRatio(this.samples.gate),
      target: "<= 1.2",
      json: {
        command: "aigov gate plan.json --format json --output result.json",
        ...measured(this.samples.json),
        peakRssMiB: mib(this.samples.json),
      },
      withCaches: measured(this.samples.gateCached),
      fromSources:
        this.samples.sources.length === 0
          ? undefined
          : { command: "node packages/cli/src/main.ts gate plan.json", ...measured(this.samples.sources) },
      inProcess: {
        gateMedianMs: Math.round(median(this.inProcess.gate)),
        readAndParseMedianMs: Math.round(median(this.inProcess.read)),
        ratio: Number((median(this.inProcess.gate) / median(this.inProcess.read)).toFixed(2)),
      },
      // Work on the plan itself, start-up taken out of both: (gate − gate on a tiny plan) / (read+parse − bare node).
      planWorkRatio: Number(((ms(this.samples.gate) - ms(startup.tiny)) / (ms(read) - ms(startup.bare))).toFixed(2)),
      planWorkCpuRatio: Number(
        ((cpu(this.samples.gate) - cpu(startup.tiny)) / (cpu(read) - cpu(startup.bare))).toFixed(2),
      ),
      gatePeakRssMiB: mib(this.samples.gate),
      readAndParsePeakRssMiB: mib(read),
      samplesMs: {
        gate: this.samples.gate.map((value) => Math.round(value.ms)),
        readAndParse: read.map((value) => Math.round(value.ms)),
      },
    };
  }
}

const generated = new PlanRuns("generated", generatePlan());
const real = new PlanRuns("real", realResourcePlan());
const startup = { tiny: [] as Timed[], bare: [] as Timed[], tinyCached: [] as Timed[] };
for (let run = 0; run < RUNS; run++) {
  generated.run(true);
  real.run(false);
  startup.tiny.push(timed([cli, "gate", tinyPlan]));
  startup.bare.push(timed(["-e", ""]));
  startup.tinyCached.push(timed([cli, "gate", tinyPlan], true));
}
for (let run = 0; run < RUNS; run++) {
  await generated.runInProcess();
  await real.runInProcess();
}
const load = loadavg().map((value) => Number(value.toFixed(2)));

const startupMs = (values: Timed[]) => Math.round(median(values.map((value) => value.ms)));
writeBenchResult("gate", {
  runs: RUNS,
  loadAverage: load,
  executable: "bin/aigov.js running the esbuild bundle (packages/cli/dist); cold: no compile cache, no rule cache",
  generated: generated.result(RESOURCES, startup),
  real: real.result(REAL_PLAN_CHANGES, startup),
  startupTinyPlanMedianMs: startupMs(startup.tiny),
  startupTinyPlanCpuMedianMs: Math.round(median(startup.tiny.map((value) => value.cpuMs))),
  startupTinyPlanWithCachesMedianMs: startupMs(startup.tinyCached),
  bareNodeStartupMedianMs: startupMs(startup.bare),
  bareNodeStartupCpuMedianMs: Math.round(median(startup.bare.map((value) => value.cpuMs))),
});
rmSync(dir, { recursive: true, force: true });
