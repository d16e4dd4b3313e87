import { randomUUID } from "node:crypto";
import type { Reply } from "../../core/frontend.ts";

/** An ARM error: `{"error":{"code","message"}}` with its HTTP status (and headers, e.g. Retry-After). */
export class ArmError extends Error {
  readonly code: string;
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly details: readonly Record<string, unknown>[] | undefined;

  constructor(
    code: string,
    message: string,
    status: number,
    headers: Readonly<Record<string, string>> = {},
    details?: readonly Record<string, unknown>[],
  ) {
    super(message);
    this.name = "ArmError";
    this.code = code;
    this.status = status;
    this.headers = headers;
    this.details = details;
  }
}

function headers(requestId: string): Record<string, string> {
  return {
    "content-type": "application/json; charset=utf-8",
    "x-ms-request-id": requestId,
    "x-ms-correlation-request-id": requestId,
    "cache-control": "no-cache",
  };
}

export function armReply(body: unknown, status = 200): Reply {
  const requestId = randomUUID();
  return { status, headers: headers(requestId), body: JSON.stringify(body) };
}

export function armErrorReply(error: ArmError): Reply {
  const requestId = randomUUID();
  const body = {
    error: {
      code: error.code,
      message: error.message,
      ...(error.details === undefined ? {} : { details: error.details }),
    },
  };
  return {
    status: error.status,
    headers: { ...headers(requestId), "x-ms-failure-cause": "gateway", ...error.headers },
    body: JSON.stringify(body),
    errorCode: error.code,
  };
}

const API_VERSION = /^\d{4}-\d{2}-\d{2}(-preview)?$/;

/** ARM refuses a request without a well-formed `api-version`, before any resource provider sees it. */
export function checkApiVersion(query: URLSearchParams): ArmError | undefined {
  const version = query.get("api-version");
  if (version === null || version === "")
    return new ArmError(
      "MissingApiVersionParameter",
      "The api-version query parameter (?api-version=) is required for all requests.",
      400,
    );
  if (!API_VERSION.test(version))
    return new ArmError(
      "InvalidApiVersionParameter",
      `The api-version '${version}' is invalid. The supported versions are dates such as '2025-09-01' or '2025-10-01-preview'.`,
      400,
    );
  return undefined;
}

/**
 * The `nextLink` of a page: the same URL (scheme and host the client reached), its query kept, with the next
 * `$skipToken`. ARM's nextLinks are absolute and carry api-version, and SDKs request them as they are.
 */
export function nextLink(secure: boolean, host: string, path: string, query: URLSearchParams, token: string): string {
  const next = new URLSearchParams();
  for (const [key, value] of query) if (key.toLowerCase() !== "$skiptoken") next.append(key, value);
  next.append("$skipToken", token);
  return `${secure ? "https" : "http"}://${host}${path}?${next.toString()}`;
}

/** The `$skipToken` (ARM spells it `$skiptoken` too) a client sent back. */
export function skipToken(query: URLSearchParams): string | undefined {
  for (const [key, value] of query) if (key.toLowerCase() === "$skiptoken") return value;
  return undefined;
}
