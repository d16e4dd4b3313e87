import type { ScanItem } from "@aigov/core";
import { apiCallFromCloudTrailEvent, embeddedObject } from "@aigov/normalize";
import { CloudTrailClient, paginateLookupEvents } from "@aws-sdk/client-cloudtrail";
import type { AwsCollectContext } from "../collect-context.ts";

/**
 * AI API calls in the lookback window: CloudTrail LookupEvents per AI event source (rate limited to 2 requests/second).
 * Each event goes through the normaliser `aigov logs` uses, so a call swept here is the call a trail file gives.
 * Once `signal` aborts, no further page is asked for (the lookups run ahead of their target, outside the sweep's
 * own stop at the next item).
 */
export async function* collectCloudTrail(ctx: AwsCollectContext, signal?: AbortSignal): AsyncGenerator<ScanItem> {
  const client = ctx.client(CloudTrailClient, "cloudtrail");
  const end = ctx.now;
  const start = new Date(end.getTime() - ctx.config.cloudTrailLookbackHours * 3_600_000);
  const origin = { account: ctx.account, region: ctx.region };
  const source = { path: `cloudtrail:LookupEvents:${ctx.account}:${ctx.region}` };
  const gap = (code: "Truncated" | "Unreadable", message: string) =>
    ctx.addGap({
      provider: "aws",
      account: ctx.account,
      region: ctx.region,
      service: "cloudtrail",
      operation: "LookupEvents",
      code,
      message,
    });
  // One source after another: both share the 2 requests/second budget, so running them side by side gains nothing.
  for (const eventSource of ctx.config.cloudTrailEventSources) {
    if (signal?.aborted) return;
    let seen = 0;
    let unreadable = 0;
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
          seen += 1;
          const record = embeddedObject(event.CloudTrailEvent);
          if (record === undefined) {
            unreadable += 1;
            continue;
          }
          // null: an event source that is not an AI service (a custom cloudTrailEventSources entry).
          const call = apiCallFromCloudTrailEvent(record, source, origin);
          if (call !== null) yield { type: "subject", subject: call };
        }
        if (signal?.aborted) return;
        if (seen >= ctx.config.cloudTrailMaxEvents && page.NextToken !== undefined) {
          gap(
            "Truncated",
            `stopped after ${seen} ${eventSource} events (cloudTrailMaxEvents); use CloudTrail Lake or Athena for the full window`,
          );
          break;
        }
      }
    } catch (error) {
      ctx.recordGap(error, "cloudtrail", "LookupEvents");
    }
    if (unreadable > 0) {
      gap(
        "Unreadable",
        `${unreadable} ${eventSource} event(s) whose CloudTrailEvent is not a JSON object were skipped`,
      );
    }
  }
}
