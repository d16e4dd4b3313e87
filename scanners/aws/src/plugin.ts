// The AWS scanner as the cli loads it (`@aigov/scanner-aws/plugin`): its policy section, flags and demo hook. No SDK
// is imported here; `create` imports the scanner itself.
import type { ScannerPlugin } from "@aigov/scanner-kit";
import type { AwsScanConfig } from "./config.ts";
import { AWS_FLAGS, AWS_TARGETS_SCHEMA, awsConfigFrom } from "./policy-section.ts";
import type { AwsScannerOptions } from "./scanner.ts";
import type { AwsTargetMeta } from "./targets.ts";

/** Credentials for the simulator: any key id that names no world account acts as the organization's management account. */
const DEMO_CREDENTIALS = { accessKeyId: "AKIAAIGOVDEMOCALLER0", secretAccessKey: "aigov-demo-not-a-secret" };

export const awsScannerPlugin: ScannerPlugin<AwsScanConfig, AwsTargetMeta, AwsScannerOptions> = {
  provider: "aws",
  policySchema: AWS_TARGETS_SCHEMA,
  flags: AWS_FLAGS,
  configFrom: awsConfigFrom,
  demo: (sim) => ({
    flags: { "aws-endpoint": sim.url },
    options: { credentials: async () => DEMO_CREDENTIALS },
  }),
  async create(options) {
    const { createAwsScanner } = await import("./scanner.ts");
    return createAwsScanner(options);
  },
};
