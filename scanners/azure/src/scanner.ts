import type { ScanItem, ScanNotice, Scanner, ScanTarget } from "@aigov/core";
import { addRequestStats, defineScanner, gapFrom, merge, type RequestStats } from "@aigov/scanner-kit";
import type { TokenCredential } from "@azure/identity";
import { AzureClientFactory } from "./azure-clients.ts";

export { applicationCredential } from "./azure-clients.ts";
import { AZURE_ERRORS } from "./azure-error.ts";
import { AzureCollectContext } from "./collect-context.ts";
import { collectActivityLog } from "./collectors/activity-log.ts";
import { collectAppSettings } from "./collectors/app-settings.ts";
import { collectCognitiveServices } from "./collectors/cognitive-services.ts";
import { collectMachineLearning } from "./collectors/machine-learning.ts";
import { collectSearch } from "./collectors/search.ts";
import {
  type AzureCollectorName,
  type AzureScanConfig,
  type NormalizedAzureConfig,
  normalizeAzureConfig,
} from "./config.ts";
import { azureNotices, UnregisteredProviders } from "./notices.ts";
import { type AzureTargetMeta, discoverTargets } from "./targets.ts";

export interface AzureScannerOptions {
  /** The credential; default `@azure/identity`'s DefaultAzureCredential, configured by the scan config. */
  readonly credential?: TokenCredential;
  /** The sweep's clock (the Activity Log window). */
  readonly now?: () => Date;
}

export interface AzureScanner extends Scanner<AzureScanConfig, AzureTargetMeta> {
  stats(): RequestStats;
  notices(config: AzureScanConfig): readonly ScanNotice[];
  /** Closes pooled connections. */
  close(): void;
}

type Collector = (ctx: AzureCollectContext) => AsyncIterable<ScanItem>;
const COLLECTORS: readonly [AzureCollectorName, Collector][] = [
  ["cognitive-services", collectCognitiveServices],
  ["machine-learning", collectMachineLearning],
  ["search", collectSearch],
  ["activity-log", collectActivityLog],
  ["app-settings", collectAppSettings],
];

interface SweepState {
  readonly config: NormalizedAzureConfig;
  readonly clients: AzureClientFactory;
  readonly unregistered: UnregisteredProviders;
}

/**
 * The Azure scanner: targets are subscriptions (listed, under a management group, or every one the identity can
 * read); collect streams Assets, Keys and ApiCalls built by the shared normalisers of @aigov/normalize; every
 * failure is a CoverageGap. Limits are shared by every call made with the same config object.
 */
export function createAzureScanner(options: AzureScannerOptions = {}): AzureScanner {
  const states = new Map<AzureScanConfig, SweepState>();
  const now = options.now ?? (() => new Date());

  const stateFor = (config: AzureScanConfig): SweepState => {
    let state = states.get(config);
    if (state === undefined) {
      const normalized = normalizeAzureConfig(config);
      state = {
        config: normalized,
        clients: new AzureClientFactory(normalized, options.credential),
        unregistered: new UnregisteredProviders(),
      };
      states.set(config, state);
    }
    return state;
  };

  return defineScanner({
    provider: "azure",
    targets(config: AzureScanConfig) {
      const state = stateFor(config);
      return discoverTargets(state.config, state.clients);
    },
    collect(target: ScanTarget<AzureTargetMeta>, config: AzureScanConfig) {
      return collectTarget(stateFor(config), target, now());
    },
    stats() {
      const total: RequestStats = { apiCalls: 0, retries: 0, byOperation: {}, peakInFlight: 0, requestSeconds: 0 };
      for (const { clients } of states.values()) addRequestStats(total, clients.limiter.stats);
      return total;
    },
    notices(config: AzureScanConfig) {
      const state = stateFor(config);
      return azureNotices(state.config, state.unregistered);
    },
    close() {
      for (const { clients } of states.values()) clients.close();
      states.clear();
    },
  });
}

async function* collectTarget(
  state: SweepState,
  target: ScanTarget<AzureTargetMeta>,
  now: Date,
): AsyncGenerator<ScanItem> {
  // Without a token nothing of the subscription can be read: one gap says so, instead of one per call.
  try {
    await state.clients.credential.getToken(state.config.armAudience);
  } catch (error) {
    yield {
      type: "gap",
      gap: gapFrom(
        AZURE_ERRORS,
        error,
        { account: target.account, service: "entra", operation: "Token" },
        "AssumeRoleFailed",
      ),
    };
    return;
  }
  const ctx = new AzureCollectContext({
    subscription: target.account,
    config: state.config,
    clients: state.clients,
    unregistered: state.unregistered,
    now,
  });
  const enabled = state.config.services;
  // The Activity Log waits for the account listing to give its events locations; without the collector, nothing does.
  if (!enabled.has("cognitive-services")) ctx.accountsListed(new Map());
  yield* merge(COLLECTORS.filter(([name]) => enabled.has(name)).map(([, collector]) => collector(ctx)));
  yield* ctx.drainGaps();
}
