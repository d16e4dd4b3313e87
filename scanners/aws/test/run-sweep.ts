import type { ApiCall, Asset, CoverageGap, Key, ScanTarget } from "@aigov/core";
import type { AwsScanConfig, AwsScanner, AwsTargetMeta } from "../src/index.ts";

export interface SweepResult {
  readonly targets: ScanTarget<AwsTargetMeta>[];
  readonly assets: Asset[];
  readonly keys: Key[];
  readonly calls: ApiCall[];
  readonly gaps: CoverageGap[];
}

/** Drives a scanner the way a sweep does: targets stream in, each is collected, up to `parallel` at once. */
export async function runSweep(scanner: AwsScanner, config: AwsScanConfig, parallel = 8): Promise<SweepResult> {
  const result: SweepResult = { targets: [], assets: [], keys: [], calls: [], gaps: [] };
  const running = new Set<Promise<void>>();
  const collect = async (target: ScanTarget<AwsTargetMeta>) => {
    for await (const item of scanner.collect(target, config)) {
      if (item.type === "gap") result.gaps.push(item.gap);
      else if (item.subject.subject === "asset") result.assets.push(item.subject);
      else if (item.subject.subject === "key") result.keys.push(item.subject);
      else result.calls.push(item.subject);
    }
  };
  for await (const item of scanner.targets(config)) {
    if ("type" in item) {
      result.gaps.push(item.gap);
      continue;
    }
    result.targets.push(item);
    const job = collect(item).finally(() => running.delete(job));
    running.add(job);
    if (running.size >= parallel) await Promise.race(running);
  }
  await Promise.all(running);
  return result;
}

export const FAKE_CREDENTIALS = async () => ({ accessKeyId: "AKIAFAKEFAKEFAKEFAKE", secretAccessKey: "not-a-secret" });

export function byName<T extends { name: string; type: string }>(items: readonly T[], type: string, name: string): T {
  const found = items.find((item) => item.type === type && item.name === name);
  if (found === undefined)
    throw new Error(`no ${type} named ${name} among ${items.map((i) => `${i.type}:${i.name}`).join(", ")}`);
  return found;
}
