import type { ApiCall, ScanItem } from "@aigov/core";
import { azureCall, isObject } from "@aigov/normalize";
import { listing } from "@aigov/scanner-kit";
import type { AzureCollectContext } from "../collect-context.ts";

/** The resource provider whose Activity Log events are AI calls: key listings and regenerations, accounts, deployments. */
const PROVIDER = "Microsoft.CognitiveServices";

/** SDK models carry dates as Date objects; the normaliser reads the REST shape, where they are ISO strings. */
function restShape(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map(restShape);
  if (isObject(value)) return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, restShape(item)]));
  return value;
}

/**
 * The subscription's Activity Log for Cognitive Services over the lookback window, each event normalized to an
 * ApiCall by the normaliser `aigov logs` uses for Azure records. The Activity Log names no location: an event on
 * an account the sweep listed gets the account's. Past `activityLogMaxEvents` the rest is a Truncated gap.
 */
export async function* collectActivityLog(ctx: AzureCollectContext): AsyncGenerator<ScanItem> {
  const to = ctx.now;
  const from = new Date(to.getTime() - ctx.config.activityLogLookbackHours * 3_600_000);
  const filter = `eventTimestamp ge '${from.toISOString()}' and eventTimestamp le '${to.toISOString()}' and resourceProvider eq '${PROVIDER}'`;
  const max = ctx.config.activityLogMaxEvents;
  let seen = 0;
  yield* listing(
    ctx,
    "insights",
    "ActivityLogs_List",
    ctx.monitor().activityLogs.list(filter).byPage(),
    async (events) => {
      if (seen >= max) return [];
      const kept = events.slice(0, max - seen);
      seen += kept.length;
      if (kept.length < events.length)
        ctx.addGap({
          provider: "azure",
          account: ctx.subscription,
          service: "insights",
          operation: "ActivityLogs_List",
          code: "Truncated",
          message: `more than ${max} Cognitive Services events in ${ctx.config.activityLogLookbackHours} h: the rest were not read (activity_log_max_events)`,
        });
      const locations = await ctx.accountLocations;
      const locationOf = (resourceId: string) =>
        locations.get(resourceId.toLowerCase().split("/").slice(0, 9).join("/"));
      const items: ScanItem[] = [];
      for (const event of kept) {
        const call: ApiCall | null = azureCall(
          restShape(event) as Readonly<Record<string, unknown>>,
          { path: `activity-log:${ctx.subscription}` },
          locationOf,
        );
        if (call === null) continue;
        if (typeof call.region === "string" && !ctx.wants(call.region)) continue;
        items.push({ type: "subject", subject: call });
      }
      return items;
    },
  );
}
