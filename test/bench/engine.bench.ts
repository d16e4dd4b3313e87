// The rule engine on one core, two cases side by side in one run, interleaved round by round:
//  - synthetic (the foundation case, unchanged so results compare across versions): 100 rules over 100,000 synthetic
//    assets;
//  - real-shaped: the default rule pack under the demo policy over the subjects aigov itself produces (engine-subjects.ts):
//    the AWS scanner's sweep of the demo organization and of a generated organization, the gate's reading of every plan
//    fixture, the log reader's reading of every log fixture. Judged (engine.judge) and turned into findings
//    (engine.findings, what a sweep and the gate call).
// A rule-subject evaluation is one judgement: one applicable rule judged on one subject (what engine.judge returns).
// Wall time and the main thread's CPU time are both reported: the machine is shared, and CPU time is what the engine used.
// With AIGOV_BENCH_ENGINE_BASELINE=<another checkout>/packages/core/src/index.ts, that engine (e.g. main's) judges the
// same subjects with the same rules in every round too, interleaved, and the result gives each ratio.
// Also `aigov --version` start-up. Results: test/bench/results/engine.json.
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { stringify } from "yaml";
import {
  createEngine,
  loadRules,
  parsePolicy,
  parseRule,
  type Rule,
  type Subject,
} from "../../packages/core/src/index.ts";
import { median, writeBenchResult } from "./bench-result.ts";
import { demoWorld, gateSubjects, generatedWorld, logSubjects, sweptSubjects } from "./engine-subjects.ts";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const KINDS = ["endpoint", "model", "notebook", "deployment", "ai-account", "agent"] as const;
const PROVIDERS = ["aws", "azure", "gcp"] as const;
const ROUNDS = 5;
// AIGOV_BENCH_ACCOUNTS scales the generated organization; the recorded result uses 50 (× 4 regions).
const ACCOUNTS = Number(process.env.AIGOV_BENCH_ACCOUNTS ?? 50);
const REGIONS = ["us-east-1", "us-west-2", "eu-west-1", "ap-southeast-2"];
/** Subjects judged per real-shaped round: the collected subjects, repeated (each pass over them is one sweep's work). */
const REAL_SHAPED_SUBJECTS_PER_ROUND = 100_000;

/** 100 rules spread over every operator family, most applying to any asset (so the index does not hide the work). */
function syntheticRules(): Rule[] {
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
    return parseRule(stringify(rule), `/bench/${id}.yaml`);
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

/** The engine API both the engine under test and a baseline checkout's provide. */
type EngineFactory = typeof createEngine;

interface Sample {
  readonly wallMs: number;
  readonly cpuMs: number;
  /** Judgements (judge) or findings (findings) made. */
  readonly count: number;
  readonly violations: number;
}

function threadCpuMs(): number {
  const usage = process.threadCpuUsage();
  return (usage.user + usage.system) / 1000;
}

/** One pass of `work` over `subjects`, timed by the wall clock and by this thread's CPU clock. */
function timed(
  subjects: readonly Subject[],
  work: (subject: Subject) => readonly { outcome?: string; status?: string }[],
): Sample {
  let count = 0;
  let violations = 0;
  const wallStart = performance.now();
  const cpuStart = threadCpuMs();
  for (const subject of subjects) {
    const results = work(subject);
    count += results.length;
    for (const result of results) if (result.outcome === "violation" || result.status === "open") violations++;
  }
  return { wallMs: performance.now() - wallStart, cpuMs: threadCpuMs() - cpuStart, count, violations };
}

interface Case {
  readonly name: string;
  readonly subjects: readonly Subject[];
  readonly mode: "judge" | "findings";
  readonly engines: Readonly<Record<string, ReturnType<EngineFactory>>>;
}

const rate = (count: number, ms: number) => Math.round(count / (ms / 1000));

function summary(samples: readonly Sample[], perSecond: "count" | "subjects", subjects: number) {
  const wallMs = median(samples.map((sample) => sample.wallMs));
  const cpuMs = median(samples.map((sample) => sample.cpuMs));
  const amount = perSecond === "count" ? samples[0]!.count : subjects;
  return {
    roundMs: samples.map((sample) => Math.round(sample.wallMs)),
    medianRoundMs: Math.round(wallMs),
    medianCpuMs: Math.round(cpuMs),
    perSecond: rate(amount, wallMs),
    perCpuSecond: rate(amount, cpuMs),
  };
}

// --- the engines: this checkout's, and a baseline's when asked for.
const baselinePath = process.env.AIGOV_BENCH_ENGINE_BASELINE;
const factories: Record<string, EngineFactory> = { current: createEngine };
if (baselinePath !== undefined) {
  const baseline: { createEngine: EngineFactory } = await import(pathToFileURL(resolve(baselinePath)).href);
  factories.baseline = baseline.createEngine;
}

// --- the synthetic case.
const synthRules = syntheticRules();
const synthPolicy = parsePolicy(
  "approved_regions: [eu-*, westeurope]\napproved_models: [gpt-4o*]\n",
  "/bench/aigov.yaml",
);
const synthNow = new Date("2026-06-01T00:00:00Z");
const assets = Array.from({ length: 100_000 }, (_, index) => syntheticAsset(index));

// --- the real-shaped case: subjects as a sweep, the gate and the log reader produce them, collected once.
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
const realRules = await loadRules();
const demoPolicyFile = join(root, "packages/cli/assets/demo-policy.yaml");
const realPolicy = parsePolicy(readFileSync(demoPolicyFile, "utf8"), demoPolicyFile);

const enginesFor = (rules: readonly Rule[], policy: typeof realPolicy, now: Date) =>
  Object.fromEntries(Object.entries(factories).map(([name, factory]) => [name, factory(rules, policy, { now })]));
const synthEngines = enginesFor(synthRules, synthPolicy, synthNow);
const realEngines = enginesFor(realRules, realPolicy, NOW);
const cases: Case[] = [
  { name: "synthetic", subjects: assets, mode: "judge", engines: synthEngines },
  { name: "realShapedJudge", subjects: realShaped, mode: "judge", engines: realEngines },
  { name: "realShapedFindings", subjects: realShaped, mode: "findings", engines: realEngines },
];

const samples = new Map<string, Sample[]>();
for (let round = 0; round < ROUNDS; round++) {
  for (const benchCase of cases) {
    const names = Object.keys(benchCase.engines);
    // Alternate which engine goes first, so neither always meets a warmer or a busier machine.
    for (const name of round % 2 === 0 ? names : [...names].reverse()) {
      const engine = benchCase.engines[name]!;
      const sample = timed(benchCase.subjects, benchCase.mode === "judge" ? engine.judge : engine.findings);
      const key = `${benchCase.name}/${name}`;
      samples.set(key, [...(samples.get(key) ?? []), sample]);
      process.stderr.write(
        `round ${round + 1} ${key}: ${Math.round(sample.wallMs)} ms wall, ${Math.round(sample.cpuMs)} ms CPU\n`,
      );
    }
  }
}

const results = (name: string, engine: string) => samples.get(`${name}/${engine}`)!;
const synthetic = summary(results("synthetic", "current"), "count", assets.length);
const judged = summary(results("realShapedJudge", "current"), "count", realShaped.length);
const found = summary(results("realShapedFindings", "current"), "subjects", realShaped.length);
const realEvaluations = results("realShapedJudge", "current")[0]!.count;

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

/** The baseline's medians and how many times faster the engine under test is, wall and CPU. */
function versusBaseline(name: string, perSecond: "count" | "subjects", subjects: number) {
  if (!("baseline" in factories)) return undefined;
  const current = summary(results(name, "current"), perSecond, subjects);
  const baseline = summary(results(name, "baseline"), perSecond, subjects);
  return {
    baseline,
    speedUp: Number((current.perSecond / baseline.perSecond).toFixed(2)),
    cpuSpeedUp: Number((current.perCpuSecond / baseline.perCpuSecond).toFixed(2)),
  };
}

const bySubjectType = (subjects: readonly Subject[]) =>
  Object.fromEntries(
    ["asset", "key", "api-call"].map((type) => [type, subjects.filter((s) => s.subject === type).length]),
  );

writeBenchResult("engine", {
  rules: synthRules.length,
  assets: assets.length,
  evaluationsPerRound: results("synthetic", "current")[0]!.count,
  violationsPerRound: results("synthetic", "current")[0]!.violations,
  roundMs: synthetic.roundMs,
  medianRoundMs: synthetic.medianRoundMs,
  evaluationsPerSecond: synthetic.perSecond,
  evaluationsPerCpuSecond: synthetic.perCpuSecond,
  targetEvaluationsPerSecond: 5_000_000,
  ...(baselinePath === undefined
    ? {}
    : { syntheticVersusBaseline: versusBaseline("synthetic", "count", assets.length) }),
  realShaped: {
    rules: {
      pack: realRules.length,
      judgedPerSubject: realRules.filter((rule) => rule.raw.aggregate === undefined).length,
    },
    policy: "packages/cli/assets/demo-policy.yaml",
    subjects: Object.fromEntries(Object.entries(sources).map(([name, list]) => [name, bySubjectType(list)])),
    generatedOrganization: `${ACCOUNTS} accounts × ${REGIONS.length} regions (scanners/aws/test/generated-world.ts)`,
    subjectsPerRound: realShaped.length,
    evaluationsPerRound: realEvaluations,
    evaluationsPerSubject: Number((realEvaluations / realShaped.length).toFixed(1)),
    judge: { ...judged, evaluationsPerSecond: judged.perSecond, evaluationsPerCpuSecond: judged.perCpuSecond },
    findings: {
      ...found,
      findingsPerRound: results("realShapedFindings", "current")[0]!.count,
      subjectsPerSecond: found.perSecond,
      evaluationsPerSecond: rate(realEvaluations, found.medianRoundMs),
      evaluationsPerCpuSecond: rate(realEvaluations, found.medianCpuMs),
    },
    ...(baselinePath === undefined
      ? {}
      : {
          judgeVersusBaseline: versusBaseline("realShapedJudge", "count", realShaped.length),
          findingsVersusBaseline: versusBaseline("realShapedFindings", "subjects", realShaped.length),
        }),
  },
  ...(baselinePath === undefined ? {} : { baseline: baselinePath.replace(root, ".") }),
  peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
  versionStartupMedianMs: Math.round(median(startup)),
  bareNodeStartupMedianMs: Math.round(median(bareNode)),
  targetStartupMs: 150,
  note: `one core (single thread); medians of ${ROUNDS} interleaved rounds (wall clock and this thread's CPU clock) / 15 start-ups, measured in the same run`,
});
