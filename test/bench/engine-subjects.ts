// Real-shaped subjects for the engine benchmark, produced the way aigov produces them: the AWS scanner sweeping the
// demo organization and a generated organization in cloud-sim, the gate reading every plan fixture, and the log
// reader reading every log fixture. Collected once; the benchmark then times only the engine over them.
import { readdirSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { loadWorld, startCloudSim, type World } from "../../packages/cloud-sim/src/index.ts";
import type { ScanTarget, Subject } from "../../packages/core/src/index.ts";
import { readGateSource } from "../../packages/iac/src/gate.ts";
import { readLogs } from "../../packages/logs/src/index.ts";
import { anchorWorldClock } from "../../packages/cli/src/sweep/demo-world.ts";
import { type AwsScanConfig, type AwsTargetMeta, createAwsScanner } from "../../scanners/aws/src/index.ts";
import { generatedWorld } from "../../scanners/aws/test/generated-world.ts";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

/** Every subject a sweep of `world` yields (assets, keys, api-calls), in the order the scanner yields them. */
export async function sweptSubjects(world: World, now: Date, regions: AwsScanConfig["regions"]): Promise<Subject[]> {
  const sim = await startCloudSim({ world });
  const scanner = createAwsScanner({
    credentials: async () => ({ accessKeyId: "AKIAAIGOVBENCHCALLER", secretAccessKey: "bench-not-a-secret" }),
    now: () => now,
  });
  const config: AwsScanConfig = {
    organization: true,
    regions,
    endpoint: sim.url,
    concurrency: 32,
    readSsmParameterValues: true,
    cloudTrailLookbackHours: 168,
    cloudTrailEventSources: ["bedrock.amazonaws.com", "bedrock-mantle.amazonaws.com", "sagemaker.amazonaws.com"],
  };
  const subjects: Subject[] = [];
  try {
    const targets: ScanTarget<AwsTargetMeta>[] = [];
    for await (const item of scanner.targets(config)) if (!("type" in item)) targets.push(item);
    await Promise.all(
      targets.map(async (target) => {
        for await (const item of scanner.collect(target, config))
          if (item.type === "subject") subjects.push(item.subject);
      }),
    );
  } finally {
    scanner.close();
    await sim.close();
  }
  return subjects;
}

/** The planned subjects of every plan and cdktf fixture the gate reads (fixtures it refuses are skipped). */
export async function gateSubjects(): Promise<Subject[]> {
  const dir = join(root, "test/fixtures/plans");
  const files = readdirSync(dir, { recursive: true, encoding: "utf8" })
    .map((name) => join(dir, name))
    .filter((path) => path.endsWith(".json") && statSync(path).isFile())
    .sort();
  const subjects: Subject[] = [];
  for (const file of files) {
    const input = await readGateSource(file).catch(() => undefined);
    if (input !== undefined) subjects.push(...input.subjects);
  }
  return subjects;
}

/** The api-calls and AI keys the log reader finds in every log fixture. */
export async function logSubjects(): Promise<Subject[]> {
  const dir = join(root, "test/fixtures/logs");
  const subjects: Subject[] = [];
  for await (const event of readLogs([dir], { env: {} })) {
    if (event.type !== "call") continue;
    subjects.push(event.call, ...event.keys);
  }
  return subjects;
}

export async function demoWorld(now: Date): Promise<World> {
  return anchorWorldClock(await loadWorld(join(root, "packages/cli/assets/demo-world.yaml")), now);
}

export { generatedWorld };
