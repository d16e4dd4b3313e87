// A sweep of hundreds of accounts meets throttling and 5xx as a matter of course. Retrying them with capped, fully
// jittered exponential backoff (AWS Architecture Blog "Exponential Backoff And Jitter") spreads the retries of
// thousands of clients instead of sending them in waves; a server's Retry-After is honoured when it asks for longer.
// Each cloud's SDK takes the delays through its own retry hook (the AWS SDK's RetryStrategyV2, an Azure pipeline
// policy, a Google client's retry options); the arithmetic is the same everywhere.

export interface BackoffOptions {
  /** Attempts per request, including the first. */
  readonly maxAttempts: number;
  /** First backoff ceiling in ms; doubles per retry. */
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  /** Random source in [0,1); injectable for tests. */
  readonly random?: () => number;
}

/** Whether a request that has been sent `attempts` times may be sent again. */
export function mayRetry(options: BackoffOptions, attempts: number): boolean {
  return attempts < options.maxAttempts;
}

/** The wait in ms before retry number `retries + 1`: uniform below a ceiling that doubles per retry, or Retry-After. */
export function backoffDelay(options: BackoffOptions, retries: number, retryAfter?: Date): number {
  const ceiling = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** retries);
  const delay = Math.floor((options.random ?? Math.random)() * ceiling);
  if (retryAfter === undefined) return delay;
  return Math.max(delay, Math.min(options.maxDelayMs, retryAfter.getTime() - Date.now()));
}
