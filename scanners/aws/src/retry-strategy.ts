// The SDK's standard strategy keeps a per-client retry quota that a throttling storm drains, after which it stops
// retrying; a sweep of hundreds of accounts would then turn transient throttling into gaps. This strategy retries
// throttling, 5xx and transient network errors up to `maxAttempts` with capped, fully jittered exponential backoff
// (AWS Architecture Blog "Exponential Backoff And Jitter"), honouring Retry-After, and counts every retry.

type RetryErrorType = "THROTTLING" | "TRANSIENT" | "SERVER_ERROR" | "CLIENT_ERROR";

interface RetryErrorInfo {
  readonly errorType: RetryErrorType;
  readonly retryAfterHint?: Date;
  readonly error?: unknown;
}

class BackoffToken {
  readonly count: number;
  readonly delay: number;
  constructor(count: number, delay: number) {
    this.count = count;
    this.delay = delay;
  }
  getRetryCount(): number {
    return this.count;
  }
  getRetryDelay(): number {
    return this.delay;
  }
}

export interface RetryOptions {
  readonly maxAttempts: number;
  /** First backoff ceiling in ms; doubles per attempt. */
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  /** Called once per retry, for stats. */
  readonly onRetry: (errorType: RetryErrorType) => void;
  /** Random source in [0,1); injectable for tests. */
  readonly random?: () => number;
}

/** Implements the SDK's RetryStrategyV2 shape (acquireInitialRetryToken / refreshRetryTokenForRetry / recordSuccess). */
export class JitteredRetryStrategy {
  readonly mode = "standard";
  private readonly options: RetryOptions;

  constructor(options: RetryOptions) {
    this.options = options;
  }

  async acquireInitialRetryToken(_scope: string): Promise<BackoffToken> {
    return new BackoffToken(0, 0);
  }

  async refreshRetryTokenForRetry(token: BackoffToken, info: RetryErrorInfo): Promise<BackoffToken> {
    const attempt = token.getRetryCount() + 1;
    if (info.errorType === "CLIENT_ERROR" || attempt >= this.options.maxAttempts) throw new Error("no retry");
    const ceiling = Math.min(this.options.maxDelayMs, this.options.baseDelayMs * 2 ** token.getRetryCount());
    let delay = Math.floor((this.options.random ?? Math.random)() * ceiling);
    if (info.retryAfterHint instanceof Date)
      delay = Math.max(delay, Math.min(this.options.maxDelayMs, info.retryAfterHint.getTime() - Date.now()));
    this.options.onRetry(info.errorType);
    return new BackoffToken(attempt, delay);
  }

  recordSuccess(_token: BackoffToken): void {}

  async maxAttempts(): Promise<number> {
    return this.options.maxAttempts;
  }
}
