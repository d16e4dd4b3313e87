import { AwsError } from "../protocol.ts";
import { type AwsCall, type AwsService, listPage, read, regionOf } from "../service.ts";
import { type IndexedRegion, regionCache, stableId } from "../world-index.ts";

interface StoredEvent {
  readonly time: number;
  readonly record: Record<string, unknown>;
  /** LookupEvents' summary fields, computed once. */
  readonly summary: Record<string, unknown>;
  /** The values LookupAttributes can match, by attribute key. */
  readonly attributes: Readonly<Record<string, readonly string[]>>;
}

/** LookupEvents' Username: the user name, a role session's name, or root. */
function usernameOf(identity: Record<string, unknown> | undefined): string | undefined {
  if (identity === undefined) return undefined;
  if (typeof identity.userName === "string") return identity.userName;
  if (identity.type === "Root") return "root";
  const arn = typeof identity.arn === "string" ? identity.arn : undefined;
  return arn?.split("/").at(-1);
}

function uuidFrom(seed: string): string {
  const hex = stableId(seed, 32);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

function data(region: IndexedRegion): readonly StoredEvent[] {
  return regionCache(region, "cloudtrail", () =>
    (region.raw.cloudtrail?.events ?? [])
      .map((event, index): StoredEvent => {
        const { username, ...fields } = event;
        const identity = event.userIdentity as Record<string, unknown> | undefined;
        const eventId =
          event.eventId ??
          (event.eventID as string | undefined) ??
          uuidFrom(`${region.account}/${region.region}/${index}/${event.eventTime}/${event.eventName}`);
        const readOnly = event.readOnly ?? /^(Get|List|Describe|Lookup)/.test(event.eventName);
        const record: Record<string, unknown> = {
          eventVersion: "1.09",
          userIdentity: identity ?? { type: "IAMUser", accountId: region.account, userName: username ?? "unknown" },
          awsRegion: region.region,
          sourceIPAddress: event.sourceIPAddress ?? "203.0.113.10",
          userAgent: event.userAgent ?? "aws-cli/2.15.0",
          requestParameters: event.requestParameters ?? null,
          responseElements: null,
          requestID: uuidFrom(`request/${eventId}`),
          eventID: eventId,
          readOnly,
          eventType: "AwsApiCall",
          managementEvent: true,
          recipientAccountId: region.account,
          eventCategory: "Management",
          ...fields,
          eventTime: new Date(Date.parse(event.eventTime)).toISOString().replace(/\.\d{3}Z$/, "Z"),
        };
        delete record.eventId;
        const name = username ?? usernameOf(identity);
        const accessKeyId = typeof identity?.accessKeyId === "string" ? identity.accessKeyId : undefined;
        const resources = Array.isArray(event.resources)
          ? (event.resources as Record<string, unknown>[]).map((r) => ({
              ResourceType: r.type ?? r.ResourceType,
              ResourceName: r.ARN ?? r.ResourceName,
            }))
          : [];
        return {
          time: Date.parse(event.eventTime),
          record,
          summary: {
            EventId: eventId,
            EventName: event.eventName,
            ReadOnly: String(readOnly),
            AccessKeyId: accessKeyId,
            EventTime: Date.parse(event.eventTime) / 1000,
            EventSource: event.eventSource,
            Username: name,
            Resources: resources,
            CloudTrailEvent: JSON.stringify(record),
          },
          attributes: {
            EventId: [eventId],
            EventName: [event.eventName],
            ReadOnly: [String(readOnly)],
            Username: name === undefined ? [] : [name],
            EventSource: [event.eventSource],
            AccessKeyId: accessKeyId === undefined ? [] : [accessKeyId],
            ResourceType: resources.map((r) => String(r.ResourceType)),
            ResourceName: resources.map((r) => String(r.ResourceName)),
          },
        };
      })
      // LookupEvents answers newest first.
      .sort((a, b) => b.time - a.time),
  );
}

function lookupEvents(call: AwsCall) {
  const { LookupAttributes, StartTime, EndTime, MaxResults } = call.input;
  if (MaxResults !== undefined && (typeof MaxResults !== "number" || MaxResults < 1 || MaxResults > 50)) {
    throw new AwsError("InvalidMaxResultsException", "Value for MaxResults is invalid. It must be between 1 and 50.");
  }
  const attributes = (LookupAttributes as { AttributeKey: string; AttributeValue: string }[] | undefined) ?? [];
  if (attributes.length > 1)
    throw new AwsError("InvalidLookupAttributesException", "You cannot specify more than one lookup attribute.");
  if (typeof StartTime === "number" && typeof EndTime === "number" && StartTime > EndTime) {
    throw new AwsError("InvalidTimeRangeException", "Start time must be before end time.");
  }
  const [attribute] = attributes;
  const items = data(regionOf(call)).filter(
    (event) =>
      (attribute === undefined ||
        (event.attributes[attribute.AttributeKey] ?? []).includes(attribute.AttributeValue)) &&
      (typeof StartTime !== "number" || event.time >= StartTime * 1000) &&
      (typeof EndTime !== "number" || event.time <= EndTime * 1000),
  );
  const scope = `cloudtrail:${JSON.stringify(attributes)}:${String(StartTime)}:${String(EndTime)}`;
  const page = listPage(items, {
    token: call.input.NextToken,
    maxResults: MaxResults ?? 50,
    pageSize: call.pageSize,
    scope,
    invalidTokenCode: "InvalidNextTokenException",
  });
  return { Events: page.items.map((event) => event.summary), NextToken: page.nextToken };
}

export const cloudtrail: AwsService = {
  name: "cloudtrail",
  signingName: "cloudtrail",
  protocol: "awsJson1_1",
  global: false,
  targetPrefixes: ["CloudTrail_20131101", "com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101"],
  throttle: { code: "ThrottlingException", status: 400 },
  operations: {
    // "LookupEvents is limited to two requests per second, per account, per Region."
    LookupEvents: read(lookupEvents, { ratePerSecond: 2 }),
  },
};
