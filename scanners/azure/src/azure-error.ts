import type { GapCode } from "@aigov/core";
import type { CloudErrors } from "@aigov/scanner-kit";

/** A property of a thrown value, whatever was thrown (RestError, identity errors, Node network errors). */
function property(error: unknown, name: string): unknown {
  return typeof error === "object" && error !== null ? Reflect.get(error, name) : undefined;
}

function text(value: unknown): string | undefined {
  return typeof value === "string" && value !== "" ? value : undefined;
}

/** The ARM error code of a failed call (`AuthorizationFailed`), else the error's name or network code. */
export function azureErrorCode(error: unknown): string {
  return (
    text(property(error, "code")) ??
    text(property(error, "name")) ??
    (typeof property(error, "statusCode") === "number" ? `HTTP ${String(property(error, "statusCode"))}` : "Error")
  );
}

const TIMEOUT = new Set(["AbortError", "TimeoutError", "ETIMEDOUT", "ECONNRESET", "ESOCKETTIMEDOUT", "ECONNREFUSED"]);
// Entra ID would not give the sweep a token for the tenant: nothing of the target can be read.
const CREDENTIAL = new Set([
  "AuthenticationError",
  "AuthenticationRequiredError",
  "CredentialUnavailableError",
  "AggregateAuthenticationError",
]);

/** The subscription has not registered the resource provider: none of its resources can exist there. */
export function isNotRegistered(error: unknown): boolean {
  return property(error, "code") === "MissingSubscriptionRegistration";
}

export function classifyAzureError(error: unknown): GapCode {
  const code = azureErrorCode(error);
  const status = property(error, "statusCode");
  if (property(error, "code") === "AZURE_COMMAND_NOT_ALLOWED") return "ScannerError";
  if (CREDENTIAL.has(text(property(error, "name")) ?? "")) return "AssumeRoleFailed";
  if (status === 401 || status === 403) return "AccessDenied";
  if (status === 429) return "Throttling";
  if (typeof status === "number" && status >= 500) return "ServerError";
  if (TIMEOUT.has(code) || TIMEOUT.has(text(property(error, "name")) ?? "")) return "Timeout";
  if (status === 404 || status === 409 || code === "NoRegisteredProviderFound") return "NotAvailable";
  return "Error";
}

/**
 * One line for a gap: the ARM error code and its message's first line, never a request or response body. Entra ID's
 * refusals say why in their error description (`AADSTS7000215: Invalid client secret provided.`), which is kept.
 */
export function describeAzureError(error: unknown): string {
  const code = azureErrorCode(error);
  const message = (error instanceof Error ? error.message : String(error)).split("\n")[0]!;
  const described = text(property(property(error, "errorResponse"), "errorDescription"))?.split(" Trace ID:")[0];
  const line = message !== "" && message !== code ? `${code}: ${message}` : code;
  return described === undefined || line.includes(described) ? line : `${line} (${described.trim()})`;
}

export const AZURE_ERRORS: CloudErrors = {
  provider: "azure",
  code: classifyAzureError,
  message: describeAzureError,
};
