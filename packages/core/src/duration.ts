import { AigovError } from "./errors.ts";

const UNIT_MS: Record<string, number> = {
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 7 * 86_400_000,
  y: 365 * 86_400_000,
};

/** `30m`, `12h`, `90d`, `2w`, `1y` → milliseconds. */
export function parseDuration(text: string): number {
  const match = /^(\d+)(m|h|d|w|y)$/.exec(text);
  if (match === null) {
    throw new AigovError("DURATION_INVALID", `'${text}' is not a duration`, {
      hint: "durations look like 30m, 12h, 90d, 2w, 1y",
    });
  }
  return Number(match[1]) * UNIT_MS[match[2]!]!;
}
