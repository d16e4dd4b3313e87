// The GCP scanner as the cli loads it (`@aigov/scanner-gcp/plugin`): its policy section, flags and demo hook. No SDK
// is imported here; `create` imports the scanner itself.
import { generateKeyPairSync } from "node:crypto";
import type { ScannerPlugin } from "@aigov/scanner-kit";
import type { GcpScanConfig } from "./config.ts";
import { GCP_FLAGS, GCP_TARGETS_SCHEMA, gcpConfigFrom } from "./policy-section.ts";
import type { GcpScannerOptions } from "./scanner.ts";
import type { GcpTargetMeta } from "./targets.ts";

/** The identity the demo sweeps the simulator as: a service account whose key is made for the run, in memory. */
const DEMO_SERVICE_ACCOUNT = "aigov-demo@northwind-security.iam.gserviceaccount.com";

export const gcpScannerPlugin: ScannerPlugin<GcpScanConfig, GcpTargetMeta, GcpScannerOptions> = {
  provider: "gcp",
  policySchema: GCP_TARGETS_SCHEMA,
  flags: GCP_FLAGS,
  configFrom: gcpConfigFrom,
  demo: (sim) => ({
    // Plain HTTP to the simulator on 127.0.0.1: the demo process adds no CA to its trust store.
    flags: { "gcp-endpoint": sim.url },
    options: {
      serviceAccount: {
        email: DEMO_SERVICE_ACCOUNT,
        privateKey: generateKeyPairSync("rsa", { modulusLength: 2048 })
          .privateKey.export({ type: "pkcs8", format: "pem" })
          .toString(),
      },
    },
  }),
  async create(options) {
    const { createGcpScanner } = await import("./scanner.ts");
    return createGcpScanner(options);
  },
};
