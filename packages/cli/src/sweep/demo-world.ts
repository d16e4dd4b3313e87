import type { World } from "@aigov/cloud-sim";

/** How old the newest log entry of the demo world is when the demo runs. */
const NEWEST_EVENT_AGE_MS = 2 * 3_600_000;

/**
 * Every log entry time of a world, as a field to move: CloudTrail's `eventTime`, the Activity Log's
 * `eventTimestamp`, Google audit entries' `timestamp`.
 */
function* eventTimes(world: World): Generator<{ holder: Record<string, unknown>; field: string }> {
  for (const account of world.aws?.accounts ?? []) {
    for (const region of Object.values(account.regions ?? {})) {
      for (const event of region.cloudtrail?.events ?? [])
        yield { holder: event as unknown as Record<string, unknown>, field: "eventTime" };
    }
  }
  for (const subscription of world.azure?.subscriptions ?? [])
    for (const event of subscription.activityLog ?? [])
      yield { holder: event as unknown as Record<string, unknown>, field: "eventTimestamp" };
  // An entry without a time is served with the simulator's default time, which stays as it is.
  for (const project of world.gcp?.projects ?? [])
    for (const entry of project.auditLogs ?? [])
      if (typeof entry.timestamp === "string")
        yield { holder: entry as unknown as Record<string, unknown>, field: "timestamp" };
}

/**
 * The demo world's CloudTrail, Activity Log and Google audit entries carry fixed dates, but a sweep reads only a
 * recent window: move every one by the same amount so the newest is two hours old now. Their order and spacing
 * (which the LLMjacking sequence rule reads) stay as written.
 */
export function anchorWorldClock(world: World, now: Date): World {
  const times = [...eventTimes(world)].map(({ holder, field }) => Date.parse(String(holder[field])));
  if (times.length === 0) return world;
  const shift = now.getTime() - NEWEST_EVENT_AGE_MS - Math.max(...times);
  const copy = structuredClone(world);
  for (const { holder, field } of eventTimes(copy))
    holder[field] = new Date(Date.parse(String(holder[field])) + shift).toISOString();
  return copy;
}
