import { type ApiCall, type AuthType, canonicalAzureLocation, type SourceLocation, unknown } from "@aigov/core";
import { azureActor } from "./actor.ts";
import { contentId, embeddedObject, isObject, isoTime, type JsonObject, objectAt, stringAt } from "./record-fields.ts";
import { isInference } from "./usage.ts";

/** The Azure resource provider of Azure OpenAI and AI Services accounts (lower case: ARM ids vary in case). */
export const AZURE_AI_PROVIDER_NAMESPACE = "microsoft.cognitiveservices";
const AI_PROVIDER = AZURE_AI_PROVIDER_NAMESPACE;

/** Entra claim names (the Activity Log keeps the long URIs) for the caller's object id and name. */
const OID_CLAIM = "http://schemas.microsoft.com/identity/claims/objectidentifier";
const UPN_CLAIM = "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/upn";

/** Azure Activity Log events and Azure OpenAI / AI Services diagnostic logs share a top-level shape. */
export function isAzureRecord(record: JsonObject): boolean {
  return (
    (record.resourceId !== undefined || record.ResourceId !== undefined || record.resourceUri !== undefined) &&
    (record.operationName !== undefined || record.OperationName !== undefined)
  );
}

/**
 * Azure record → ApiCall, or null when it is not about a Cognitive Services (Azure OpenAI / AI Services) account.
 * Handles the storage/Event Hubs export shape (camelCase, `properties` as object or JSON string), the Activity Log REST
 * shape (`operationName: {value}`, `httpRequest.clientIpAddress`), and the Log Analytics `AzureDiagnostics` columns the
 * documented KQL query returns. The Activity Log names no location: `locationOf` may give the location of the
 * resource a record is about (the Azure scanner knows its accounts').
 */
export function azureCall(
  record: JsonObject,
  source: SourceLocation,
  locationOf?: (resourceId: string) => string | undefined,
): ApiCall | null {
  const resourceId =
    stringAt(record, "resourceId") ?? stringAt(record, "ResourceId") ?? stringAt(record, "resourceUri") ?? "";
  const operation = localized(record.operationName) ?? localized(record.OperationName) ?? "";
  const lowerResource = resourceId.toLowerCase();
  if (!lowerResource.includes(`/providers/${AI_PROVIDER}/`) && !operation.toLowerCase().startsWith(AI_PROVIDER))
    return null;
  // ARM logs each operation twice, Start then Success/Failure: the outcome record is the call.
  const status = (
    localized(record.resultType) ??
    localized(record.ResultType) ??
    localized(record.status) ??
    ""
  ).toLowerCase();
  if (status === "start" || status === "started" || status === "accept" || status === "accepted") return null;
  const properties = embeddedObject(record.properties) ?? embeddedObject(record.properties_s) ?? {};
  const category = localized(record.category) ?? localized(record.Category) ?? "";
  const identity = objectAt(record, "identity");
  const claims = objectAt(identity, "claims") ?? objectAt(record, "claims");
  const objectId =
    stringAt(properties, "objectId") ??
    stringAt(claims, OID_CLAIM) ??
    stringAt(claims, "oid") ??
    stringAt(record, "callerObjectId");
  const principal =
    stringAt(claims, UPN_CLAIM) ??
    stringAt(claims, "upn") ??
    stringAt(record, "caller") ??
    stringAt(record, "Caller") ??
    objectId;
  const time = isoTime(record.time ?? record.eventTimestamp ?? record.TimeGenerated) ?? new Date(0).toISOString();
  const failed = isFailure(record);
  const model =
    stringAt(properties, "modelName") ?? stringAt(properties, "modelDeploymentName") ?? stringAt(properties, "model");
  const isActivity =
    category === "Administrative" ||
    record.eventDataId !== undefined ||
    operation.toLowerCase().startsWith(AI_PROVIDER);
  const call: ApiCall = {
    subject: "api-call",
    provider: "azure",
    account:
      subscriptionOf(lowerResource, resourceId) ??
      stringAt(record, "subscriptionId") ??
      unknown("no subscription in the resource id"),
    region: regionOf(record, resourceId, isActivity, locationOf),
    time,
    service:
      /openai/i.test(`${operation} ${stringAt(properties, "apiName") ?? ""}`) || model !== undefined
        ? "azure-openai"
        : "azure-ai-services",
    operation,
    principal: principal ?? unknown("no caller identity in the record (key auth leaves none)"),
    actor: azureActor(claims),
    usage: isInference("azure", operation),
    sourceIp:
      stringAt(record, "callerIpAddress") ??
      stringAt(record, "CallerIPAddress") ??
      stringAt(objectAt(record, "httpRequest"), "clientIpAddress") ??
      stringAt(claims, "ipaddr") ??
      unknown("no caller IP in the record"),
    ...(model === undefined ? {} : { model }),
    authType: isActivity ? "iam" : diagnosticAuth(objectId, category),
    outcome: failed ? "failure" : "success",
    ...(failed
      ? {
          errorCode:
            stringAt(record, "resultSignature") ??
            stringAt(record, "ResultSignature") ??
            localized(record.status) ??
            "Failed",
        }
      : {}),
    eventId: stringAt(record, "eventDataId") ?? stringAt(record, "operationId") ?? contentId(record),
    source,
    native: { ...record, properties },
  };
  return call;
}

/** The log's own location, not the resource's: the Activity Log export writes it on every subscription event. */
const ACTIVITY_LOG_LOCATION = "global";

function regionOf(
  record: JsonObject,
  resourceId: string,
  isActivity: boolean,
  locationOf: ((resourceId: string) => string | undefined) | undefined,
): ApiCall["region"] {
  const written = stringAt(record, "location") ?? stringAt(record, "Location");
  // The same Activity Log event read through the REST API names no location, so `global` must not make it another
  // region: both forms of one key listing are one finding, and `global` is never judged against approved regions.
  const recorded =
    isActivity && written !== undefined && canonicalAzureLocation(written) === ACTIVITY_LOG_LOCATION
      ? undefined
      : written;
  const location = recorded ?? locationOf?.(resourceId);
  return location === undefined ? unknown("no resource location in the record") : canonicalAzureLocation(location);
}

/** Activity Log REST values are `{value, localizedValue}`; exports and diagnostics are plain strings. */
function localized(value: unknown): string | undefined {
  if (typeof value === "string") return value;
  return isObject(value) ? stringAt(value, "value") : undefined;
}

function subscriptionOf(lower: string, original: string): string | undefined {
  const at = lower.indexOf("/subscriptions/");
  if (at < 0) return undefined;
  const start = at + "/subscriptions/".length;
  const end = lower.indexOf("/", start);
  return original.slice(start, end < 0 ? undefined : end).toLowerCase();
}

function isFailure(record: JsonObject): boolean {
  const result = (
    localized(record.resultType) ??
    localized(record.ResultType) ??
    localized(record.status) ??
    ""
  ).toLowerCase();
  if (result === "failed" || result === "failure" || result === "error") return true;
  const signature = Number(
    stringAt(record, "resultSignature") ?? stringAt(record, "ResultSignature") ?? record.resultSignature,
  );
  return Number.isFinite(signature) && signature >= 400;
}

/** A data-plane request with an Entra object id was token-authenticated; without one it used an account key. */
function diagnosticAuth(objectId: string | undefined, category: string): AuthType {
  if (objectId !== undefined) return "iam";
  return category === "RequestResponse" || category === "AzureOpenAIRequestUsage" ? "key" : "unknown";
}
