import type { World } from "@aigov/cloud-sim";

/** How old the newest CloudTrail event of the demo world is when the demo runs. */
const NEWEST_EVENT_AGE_MS = 2 * 3_600_000;

/**
 * The demo world's CloudTrail events carry fixed dates, but a sweep reads only a recent window: move every event by
 * the same amount so the newest is two hours old now. Their order and spacing (which the LLMjacking sequence rule
 * reads) stay as written.
 */
export function anchorWorldClock(world: World, now: Date): World {
  const times: number[] = [];
  for (const account of world.aws?.accounts ?? []) {
    for (const region of Object.values(account.regions ?? {})) {
      for (const event of region.cloudtrail?.events ?? []) times.push(Date.parse(event.eventTime));
    }
  }
  if (times.length === 0) return world;
  const shift = now.getTime() - NEWEST_EVENT_AGE_MS - Math.max(...times);
  const copy = structuredClone(world) as {
    aws?: { accounts: { regions?: Record<string, { cloudtrail?: { events?: { eventTime: string }[] } }> }[] };
  };
  for (const account of copy.aws?.accounts ?? []) {
    for (const region of Object.values(account.regions ?? {})) {
      for (const event of region.cloudtrail?.events ?? [])
        event.eventTime = new Date(Date.parse(event.eventTime) + shift).toISOString();
    }
  }
  return copy as World;
}
