import { Agent } from "node:https";
import { getCACertificates, setDefaultCACertificates } from "node:tls";
import { fileURLToPath } from "node:url";
import type { Scanner } from "@aigov/core";
import { byName, runSweep as kitRunSweep, type SweepResult as KitSweepResult } from "@aigov/scanner-kit/testing";
import { type CloudSim, type FaultSpec, startCloudSim, type World } from "@aigov/cloud-sim";
import { ClientSecretCredential } from "@azure/identity";
import { type AzureScanConfig, type AzureTargetMeta, createAzureScanner } from "../src/index.ts";

export const WORLD_FILE = fileURLToPath(new URL("./fixtures/world.yaml", import.meta.url));
export const TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47";
export const SUBSCRIPTIONS = {
  prod: "11111111-1111-4111-8111-111111111111",
  dev: "22222222-2222-4222-8222-222222222222",
  finance: "33333333-3333-4333-8333-333333333333",
  fabrikam: "44444444-4444-4444-8444-444444444444",
} as const;
export const SCANNER = { clientId: "5f6a8c3e-1111-4aaa-8bbb-000000000001", secret: "scanner-secret" } as const;
export const NOW = new Date("2026-11-22T00:00:00Z");

export { byName };

/** The Azure scanner's sweep in a test (the kit's driver, typed for Azure targets). */
export type SweepResult = KitSweepResult<AzureTargetMeta>;
export const runSweep: <Config>(
  scanner: Scanner<Config, AzureTargetMeta>,
  config: Config,
  parallel?: number,
) => Promise<SweepResult> = kitRunSweep;

/** The scanner's configuration for the simulator: its ARM endpoint, Entra ID and CA; fast retries. */
export function simConfig(sim: CloudSim, extra: Partial<AzureScanConfig> = {}): AzureScanConfig {
  return {
    armEndpoint: sim.httpsUrl,
    authorityHost: sim.httpsUrl,
    caCertificate: sim.caCertificate,
    tenantId: TENANT,
    retryBaseDelayMs: 5,
    retryMaxDelayMs: 50,
    ...extra,
  };
}

/** The real client-secret credential against the simulator's Entra ID, trusting its CA through the same option. */
export function scannerCredential(
  sim: CloudSim,
  principal: { clientId: string; secret: string } = SCANNER,
  tenant: string = TENANT,
) {
  const agent = new Agent({ ca: [...getCACertificates("default"), sim.caCertificate] });
  return new ClientSecretCredential(tenant, principal.clientId, principal.secret, {
    authorityHost: sim.httpsUrl,
    disableInstanceDiscovery: true,
    additionalPolicies: [
      {
        position: "perCall",
        policy: {
          name: "trustSimulator",
          sendRequest: (request, next) => {
            request.agent = agent;
            return next(request);
          },
        },
      },
    ],
  });
}

/** A sweep of `world` by the scanner's principal with a client-secret credential. */
export async function sweepWorld(
  world: World | string,
  config: (sim: CloudSim) => AzureScanConfig,
  options: {
    faults?: readonly FaultSpec[];
    seed?: number;
    pageSize?: number;
    latencyMs?: number;
    tenant?: string;
  } = {},
) {
  const { tenant, ...simOptions } = options;
  const sim = await startCloudSim({ world, ...simOptions });
  try {
    const scanner = createAzureScanner({ credential: scannerCredential(sim, SCANNER, tenant), now: () => NOW });
    const scanConfig = config(sim);
    const result = await runSweep(scanner, scanConfig);
    const stats = scanner.stats();
    const notices = scanner.notices(scanConfig);
    scanner.close();
    return { result, stats, notices, requests: sim.requests };
  } finally {
    await sim.close();
  }
}

/** Trusts the simulator in this process too, for clients a test builds itself. */
export function trustInProcess(sim: CloudSim): () => void {
  const defaults = getCACertificates("default");
  setDefaultCACertificates([...defaults, sim.caCertificate]);
  return () => setDefaultCACertificates(defaults);
}
