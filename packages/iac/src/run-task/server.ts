import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { isAigovError } from "@aigov/core";
import { parseRunTaskRequest, type RunTaskRequest } from "./payload.ts";
import { RecentRuns } from "./recent-runs.ts";
import { SIGNATURE_HEADER, verifyRunTaskSignature } from "./signature.ts";
import { errorTaskResult, type PlanVerdict, verdictTaskResult } from "./task-result.ts";
import { fetchPlanJson, patchTaskResult, type TaskResultBody } from "./tfc-client.ts";
import { type TfcHost, trustedUrl } from "./tfc-host.ts";

export const DEFAULT_MAX_REQUEST_BYTES = 1024 * 1024;
export const DEFAULT_MAX_PLAN_BYTES = 256 * 1024 * 1024;
/** HCP Terraform waits 10 minutes for a task result; finishing inside it leaves room for the callback's retries. */
export const DEFAULT_WINDOW_MS = 9.5 * 60 * 1000;

/** Judges one downloaded plan (raw `terraform show -json` bytes). */
export type PlanJudge = (plan: Buffer, request: RunTaskRequest) => Promise<PlanVerdict>;

export interface RunTaskServerOptions {
  readonly judge: PlanJudge;
  readonly trusted: TfcHost;
  /** When set, every request must carry a valid `X-TFC-Task-Signature`. */
  readonly hmacKey?: string;
  readonly maxRequestBytes?: number;
  readonly maxPlanBytes?: number;
  /** Plans judged at the same time (judging is CPU-bound; more than the cores buys nothing). */
  readonly maxConcurrent?: number;
  /** Accepted requests waiting for a slot; past it a request is answered 429 so HCP Terraform retries it. */
  readonly maxQueued?: number;
  readonly windowMs?: number;
  /** How long, and how many, accepted runs are remembered so a request sent again is not judged twice. */
  readonly rememberRunsMs?: number;
  readonly maxRememberedRuns?: number;
  readonly log?: (event: RunTaskEvent) => void;
  readonly fetch?: typeof fetch;
}

/**
 * What the server did with a request or a run, for the operator's log (`formatRunTaskEvent` writes it as a line).
 * Never carries a token; the other fields may hold anything a request sent.
 */
export interface RunTaskEvent {
  readonly kind: "refused" | "verified" | "accepted" | "replayed" | "result" | "error";
  readonly status?: number;
  readonly runId?: string;
  readonly workspace?: string;
  readonly message: string;
}

export interface RunTaskServer {
  readonly server: Server;
  listen(port: number, host: string): Promise<AddressInfo>;
  /** Resolves when no run is being judged or waiting. */
  idle(): Promise<void>;
  /** Stops accepting requests and waits for the runs already accepted. */
  close(): Promise<void>;
}

class Refusal extends Error {
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

export function createRunTaskServer(options: RunTaskServerOptions): RunTaskServer {
  const maxRequestBytes = options.maxRequestBytes ?? DEFAULT_MAX_REQUEST_BYTES;
  const maxConcurrent = Math.max(1, options.maxConcurrent ?? 2);
  const maxQueued = Math.max(0, options.maxQueued ?? 16);
  const log = options.log ?? (() => undefined);
  const recentRuns = new RecentRuns({
    ...(options.rememberRunsMs === undefined ? {} : { ttlMs: options.rememberRunsMs }),
    ...(options.maxRememberedRuns === undefined ? {} : { maxEntries: options.maxRememberedRuns }),
  });
  const waiting: Array<() => void> = [];
  let running = 0;
  let idleWaiters: Array<() => void> = [];

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      const refusal = error instanceof Refusal ? error : new Refusal(500, "internal error");
      if (!(error instanceof Refusal)) log({ kind: "error", message: (error as Error).message });
      else log({ kind: "refused", status: refusal.status, message: refusal.message });
      if (!res.headersSent) {
        res.writeHead(refusal.status, { "content-type": "text/plain; charset=utf-8", connection: "close" });
        res.end(`${refusal.message}\n`, () => req.destroy());
      }
    });
  });
  // A client that trickles its request must not hold a connection open for ever.
  server.requestTimeout = 30_000;
  server.headersTimeout = 15_000;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.method === "GET" && req.url === "/healthz") {
      res.writeHead(200, { "content-type": "text/plain" }).end("ok\n");
      return;
    }
    if (req.method !== "POST") throw new Refusal(405, "run task requests are POSTed");
    const body = await readBody(req, maxRequestBytes);
    if (options.hmacKey !== undefined) {
      const header = req.headers[SIGNATURE_HEADER];
      const signature = Array.isArray(header) ? header[0] : header;
      if (signature === undefined) throw new Refusal(401, "missing X-TFC-Task-Signature");
      if (!verifyRunTaskSignature(body, signature, options.hmacKey))
        throw new Refusal(403, "X-TFC-Task-Signature does not match");
    }
    let request: RunTaskRequest;
    try {
      request = parseRunTaskRequest(body);
    } catch (error) {
      throw new Refusal(400, (error as Error).message);
    }
    if (request.verification) {
      log({ kind: "verified", status: 200, message: "HCP Terraform verified the run task URL" });
      res.writeHead(200).end();
      return;
    }
    try {
      trustedUrl(request.callbackUrl, options.trusted, "task_result_callback_url");
      if (request.planJsonUrl !== undefined) trustedUrl(request.planJsonUrl, options.trusted, "plan_json_api_url");
    } catch (error) {
      throw new Refusal(400, (error as Error).message);
    }
    // parseRunTaskRequest refuses a run without an id.
    const runId = request.runId!;
    if (recentRuns.has(runId, request.stage)) {
      // HCP Terraform sends a request again only when it did not get a 200, so 200 is the answer that stops it; the
      // first request's judgement calls back with the result. A replayed request is answered the same, judged never.
      res.writeHead(200).end();
      log({
        kind: "replayed",
        status: 200,
        ...runFields(request),
        message: `${request.stage || "run task"} request for a run already accepted: not judged again`,
      });
      return;
    }
    if (running + waiting.length >= maxConcurrent + maxQueued) {
      res.setHeader("retry-after", "30");
      throw new Refusal(429, `busy: ${running} run(s) being judged and ${waiting.length} waiting`);
    }
    recentRuns.remember(runId, request.stage);
    const received = Date.now();
    res.writeHead(200).end();
    log({
      kind: "accepted",
      status: 200,
      ...runFields(request),
      message: `accepted ${request.stage || "run task"} request`,
    });
    void schedule(() => judgeRun(request, received));
  }

  async function schedule(job: () => Promise<void>): Promise<void> {
    // A finishing run hands its slot straight to the next waiting one, so `running` never dips between them.
    if (running >= maxConcurrent) await new Promise<void>((resolve) => waiting.push(resolve));
    else running++;
    try {
      await job();
    } finally {
      const next = waiting.shift();
      if (next !== undefined) next();
      else if (--running === 0) {
        const waiters = idleWaiters;
        idleWaiters = [];
        for (const resolve of waiters) resolve();
      }
    }
  }

  async function judgeRun(request: RunTaskRequest, received: number): Promise<void> {
    const signal = AbortSignal.timeout(Math.max(1, (options.windowMs ?? DEFAULT_WINDOW_MS) - (Date.now() - received)));
    let result: TaskResultBody;
    try {
      if (request.planJsonUrl === undefined) {
        result = errorTaskResult(
          `the ${request.stage || "unknown"} stage has no plan to judge; attach the aigov run task to the post-plan or pre-apply stage`,
        );
      } else {
        const plan = await fetchPlanJson(request.planJsonUrl, request.accessToken, {
          trusted: options.trusted,
          maxBytes: options.maxPlanBytes ?? DEFAULT_MAX_PLAN_BYTES,
          signal,
          ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
        });
        const verdict = await options.judge(plan, request);
        // No details URL: the outcomes carry everything, and the run's own page would only link back to itself.
        result = verdictTaskResult(verdict);
      }
    } catch (error) {
      const problem = isAigovError(error) ? error.format() : `internal error: ${(error as Error).message}`;
      result = errorTaskResult(withoutToken(problem, request.accessToken));
    }
    try {
      await patchTaskResult(request.callbackUrl, request.accessToken, result, {
        trusted: options.trusted,
        signal,
        ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
      });
      log({
        kind: "result",
        ...runFields(request),
        message: `${result.data.attributes.status}: ${result.data.attributes.message}`,
      });
    } catch (error) {
      log({
        kind: "error",
        ...runFields(request),
        message: withoutToken((error as Error).message, request.accessToken),
      });
    }
  }

  return {
    server,
    listen(port, host) {
      return new Promise((resolve, reject) => {
        server.once("error", reject);
        server.listen(port, host, () => {
          server.off("error", reject);
          resolve(server.address() as AddressInfo);
        });
      });
    },
    idle() {
      if (running === 0 && waiting.length === 0) return Promise.resolve();
      return new Promise((resolve) => idleWaiters.push(resolve));
    },
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      });
      await this.idle();
    },
  };
}

/** An error from a library may quote what it was given, the token among it: it is cut out before anything is written. */
function withoutToken(message: string, token: string): string {
  return message.split(token).join("[run token]");
}

function runFields(request: RunTaskRequest): { runId?: string; workspace?: string } {
  return {
    ...(request.runId === undefined ? {} : { runId: request.runId }),
    ...(request.workspace === undefined ? {} : { workspace: `${request.organization ?? "?"}/${request.workspace}` }),
  };
}

function readBody(req: IncomingMessage, maxBytes: number): Promise<Buffer> {
  const declared = Number(req.headers["content-length"] ?? Number.NaN);
  if (Number.isFinite(declared) && declared > maxBytes) {
    return Promise.reject(new Refusal(413, `request larger than ${maxBytes} bytes`));
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let total = 0;
    req.on("data", (chunk: Buffer) => {
      total += chunk.byteLength;
      if (total > maxBytes) {
        req.removeAllListeners("data");
        req.pause();
        reject(new Refusal(413, `request larger than ${maxBytes} bytes`));
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => resolve(Buffer.concat(chunks, total)));
    req.on("error", reject);
  });
}
