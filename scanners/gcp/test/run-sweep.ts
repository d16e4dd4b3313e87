import { generateKeyPairSync } from "node:crypto";
import type { ApiCall, Asset, CoverageGap, Key, Scanner, ScanTarget } from "@aigov/core";

export interface SweepResult<Meta> {
  readonly targets: ScanTarget<Meta>[];
  readonly assets: Asset[];
  readonly keys: Key[];
  readonly calls: ApiCall[];
  readonly gaps: CoverageGap[];
}

/** Drives a scanner the way a sweep does: targets stream in, each is collected, up to `parallel` at once. */
export async function runSweep<Config, Meta>(
  scanner: Scanner<Config, Meta>,
  config: Config,
  parallel = 8,
): Promise<SweepResult<Meta>> {
  const result: SweepResult<Meta> = { targets: [], assets: [], keys: [], calls: [], gaps: [] };
  const running = new Set<Promise<void>>();
  const collect = async (target: ScanTarget<Meta>) => {
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

export const SCANNER_EMAIL = "aigov-reader@sec-tools.iam.gserviceaccount.com";

/**
 * The scanner's options for a service account whose private key is made here: the JWTs it signs are real (the
 * simulator reads who signed them, without checking the signature).
 */
export function serviceAccountAuth() {
  const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  return { email: SCANNER_EMAIL, privateKey: privateKey.export({ type: "pkcs8", format: "pem" }).toString() };
}
