import { type ApiCall, type AuthType, type SourceLocation, unknown } from "@aigov/core";
import { gcpActor } from "./actor.ts";
import { GOOGLE_AUDITED_AI_SERVICES } from "./google-ai-services.ts";
import { modelId } from "./model-id.ts";
import { contentId, isoTime, type JsonObject, objectAt, stringAt } from "./record-fields.ts";
import { isInference } from "./usage.ts";

/** Cloud Logging entries carry `protoPayload`; BigQuery log sinks name the same column `protopayload_auditlog`. */
export function auditPayload(record: JsonObject): JsonObject | undefined {
  return objectAt(record, "protoPayload") ?? objectAt(record, "protopayload_auditlog");
}

/**
 * A Cloud Audit Log entry (`payload` is its `auditPayload`) → ApiCall, or null when it is not from Vertex AI or the
 * Gemini API. One reading for every way an entry arrives: a log file or BigQuery export (`aigov logs`) and the GCP
 * scanner's Cloud Logging `entries:list`.
 */
export function apiCallFromAuditEntry(entry: JsonObject, payload: JsonObject, source: SourceLocation): ApiCall | null {
  const serviceName = stringAt(payload, "serviceName");
  const service = serviceName === undefined ? undefined : GOOGLE_AUDITED_AI_SERVICES[serviceName];
  if (service === undefined) return null;
  const resource = objectAt(entry, "resource");
  const labels = objectAt(resource, "labels");
  const resourceName = stringAt(payload, "resourceName") ?? "";
  const auth = objectAt(payload, "authenticationInfo");
  const metadata = objectAt(payload, "requestMetadata");
  const status = objectAt(payload, "status");
  const statusCode = status === undefined ? 0 : Number(status.code ?? 0);
  const principal = stringAt(auth, "principalEmail") ?? stringAt(auth, "principalSubject");
  const method = stringAt(payload, "methodName") ?? "";
  // `google.cloud.aiplatform.v1.PredictionService.GenerateContent` → `GenerateContent`: one vocabulary with the other clouds.
  const operation = method.slice(method.lastIndexOf(".") + 1);
  const project =
    stringAt(labels, "project_id") ??
    /^projects\/([^/]+)/.exec(resourceName)?.[1] ??
    projectOfLogName(stringAt(entry, "logName"));
  const region = stringAt(labels, "location") ?? /\/locations\/([^/]+)/.exec(resourceName)?.[1];
  const model = modelOf(payload, resourceName);
  const call: ApiCall = {
    subject: "api-call",
    provider: "gcp",
    account: project ?? unknown("no project in the log entry"),
    region: region ?? unknown("no location in the log entry"),
    time: isoTime(entry.timestamp ?? entry.receiveTimestamp) ?? new Date(0).toISOString(),
    service,
    operation,
    principal: principal ?? unknown("no authenticationInfo.principalEmail (API key or redacted caller)"),
    actor: gcpActor(auth),
    usage: isInference("gcp", operation),
    sourceIp: stringAt(metadata, "callerIp") ?? unknown("no requestMetadata.callerIp in the log entry"),
    userAgent: stringAt(metadata, "callerSuppliedUserAgent") ?? unknown("no user agent in the log entry"),
    ...(model === undefined ? {} : { model }),
    authType: authType(principal, service),
    outcome: statusCode === 0 ? "success" : "failure",
    ...(statusCode === 0 ? {} : { errorCode: String(statusCode) }),
    eventId: stringAt(entry, "insertId") ?? contentId(entry),
    source,
    native: { ...entry, protoPayload: payload },
  };
  return call;
}

function projectOfLogName(logName: string | undefined): string | undefined {
  return logName === undefined ? undefined : /^projects\/([^/]+)/.exec(logName)?.[1];
}

function modelOf(payload: JsonObject, resourceName: string): string | undefined {
  const request = objectAt(payload, "request");
  const named = stringAt(request, "model") ?? (/\/models\/([^/:]+)/.test(resourceName) ? resourceName : undefined);
  return named === undefined ? undefined : modelId(named);
}

/** The Gemini API takes API keys; a call without a principal there was made with one. */
function authType(principal: string | undefined, service: string): AuthType {
  if (principal !== undefined) return "iam";
  return service === "gemini" ? "key" : "unknown";
}
