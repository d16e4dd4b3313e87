export {
  type CollectorName,
  COLLECTOR_NAMES,
  DEFAULT_RATE_LIMITS,
  type GcpScanConfig,
  normalizeGcpConfig,
} from "./config.ts";
export { GCP_APIS, GCP_CATALOGUE, GCP_CATALOGUE_ENTRIES, type GcpCatalogueEntry } from "./catalogue.ts";
export { createGcpScanner, type GcpScanner, type GcpScannerOptions } from "./scanner.ts";
export type { GcpTargetMeta } from "./targets.ts";
