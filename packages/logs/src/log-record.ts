import { type ApiCall, type Key, type SourceLocation, screenSubject } from "@aigov/core";
import {
  apiCallFromAuditEntry,
  apiCallFromCloudTrailEvent,
  auditPayload,
  azureCall,
  embeddedObject,
  isAzureRecord,
  isCloudTrailEvent,
  isObject,
  type JsonObject,
} from "@aigov/normalize";

/**
 * Strings that every AI record of every supported log contains somewhere (event source, service name, resource id).
 * The scanner decodes and parses only records containing one of them, in any case (Azure writes
 * `Microsoft.CognitiveServices` and `MICROSOFT.COGNITIVESERVICES`); everything else is dropped as bytes.
 */
export const AI_RECORD_NEEDLES: readonly string[] = [
  "bedrock",
  "sagemaker",
  "cognitiveservices",
  "aiplatform",
  "generativelanguage",
];

/**
 * What one parsed record is: an AI call (with the AI keys its raw record held, redacted in it), something else
 * (dropped), or a record of a known kind that is broken.
 */
export type RecordResult =
  | { readonly kind: "call"; readonly call: ApiCall; readonly keys: readonly Key[] }
  | { readonly kind: "other" }
  | { readonly kind: "malformed"; readonly reason: string };

const OTHER: RecordResult = { kind: "other" };

/** Recognises the record's log format by its shape and normalizes it. */
export function recordCall(record: unknown, source: SourceLocation): RecordResult {
  if (Array.isArray(record)) {
    const flat = flatCloudTrailRow(lakeRow(record));
    return flat === undefined ? OTHER : result(apiCallFromCloudTrailEvent(flat, source));
  }
  if (!isObject(record)) return OTHER;
  if (typeof record.CloudTrailEvent === "string") {
    // LookupEvents output: the event is a JSON string inside the lookup record.
    const inner = embeddedObject(record.CloudTrailEvent);
    return inner === undefined
      ? { kind: "malformed", reason: "CloudTrailEvent is not a JSON object" }
      : recordCall(inner, source);
  }
  if (isCloudTrailEvent(record) && isObject(record.userIdentity))
    return result(apiCallFromCloudTrailEvent(record, source));
  const payload = auditPayload(record);
  if (payload !== undefined) return result(apiCallFromAuditEntry(record, payload, source));
  if (isAzureRecord(record)) return result(azureCall(record, source));
  const flat = flatCloudTrailRow(record);
  if (flat !== undefined) return result(apiCallFromCloudTrailEvent(flat, source));
  return OTHER;
}

function result(call: ApiCall | null): RecordResult {
  if (call === null) return OTHER;
  // Request parameters carry whatever the caller sent (an agent instruction, a tag): keys are redacted before the
  // call reaches a rule, the output or a sink.
  const [screened, ...keys] = screenSubject(call);
  return { kind: "call", call: screened, keys };
}

/** A CloudTrail Lake result row is an array of one-key objects: `[{"eventID":"…"},{"eventSource":"…"}]`. */
function lakeRow(row: readonly unknown[]): JsonObject {
  const merged: Record<string, unknown> = {};
  for (const cell of row) if (isObject(cell)) Object.assign(merged, cell);
  return merged;
}

/**
 * The flat rows the shipped push-down queries return (CloudTrail Lake, Athena — which lower-cases column names),
 * read back into CloudTrail's own event shape so one normalizer serves both.
 */
function flatCloudTrailRow(row: JsonObject): JsonObject | undefined {
  const lower = new Map<string, unknown>();
  for (const [key, value] of Object.entries(row)) lower.set(key.toLowerCase(), value);
  const eventSource = lower.get("eventsource");
  if (typeof eventSource !== "string") return undefined;
  const identity = isObject(lower.get("useridentity")) ? lowerKeys(lower.get("useridentity") as JsonObject) : undefined;
  const request = embeddedObject(lower.get("requestparameters")) ?? {};
  const additional = embeddedObject(lower.get("additionaleventdata")) ?? {};
  const modelId = lower.get("modelid") ?? request.modelId ?? request.modelid;
  const endpointName = lower.get("endpointname") ?? request.endpointName;
  const bearer = lower.get("callwithbearertoken") ?? additional.callWithBearerToken ?? additional.callwithbearertoken;
  const inferenceRegion = lower.get("inferenceregion") ?? additional.inferenceRegion;
  return {
    eventID: lower.get("eventid"),
    eventTime: lower.get("eventtime"),
    eventSource,
    eventName: lower.get("eventname"),
    awsRegion: lower.get("awsregion"),
    recipientAccountId: lower.get("recipientaccountid") ?? identity?.accountid,
    userIdentity: {
      arn: lower.get("useridentityarn") ?? identity?.arn,
      type: lower.get("useridentitytype") ?? identity?.type,
      accountId: lower.get("useridentityaccountid") ?? identity?.accountid,
      accessKeyId: lower.get("useridentityaccesskeyid") ?? identity?.accesskeyid,
      // Who made the call: a service acting for the account is not shadow AI (see cloudTrailActor).
      invokedBy: lower.get("useridentityinvokedby") ?? identity?.invokedby,
    },
    sourceIPAddress: lower.get("sourceipaddress"),
    userAgent: lower.get("useragent"),
    errorCode: lower.get("errorcode") ?? undefined,
    requestParameters: {
      ...request,
      ...(modelId === undefined || modelId === null ? {} : { modelId }),
      ...(endpointName === undefined || endpointName === null ? {} : { endpointName }),
    },
    additionalEventData: {
      ...additional,
      ...(bearer === undefined || bearer === null ? {} : { callWithBearerToken: bearer === true || bearer === "true" }),
      ...(inferenceRegion === undefined || inferenceRegion === null ? {} : { inferenceRegion }),
    },
  };
}

function lowerKeys(value: JsonObject): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) out[key.toLowerCase()] = inner;
  return out;
}
