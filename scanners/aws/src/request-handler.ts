import { type Agent as HttpAgent, type ClientRequest, request as httpRequest, type IncomingMessage } from "node:http";
import { type Agent as HttpsAgent, request as httpsRequest } from "node:https";
import { Readable } from "node:stream";
import { encodeRfc3986 } from "@aigov/core";

// The SDK's request and response as its HttpHandler interface (@smithy/types) passes them.
interface SdkRequest {
  readonly protocol: string;
  readonly hostname: string;
  readonly port?: number;
  readonly method: string;
  readonly path: string;
  readonly query?: Record<string, string | readonly string[] | null | undefined>;
  readonly headers: Record<string, string>;
  readonly body?: unknown;
}
interface SdkResponse {
  readonly statusCode: number;
  readonly reason?: string;
  readonly headers: Record<string, string>;
  readonly body: Uint8Array | IncomingMessage;
}

/** A request waiting for its answer, with the times it must have connected and been answered by. */
interface InFlight {
  readonly request: ClientRequest;
  readonly connectBy: number;
  readonly answerBy: number;
  readonly fail: (error: Error) => void;
}

// Errors the SDK's own handler renames TimeoutError, so that its retry strategy and aws-error.ts take them as transient.
const TIMEOUT_CODES = new Set(["ECONNRESET", "EPIPE", "ETIMEDOUT"]);
// How often deadlines are checked: a timeout fires up to this late.
const DEADLINE_CHECK_MS = 250;

function timeoutError(message: string): Error {
  return Object.assign(new Error(message), { name: "TimeoutError", code: "ETIMEDOUT" });
}

function queryString(query: NonNullable<SdkRequest["query"]>): string {
  const parts: string[] = [];
  for (const key of Object.keys(query).sort()) {
    const value = query[key];
    if (value === null || value === undefined) {
      parts.push(encodeRfc3986(key));
    } else if (typeof value === "string") {
      parts.push(`${encodeRfc3986(key)}=${encodeRfc3986(value)}`);
    } else {
      for (const item of value) parts.push(`${encodeRfc3986(key)}=${encodeRfc3986(item)}`);
    }
  }
  return parts.join("&");
}

function responseHeaders(headers: IncomingMessage["headers"]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of Object.keys(headers)) {
    const value = headers[name];
    if (value !== undefined) out[name] = Array.isArray(value) ? value.join(",") : value;
  }
  return out;
}

/**
 * The HTTP/1.1 handler every SDK client of a sweep sends through (the SDK's documented `requestHandler` extension
 * point). The SDK's NodeHttpHandler arms four timers and their listeners for every request and resolves through
 * several promises; across a sweep's tens of thousands of small requests that was a sixth of the scanner's CPU.
 * Here every request is one `http.request` on the shared keep-alive pool, and one interval checks the deadlines of
 * all requests in flight: the connection and request timeouts, and the errors, are the SDK's.
 */
export class SweepRequestHandler {
  readonly metadata = { handlerProtocol: "http/1.1" };
  private readonly httpAgent: HttpAgent;
  private readonly httpsAgent: HttpsAgent;
  private readonly requestTimeoutMs: number;
  private readonly connectionTimeoutMs: number;
  private readonly inFlight = new Set<InFlight>();
  private deadlines: NodeJS.Timeout | undefined;

  constructor(options: {
    httpAgent: HttpAgent;
    httpsAgent: HttpsAgent;
    requestTimeoutMs: number;
    connectionTimeoutMs: number;
  }) {
    this.httpAgent = options.httpAgent;
    this.httpsAgent = options.httpsAgent;
    this.requestTimeoutMs = options.requestTimeoutMs;
    this.connectionTimeoutMs = options.connectionTimeoutMs;
  }

  handle(
    request: SdkRequest,
    {
      abortSignal,
      requestTimeout,
      isEventStream,
    }: { abortSignal?: AbortSignal; requestTimeout?: number; isEventStream?: boolean } = {},
  ): Promise<{ response: SdkResponse }> {
    return new Promise((resolve, reject) => {
      if (abortSignal?.aborted) {
        reject(Object.assign(new Error("Request aborted"), { name: "AbortError" }));
        return;
      }
      const query = request.query === undefined ? "" : queryString(request.query);
      const isHttps = request.protocol === "https:";
      const hostname = request.hostname.startsWith("[") ? request.hostname.slice(1, -1) : request.hostname;
      const req = (isHttps ? httpsRequest : httpRequest)({
        host: hostname,
        ...(request.port === undefined ? {} : { port: request.port }),
        method: request.method,
        path: query === "" ? request.path : `${request.path}?${query}`,
        headers: request.headers,
        agent: isHttps ? this.httpsAgent : this.httpAgent,
      });
      const now = Date.now();
      const entry: InFlight = {
        request: req,
        connectBy: now + this.connectionTimeoutMs,
        answerBy: now + (requestTimeout ?? this.requestTimeoutMs),
        fail: (error) => {
          req.destroy(error);
          reject(error);
        },
      };
      this.track(entry);
      const done = () => this.untrack(entry);
      const answer = (res: IncomingMessage, body: SdkResponse["body"]) => {
        done();
        resolve({
          response: {
            statusCode: res.statusCode ?? -1,
            ...(res.statusMessage === undefined ? {} : { reason: res.statusMessage }),
            headers: responseHeaders(res.headers),
            body,
          },
        });
      };
      const failed = (error: NodeJS.ErrnoException) => {
        done();
        reject(TIMEOUT_CODES.has(error.code ?? "") ? Object.assign(error, { name: "TimeoutError" }) : error);
      };
      req.once("response", (res) => {
        if (isEventStream === true) return answer(res, res);
        // The body read here, whole, within the request's deadlines: the SDK takes bytes as they are, where from a
        // stream it pipes each answer into a collector of its own (a Writable, its listeners and a copy per answer).
        // The scanner's operations all answer a small document; none streams (the catalogue sends no other).
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.once("end", () => answer(res, chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)));
        res.once("error", failed);
      });
      req.once("error", failed);
      if (abortSignal !== undefined) {
        const onAbort = () => entry.fail(Object.assign(new Error("Request aborted"), { name: "AbortError" }));
        abortSignal.addEventListener("abort", onAbort, { once: true });
        req.once("close", () => abortSignal.removeEventListener("abort", onAbort));
      }
      writeBody(req, request.body);
    });
  }

  private track(entry: InFlight): void {
    this.inFlight.add(entry);
    if (this.deadlines !== undefined) return;
    this.deadlines = setInterval(() => this.checkDeadlines(), DEADLINE_CHECK_MS);
    // Only requests in flight keep the process alive, not their deadlines.
    this.deadlines.unref();
  }

  private untrack(entry: InFlight): void {
    this.inFlight.delete(entry);
    if (this.inFlight.size > 0 || this.deadlines === undefined) return;
    clearInterval(this.deadlines);
    this.deadlines = undefined;
  }

  private checkDeadlines(): void {
    const now = Date.now();
    for (const entry of this.inFlight) {
      const connecting = entry.request.socket === null || entry.request.socket.connecting;
      if (connecting && now >= entry.connectBy) {
        this.untrack(entry);
        entry.fail(
          timeoutError(
            `the request socket did not connect within the ${this.connectionTimeoutMs} ms connection timeout`,
          ),
        );
      } else if (now >= entry.answerBy) {
        this.untrack(entry);
        entry.fail(timeoutError(`the request was not answered within the ${this.requestTimeoutMs} ms request timeout`));
      }
    }
  }

  // The SDK asks every handler for these; the sweep's configuration is fixed when its clients are built.
  updateHttpClientConfig(): void {}

  httpHandlerConfigs(): Record<string, never> {
    return {};
  }

  /** Clients share this handler and its pool: closing one client must not close the pool (the factory does). */
  destroy(): void {}
}

function writeBody(req: ClientRequest, body: unknown): void {
  if (body instanceof Readable) {
    body.pipe(req);
  } else if (typeof body === "string" || body instanceof Uint8Array) {
    req.end(body);
  } else {
    req.end();
  }
}
