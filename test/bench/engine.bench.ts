// The rule engine on one core: this checkout's engine and a baseline's (main's before issue 19's engine work, see
// engine-baseline.ts) side by side in one process, interleaved round by round, on the same subjects:
//  - real-shaped: the default rule pack under a grown organization policy (engine-policy.yaml) over the subjects
//    aigov itself produces (engine-subjects.ts): sweeps of the demo and of a generated organization by the AWS
//    scanner, the gate's reading of every plan fixture, the log reader's reading of every log fixture. Judged
//    (engine.judge) and turned into findings (engine.findings, what a sweep and the gate call);
//  - synthetic (the foundation case, unchanged so results compare across versions): 100 rules over 100,000 assets.
// A rule-subject evaluation is one judgement: one applicable rule judged on one subject (what engine.judge returns).
// Before timing, both engines' findings and judgements on every subject are compared: the run fails if they differ.
// Wall time and the main thread's CPU time are both reported: the machine is shared, and CPU time is what the engine
// used. AIGOV_BENCH_ENGINE_BASELINE=<commit> compares with another commit, =none runs this engine alone.
// AIGOV_BENCH_ENGINE_ROUNDS sets the rounds (default 5; rounds on a shared machine spread widely, so a comparison
// wants many), AIGOV_BENCH_ENGINE_RESULT the result's name (default engine, for a comparison kept beside it).
// Also `aigov --version` start-up. Results: test/bench/results/engine.json.
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { loadavg } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { stringify } from "yaml";
import * as currentCore from "../../packages/core/src/index.ts";
import type { Engine, Rule, Subject } from "../../packages/core/src/index.ts";
import { median, writeBenchResult } from "./bench-result.ts";
import { BASELINE_COMMIT, baselineCore, type EngineCore } from "./engine-baseline.ts";
import { demoWorld, gateSubjects, generatedWorld, logSubjects, sweptSubjects } from "./engine-subjects.ts";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const KINDS = ["endpoint", "model", "notebook", "deployment", "ai-account", "agent"] as const;
const PROVIDERS = ["aws", "azure", "gcp"] as const;
const ROUNDS = Number(process.env.AIGOV_BENCH_ENGINE_ROUNDS ?? 5);
const TARGET_EVALUATIONS_PER_SECOND = 5_000_000;
// AIGOV_BENCH_ACCOUNTS scales the generated organization; the recorded result uses 50 (× 4 regions).
const ACCOUNTS = Number(process.env.AIGOV_BENCH_ACCOUNTS ?? 50);
const REGIONS = ["us-east-1", "us-west-2", "eu-west-1", "ap-southeast-2"];
/** Subjects judged per real-shaped round: the collected subjects, repeated (each pass over them is one sweep's work). */
const REAL_SHAPED_SUBJECTS_PER_ROUND = 100_000;
const POLICY_FILE = "test/bench/engine-policy.yaml";

/** 100 rules spread over every operator family, most applying to any asset (so the index does not hide the work). */
function syntheticRules(core: EngineCore): Rule[] {
  const conditions = [
    { field: "public", eq: true },
    { field: "keyAuth", eq: true },
    {
      all: [
        { field: "owner", exists: false },
        { field: "registered", eq: false },
      ],
    },
    { not: { field: "region", glob: "$policy.approved_regions" } },
    {
      all: [
        { field: "models", exists: true },
        { not: { field: "models", match: "all", glob: "$policy.approved_models" } },
      ],
    },
    { field: "name", matches: "^(shadow|tmp|test)-[0-9]+$" },
    { field: "native.capacity", gt: 500 },
    { field: "createdAt", older_than: "365d" },
    { not: { field: "tags", contains_all: ["owner", "env"] } },
    {
      any: [
        { field: "cmk", eq: false },
        { field: "logging", eq: false },
      ],
    },
  ];
  return Array.from({ length: 100 }, (_, index) => {
    const id = `bench-rule-${String(index).padStart(3, "0")}`;
    const appliesTo =
      index % 10 === 9 ? { subject: "asset", kind: [KINDS[index % KINDS.length]] } : { subject: "asset" };
    const rule = {
      id,
      title: `bench rule ${index}`,
      severity: ["low", "medium", "high"][index % 3],
      description: "d",
      risk: "r",
      remediation: { text: "t" },
      applies_to: appliesTo,
      condition: conditions[index % conditions.length],
      tests: [
        { name: "a", subject: {}, expect: "pass" },
        { name: "b", subject: {}, expect: "pass" },
      ],
    };
    return core.parseRule(stringify(rule), `/bench/${id}.yaml`);
  });
}

function syntheticAsset(index: number): Subject {
  const provider = PROVIDERS[index % 3]!;
  return {
    subject: "asset",
    provider,
    account: `acct-${index % 500}`,
    region: ["eu-west-1", "us-east-1", "westeurope", "us-central1"][index % 4]!,
    kind: KINDS[index % KINDS.length]!,
    type: `Synthetic::${KINDS[index % KINDS.length]}`,
    id: `asset-${index}`,
    name: index % 7 === 0 ? `shadow-${index}` : `svc-${index}`,
    tags: index % 2 === 0 ? { owner: "team", env: "prod" } : { env: "dev" },
    public: index % 5 === 0,
    keyAuth: index % 3 === 0,
    cmk: index % 4 !== 0,
    logging: index % 6 !== 0,
    models: index % 2 === 0 ? ["gpt-4o"] : ["anthropic.claude-3-haiku"],
    createdAt: "2025-01-01T00:00:00Z",
    native: { capacity: index % 1000 },
  };
}

interface Sample {
  readonly wallMs: number;
  readonly cpuMs: number;
  /** Judgements (judge) or findings (findings) made. */
  readonly count: number;
}

function threadCpuMs(): number {
  const usage = process.threadCpuUsage();
  return (usage.user + usage.system) / 1000;
}

/** One pass of `work` over `subjects`, timed by the wall clock and by this thread's CPU clock. */
function timed(subjects: readonly Subject[], work: (subject: Subject) => readonly unknown[]): Sample {
  let count = 0;
  const wallStart = performance.now();
  const cpuStart = threadCpuMs();
  for (const subject of subjects) count += work(subject).length;
  return { wallMs: performance.now() - wallStart, cpuMs: threadCpuMs() - cpuStart, count };
}

// --- the engines: this checkout's, and the baseline's unless told not to.
const baselineRef = process.env.AIGOV_BENCH_ENGINE_BASELINE ?? BASELINE_COMMIT;
const cores: Record<string, EngineCore> = { current: currentCore };
let baselineCommit: string | undefined;
if (baselineRef !== "none") {
  const baseline = await baselineCore(root, baselineRef);
  cores.baseline = baseline.core;
  baselineCommit = baseline.commit;
}
const engineNames = Object.keys(cores);

// --- the real-shaped subjects, collected once.
const NOW = new Date("2026-11-22T00:00:00Z");
process.stderr.write(
  `collecting real-shaped subjects (demo organization, ${ACCOUNTS}×${REGIONS.length} generated, plan and log fixtures)…\n`,
);
const sources = {
  demo: await sweptSubjects(await demoWorld(NOW), NOW, "all-enabled"),
  generated: await sweptSubjects(generatedWorld(ACCOUNTS, REGIONS), NOW, REGIONS),
  gate: await gateSubjects(),
  logs: await logSubjects(),
};
const collected = Object.values(sources).flat();
const repeats = Math.ceil(REAL_SHAPED_SUBJECTS_PER_ROUND / collected.length);
const realShaped = Array.from({ length: repeats }, () => collected).flat();
const policyText = readFileSync(join(root, POLICY_FILE), "utf8");

const SYNTHETIC_NOW = new Date("2026-06-01T00:00:00Z");
const syntheticPolicy = "approved_regions: [eu-*, westeurope]\napproved_models: [gpt-4o*]\n";
const assets = Array.from({ length: 100_000 }, (_, index) => syntheticAsset(index));

// --- each engine built from its own core: its rule loader, its policy parser, its engine.
const realEngines: Record<string, Engine> = {};
const syntheticEngines: Record<string, Engine> = {};
let realRules: Rule[] = [];
for (const [name, core] of Object.entries(cores)) {
  const rules = await core.loadRules();
  if (name === "current") realRules = rules;
  realEngines[name] = core.createEngine(rules, core.parsePolicy(policyText, join(root, POLICY_FILE)), { now: NOW });
  const synthetic = core.parsePolicy(syntheticPolicy, "/bench/aigov.yaml");
  syntheticEngines[name] = core.createEngine(syntheticRules(core), synthetic, { now: SYNTHETIC_NOW });
}

// --- the same outputs: every finding (as JSON) and every judgement's outcome, waiver and evidence.
const judgementsText = (engine: Engine, subject: Subject) =>
  JSON.stringify(
    engine.judge(subject).map((j) => [j.rule.id, j.outcome, j.waiver ?? null, j.outcome === "pass" ? [] : j.evidence]),
  );
if (cores.baseline !== undefined) {
  const checks: [string, readonly Subject[], Record<string, Engine>][] = [
    ["real-shaped", collected, realEngines],
    ["synthetic", assets.slice(0, 10_000), syntheticEngines],
  ];
  for (const [name, subjects, engines] of checks) {
    for (const subject of subjects) {
      const same =
        JSON.stringify(engines.current!.findings(subject)) === JSON.stringify(engines.baseline!.findings(subject)) &&
        judgementsText(engines.current!, subject) === judgementsText(engines.baseline!, subject);
      if (!same) {
        throw new Error(`the ${name} case's engines disagree on ${JSON.stringify(subject).slice(0, 300)}`);
      }
    }
  }
  process.stderr.write(`same findings and judgements from both engines on ${collected.length} + 10000 subjects\n`);
}

// --- timing: every engine on every case in every round, the first engine alternating.
interface Case {
  readonly name: "realShapedJudge" | "realShapedFindings" | "synthetic";
  readonly subjects: readonly Subject[];
  readonly work: (engine: Engine) => (subject: Subject) => readonly unknown[];
  readonly engines: Record<string, Engine>;
}
const cases: Case[] = [
  { name: "realShapedJudge", subjects: realShaped, work: (engine) => engine.judge, engines: realEngines },
  { name: "realShapedFindings", subjects: realShaped, work: (engine) => engine.findings, engines: realEngines },
  { name: "synthetic", subjects: assets, work: (engine) => engine.judge, engines: syntheticEngines },
];
const samples = new Map<string, Sample[]>();
const loadAtStart = Number(loadavg()[0]!.toFixed(2));
for (let round = 0; round < ROUNDS; round++) {
  for (const benchCase of cases) {
    // Alternate which engine goes first, so neither always meets a warmer or a busier machine.
    for (const name of round % 2 === 0 ? engineNames : [...engineNames].reverse()) {
      const sample = timed(benchCase.subjects, benchCase.work(benchCase.engines[name]!));
      const key = `${benchCase.name}/${name}`;
      samples.set(key, [...(samples.get(key) ?? []), sample]);
      process.stderr.write(
        `round ${round + 1} ${key}: ${Math.round(sample.wallMs)} ms wall, ${Math.round(sample.cpuMs)} ms CPU\n`,
      );
    }
  }
}

const rate = (count: number, ms: number) => Math.round(count / (ms / 1000));

/**
 * One engine's medians on one case. `evaluations` is the judgements a round makes (the same for both engines: the
 * judge case counts them), so the findings case is also given in evaluations per second.
 */
function measured(caseName: Case["name"], engine: string, evaluations: number) {
  const runs = samples.get(`${caseName}/${engine}`)!;
  const wallMs = median(runs.map((sample) => sample.wallMs));
  const cpuMs = median(runs.map((sample) => sample.cpuMs));
  return {
    roundMs: runs.map((sample) => Math.round(sample.wallMs)),
    medianRoundMs: Math.round(wallMs),
    medianCpuMs: Math.round(cpuMs),
    evaluationsPerSecond: rate(evaluations, wallMs),
    evaluationsPerCpuSecond: rate(evaluations, cpuMs),
  };
}

/** Both engines' medians on one case, and how many times faster this checkout's is (wall clock, CPU clock). */
function compared(caseName: Case["name"], evaluations: number) {
  const current = measured(caseName, "current", evaluations);
  if (!("baseline" in cores)) return { current };
  const baseline = measured(caseName, "baseline", evaluations);
  return {
    current,
    baseline,
    ratio: Number((current.evaluationsPerSecond / baseline.evaluationsPerSecond).toFixed(2)),
    cpuRatio: Number((current.evaluationsPerCpuSecond / baseline.evaluationsPerCpuSecond).toFixed(2)),
  };
}

const first = (caseName: Case["name"]) => samples.get(`${caseName}/current`)![0]!.count;
const realEvaluations = first("realShapedJudge");
const syntheticEvaluations = first("synthetic");

const startup: number[] = [];
const node = join(root, "node_modules/.bin/node");
for (let run = 0; run < 15; run++) {
  const started = performance.now();
  const result = spawnSync(node, [join(root, "packages/cli/bin/aigov.js"), "--version"], { encoding: "utf8" });
  if (result.status !== 0) throw new Error(`aigov --version failed: ${result.stderr}`);
  startup.push(performance.now() - started);
}
const bareNode: number[] = [];
for (let run = 0; run < 15; run++) {
  const started = performance.now();
  spawnSync(node, ["-e", "0"]);
  bareNode.push(performance.now() - started);
}

/**
 * The CPUs this process may run on, as Linux lists them (`taskset -c 0 …` pins it to one), so that a result says
 * whether "one core" meant one thread free to move between cores or a process held on one.
 */
function cpusAllowed(): string {
  try {
    return /Cpus_allowed_list:\s*(\S+)/.exec(readFileSync("/proc/self/status", "utf8"))?.[1] ?? "unknown";
  } catch {
    return "unknown";
  }
}

const bySubjectType = (subjects: readonly Subject[]) =>
  Object.fromEntries(
    ["asset", "key", "api-call"].map((type) => [type, subjects.filter((s) => s.subject === type).length]),
  );

writeBenchResult(process.env.AIGOV_BENCH_ENGINE_RESULT ?? "engine", {
  loadAverage: { start: loadAtStart, end: Number(loadavg()[0]!.toFixed(2)) },
  cpusAllowed: cpusAllowed(),
  baseline:
    baselineCommit === undefined
      ? "none"
      : { commit: baselineCommit, sameFindingsAndJudgements: true, subjectsCompared: collected.length + 10_000 },
  targetEvaluationsPerSecond: TARGET_EVALUATIONS_PER_SECOND,
  realShaped: {
    rules: {
      pack: realRules.length,
      judgedPerSubject: realRules.filter((rule) => rule.raw.aggregate === undefined).length,
    },
    policy: POLICY_FILE,
    subjects: Object.fromEntries(Object.entries(sources).map(([name, list]) => [name, bySubjectType(list)])),
    generatedOrganization: `${ACCOUNTS} accounts × ${REGIONS.length} regions (scanners/aws/test/generated-world.ts)`,
    subjectsPerRound: realShaped.length,
    evaluationsPerRound: realEvaluations,
    evaluationsPerSubject: Number((realEvaluations / realShaped.length).toFixed(1)),
    judge: compared("realShapedJudge", realEvaluations),
    findings: { findingsPerRound: first("realShapedFindings"), ...compared("realShapedFindings", realEvaluations) },
  },
  synthetic: {
    rules: 100,
    assets: assets.length,
    evaluationsPerRound: syntheticEvaluations,
    judge: compared("synthetic", syntheticEvaluations),
  },
  peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
  versionStartupMedianMs: Math.round(median(startup)),
  bareNodeStartupMedianMs: Math.round(median(bareNode)),
  targetStartupMs: 150,
  note: `one core (single thread); medians of ${ROUNDS} interleaved rounds (wall clock and this thread's CPU clock) / 15 start-ups, measured in the same run`,
});
