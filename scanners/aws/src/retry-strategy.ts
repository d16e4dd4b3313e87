// The SDK's standard strategy keeps a per-client retry quota that a throttling storm drains, after which it stops
// retrying; a sweep of hundreds of accounts would then turn transient throttling into gaps. This strategy retries
// throttling, 5xx and transient network errors up to `maxAttempts` with the kit's jittered backoff, honouring
// Retry-After, and counts every retry.
import { type BackoffOptions, backoffDelay, mayRetry } from "@aigov/scanner-kit";

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

export interface RetryOptions extends BackoffOptions {
  /** Called once per retry, for stats. */
  readonly onRetry: (errorType: RetryErrorType) => void;
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
    if (info.errorType === "CLIENT_ERROR" || !mayRetry(this.options, attempt)) throw new Error("no retry");
    const retryAfter = info.retryAfterHint instanceof Date ? info.retryAfterHint : undefined;
    const delay = backoffDelay(this.options, token.getRetryCount(), retryAfter);
    this.options.onRetry(info.errorType);
    return new BackoffToken(attempt, delay);
  }

  recordSuccess(_token: BackoffToken): void {}

  async maxAttempts(): Promise<number> {
    return this.options.maxAttempts;
  }
}
