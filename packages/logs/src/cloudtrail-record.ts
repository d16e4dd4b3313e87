import { type ApiCall, type AuthType, type SourceLocation, unknown } from "@aigov/core";
import { contentId, embeddedObject, isoTime, type JsonObject, objectAt, stringAt } from "./record-fields.ts";

/** CloudTrail event sources that are AI services, and the ApiCall service name each becomes. */
export const AWS_AI_EVENT_SOURCES: Readonly<Record<string, string>> = {
  "bedrock.amazonaws.com": "bedrock",
  "bedrock-mantle.amazonaws.com": "bedrock-mantle",
  "sagemaker.amazonaws.com": "sagemaker",
  "runtime.sagemaker.amazonaws.com": "sagemaker",
  "api.sagemaker.amazonaws.com": "sagemaker",
};

/** Operations that run a model (as opposed to managing one): the calls that have a model and tokens behind them. */
export const AWS_INVOCATION_OPERATIONS: ReadonlySet<string> = new Set([
  "InvokeModel",
  "InvokeModelWithResponseStream",
  "Converse",
  "ConverseStream",
  "InvokeAgent",
  "InvokeInlineAgent",
  "RetrieveAndGenerate",
  "InvokeEndpoint",
  "InvokeEndpointAsync",
  "InvokeEndpointWithResponseStream",
  "CreateChatCompletion",
  "CreateCompletion",
  "CreateResponse",
  "CreateEmbedding",
]);

export function isCloudTrailEvent(record: JsonObject): boolean {
  return typeof record.eventSource === "string" && typeof record.eventName === "string";
}

/** A CloudTrail event → ApiCall, or null when the event is not from an AI service. */
export function cloudTrailCall(event: JsonObject, source: SourceLocation): ApiCall | null {
  const eventSource = event.eventSource;
  if (typeof eventSource !== "string") return null;
  const service = AWS_AI_EVENT_SOURCES[eventSource];
  if (service === undefined) return null;
  const identity = objectAt(event, "userIdentity");
  const request = embeddedObject(event.requestParameters);
  const additional = embeddedObject(event.additionalEventData);
  const operation = String(event.eventName);
  const time = isoTime(event.eventTime) ?? new Date(0).toISOString();
  const account = stringAt(event, "recipientAccountId") ?? stringAt(identity, "accountId");
  const region = stringAt(event, "awsRegion");
  const principal = stringAt(identity, "arn") ?? stringAt(identity, "principalId") ?? stringAt(identity, "invokedBy");
  const errorCode = stringAt(event, "errorCode");
  const call: ApiCall = {
    subject: "api-call",
    provider: "aws",
    account: account ?? unknown("no recipientAccountId or userIdentity.accountId in the event"),
    region: region ?? unknown("no awsRegion in the event"),
    time,
    service,
    operation,
    principal: principal ?? unknown("no userIdentity.arn in the event"),
    sourceIp: stringAt(event, "sourceIPAddress") ?? unknown("no sourceIPAddress in the event"),
    userAgent: stringAt(event, "userAgent") ?? unknown("no userAgent in the event"),
    ...modelOf(request, operation),
    authType: authType(additional, identity),
    outcome: errorCode === undefined ? "success" : "failure",
    ...(errorCode === undefined ? {} : { errorCode }),
    eventId: stringAt(event, "eventID") ?? contentId(event),
    source,
    native: event,
  };
  return call;
}

function modelOf(request: JsonObject | undefined, operation: string): { model?: ApiCall["model"] } {
  const raw =
    stringAt(request, "modelId") ??
    stringAt(request, "modelIdentifier") ??
    stringAt(request, "model") ??
    stringAt(request, "modelName");
  if (raw !== undefined) return { model: modelName(raw) };
  if (AWS_INVOCATION_OPERATIONS.has(operation)) {
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
  return {};
}

/** `arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-v2` → `anthropic.claude-v2`; ids pass unchanged. */
export function modelName(raw: string): string {
  if (!raw.startsWith("arn:")) return raw;
  const slash = raw.indexOf("/");
  return raw.includes(":foundation-model/") && slash > 0 ? raw.slice(slash + 1) : raw;
}

function authType(additional: JsonObject | undefined, identity: JsonObject | undefined): AuthType {
  // Bedrock API keys (short- and long-term) arrive as bearer tokens; CloudTrail marks those calls.
  if (
    additional !== undefined &&
    (additional.callWithBearerToken === true || additional.callWithBearerToken === "true")
  )
    return "bearer";
  return identity === undefined ? "unknown" : "iam";
}
