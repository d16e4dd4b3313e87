// The store's side of a large sweep, side by side with the store at a baseline commit (package-at-commit.ts), in one
// process, builds taking turns round by round: a run of 1,000 accounts × 4 regions as `aigov sweep` records it
// (5,004 targets, one transaction each, of 8 assets and 24 findings shaped and sized as the sweep's: 1.2 KB of JSON
// a finding, with its rule's title, remediation, references and frameworks), then the end of that first run
// (`finishRun`, every finding new), a second run that sees 94% of them again (the rest resolved), and the second
// run's findings as JSON text (`--format json`). Reports wall and CPU milliseconds of each step, medians over
// AIGOV_BENCH_ROUNDS (default 3); AIGOV_BENCH_STORE_BASELINE=<commit> (default 74c773d, main before the change that
// reordered finishRun), =none measures this checkout alone; AIGOV_BENCH_STORE_TARGETS scales the run.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { type Asset, type Finding, findingId, subjectRef } from "../../packages/core/src/index.ts";
import type * as StorePackage from "../../packages/store/src/index.ts";
import { endpoint } from "../../packages/store/test/observations.ts";
import { median, writeBenchResult } from "./bench-result.ts";
import { packageAtCommit } from "./package-at-commit.ts";

type StoreModule = Pick<typeof StorePackage, "Store">;
type Observation = StorePackage.Observation;

const root = join(dirname(fileURLToPath(import.meta.url)), "../..");
const rounds = Number(process.env.AIGOV_BENCH_ROUNDS ?? 3);
const targetCount = Number(process.env.AIGOV_BENCH_STORE_TARGETS ?? 5_004);
const baselineRef = process.env.AIGOV_BENCH_STORE_BASELINE ?? "74c773d";
const ASSETS_PER_TARGET = 8;
const FINDINGS_PER_ASSET = 3;

// The parts of a finding its rule gives it, as the sweep's long-term Bedrock API key finding carries them.
const RULE_TEXT = {
  title: "Long-term Bedrock API key",
  remediation: {
    text: "Use IAM roles or short-term Bedrock API keys; delete long-term keys that are not needed.",
    terraform: '# remove aws_iam_service_specific_credential with service_name = "bedrock.amazonaws.com"\n',
    cli: "aws iam delete-service-specific-credential --user-name USER --service-specific-credential-id ID",
  },
  references: ["https://docs.aws.amazon.com/bedrock/latest/userguide/api-keys.html"],
  frameworks: { "owasp-llm-2025": ["LLM10"], "nist-ai-rmf": ["MANAGE-2.2"], "iso-42001": ["A.6.2.6"] },
};

function targetKey(index: number): { key: string; account: string; region: string } {
  const account = String(100_000_000_000 + Math.floor(index / 4));
  const region = ["us-east-1", "us-west-2", "eu-west-1", "ap-southeast-2"][index % 4]!;
  return { key: `aws:${account}:${region}`, account, region };
}

/** One target's observations; `seen` drops the findings a later run no longer sees. */
function observations(index: number, seen: (findingIndex: number) => boolean): Observation[] {
  const { key, account, region } = targetKey(index);
  const out: Observation[] = [];
  for (let a = 0; a < ASSETS_PER_TARGET; a++) {
    const name = `endpoint-${index}-${a}`;
    const asset: Asset = {
      ...endpoint(account, region, name, ["anthropic.claude-3-haiku-20240307-v1:0"]),
      tags: { owner: "ml-platform", team: "search" },
      native: { EndpointStatus: "InService", CreationTime: "2026-11-01T00:00:00.000Z" },
    };
    const subject = subjectRef(asset);
    const findings: Finding[] = [];
    for (let f = 0; f < FINDINGS_PER_ASSET; f++) {
      if (!seen(index * ASSETS_PER_TARGET * FINDINGS_PER_ASSET + a * FINDINGS_PER_ASSET + f)) continue;
      const ruleId = `aws-rule-${f}`;
      findings.push({
        id: findingId(ruleId, subject),
        ruleId,
        ...RULE_TEXT,
        severity: (["high", "medium", "low"] as const)[f]!,
        status: "open",
        subject,
        message: `${RULE_TEXT.title}: ${name} (status = "active")`,
        evidence: [{ field: "status", value: "active", expected: 'eq "active"' }],
        observedAt: "2026-12-06T22:37:25.263Z",
      });
    }
    out.push({ targetKey: key, subject: asset, findings });
  }
  return out;
}

function timed(work: () => void): { wallMs: number; cpuMs: number } {
  const cpu = process.cpuUsage();
  const start = performance.now();
  work();
  const used = process.cpuUsage(cpu);
  return { wallMs: performance.now() - start, cpuMs: (used.user + used.system) / 1000 };
}

function record(store: StorePackage.Store, runId: number, seen: (findingIndex: number) => boolean): void {
  for (let index = 0; index < targetCount; index++) {
    const { key, account, region } = targetKey(index);
    store.record(runId, observations(index, seen));
    store.targetDone(runId, { key, provider: "aws", account, region, label: account }, "complete", ASSETS_PER_TARGET);
  }
}

function measure(module: StoreModule) {
  const dir = mkdtempSync(join(tmpdir(), "aigov-store-bench-"));
  try {
    const store = new module.Store(join(dir, "aigov.db"));
    const finish = { status: "complete", targetsTotal: targetCount, apiCalls: 0, errors: 0 } as const;
    const first = store.beginRun();
    const recordFirst = timed(() => record(store, first.id, () => true));
    let firstChanges: unknown;
    const finishFirst = timed(() => {
      firstChanges = store.finishRun(first.id, finish);
    });
    const second = store.beginRun();
    // Every 16th finding is gone the second time: resolved.
    record(store, second.id, (findingIndex) => findingIndex % 16 !== 0);
    let secondChanges: unknown;
    const finishSecond = timed(() => {
      secondChanges = store.finishRun(second.id, finish);
    });
    let jsonBytes = 0;
    const findingsJson = timed(() => {
      for (const text of store.runFindingsJson(second.id)) jsonBytes += text.length;
    });
    store.close();
    return { recordFirst, finishFirst, finishSecond, findingsJson, firstChanges, secondChanges, jsonBytes };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const builds: { label: string; module: StoreModule }[] = [
  { label: "this checkout", module: await import("../../packages/store/src/index.ts") },
];
let baselineCommit: string | undefined;
if (baselineRef !== "none") {
  const extracted = packageAtCommit(root, baselineRef, "packages/store");
  baselineCommit = extracted.commit;
  builds.unshift({
    label: `baseline ${extracted.commit.slice(0, 7)}`,
    module: await import(pathToFileURL(join(extracted.dir, "packages/store/src/index.ts")).href),
  });
}

const measured = new Map(builds.map(({ label }) => [label, [] as ReturnType<typeof measure>[]]));
for (let round = 1; round <= rounds; round++) {
  for (const build of builds) {
    process.stderr.write(`round ${round}, ${build.label}\n`);
    measured.get(build.label)!.push(measure(build.module));
  }
}

const steps = ["recordFirst", "finishFirst", "finishSecond", "findingsJson"] as const;
const results = builds.map(({ label }) => {
  const runs = measured.get(label)!;
  return {
    build: label,
    ...Object.fromEntries(
      steps.map((step) => [
        step,
        {
          wallMs: Math.round(median(runs.map((run) => run[step].wallMs))),
          cpuMs: Math.round(median(runs.map((run) => run[step].cpuMs))),
          wallMsEachRound: runs.map((run) => Math.round(run[step].wallMs)),
        },
      ]),
    ),
    firstChanges: runs[0]!.firstChanges,
    secondChanges: runs[0]!.secondChanges,
    findingsJsonBytes: runs[0]!.jsonBytes,
  };
});

writeBenchResult("store", {
  setup: {
    targets: targetCount,
    assetsPerTarget: ASSETS_PER_TARGET,
    findingsPerTarget: ASSETS_PER_TARGET * FINDINGS_PER_ASSET,
    rounds,
    baselineCommit: baselineCommit ?? "none",
  },
  results,
  note: "wall and CPU milliseconds, medians of the rounds; builds take turns each round in one process",
});
