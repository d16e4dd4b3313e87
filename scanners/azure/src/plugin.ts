// The Azure scanner as the cli loads it (`@aigov/scanner-azure/plugin`): its policy section, flags and demo hook. No
// SDK is imported here; `create` imports the scanner itself.
import type { ScannerPlugin } from "@aigov/scanner-kit";
import type { AzureScanConfig } from "./config.ts";
import { AZURE_FLAGS, AZURE_TARGETS_SCHEMA, azureConfigFrom } from "./policy-section.ts";
import type { AzureScannerOptions } from "./scanner.ts";
import type { AzureTargetMeta } from "./targets.ts";

/**
 * The demo's identity: the simulated tenant gives any application a token with any secret when its world lists no
 * principals, as the demo world does. These are no credentials of any real tenant.
 */
const DEMO_TENANT = "00000000-0000-4000-8000-00000000a1a1";
const DEMO_APPLICATION = { clientId: "a1a1a1a1-0000-4000-8000-00000000de70", secret: "aigov-demo-not-a-secret" };

/** How the plugin's `create` is given a credential without the cli importing an Azure SDK. */
export interface AzurePluginOptions extends Omit<AzureScannerOptions, "credential"> {
  /** A client-secret application (the demo's), turned into a ClientSecretCredential by `create`. */
  readonly application?: {
    readonly tenantId: string;
    readonly clientId: string;
    readonly secret: string;
    readonly authorityHost: string;
    readonly caCertificate?: string;
  };
}

export const azureScannerPlugin: ScannerPlugin<AzureScanConfig, AzureTargetMeta, AzurePluginOptions> = {
  provider: "azure",
  policySchema: AZURE_TARGETS_SCHEMA,
  flags: AZURE_FLAGS,
  configFrom: azureConfigFrom,
  demo: (sim) => ({
    flags: {
      "azure-arm-endpoint": sim.httpsUrl,
      "azure-authority-host": sim.httpsUrl,
      "azure-ca-file": sim.caCertificateFile,
      "azure-tenant": DEMO_TENANT,
    },
    options: {
      application: {
        tenantId: DEMO_TENANT,
        ...DEMO_APPLICATION,
        authorityHost: sim.httpsUrl,
        caCertificate: sim.caCertificate,
      },
    },
  }),
  async create(options = {}) {
    const { createAzureScanner, applicationCredential } = await import("./scanner.ts");
    const { application, ...rest } = options;
    return createAzureScanner({
      ...rest,
      ...(application === undefined ? {} : { credential: applicationCredential(application) }),
    });
  },
};
