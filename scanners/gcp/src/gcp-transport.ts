import { type BackoffOptions, backoffDelay, mayRetry, type RequestLimiter } from "@aigov/scanner-kit";
import { GoogleAuth, type GoogleAuthOptions } from "google-auth-library";
import { GCP_APIS, GCP_CATALOGUE, routeOf, wireName } from "./catalogue.ts";

type FetchArguments = Parameters<GoogleAuth["fetch"]>;
type FetchResponse = Awaited<ReturnType<GoogleAuth["fetch"]>>;

/** What the transport reads of a request, whichever of fetch's two call forms (`url, init` or gaxios options) sent it. */
interface RequestParts {
  readonly url: URL;
  readonly method: string;
  readonly body: unknown;
  readonly signal: AbortSignal | undefined;
  /** The request to send: to `url` (which the transport may have pointed elsewhere), with this abort signal. */
  withSignal(signal: AbortSignal): FetchArguments;
}

function requestParts(args: FetchArguments): RequestParts {
  const [first, second] = args;
  if (typeof first === "string" || first instanceof URL || first instanceof Request) {
    const init = (second ?? {}) as RequestInit;
    const url = new URL(first instanceof Request ? first.url : String(first));
    return {
      url,
      method: (init.method ?? (first instanceof Request ? first.method : "GET")).toUpperCase(),
      body: init.body,
      signal: init.signal ?? undefined,
      withSignal: (signal) => [url.toString(), { ...init, signal }] as FetchArguments,
    };
  }
  const options = first ?? {};
  const url = new URL(String(options.url ?? ""));
  return {
    url,
    method: (options.method ?? "GET").toUpperCase(),
    body: options.body ?? options.data,
    signal: options.signal ?? undefined,
    withSignal: (signal) => [{ ...options, url: url.toString(), signal }] as FetchArguments,
  };
}

/** Statuses worth sending again: throttling and the server's transient failures. */
const RETRYABLE = new Set([408, 429, 500, 502, 503, 504]);

export interface TransportOptions {
  readonly limiter: RequestLimiter;
  readonly backoff: BackoffOptions;
  /** Each attempt is abandoned after this long: an endpoint that stops answering costs a retry, not the sweep. */
  readonly requestTimeoutMs: number;
}

/**
 * Application Default Credentials through which every Google API request of the scanner leaves the process. Each
 * `@google-cloud/*` client on its REST transport sends its requests with its auth's `fetch`, and the scanner's own
 * REST call (Cloud Logging `entries:list`) does too, so this one override is the scanner's transport:
 *  - a request whose method and path match no entry of the read-only catalogue is refused before it is signed or
 *    sent (GCP_COMMAND_NOT_ALLOWED): API Keys GetKeyString, any write;
 *  - each attempt waits for the token bucket of its project, location and API, then for a slot under the sweep's
 *    concurrency bound, and is counted;
 *  - throttling, 5xx, network failures and attempts that time out are sent again with the kit's jittered backoff,
 *    honouring Retry-After, up to maxAttempts; the clients' own retries see only the final answer.
 */
export class ScannerAuth extends GoogleAuth {
  readonly #transport: TransportOptions;

  constructor(options: GoogleAuthOptions, transport: TransportOptions) {
    super(options);
    this.#transport = transport;
  }

  override async fetch<T>(...args: FetchArguments): Promise<FetchResponse & { data: T }> {
    const request = requestParts(args);
    const { url, method } = request;
    const route = routeOf(method, url.pathname);
    const entry = GCP_CATALOGUE.guard(
      route === undefined ? `${url.hostname}:${method} ${url.pathname}` : wireName(route.entry),
      {},
      new Set(),
    );
    if (GCP_APIS[entry.service].regional) regional(url, route?.labels.location);
    const scope = {
      account: route?.labels.project ?? projectOfLogRequest(request.body) ?? "",
      region: route?.labels.location ?? "global",
      service: entry.service,
      operation: entry.operation,
    };
    const { limiter, backoff } = this.#transport;
    for (let attempts = 1; ; attempts++) {
      const outcome = await limiter.send(scope, () => this.#attempt<T>(request));
      const retryable = outcome.ok ? RETRYABLE.has(outcome.response.status) : isTransient(outcome.error, request);
      if (!retryable || !mayRetry(backoff, attempts)) {
        if (outcome.ok) return outcome.response;
        throw outcome.error;
      }
      limiter.countRetry();
      const retryAfter = outcome.ok ? retryAfterOf(outcome.response.headers) : undefined;
      // The answer that is not kept is read to its end, so its connection goes back to the pool.
      if (outcome.ok) await outcome.response.arrayBuffer().catch(() => undefined);
      await sleep(backoffDelay(backoff, attempts - 1, retryAfter), request.signal);
    }
  }

  async #attempt<T>(
    request: RequestParts,
  ): Promise<{ ok: true; response: FetchResponse & { data: T } } | { ok: false; error: unknown }> {
    // A timer cleared when the attempt ends (AbortSignal.timeout would keep each attempt's signal, and what listens
    // to it, alive for the whole timeout), and the caller's own signal followed for as long as the attempt lasts.
    const controller = new AbortController();
    const timer = setTimeout(
      () => controller.abort(new DOMException("request timed out", "TimeoutError")),
      this.#transport.requestTimeoutMs,
    );
    const follow = () => controller.abort(request.signal?.reason);
    request.signal?.addEventListener("abort", follow, { once: true });
    try {
      if (request.signal?.aborted === true) follow();
      return {
        ok: true,
        response: (await super.fetch<T>(...request.withSignal(controller.signal))) as FetchResponse & { data: T },
      };
    } catch (error) {
      return { ok: false, error };
    } finally {
      clearTimeout(timer);
      request.signal?.removeEventListener("abort", follow);
    }
  }
}

/**
 * A failure without an answer (network, the attempt's own timeout), or a retryable status raised as an error: the
 * google-gax 5 clients' requests reject on any error status, so their answer is read off the error.
 */
function isTransient(error: unknown, request: RequestParts): boolean {
  // The caller's own deadline or cancellation ends the request for good.
  if (request.signal?.aborted === true) return false;
  if (typeof error !== "object" || error === null) return false;
  const status = (error as { response?: { status?: unknown } }).response?.status;
  if (typeof status === "number" && RETRYABLE.has(status)) return true;
  const code = (error as { code?: unknown }).code;
  const name = (error as { name?: unknown }).name;
  return (
    name === "AbortError" ||
    name === "TimeoutError" ||
    (typeof code === "string" && ["ECONNRESET", "ECONNREFUSED", "ETIMEDOUT", "EPIPE", "EAI_AGAIN"].includes(code))
  );
}

/**
 * Vertex AI serves each location at its own regional endpoint: a request the client addressed to the global host is
 * sent to `{location}-aiplatform.googleapis.com`. (Requests to a simulator keep their host.)
 */
export function regional(url: URL, location: string | undefined): void {
  if (location === undefined || location === "global" || location === "-") return;
  const global = /^([a-z]+)\.googleapis\.com$/.exec(url.hostname);
  if (global !== null) url.hostname = `${location}-${global[1]}.googleapis.com`;
}

function retryAfterOf(headers: Headers | undefined): Date | undefined {
  const value = headers?.get?.("retry-after");
  if (value === undefined || value === null) return undefined;
  const seconds = Number(value);
  return Number.isFinite(seconds) ? new Date(Date.now() + seconds * 1000) : undefined;
}

/** Logging names the project it reads in the request body (`resourceNames`), not in the path. */
function projectOfLogRequest(body: unknown): string | undefined {
  const text = typeof body === "string" ? body : body === undefined ? undefined : JSON.stringify(body);
  return text === undefined ? undefined : /"projects\/([^"/]+)"/.exec(text)?.[1];
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener("abort", () => {
      clearTimeout(timer);
      resolve();
    });
  });
}
