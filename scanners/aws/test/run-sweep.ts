import { byName, runSweep as kitRunSweep, type SweepResult as KitSweepResult } from "@aigov/scanner-kit/testing";
import type { AwsScanConfig, AwsScanner, AwsTargetMeta } from "../src/index.ts";

export { byName };

/** The AWS scanner's sweep in a test (the kit's driver, typed for AWS targets). */
export type SweepResult = KitSweepResult<AwsTargetMeta>;
export const runSweep: (scanner: AwsScanner, config: AwsScanConfig, parallel?: number) => Promise<SweepResult> =
  kitRunSweep;

export const FAKE_CREDENTIALS = async () => ({ accessKeyId: "AKIAFAKEFAKEFAKEFAKE", secretAccessKey: "not-a-secret" });
