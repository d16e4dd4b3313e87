// The secret screen's cost: every subject a scanner collects passes the AI key detector. Real subjects (one sweep of
// a generated organization against cloud-sim, plus the 268-key world) are screened side by side with serializing
// them, which the store does for each subject anyway. Reports the median microseconds per subject and the ratios.
// Results: test/bench/results/secret-screen.json.
import type { ApiCall, Asset, Key, Subject } from "../../packages/core/src/index.ts";
import { screenSubject } from "../../packages/core/src/index.ts";
import { startCloudSim, type World } from "../../packages/cloud-sim/src/index.ts";
import { createAwsScanner } from "../../scanners/aws/src/index.ts";
import { generatedWorld } from "../../scanners/aws/test/generated-world.ts";
import { secretWorld } from "../../scanners/aws/test/secret-world.ts";
import { median, writeBenchResult } from "./bench-result.ts";

const ROUNDS = 41;
const NOW = new Date();

/** The subjects a sweep of `world` yields, screened (a clean world's subjects are unchanged by screening). */
async function subjectsOf(world: World): Promise<Subject[]> {
  const sim = await startCloudSim({ world, pageSize: 1000 });
  const scanner = createAwsScanner({
    credentials: async () => ({ accessKeyId: "AKIAFAKEFAKEFAKEFAKE", secretAccessKey: "bench" }),
    now: () => NOW,
  });
  const config = { organization: true, regions: "all-enabled" as const, endpoint: sim.url, concurrency: 32 };
  const subjects: Subject[] = [];
  for await (const target of scanner.targets(config)) {
    if ("type" in target) continue;
    for await (const item of scanner.collect(target, config)) if (item.type === "subject") subjects.push(item.subject);
  }
  scanner.close();
  await sim.close();
  return subjects;
}

/** The same subjects with a key put back into one string of each: the screen's slow path (redact, build a Key). */
function withKeys(subjects: readonly Subject[], secret: string): Subject[] {
  return subjects.map((subject) => {
    const native = { ...subject.native, Description: `calls the model with ${secret}` };
    return { ...(subject as Asset | Key | ApiCall), native } as Subject;
  });
}

function time(work: () => void): number {
  const started = performance.now();
  work();
  return performance.now() - started;
}

const clean = await subjectsOf(generatedWorld(40, ["us-east-1", "eu-west-1"]));
const secretSubjects = await subjectsOf(secretWorld(NOW).world);
const dirty = withKeys(clean, "hf_AbCdEfGhIjKlMnOpQrStUvWxYzAbCdEfGh");
const samples = { stringify: [] as number[], screenClean: [] as number[], screenDirty: [] as number[] };
let sink = 0;
// Interleaved rounds: the three measurements share the machine's noise alike.
for (let round = 0; round < ROUNDS; round++) {
  samples.stringify.push(
    time(() => {
      for (const subject of clean) sink += JSON.stringify(subject).length;
    }),
  );
  samples.screenClean.push(
    time(() => {
      for (const subject of clean) sink += screenSubject(subject).length;
    }),
  );
  samples.screenDirty.push(
    time(() => {
      for (const subject of dirty) sink += screenSubject(subject).length;
    }),
  );
}
const perSubject = (ms: number) => Number(((ms * 1000) / clean.length).toFixed(2));
const stringify = median(samples.stringify);
const screenClean = median(samples.screenClean);
const screenDirty = median(samples.screenDirty);
writeBenchResult("secret-screen", {
  subjects: clean.length,
  rounds: ROUNDS,
  microsecondsPerSubject: {
    serialize: perSubject(stringify),
    screenWithoutKeys: perSubject(screenClean),
    screenWithOneKey: perSubject(screenDirty),
  },
  ratioToSerialize: {
    screenWithoutKeys: Number((screenClean / stringify).toFixed(2)),
    screenWithOneKey: Number((screenDirty / stringify).toFixed(2)),
  },
  secretWorld: { subjects: secretSubjects.length, keys: secretSubjects.filter((s) => s.subject === "key").length },
  checksum: sink > 0,
});
