import type { ApiCall, AuthType, ScanItem } from "@aigov/core";
import { unknown } from "@aigov/core";
import { CloudTrailClient, type Event, paginateLookupEvents } from "@aws-sdk/client-cloudtrail";
import type { AwsCollectContext } from "../collect-context.ts";

interface TrailRecord {
  eventID?: string;
  eventTime?: string;
  eventSource?: string;
  eventName?: string;
  awsRegion?: string;
  recipientAccountId?: string;
  sourceIPAddress?: string;
  userAgent?: string;
  errorCode?: string;
  userIdentity?: {
    type?: string;
    arn?: string;
    principalId?: string;
    userName?: string;
    accessKeyId?: string;
    invokedBy?: string;
  };
  requestParameters?: Record<string, unknown> | null;
  additionalEventData?: Record<string, unknown>;
}

function stringField(record: Record<string, unknown> | null | undefined, ...names: string[]): string | undefined {
  for (const name of names) {
    const value = record?.[name];
    if (typeof value === "string" && value !== "") return value;
  }
  return undefined;
}

/** Normalizes one LookupEvents result (its CloudTrailEvent JSON) to an ApiCall. */
export function apiCallFromEvent(event: Event, account: string, region: string): ApiCall {
  let record: TrailRecord = {};
  try {
    record = JSON.parse(event.CloudTrailEvent ?? "{}") as TrailRecord;
  } catch {
    record = {};
  }
  const source = record.eventSource ?? event.EventSource ?? "";
  const identity = record.userIdentity;
  // Calls through the OpenAI-compatible endpoint or with a Bedrock API key carry a bearer token, not SigV4.
  const bearer = record.additionalEventData?.callWithBearerToken === true || identity?.type === "BedrockAPIKey";
  const authType: AuthType = bearer ? "bearer" : identity?.type === undefined ? "unknown" : "iam";
  const model = stringField(
    record.requestParameters,
    "modelId",
    "modelIdentifier",
    "modelArn",
    "endpointName",
    "EndpointName",
  );
  const principal = identity?.arn ?? identity?.principalId ?? event.Username;
  return {
    subject: "api-call",
    provider: "aws",
    account: record.recipientAccountId ?? account,
    region: record.awsRegion ?? region,
    time: record.eventTime ?? event.EventTime?.toISOString() ?? new Date(0).toISOString(),
    service: source.replace(/\.amazonaws\.com$/, ""),
    operation: record.eventName ?? event.EventName ?? "",
    principal: principal ?? unknown("no identity in the event"),
    sourceIp: record.sourceIPAddress ?? unknown("no source IP in the event"),
    userAgent: record.userAgent ?? unknown("no user agent in the event"),
    ...(model === undefined ? {} : { model }),
    authType,
    outcome: record.errorCode === undefined ? "success" : "failure",
    ...(record.errorCode === undefined ? {} : { errorCode: record.errorCode }),
    eventId: record.eventID ?? event.EventId ?? "",
    source: { path: `cloudtrail:LookupEvents:${account}:${region}` },
    native: record as Record<string, unknown>,
  };
}

/** AI API calls in the lookback window: CloudTrail LookupEvents per AI event source (rate limited to 2 requests/second). */
export async function* collectCloudTrail(ctx: AwsCollectContext): AsyncGenerator<ScanItem> {
  const client = ctx.client(CloudTrailClient, "cloudtrail");
  const end = ctx.now;
  const start = new Date(end.getTime() - ctx.config.cloudTrailLookbackHours * 3_600_000);
  // One source after another: both share the 2 requests/second budget, so running them side by side gains nothing.
  for (const eventSource of ctx.config.cloudTrailEventSources) {
    let seen = 0;
    try {
      const pages = paginateLookupEvents(
        { client, pageSize: Math.min(ctx.config.pageSize, 50) },
        {
          LookupAttributes: [{ AttributeKey: "EventSource", AttributeValue: eventSource }],
          StartTime: start,
          EndTime: end,
        },
      );
      for await (const page of pages) {
        for (const event of page.Events ?? []) {
          yield { type: "subject", subject: apiCallFromEvent(event, ctx.account, ctx.region) };
          seen += 1;
        }
        if (seen >= ctx.config.cloudTrailMaxEvents && page.NextToken !== undefined) {
          ctx.addGap({
            provider: "aws",
            account: ctx.account,
            region: ctx.region,
            service: "cloudtrail",
            operation: "LookupEvents",
            code: "Truncated",
            message: `stopped after ${seen} ${eventSource} events (cloudTrailMaxEvents); use CloudTrail Lake or Athena for the full window`,
          });
          break;
        }
      }
    } catch (error) {
      ctx.recordGap(error, "cloudtrail", "LookupEvents");
    }
  }
}
