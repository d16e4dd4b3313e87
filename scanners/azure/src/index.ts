export { applicationCredential, type AzureScanner, type AzureScannerOptions, createAzureScanner } from "./scanner.ts";
export {
  AZURE_COLLECTOR_NAMES,
  type AzureCollectorName,
  type AzureScanConfig,
  DEFAULT_ARM_ENDPOINT,
  DEFAULT_RATE_LIMITS,
  normalizeAzureConfig,
} from "./config.ts";
export type { AzureTargetMeta } from "./targets.ts";
export {
  AZURE_CATALOGUE,
  AZURE_CATALOGUE_ENTRIES,
  AZURE_OPT_INS,
  type AzureCatalogueEntry,
  type AzureService,
  requestWireName,
} from "./catalogue.ts";
