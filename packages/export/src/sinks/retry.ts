import { setTimeout as sleep } from "node:timers/promises";
import { DeliveryError } from "./sink.ts";

export interface RetryPolicy {
  /** Attempts in all, the first included. */
  readonly attempts: number;
  readonly baseMs: number;
  readonly maxMs: number;
  /** A Retry-After longer than this is cut to it, so one sink cannot stall an export for hours. */
  readonly maxRetryAfterMs: number;
}

export interface RetryHooks {
  readonly random?: () => number;
  readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  readonly onRetry?: (attempt: number, delayMs: number, error: DeliveryError) => void;
}

/**
 * The wait before retry number `attempt` (1-based): the server's Retry-After when it sent one, otherwise
 * exponential backoff with full jitter, so many exporters that failed together do not retry together.
 */
export function retryDelay(
  attempt: number,
  policy: RetryPolicy,
  error: DeliveryError,
  random: () => number = Math.random,
): number {
  if (error.retryAfterMs !== undefined) return Math.min(error.retryAfterMs, policy.maxRetryAfterMs);
  const ceiling = Math.min(policy.maxMs, policy.baseMs * 2 ** (attempt - 1));
  return Math.round(random() * ceiling);
}

function asDeliveryError(error: unknown): DeliveryError {
  if (error instanceof DeliveryError) return error;
  // Anything unexpected during a send (socket reset, DNS, TLS handshake) is worth another try.
  return new DeliveryError((error as Error)?.message ?? String(error), { retryable: true, cause: error });
}

/** Runs `attempt` until it succeeds, fails with a non-retryable error, or the attempts are used up. */
export async function withRetry<T>(
  attempt: () => Promise<T>,
  policy: RetryPolicy,
  hooks: RetryHooks = {},
  signal?: AbortSignal,
): Promise<T> {
  const wait = hooks.sleep ?? ((ms: number, abort?: AbortSignal) => sleep(ms, undefined, { signal: abort }));
  for (let number = 1; ; number++) {
    try {
      return await attempt();
    } catch (caught) {
      const error = asDeliveryError(caught);
      if (!error.retryable || number >= policy.attempts || signal?.aborted === true) throw error;
      const delay = retryDelay(number, policy, error, hooks.random);
      hooks.onRetry?.(number, delay, error);
      await wait(delay, signal);
    }
  }
}
