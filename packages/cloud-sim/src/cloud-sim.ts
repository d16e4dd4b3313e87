import type { Frontend } from "./core/frontend.ts";
import type { FaultSpec } from "./core/faults.ts";
import type { RequestRecord } from "./core/request-log.ts";
import { type SimServer, startSimServer } from "./core/server.ts";
import { createAwsFrontend } from "./frontends/aws/frontend.ts";
import { createAzureFrontend } from "./frontends/azure/frontend.ts";
import { createGcpFrontend } from "./frontends/gcp/frontend.ts";
import { checkWorld, loadWorld, type World } from "./world.ts";

export interface CloudSimOptions {
  /** A world object, or the path of a YAML world file. */
  readonly world: World | string;
  /** HTTP port; default 0: any free port. Always 127.0.0.1. */
  readonly port?: number;
  /** HTTPS port; default 0: any free port. */
  readonly httpsPort?: number;
  readonly faults?: readonly FaultSpec[];
  /** Seed for the fault draws (default 1). */
  readonly seed?: number;
  /** The most items any List call returns per page (default 2). */
  readonly pageSize?: number;
  /** Added before every answer (default 0). */
  readonly latencyMs?: number;
  /**
   * Enforce the services' documented rate limits (CloudTrail LookupEvents: 2/s per account and region) by
   * throttling requests beyond them, as AWS does. Default false.
   */
  readonly rateLimits?: boolean;
  /** Called with each request once it is answered (or left hanging), e.g. to print a log line. */
  readonly onRequest?: (record: RequestRecord) => void;
}

export interface CloudSim extends SimServer {
  /** Serves another world from now on (checked first). */
  setWorld(world: World): void;
}

/** Starts the simulated clouds (AWS, Azure and Google Cloud: one frontend per cloud) on 127.0.0.1, serving `options.world`. */
export async function startCloudSim(options: CloudSimOptions): Promise<CloudSim> {
  const paging = options.pageSize === undefined ? {} : { pageSize: options.pageSize };
  // Azure first: its paths (/subscriptions, /providers/Microsoft.Management, Entra's) are its own, while AWS also
  // claims requests by their REST paths.
  const frontends: readonly Frontend[] = [
    createAzureFrontend(paging),
    createAwsFrontend(paging),
    createGcpFrontend(paging),
  ];
  const serve = (world: World) => {
    for (const frontend of frontends)
      frontend.serve((world as Readonly<Record<string, unknown>>)[frontend.section.key]);
  };
  serve(typeof options.world === "string" ? await loadWorld(options.world) : checkWorld(options.world));
  const server = await startSimServer({ ...options, frontends });
  return Object.assign(server, { setWorld: (world: World) => serve(checkWorld(world)) });
}
