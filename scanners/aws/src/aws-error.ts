import type { CoverageGap, GapCode } from "@aigov/core";
import { type CloudErrors, gapFrom } from "@aigov/scanner-kit";

const ACCESS_DENIED = new Set([
  "AccessDenied",
  "AccessDeniedException",
  "UnauthorizedOperation",
  "AuthorizationError",
  "AuthorizationErrorException",
  "UnauthorizedException",
  "AWSOrganizationsNotInUseException",
]);
const THROTTLING = new Set([
  "Throttling",
  "ThrottlingException",
  "ThrottledException",
  "TooManyRequestsException",
  "RequestLimitExceeded",
  "RequestThrottled",
  "RequestThrottledException",
  "SlowDown",
  "ProvisionedThroughputExceededException",
  "LimitExceededException",
]);
// A call into an opt-in region that is not enabled for the account fails authentication there.
const REGION_DISABLED = new Set([
  "UnrecognizedClientException",
  "InvalidClientTokenId",
  "OptInRequired",
  "RegionDisabledException",
]);
const TIMEOUT = new Set([
  "TimeoutError",
  "RequestTimeout",
  "RequestTimeoutException",
  "AbortError",
  "ETIMEDOUT",
  "ECONNRESET",
  "ESOCKETTIMEDOUT",
]);
// The service or operation does not exist in this region (Bedrock is not in every region).
const NOT_AVAILABLE = new Set(["UnknownOperationException", "UnsupportedOperationException", "UnknownEndpoint"]);

/** A property of a thrown value, whatever was thrown (SDK errors, Node network errors, anything). */
function property(error: unknown, name: string): unknown {
  return typeof error === "object" && error !== null ? Reflect.get(error, name) : undefined;
}

function text(value: unknown): string | undefined {
  return typeof value === "string" && value !== "" ? value : undefined;
}

/** The AWS error code of an SDK error (`name`), or the Node error code for network failures. */
export function awsErrorName(error: unknown): string {
  const name = text(property(error, "name"));
  if (name !== undefined && name !== "Error") return name;
  return text(property(error, "code")) ?? text(property(error, "Code")) ?? "Error";
}

export function classifyAwsError(error: unknown): GapCode {
  const name = awsErrorName(error);
  if (name === "CredentialsProviderError") return "NoCredentials";
  const status = property(property(error, "$metadata"), "httpStatusCode");
  if (ACCESS_DENIED.has(name)) return "AccessDenied";
  if (THROTTLING.has(name) || status === 429) return "Throttling";
  if (REGION_DISABLED.has(name)) return "RegionDisabled";
  if (TIMEOUT.has(name)) return "Timeout";
  if (typeof status === "number" && status >= 500) return "ServerError";
  if (NOT_AVAILABLE.has(name)) return "NotAvailable";
  if (status === 403) return "AccessDenied";
  return "Error";
}

/** Where the SDK's default chain looks, in its order: what a person with no credentials set needs to read. */
const NO_CREDENTIALS =
  "no AWS credentials: looked in the environment (AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY), the profile " +
  "(AWS_PROFILE, ~/.aws/credentials and ~/.aws/config, SSO), web identity (AWS_WEB_IDENTITY_TOKEN_FILE) and the " +
  "container or instance role; give one of them (e.g. export AWS_PROFILE=audit after 'aws sso login'), or try " +
  "'aigov demo' without a cloud account";

/** One-line message for a gap: the AWS error name and its message, never a request body. */
export function describeAwsError(error: unknown): string {
  const name = awsErrorName(error);
  if (name === "CredentialsProviderError") return NO_CREDENTIALS;
  const message = error instanceof Error ? error.message : String(error);
  return message && message !== name ? `${name}: ${message}` : name;
}

/** How AWS errors read as coverage gaps. */
export const AWS_ERRORS: CloudErrors = { provider: "aws", code: classifyAwsError, message: describeAwsError };

/**
 * The gap for a member role that could not be assumed, saying which role and what usually fixes it: the role is
 * missing in that account, or does not trust the sweep's identity (or expects another external id).
 */
export function assumeRoleGap(
  error: unknown,
  where: { account: string; region?: string | undefined },
  roleArn: string,
): CoverageGap {
  const gap = gapFrom(AWS_ERRORS, error, { ...where, service: "sts", operation: "AssumeRole" }, "AssumeRoleFailed");
  return {
    ...gap,
    message: `${gap.message} (role ${roleArn}: create it in the account with docs/permissions/aws/member-role-stackset.yaml or the terraform module beside it, trusting the sweep's identity; or name the role to assume in targets.aws.role)`,
  };
}
