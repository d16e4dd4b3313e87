// The cloud-neutral parts of a scanner. The README says how a cloud plugs in.
export { mapConcurrent, merge, untilAborted } from "./async-streams.ts";
export { type BackoffOptions, backoffDelay, mayRetry } from "./backoff.ts";
export { type Catalogue, type CatalogueEntry, createCatalogue, type OptIn } from "./catalogue.ts";
export {
  type AssetFields,
  type Attempt,
  asset,
  type CloudErrors,
  CollectContext,
  eachItem,
  fact,
  type GapPlace,
  gapFrom,
  listing,
  ownerFromTags,
  subjects,
  tri,
} from "./collect-context.ts";
export { ConcurrencyGate } from "./concurrency-gate.ts";
export { defineScanner, type ScannerParts } from "./define-scanner.ts";
export {
  type ConfigSources,
  type DemoSetup,
  type FlagReader,
  type FlagSpec,
  type FlagTable,
  type FlagValues,
  flagReader,
  noTargets,
  type ScannerPlugin,
  type SimulatedCloud,
} from "./plugin.ts";
export { addRequestStats, RequestLimiter, type RequestScope, type RequestStats } from "./request-limiter.ts";
export { type RateLimit, TokenBucket } from "./token-bucket.ts";
