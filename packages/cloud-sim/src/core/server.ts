import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type DecidedFault, FaultPlan, type FaultSpec } from "./faults.ts";
import type { Call, Frontend, Reply, RequestIdentity, SimRequest } from "./frontend.ts";
import { RateLimits } from "./rate-limit.ts";
import { RequestLog, type RequestRecord } from "./request-log.ts";
import { simCertificate } from "./tls-certificate.ts";

export interface SimServerOptions {
  /** The clouds served; a request goes to the first whose `matches` accepts it. */
  readonly frontends: readonly Frontend[];
  /** HTTP port; default 0: any free port. Always 127.0.0.1. */
  readonly port?: number;
  /** HTTPS port; default 0: any free port. */
  readonly httpsPort?: number;
  readonly faults?: readonly FaultSpec[];
  /** Seed for the fault draws (default 1). */
  readonly seed?: number;
  /** Added before every answer (default 0). */
  readonly latencyMs?: number;
  /** Enforce the catalogues' documented request rates by throttling requests beyond them, as the clouds do. */
  readonly rateLimits?: boolean;
  /** Called with each request once it is answered (or left hanging), e.g. to print a log line. */
  readonly onRequest?: (record: RequestRecord) => void;
}

export interface SimServer {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  readonly port: number;
  /** `https://127.0.0.1:<httpsPort>`, with a certificate for the loopback names and the frontends' host names. */
  readonly httpsUrl: string;
  readonly httpsPort: number;
  /** PEM of the CA that signed the HTTPS certificate: what a client must trust. */
  readonly caCertificate: string;
  /** The CA in a file, for NODE_EXTRA_CA_CERTS (or AWS_CA_BUNDLE); removed by close(). */
  readonly caCertificateFile: string;
  readonly requests: RequestLog;
  /** Stops both listeners and ends every open connection, hanging requests included. */
  close(): Promise<void>;
  setFaults(faults: readonly FaultSpec[], seed?: number): void;
}

/**
 * The simulator's core: HTTP and HTTPS listeners on 127.0.0.1, the request log, fault injection, added latency and
 * enforced rate limits. It knows no cloud: each request goes to the frontend that recognises it, which says who is
 * calling and which operation they ask for, answers it, and encodes faults in its cloud's wire shape.
 */
export async function startSimServer(options: SimServerOptions): Promise<SimServer> {
  let faults = new FaultPlan(options.faults ?? [], options.seed ?? 1);
  const latencyMs = options.latencyMs ?? 0;
  const requests = new RequestLog();
  const rateLimits = new RateLimits();
  const started = performance.now();

  async function handle(request: SimRequest, response: ServerResponse): Promise<void> {
    const send = async (reply: Reply, delay: number) => {
      if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
      response.writeHead(reply.status, { ...reply.headers, "content-length": Buffer.byteLength(reply.body) });
      response.end(reply.body);
    };
    const finish = async (record: RequestRecord, reply: Reply, delay: number) => {
      record.status = reply.status;
      if (reply.errorCode !== undefined) record.errorCode = reply.errorCode;
      await send(reply, delay);
      options.onRequest?.(record);
    };
    const logged = (cloud: string, identity: RequestIdentity, readOnly: boolean, secret: boolean): RequestRecord => {
      const record: RequestRecord = {
        at: performance.now() - started,
        cloud,
        service: identity.service,
        operation: identity.operation,
        account: identity.account,
        region: identity.region,
        principal: identity.principal,
        readOnly,
        secret,
        status: 0,
      };
      requests.add(record);
      return record;
    };

    const frontend = options.frontends.find((candidate) => candidate.matches(request));
    if (frontend === undefined) {
      const operation = `${request.method} ${request.path}`;
      const record = logged("", { service: "", operation, account: "", region: "", principal: "" }, false, false);
      await finish(record, unrecognised(request), latencyMs);
      return;
    }
    const resolved = frontend.resolve(request);
    if (resolved.kind === "refused") {
      const record = logged(frontend.cloud, resolved, resolved.entry?.read ?? false, false);
      await finish(record, resolved.reply, latencyMs);
      return;
    }
    const call = resolved;
    const record = logged(frontend.cloud, call, call.entry.read, call.secret);
    const hits = faults.decide({
      cloud: frontend.cloud,
      account: call.account,
      region: call.region,
      service: call.entry.service,
      operation: call.entry.operation,
      ...(call.target === undefined ? {} : { target: call.target }),
      contentKey: `${request.method} ${request.url} ${request.body}`,
    });
    let delay = latencyMs;
    let fault: DecidedFault | undefined;
    for (const hit of hits) {
      if (hit.kind === "latency") delay += hit.latencyMs ?? 1000;
      // A service not served per region (AWS IAM, STS, Organizations, Account) is never "not enabled" in one.
      else if (hit.kind === "region-disabled" && !call.regional) continue;
      else fault ??= hit;
    }
    if (fault?.kind === "hang") {
      record.fault = "hang";
      options.onRequest?.(record);
      return; // never answered: the socket stays open until the client times out or close() destroys it
    }
    let reply: Reply;
    if (fault !== undefined && fault.kind !== "latency") {
      record.fault = fault.kind;
      reply = call.fail(fault.kind);
    } else if (overRateLimit(frontend.cloud, call, record)) {
      record.fault = "rate-limit";
      reply = call.fail("throttle");
    } else {
      reply = call.answer();
    }
    await finish(record, reply, delay);
  }

  function overRateLimit(cloud: string, call: Call, record: RequestRecord): boolean {
    const rate = options.rateLimits === true ? call.entry.ratePerSecond : undefined;
    if (rate === undefined) return false;
    record.ratePerSecond = rate;
    return !rateLimits.take(
      `${cloud}/${call.entry.service}/${call.entry.operation}/${call.account}/${call.region}`,
      rate,
    );
  }

  const listener = (secure: boolean) => (incoming: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    incoming.on("data", (chunk: Buffer) => chunks.push(chunk));
    incoming.on("end", () => {
      // Split the path by hand: most requests are POST / (AWS JSON and query protocols), and a URL object per request is measurable.
      const url = incoming.url ?? "/";
      const queryAt = url.indexOf("?");
      const request: SimRequest = {
        method: incoming.method ?? "GET",
        url,
        path: queryAt < 0 ? url : url.slice(0, queryAt),
        search: queryAt < 0 ? "" : url.slice(queryAt),
        headers: incoming.headers,
        body: Buffer.concat(chunks).toString("utf8"),
        secure,
      };
      handle(request, response).catch((error: unknown) => {
        // Only reached by a defect outside any operation (frontends answer their operations' own failures).
        if (!response.headersSent) {
          const message = `cloud-sim defect: ${error instanceof Error ? error.message : String(error)}`;
          response.writeHead(500, { "content-type": "application/json" });
          response.end(JSON.stringify({ message }));
        }
      });
    });
  };

  const certificate = await simCertificate(options.frontends.flatMap((frontend) => frontend.hostnames));
  const http = createHttpServer(listener(false));
  const https = createHttpsServer({ cert: certificate.certificate, key: certificate.privateKey }, listener(true));
  const servers = [http, https];
  // Keep-alive sockets from SDK clients must not hold close() up, and idle ones should stay open as a real endpoint's do.
  for (const server of servers) server.keepAliveTimeout = 60_000;
  const closeAll = () =>
    Promise.all(
      servers.map(
        (server) =>
          new Promise<void>((resolve) => {
            if (!server.listening) return resolve();
            server.close(() => resolve());
            server.closeAllConnections();
          }),
      ),
    );
  let caDirectory: string | undefined;
  try {
    const port = await listen(http, options.port ?? 0);
    const httpsPort = await listen(https, options.httpsPort ?? 0);
    caDirectory = await mkdtemp(join(tmpdir(), "aigov-cloud-sim-"));
    const caCertificateFile = join(caDirectory, "ca.pem");
    await writeFile(caCertificateFile, certificate.caCertificate);
    return {
      url: `http://127.0.0.1:${port}`,
      port,
      httpsUrl: `https://127.0.0.1:${httpsPort}`,
      httpsPort,
      caCertificate: certificate.caCertificate,
      caCertificateFile,
      requests,
      async close() {
        await closeAll();
        await rm(caDirectory!, { recursive: true, force: true });
      },
      setFaults(next: readonly FaultSpec[], seed?: number) {
        faults = new FaultPlan(next, seed ?? options.seed ?? 1);
      },
    };
  } catch (error) {
    await closeAll();
    if (caDirectory !== undefined) await rm(caDirectory, { recursive: true, force: true });
    throw error;
  }
}

function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => {
      server.off("error", reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

/** No simulated cloud recognised the request (neither how it authenticates nor its path). */
function unrecognised(request: SimRequest): Reply {
  return {
    status: 400,
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      message: `cloud-sim: no simulated cloud recognises ${request.method} ${request.path} (AWS requests are SigV4-signed)`,
    }),
    errorCode: "UnrecognizedRequest",
  };
}
