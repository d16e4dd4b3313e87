import { AigovError } from "@aigov/core";
import { type TfcHost, trustedUrl } from "./tfc-host.ts";

const MAX_REDIRECTS = 3;

/**
 * Downloads a run's plan JSON. HCP Terraform answers the plan JSON URL with a redirect to a short-lived signed
 * download URL on another host (archivist); the run's token goes only to the trusted host, never along a
 * redirect to anywhere else, and the body is cut off past `maxBytes` instead of filling memory.
 */
export async function fetchPlanJson(
  planUrl: string,
  token: string,
  options: { trusted: TfcHost; maxBytes: number; signal: AbortSignal; fetch?: typeof fetch },
): Promise<Buffer> {
  const doFetch = options.fetch ?? fetch;
  let url = trustedUrl(planUrl, options.trusted, "plan_json_api_url");
  for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
    const onTrustedHost = url.host === options.trusted.host;
    const response = await doFetch(url, {
      method: "GET",
      redirect: "manual",
      signal: options.signal,
      headers: onTrustedHost
        ? { authorization: `Bearer ${token}`, accept: "application/json" }
        : { accept: "application/json" },
    });
    if (response.status >= 300 && response.status < 400) {
      await response.body?.cancel();
      const location = response.headers.get("location");
      if (location === null) throw fetchError(`HTTP ${response.status} without a Location header`);
      url = redirectTarget(location, url, options.trusted);
      continue;
    }
    if (response.status !== 200) {
      await response.body?.cancel();
      throw fetchError(`HTTP ${response.status} from ${url.host}`);
    }
    return readCapped(response, options.maxBytes);
  }
  throw fetchError(`more than ${MAX_REDIRECTS} redirects`);
}

function redirectTarget(location: string, from: URL, trusted: TfcHost): URL {
  let next: URL;
  try {
    next = new URL(location, from);
  } catch {
    throw fetchError(`the redirect to ${JSON.stringify(location)} is not a URL`);
  }
  if (next.host === trusted.host) return trustedUrl(next.href, trusted, "the plan JSON redirect");
  // The signed download URL carries its own authorisation; it still must be https (http only in test/dev mode).
  if (next.protocol !== "https:" && !(trusted.allowHttp && next.protocol === "http:")) {
    throw fetchError(`the redirect goes to ${next.protocol} URL, only https is allowed`);
  }
  return next;
}

async function readCapped(response: Response, maxBytes: number): Promise<Buffer> {
  const declared = Number(response.headers.get("content-length") ?? Number.NaN);
  if (Number.isFinite(declared) && declared > maxBytes) {
    await response.body?.cancel();
    throw tooLarge(maxBytes);
  }
  if (response.body === null) return Buffer.alloc(0);
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of response.body) {
    total += chunk.byteLength;
    if (total > maxBytes) {
      await response.body.cancel().catch(() => undefined);
      throw tooLarge(maxBytes);
    }
    chunks.push(Buffer.from(chunk));
  }
  return Buffer.concat(chunks, total);
}

/** The JSON:API body of a task result: PATCHed to the callback URL with the run's token. */
export interface TaskResultBody {
  readonly data: {
    readonly type: "task-results";
    readonly attributes: {
      readonly status: "passed" | "failed" | "running";
      readonly message: string;
      readonly url?: string;
    };
    readonly relationships?: { readonly outcomes: { readonly data: readonly TaskResultOutcome[] } };
  };
}

export type TagLevel = "none" | "info" | "warning" | "error";

export interface TaskResultOutcome {
  readonly type: "task-result-outcomes";
  readonly attributes: {
    readonly "outcome-id": string;
    readonly description: string;
    readonly body?: string;
    readonly url?: string;
    readonly tags?: Readonly<Record<string, readonly { readonly label: string; readonly level: TagLevel }[]>>;
  };
}

/**
 * Sends the task result. A 5xx or a dropped connection is tried again (the result matters more than the
 * latency) until `signal` ends the 10-minute window; a 4xx is final (an expired token stays expired).
 */
export async function patchTaskResult(
  callbackUrl: string,
  token: string,
  body: TaskResultBody,
  options: { trusted: TfcHost; signal: AbortSignal; fetch?: typeof fetch; attempts?: number },
): Promise<void> {
  const doFetch = options.fetch ?? fetch;
  const url = trustedUrl(callbackUrl, options.trusted, "task_result_callback_url");
  const attempts = options.attempts ?? 4;
  let lastProblem = "";
  for (let attempt = 1; attempt <= attempts; attempt++) {
    try {
      const response = await doFetch(url, {
        method: "PATCH",
        redirect: "error",
        signal: options.signal,
        headers: { authorization: `Bearer ${token}`, "content-type": "application/vnd.api+json" },
        body: JSON.stringify(body),
      });
      await response.body?.cancel();
      if (response.status >= 200 && response.status < 300) return;
      lastProblem = `HTTP ${response.status}`;
      if (response.status < 500) break;
    } catch (error) {
      if (options.signal.aborted) throw callbackError("the 10-minute run task window ended");
      lastProblem = (error as Error).message;
    }
    if (attempt < attempts) await delay(250 * 2 ** attempt, options.signal);
  }
  throw callbackError(lastProblem);
}

function delay(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener("abort", () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

function fetchError(message: string): AigovError {
  return new AigovError("RUN_TASK_PLAN_FETCH", `could not fetch the plan JSON: ${message}`);
}

function tooLarge(maxBytes: number): AigovError {
  return new AigovError("RUN_TASK_PLAN_TOO_LARGE", `the plan JSON is larger than ${maxBytes} bytes`, {
    hint: "raise --max-plan-bytes if plans this large are expected",
  });
}

function callbackError(message: string): AigovError {
  return new AigovError("RUN_TASK_CALLBACK", `could not send the task result: ${message}`);
}
