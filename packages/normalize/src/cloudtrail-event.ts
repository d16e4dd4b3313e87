import { type Actor, type ApiCall, type AuthType, type SourceLocation, unknown } from "@aigov/core";
import { modelId } from "./model-id.ts";
import { AWS_INVOCATION_OPERATIONS } from "./usage.ts";
import { contentId, embeddedObject, isoTime, type JsonObject, objectAt, stringAt } from "./record-fields.ts";

/** CloudTrail event sources that are AI services, and the ApiCall service name each becomes. */
export const AWS_AI_EVENT_SOURCES: Readonly<Record<string, string>> = {
  "bedrock.amazonaws.com": "bedrock",
  "bedrock-mantle.amazonaws.com": "bedrock-mantle",
  "sagemaker.amazonaws.com": "sagemaker",
  "runtime.sagemaker.amazonaws.com": "sagemaker",
  "api.sagemaker.amazonaws.com": "sagemaker",
};

// Request parameters naming the model a call runs or manages: `modelId` (InvokeModel, Converse …), `modelIdentifier`
// or `modelArn` (Get/Delete of a model), `model` (the OpenAI-compatible bedrock-mantle endpoint),
// `baseModelIdentifier` (a customization job), `foundationModel` (an agent). A SageMaker `endpointName` or
// `modelName` names a resource of the account, not a model.
export const CLOUDTRAIL_MODEL_PARAMETERS = [
  "modelId",
  "modelIdentifier",
  "modelArn",
  "model",
  "baseModelIdentifier",
  "foundationModel",
] as const;

export function isCloudTrailEvent(record: JsonObject): boolean {
  return typeof record.eventSource === "string" && typeof record.eventName === "string";
}

/**
 * Where an event was read when the reader knows more than the event says: LookupEvents answers for one account and
 * Region, so those fill in an event that leaves them out.
 */
export interface CloudTrailOrigin {
  readonly account?: string;
  readonly region?: string;
}

/**
 * One CloudTrail event (the record a trail delivers, LookupEvents' `CloudTrailEvent`, a CloudTrail Lake row read back
 * into that shape) → ApiCall, or null when the event is not from an AI service. The sweep's LookupEvents collector
 * and `aigov logs` both read events through this function, so the same event is the same call either way.
 */
export function apiCallFromCloudTrailEvent(
  event: JsonObject,
  source: SourceLocation,
  origin: CloudTrailOrigin = {},
): ApiCall | null {
  const eventSource = event.eventSource;
  if (typeof eventSource !== "string") return null;
  const service = AWS_AI_EVENT_SOURCES[eventSource];
  if (service === undefined) return null;
  const identity = objectAt(event, "userIdentity");
  const request = embeddedObject(event.requestParameters);
  const additional = embeddedObject(event.additionalEventData);
  const operation = String(event.eventName);
  const account = stringAt(event, "recipientAccountId") ?? origin.account ?? stringAt(identity, "accountId");
  const region = stringAt(event, "awsRegion") ?? origin.region;
  const principal = stringAt(identity, "arn") ?? stringAt(identity, "principalId") ?? stringAt(identity, "invokedBy");
  const errorCode = stringAt(event, "errorCode");
  return {
    subject: "api-call",
    provider: "aws",
    account: account ?? unknown("no recipientAccountId or userIdentity.accountId in the event"),
    region: region ?? unknown("no awsRegion in the event"),
    time: isoTime(event.eventTime) ?? new Date(0).toISOString(),
    service,
    operation,
    principal: principal ?? unknown("no userIdentity.arn in the event"),
    actor: cloudTrailActor(identity),
    usage: AWS_INVOCATION_OPERATIONS.has(operation),
    sourceIp: stringAt(event, "sourceIPAddress") ?? unknown("no sourceIPAddress in the event"),
    userAgent: stringAt(event, "userAgent") ?? unknown("no userAgent in the event"),
    ...modelOf(request, operation),
    authType: authType(identity, request, additional),
    outcome: errorCode === undefined ? "success" : "failure",
    ...(errorCode === undefined ? {} : { errorCode }),
    eventId: stringAt(event, "eventID") ?? contentId(event),
    source,
    native: event,
  };
}

function modelOf(request: JsonObject | undefined, operation: string): { model?: ApiCall["model"] } {
  for (const parameter of CLOUDTRAIL_MODEL_PARAMETERS) {
    const reference = stringAt(request, parameter);
    if (reference !== undefined) return { model: modelId(reference) };
  }
  if (!AWS_INVOCATION_OPERATIONS.has(operation)) return {};
  // A SageMaker endpoint's name says nothing reliable about the model behind it: judging it as a model id would
  // flag every endpoint against approved_models.
  const endpoint = stringAt(request, "endpointName");
  return {
    model: unknown(
      endpoint === undefined
        ? "the event names no model (data hidden or not logged)"
        : `SageMaker endpoint ${endpoint}: the log names the endpoint, not its model`,
    ),
  };
}

/**
 * CloudTrail marks every call made with a Bedrock API key, short- or long-term, with `callWithBearerToken: true`:
 * in `additionalEventData` for bedrock-runtime, in `requestParameters` for bedrock-mantle. The identity does not tell
 * them apart: a long-term key calls as the IAM user that holds it (often a `BedrockAPIKey-…` user the console made),
 * a short-term key as the principal that generated it. Such a call is made with an API key (`key`), as an Azure
 * account key or a Gemini API key is. A bearer token that STS issued for IAM credentials (access key id `ABIA…`) is
 * not a key anyone keeps: `bearer`.
 */
function authType(
  identity: JsonObject | undefined,
  request: JsonObject | undefined,
  additional: JsonObject | undefined,
): AuthType {
  if (isTrue(additional?.callWithBearerToken) || isTrue(request?.callWithBearerToken)) {
    return stringAt(identity, "accessKeyId")?.startsWith("ABIA") === true ? "bearer" : "key";
  }
  if (identity === undefined) return "unknown";
  // Not a type the CloudTrail documentation lists; read as what it names should an event carry it.
  return identity.type === "BedrockAPIKey" ? "key" : "iam";
}

/** Trails write booleans as JSON booleans; CloudTrail Lake and Athena rows as strings. */
function isTrue(value: unknown): boolean {
  return value === true || value === "true";
}

/**
 * Who made the call, from `userIdentity`. AWS acting for the account is a cloud service: a caller of type
 * `AWSService`, a call a service made with the caller's credentials (`invokedBy`: `config.amazonaws.com`,
 * `AWS Internal` …), and a service-linked role (`AWSServiceRoleFor…`, under the `/aws-service-role/` path). People
 * are root, IAM users, federated, SAML and Identity Center users, and sessions of IAM Identity Center roles
 * (`AWSReservedSSO_…`) or with a source identity (which an identity provider sets for a person). Other role
 * sessions and web-identity sessions (EKS, GitHub OIDC) are workloads; anything else is unidentified.
 */
export function cloudTrailActor(identity: JsonObject | undefined): Actor {
  if (identity === undefined) return "unidentified";
  const type = stringAt(identity, "type");
  if (type === "AWSService" || stringAt(identity, "invokedBy") !== undefined) return "cloud-service";
  const session = objectAt(identity, "sessionContext");
  const issuerArn = stringAt(objectAt(session, "sessionIssuer"), "arn");
  const role = stringAt(objectAt(session, "sessionIssuer"), "userName") ?? assumedRoleName(stringAt(identity, "arn"));
  if (role?.startsWith("AWSServiceRoleFor") === true || issuerArn?.includes(":role/aws-service-role/") === true)
    return "cloud-service";
  switch (type) {
    case "Root":
    case "IAMUser":
    case "FederatedUser":
    case "SAMLUser":
    case "IdentityCenterUser":
      return "human";
    case "WebIdentityUser":
      return "workload";
    case "AssumedRole":
      if (role?.startsWith("AWSReservedSSO_") === true || stringAt(session, "sourceIdentity") !== undefined)
        return "human";
      return "workload";
    default:
      // Another account's principal (`AWSAccount`), or a type that does not say who called.
      return "unidentified";
  }
}

/** `arn:aws:sts::111122223333:assumed-role/RoleName/session` → `RoleName` (what a flat Lake or Athena row keeps). */
function assumedRoleName(arn: string | undefined): string | undefined {
  const match = arn === undefined ? null : /:assumed-role\/([^/]+)\//.exec(arn);
  return match?.[1];
}
