// Foundation benchmark: 100 rules over 100,000 synthetic assets on one core (rule-subject evaluations per second,
// peak RSS), and `aigov --version` start-up. Results: test/bench/results/engine.json.
import { spawnSync } from "node:child_process";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { stringify } from "yaml";
import { createEngine, parsePolicy, parseRule, type Rule, type Subject } from "../../packages/core/src/index.ts";
import { median, writeBenchResult } from "./bench-result.ts";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const KINDS = ["endpoint", "model", "notebook", "deployment", "ai-account", "agent"] as const;
const PROVIDERS = ["aws", "azure", "gcp"] as const;

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

const rules = syntheticRules();
const policy = parsePolicy("approved_regions: [eu-*, westeurope]\napproved_models: [gpt-4o*]\n", "/bench/aigov.yaml");
const engine = createEngine(rules, policy, { now: new Date("2026-06-01T00:00:00Z") });
const assets = Array.from({ length: 100_000 }, (_, index) => syntheticAsset(index));

const samples: number[] = [];
let evaluations = 0;
let violations = 0;
for (let round = 0; round < 5; round++) {
  evaluations = 0;
  violations = 0;
  const started = performance.now();
  for (const subject of assets) {
    const judgements = engine.judge(subject);
    evaluations += judgements.length;
    for (const judgement of judgements) if (judgement.outcome === "violation") violations++;
  }
  samples.push(performance.now() - started);
}
const medianMs = median(samples);

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

writeBenchResult("engine", {
  rules: rules.length,
  assets: assets.length,
  evaluationsPerRound: evaluations,
  violationsPerRound: violations,
  roundMs: samples.map((ms) => Math.round(ms)),
  medianRoundMs: Math.round(medianMs),
  evaluationsPerSecond: Math.round(evaluations / (medianMs / 1000)),
  targetEvaluationsPerSecond: 1_000_000,
  peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
  versionStartupMedianMs: Math.round(median(startup)),
  bareNodeStartupMedianMs: Math.round(median(bareNode)),
  targetStartupMs: 150,
  note: "one core (single thread); medians of 5 rounds / 15 start-ups measured in the same run",
});
