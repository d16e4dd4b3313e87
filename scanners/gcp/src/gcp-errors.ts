import { type AigovError, type GapCode, isAigovError } from "@aigov/core";
import type { CloudErrors } from "@aigov/scanner-kit";

/**
 * A Google API error, whichever way it reached the scanner: the clients on google-gax 6 raise a GoogleError with
 * the gRPC code (`code: 7`) and the ErrorInfo `reason`; those on google-gax 5 let gaxios raise it, with the HTTP
 * `status` and Google's error body as the message; a request that never got an answer is a network or abort error.
 */
interface GoogleFailure {
  /** `PERMISSION_DENIED`, `RESOURCE_EXHAUSTED` … */
  readonly status: string | undefined;
  readonly httpStatus: number | undefined;
  /** ErrorInfo's reason: `SERVICE_DISABLED`, `IAM_PERMISSION_DENIED`, `RATE_LIMIT_EXCEEDED` … */
  readonly reason: string | undefined;
  /** Google's message, one line. */
  readonly message: string;
  /** A network or abort failure: the Node or DOM error name. */
  readonly transport: string | undefined;
}

/** `google.rpc.Code` by number. */
const RPC_STATUS = [
  "OK",
  "CANCELLED",
  "UNKNOWN",
  "INVALID_ARGUMENT",
  "DEADLINE_EXCEEDED",
  "NOT_FOUND",
  "ALREADY_EXISTS",
  "PERMISSION_DENIED",
  "RESOURCE_EXHAUSTED",
  "FAILED_PRECONDITION",
  "ABORTED",
  "OUT_OF_RANGE",
  "UNIMPLEMENTED",
  "INTERNAL",
  "UNAVAILABLE",
  "DATA_LOSS",
  "UNAUTHENTICATED",
];

const TRANSPORT_TIMEOUT = new Set(["AbortError", "TimeoutError", "ETIMEDOUT", "ECONNRESET", "ESOCKETTIMEDOUT"]);

function property(value: unknown, name: string): unknown {
  return typeof value === "object" && value !== null ? Reflect.get(value, name) : undefined;
}

function text(value: unknown): string | undefined {
  return typeof value === "string" && value !== "" ? value : undefined;
}

/** Google's error body `{"error":{code,message,status,details}}`, if `value` holds one (an object or its JSON text). */
function errorBody(value: unknown): Record<string, unknown> | undefined {
  let parsed = value;
  if (typeof value === "string" && value.startsWith("{")) {
    try {
      parsed = JSON.parse(value);
    } catch {
      return undefined;
    }
  }
  const inner = property(parsed, "error");
  return typeof inner === "object" && inner !== null ? (inner as Record<string, unknown>) : undefined;
}

function readFailure(error: unknown): GoogleFailure {
  const message = error instanceof Error ? error.message : String(error);
  const body = errorBody(property(property(error, "response"), "data")) ?? errorBody(message);
  const code = property(error, "code");
  // A GaxiosError carries its request's `config`, and its numeric code is the HTTP status; a GoogleError's is gRPC's.
  const fromGaxios = property(error, "config") !== undefined;
  const grpc = typeof code === "number" && !fromGaxios ? RPC_STATUS[code] : undefined;
  const numberAt = (name: string) => {
    const value = property(error, name);
    return typeof value === "number" ? value : undefined;
  };
  const httpStatus =
    numberAt("httpStatusCode") ?? numberAt("status") ?? (typeof body?.code === "number" ? body.code : undefined);
  const details = Array.isArray(body?.details) ? body.details : [];
  const info = details.find((detail) => text(property(detail, "reason")) !== undefined);
  const name = text(property(error, "name"));
  return {
    status: text(body?.status) ?? grpc,
    httpStatus,
    reason: text(property(error, "reason")) ?? text(property(info, "reason")),
    message: (text(body?.message) ?? message).split("\n")[0]!,
    transport: typeof code === "string" ? code : name === "AbortError" || name === "TimeoutError" ? name : undefined,
  };
}

/** The transport's own refusal (a call outside the catalogue), which a client may have wrapped as a network failure. */
function refusal(error: unknown): AigovError | undefined {
  for (let cause = error; cause !== undefined && cause !== null; cause = property(cause, "cause"))
    if (isAigovError(cause)) return cause;
  return undefined;
}

export function classifyGcpError(error: unknown): GapCode {
  if (refusal(error) !== undefined) return "Error";
  const failure = readFailure(error);
  if (failure.reason === "SERVICE_DISABLED") return "NotAvailable";
  if (failure.transport !== undefined && TRANSPORT_TIMEOUT.has(failure.transport)) return "Timeout";
  switch (failure.status) {
    case "PERMISSION_DENIED":
    case "UNAUTHENTICATED":
      return "AccessDenied";
    case "RESOURCE_EXHAUSTED":
      return "Throttling";
    case "DEADLINE_EXCEEDED":
    case "CANCELLED":
      return "Timeout";
    case "UNAVAILABLE":
    case "INTERNAL":
    case "UNKNOWN":
      return "ServerError";
    case "NOT_FOUND":
    case "UNIMPLEMENTED":
      return "NotAvailable";
    // Vertex AI answers a location it does not serve for the project as a failed precondition.
    case "FAILED_PRECONDITION":
      return /\blocation\b/i.test(failure.message) ? "RegionDisabled" : "Error";
  }
  const status = failure.httpStatus;
  if (status === 401 || status === 403) return "AccessDenied";
  if (status === 429) return "Throttling";
  if (status !== undefined && status >= 500) return "ServerError";
  return "Error";
}

/** One line for a gap: the status, the ErrorInfo reason and Google's message; never a request or response body. */
export function describeGcpError(error: unknown): string {
  const refused = refusal(error);
  if (refused !== undefined) return `${refused.code}: ${refused.message}`;
  const failure = readFailure(error);
  const label = [failure.status ?? failure.transport ?? failure.httpStatus, failure.reason]
    .filter((part) => part !== undefined)
    .join(" ");
  return label === "" ? failure.message : `${label}: ${failure.message}`;
}

/** How Google API errors read as coverage gaps. */
export const GCP_ERRORS: CloudErrors = { provider: "gcp", code: classifyGcpError, message: describeGcpError };
