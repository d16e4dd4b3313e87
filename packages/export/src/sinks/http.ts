import { DeliveryError } from "./sink.ts";

export interface HttpResponse {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
}

/** Statuses that say "try again later": timeouts, throttling, and server trouble. */
function retryableStatus(status: number): boolean {
  return status === 408 || status === 425 || status === 429 || status >= 500;
}

/** Retry-After in seconds or as an HTTP date, in milliseconds from now; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null, now: number = Date.now()): number | undefined {
  if (value === null || value.trim() === "") return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/**
 * One HTTP request with a timeout. Network failures and retryable statuses become retryable DeliveryErrors
 * (with Retry-After), other non-2xx statuses final ones; the response text is cut short so a token echoed
 * back by a proxy cannot end up in a long error message.
 */
export async function httpRequest(
  url: string,
  init: { method?: string; headers: Record<string, string>; body?: string; timeoutMs: number; signal?: AbortSignal },
): Promise<HttpResponse> {
  const timeout = AbortSignal.timeout(init.timeoutMs);
  const signal = init.signal === undefined ? timeout : AbortSignal.any([timeout, init.signal]);
  let response: Response;
  try {
    response = await fetch(url, {
      method: init.method ?? "POST",
      headers: init.headers,
      body: init.body ?? null,
      signal,
    });
  } catch (error) {
    const reason = timeout.aborted
      ? `timed out after ${init.timeoutMs} ms`
      : (((error as Error).cause as Error | undefined)?.message ?? (error as Error).message);
    throw new DeliveryError(`${new URL(url).host}: ${reason}`, {
      retryable: init.signal?.aborted !== true,
      cause: error,
    });
  }
  const text = await response.text();
  if (response.status >= 200 && response.status < 300)
    return { status: response.status, headers: response.headers, text };
  const retryAfterMs = parseRetryAfter(response.headers.get("retry-after"));
  throw new DeliveryError(`${new URL(url).host} answered HTTP ${response.status}: ${text.slice(0, 200)}`, {
    retryable: retryableStatus(response.status),
    status: response.status,
    ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
  });
}
