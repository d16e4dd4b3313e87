import { getCACertificates, setDefaultCACertificates } from "node:tls";
import { fileURLToPath } from "node:url";
import { ClientSecretCredential } from "@azure/identity";
import type { CloudSim } from "../src/index.ts";

/** The Azure test world (see the file's header). */
export const AZURE_WORLD_FILE = fileURLToPath(new URL("./fixtures/azure-world.yaml", import.meta.url));

export const TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47";
export const OTHER_TENANT = "0f0f0f0f-0000-4000-8000-000000000002";
export const SUBSCRIPTIONS = {
  prod: "11111111-1111-4111-8111-111111111111",
  dev: "22222222-2222-4222-8222-222222222222",
  finance: "33333333-3333-4333-8333-333333333333",
  fabrikam: "44444444-4444-4444-8444-444444444444",
} as const;
export const PRINCIPALS = {
  scanner: { clientId: "5f6a8c3e-1111-4aaa-8bbb-000000000001", secret: "scanner-secret" },
  workload: { clientId: "5f6a8c3e-1111-4aaa-8bbb-000000000002", secret: "" },
  finance: { clientId: "5f6a8c3e-1111-4aaa-8bbb-000000000003", secret: "finance-secret" },
} as const;

/** ARM's audience: what a client asks a token for, whatever endpoint it reaches ARM at. */
export const ARM_SCOPE = "https://management.azure.com/.default";

/** Trusts the simulator's CA in this process (Node 24); returns what restores the defaults. */
export function trustSimulator(sim: CloudSim): () => void {
  const defaults = getCACertificates("default");
  setDefaultCACertificates([...defaults, sim.caCertificate]);
  return () => setDefaultCACertificates(defaults);
}

/** The real client-secret flow against the simulator's Entra ID (its own authority, so no instance discovery). */
export function credential(
  sim: CloudSim,
  principal: { clientId: string; secret: string } = PRINCIPALS.scanner,
  tenant: string = TENANT,
): ClientSecretCredential {
  return new ClientSecretCredential(tenant, principal.clientId, principal.secret, {
    authorityHost: sim.httpsUrl,
    disableInstanceDiscovery: true,
  });
}

/** Options of a track-2 (core-client) ARM client pointed at the simulator, with no retries unless asked. */
export function armClientOptions(sim: CloudSim, maxRetries = 0) {
  return {
    endpoint: sim.httpsUrl,
    $host: sim.httpsUrl,
    credentialScopes: [ARM_SCOPE],
    retryOptions: { maxRetries, retryDelayInMs: 10, maxRetryDelayInMs: 50 },
  };
}

/** Options of a TypeSpec-generated (modular) ARM client, e.g. @azure/arm-monitor 8, pointed at the simulator. */
export function modularClientOptions(sim: CloudSim, maxRetries = 0) {
  return {
    endpoint: sim.httpsUrl,
    credentials: { scopes: [ARM_SCOPE] },
    retryOptions: { maxRetries, retryDelayInMs: 10, maxRetryDelayInMs: 50 },
  };
}

/** Every item of an SDK list, in order. */
export async function all<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}
