import { createHash } from "node:crypto";
import { AigovError } from "@aigov/core";

/** One of N runners covering an organization together: `index` is 0-based (as Kubernetes' JOB_COMPLETION_INDEX). */
export interface Shard {
  readonly index: number;
  readonly count: number;
}

/** Parses `--shard i/N` (0 ≤ i < N). */
export function parseShard(text: string): Shard {
  const match = /^(\d+)\/(\d+)$/.exec(text.trim());
  const index = Number(match?.[1]);
  const count = Number(match?.[2]);
  if (match === null || count < 1 || index >= count) {
    throw new AigovError("SWEEP_BAD_SHARD", `--shard ${text}: expected i/N with 0 <= i < N, e.g. 0/4`, {
      hint: "in a Kubernetes indexed Job use --shard $JOB_COMPLETION_INDEX/<completions>",
    });
  }
  return { index, count };
}

export function formatShard(shard: Shard): string {
  return `${shard.index}/${shard.count}`;
}

/**
 * Whether a target (by its stable key, e.g. `aws:123456789012:eu-west-1`) belongs to this shard. A hash, not the
 * position in a list, so every runner decides alike without talking to the others, whatever order the cloud
 * lists accounts in, and adding an account moves no other target.
 */
export function inShard(key: string, shard: Shard | undefined): boolean {
  if (shard === undefined || shard.count === 1) return true;
  const bucket = createHash("sha256").update(key).digest().readUInt32BE(0) % shard.count;
  return bucket === shard.index;
}
