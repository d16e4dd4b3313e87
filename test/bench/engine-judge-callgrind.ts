// Instructions per real-shaped judge round, counted by callgrind (repeatable on a loaded machine, unlike wall time):
//   node test/bench/engine-judge-callgrind.ts collect <file>      collects the engine bench's real-shaped subjects once
//   valgrind --tool=callgrind --toggle-collect=Builtins_ArrayReduceRight --callgrind-out-file=<out> \
//     node --single-threaded test/bench/engine-judge-callgrind.ts judge <file> [commit]
// `judge` builds the engine bench's engine (the rule pack under engine-policy.yaml) from this checkout's core, or a
// commit's (engine-baseline.ts), judges the subjects repeated 4 times in 8 warm-up rounds, then 4 measured rounds
// inside Array.prototype.reduceRight, which nothing else calls (Reflect.apply also runs under module loading):
// callgrind counts only those. Instructions per round = the total / 4.
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { deserialize, serialize } from "node:v8";
import * as currentCore from "../../packages/core/src/index.ts";
import type { Subject } from "../../packages/core/src/index.ts";
import { baselineCore, type EngineCore } from "./engine-baseline.ts";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const NOW = new Date("2026-11-22T00:00:00Z");
const REGIONS = ["us-east-1", "us-west-2", "eu-west-1", "ap-southeast-2"];
const [mode, file, commit] = process.argv.slice(2);
if (file === undefined) throw new Error("usage: engine-judge-callgrind.ts collect|judge <file> [commit]");

if (mode === "collect") {
  // Imported only here: the AWS scanner and cloud-sim are not what a judge round's count should include.
  const { demoWorld, gateSubjects, generatedWorld, logSubjects, sweptSubjects } = await import("./engine-subjects.ts");
  const subjects = [
    ...(await sweptSubjects(await demoWorld(NOW), NOW, "all-enabled")),
    ...(await sweptSubjects(generatedWorld(50, REGIONS), NOW, REGIONS)),
    ...(await gateSubjects()),
    ...(await logSubjects()),
  ];
  writeFileSync(file, serialize(subjects));
  process.stderr.write(`${subjects.length} subjects written to ${file}\n`);
} else {
  const core: EngineCore = commit === undefined ? currentCore : (await baselineCore(root, commit)).core;
  const collected = deserialize(readFileSync(file)) as Subject[];
  const subjects = [...collected, ...collected, ...collected, ...collected];
  const policyFile = join(root, "test/bench/engine-policy.yaml");
  const policy = core.parsePolicy(readFileSync(policyFile, "utf8"), policyFile);
  // AIGOV_CG_NO_WAIVERS=1: the policy without its waivers, to count what waivers cost.
  const engine = core.createEngine(
    await core.loadRules(),
    process.env.AIGOV_CG_NO_WAIVERS === "1" ? { ...policy, waivers: [] } : policy,
    { now: NOW },
  );
  const round = (): number => {
    let judgements = 0;
    for (const subject of subjects) judgements += engine.judge(subject).length;
    return judgements;
  };
  for (let warmUp = 0; warmUp < 8; warmUp++) round();
  const measured = [1, 2, 3, 4].reduceRight((sum) => sum + round(), 0);
  process.stderr.write(`${subjects.length} subjects, ${measured / 4} judgements per round\n`);
}
