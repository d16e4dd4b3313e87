import type { GapItem, ScanItem, ScanNotice, Scanner, ScanTarget } from "@aigov/core";
import { addRequestStats, defineScanner, merge, type RequestStats } from "@aigov/scanner-kit";
import { type GoogleAuthOptions, JWT } from "google-auth-library";
import { GcpCollectContext } from "./collect-context.ts";
import { collectApiKeys } from "./collectors/api-keys.ts";
import {
  AncestorPolicies,
  collectAuditLogs,
  collectDataAccessConfig,
  DataAccessCoverage,
} from "./collectors/audit-logs.ts";
import { readEnabledApis } from "./collectors/enabled-apis.ts";
import { collectVertexAi } from "./collectors/vertex-ai.ts";
import { collectWorkbench } from "./collectors/workbench.ts";
import { type GcpScanConfig, type NormalizedGcpConfig, normalizeGcpConfig } from "./config.ts";
import { GcpClients, SCOPES } from "./gcp-clients.ts";
import { gcpNotices } from "./notices.ts";
import { discoverTargets, type GcpTargetMeta } from "./targets.ts";

export interface GcpScannerOptions {
  /**
   * The credentials, as google-auth-library takes them (`keyFile`, `credentials`, `clientOptions` …); default:
   * Application Default Credentials (GOOGLE_APPLICATION_CREDENTIALS, gcloud's application-default login,
   * Workload Identity Federation, the metadata server).
   */
  readonly credentials?: GoogleAuthOptions;
  /** A service account's key (its email and PEM private key), which signs its own JWTs: the demo's identity. */
  readonly serviceAccount?: { readonly email: string; readonly privateKey: string };
  /** The sweep's clock (the audit log window). */
  readonly now?: () => Date;
}

export interface GcpScanner extends Scanner<GcpScanConfig, GcpTargetMeta> {
  stats(): RequestStats;
  notices(config: GcpScanConfig): readonly ScanNotice[];
  /** Closes every client made. */
  close(): Promise<void>;
}

/** The audited AI APIs whose Data Access logs decide whether their use is visible. */
const AUDITED_APIS = ["aiplatform.googleapis.com", "generativelanguage.googleapis.com"];

interface SweepState {
  readonly config: NormalizedGcpConfig;
  readonly clients: GcpClients;
  readonly policies: AncestorPolicies;
  readonly dataAccess: DataAccessCoverage;
}

/**
 * The Google Cloud scanner: targets are projects (under an organization or folders, or listed); collect reads a
 * project's enabled APIs first, then, for the APIs it enables, Vertex AI in each location, Workbench instances,
 * API keys, the AI audit log window and the Data Access audit configuration, all at once. Every failure is a
 * CoverageGap. Rate limits and the concurrency bound are shared by every call made with the same config object.
 */
export function createGcpScanner(options: GcpScannerOptions = {}): GcpScanner {
  const states = new Map<GcpScanConfig, SweepState>();
  const now = options.now ?? (() => new Date());
  const credentials = options.credentials ?? serviceAccountCredentials(options.serviceAccount);
  const stateFor = (config: GcpScanConfig): SweepState => {
    let state = states.get(config);
    if (state === undefined) {
      const normalized = normalizeGcpConfig(config);
      state = {
        config: normalized,
        clients: new GcpClients(normalized, credentials),
        policies: new AncestorPolicies(),
        dataAccess: new DataAccessCoverage(),
      };
      states.set(config, state);
    }
    return state;
  };

  return defineScanner({
    provider: "gcp",
    async *targets(config: GcpScanConfig) {
      const state = stateFor(config);
      // Constructing a client parses its API's protos for a while; done before any request is in flight, it cannot
      // hold up the event loop under a request's timeout.
      await state.clients.prepare();
      yield* discoverTargets(state.config, state.clients);
    },
    collect(target: ScanTarget<GcpTargetMeta>, config: GcpScanConfig) {
      return collectProject(stateFor(config), target, now());
    },
    stats() {
      const total: RequestStats = { apiCalls: 0, retries: 0, byOperation: {}, peakInFlight: 0, requestSeconds: 0 };
      for (const { clients } of states.values()) addRequestStats(total, clients.limiter.stats);
      return total;
    },
    notices(config: GcpScanConfig) {
      return gcpNotices(stateFor(config).dataAccess);
    },
    async close() {
      await Promise.all([...states.values()].map(({ clients }) => clients.close()));
      states.clear();
    },
  });
}

export function serviceAccountCredentials(account: GcpScannerOptions["serviceAccount"]): GoogleAuthOptions {
  if (account === undefined) return {};
  const client = new JWT({ email: account.email, key: account.privateKey, scopes: SCOPES });
  // Self-signed JWTs, as the clients make the credentials they are given sign: no token endpoint round trip.
  client.useJWTAccessWithScope = true;
  return { authClient: client };
}

async function* collectProject(
  state: SweepState,
  target: ScanTarget<GcpTargetMeta>,
  now: Date,
): AsyncGenerator<ScanItem> {
  const contexts: GcpCollectContext[] = [];
  const ctx = new GcpCollectContext({
    clients: state.clients,
    config: state.config,
    account: target.account,
    region: "global",
    project: target.meta,
    now,
  });
  contexts.push(ctx);
  const { subjects, enabled } = await readEnabledApis(ctx);
  yield* subjects;
  // An API the project does not enable has nothing to list; when the enabled APIs are not known, every one is read.
  const uses = (api: string) => enabled === undefined || enabled.has(api);
  const audited = AUDITED_APIS.filter(uses);
  const { collectors } = state.config;
  const streams: AsyncIterable<ScanItem>[] = [];
  if (collectors.has("vertex-ai") && uses("aiplatform.googleapis.com"))
    streams.push(collectVertexAi(ctx, (located) => contexts.push(located)));
  if (collectors.has("workbench") && uses("notebooks.googleapis.com")) streams.push(collectWorkbench(ctx));
  if (collectors.has("api-keys")) streams.push(collectApiKeys(ctx));
  if (collectors.has("audit-logs") && audited.length > 0) {
    streams.push(collectAuditLogs(ctx));
    // The audit configuration is judged per AI API the project is known to enable.
    if (enabled !== undefined) streams.push(collectDataAccessConfig(ctx, audited, state.policies, state.dataAccess));
  }
  let found = subjects.length;
  for await (const item of merge(streams)) {
    found += 1;
    yield item;
  }
  yield* projectGaps(
    target,
    found,
    contexts.flatMap((context) => [...context.drainGaps()]),
  );
}

/**
 * The gaps of one project, each once. A project whose every call was denied (the scanner's identity has no role in
 * it, or it is gone) is one gap that says so, not one per API and location.
 */
function* projectGaps(target: ScanTarget<GcpTargetMeta>, found: number, gaps: readonly GapItem[]): Generator<GapItem> {
  if (found === 0 && gaps.length > 1 && gaps.every((item) => item.gap.code === "AccessDenied")) {
    yield {
      type: "gap",
      gap: {
        provider: "gcp",
        account: target.account,
        service: "*",
        code: "AccessDenied",
        message: `every call into project ${target.account} was denied (${gaps[0]!.gap.message}): grant the scanner's identity the aigov reader role on it or on a folder above it (docs/permissions/gcp.md)`,
      },
    };
    return;
  }
  yield* gaps;
}
