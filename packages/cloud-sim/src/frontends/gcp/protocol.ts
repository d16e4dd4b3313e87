import type { Reply } from "../../core/frontend.ts";

/** The canonical error codes of `google.rpc.Code` the simulated APIs answer with, and the HTTP status of each. */
const HTTP_STATUS = {
  INVALID_ARGUMENT: 400,
  FAILED_PRECONDITION: 400,
  UNAUTHENTICATED: 401,
  PERMISSION_DENIED: 403,
  NOT_FOUND: 404,
  RESOURCE_EXHAUSTED: 429,
  INTERNAL: 500,
  UNIMPLEMENTED: 501,
  UNAVAILABLE: 503,
} as const;

export type GoogleStatus = keyof typeof HTTP_STATUS;

/** `google.rpc.ErrorInfo`: the machine-readable reason clients branch on (SERVICE_DISABLED, IAM_PERMISSION_DENIED …). */
export interface ErrorInfo {
  readonly reason: string;
  readonly domain: string;
  readonly metadata?: Readonly<Record<string, string>>;
}

/** A Google API error as a service raises it; encoded as `{"error":{"code","message","status","details"}}`. */
export class GoogleApiError extends Error {
  readonly status: GoogleStatus;
  readonly info: ErrorInfo | undefined;

  constructor(status: GoogleStatus, message: string, info?: ErrorInfo) {
    super(message);
    this.name = "GoogleApiError";
    this.status = status;
    this.info = info;
  }
}

export function jsonReply(body: unknown, status = 200): Reply {
  return {
    status,
    headers: { "content-type": "application/json; charset=UTF-8" },
    body: JSON.stringify(body ?? {}),
  };
}

/** The error body every Google REST API answers with (AIP-193), ErrorInfo among its details. */
export function errorReply(error: GoogleApiError): Reply {
  const code = HTTP_STATUS[error.status];
  const details =
    error.info === undefined
      ? []
      : [
          {
            "@type": "type.googleapis.com/google.rpc.ErrorInfo",
            reason: error.info.reason,
            domain: error.info.domain,
            metadata: error.info.metadata ?? {},
          },
        ];
  const reply = jsonReply({ error: { code, message: error.message, status: error.status, details } }, code);
  return { ...reply, errorCode: error.info?.reason ?? error.status };
}

/** A permission the caller lacks, worded as IAM words it (the resource "may not exist": Google does not say which). */
export function permissionDenied(permission: string, resource: string): GoogleApiError {
  return new GoogleApiError(
    "PERMISSION_DENIED",
    `Permission '${permission}' denied on resource '${resource}' (or it may not exist).`,
    { reason: "IAM_PERMISSION_DENIED", domain: "iam.googleapis.com", metadata: { permission, resource } },
  );
}
