import type { Finding } from "@aigov/core";
import type { ExportChange } from "../change.ts";

/** One finding on its way to a sink, with why it is sent and its content hash (for per-version ids). */
export interface SinkRecord {
  readonly finding: Finding;
  readonly change: ExportChange;
  readonly hash: string;
}

export interface BatchLimits {
  /** Findings per request (Security Hub: 100). */
  readonly maxRecords: number;
  /** Encoded bytes per request (Sentinel: 1 MB); one oversized finding is still sent alone. */
  readonly maxBytes: number;
}

/**
 * A destination for findings. The delivery loop encodes records one by one, packs them into batches within
 * `limits`, and calls `send` once per batch; `send` resolves only when the sink has acknowledged the whole batch.
 */
export interface Sink {
  readonly name: string;
  readonly type: string;
  readonly limits: BatchLimits;
  /** The wire form of one record: a fragment the sink joins into a request body. */
  encode(record: SinkRecord): string;
  /**
   * Why the service would refuse this record, when that is known before sending (Security Hub takes a finding only
   * from its own account, and none over 240 KB), else undefined. A refused record is never sent: it is set aside
   * as rejected with this reason and reported, like a record the sink refused.
   */
  refuse?(record: SinkRecord, encoded: string): string | undefined;
  send(encoded: readonly string[], records: readonly SinkRecord[], signal?: AbortSignal): Promise<void>;
  close(): Promise<void>;
}

/** A failed delivery attempt. `retryable` failures (timeouts, 429, 5xx) are retried; `retryAfterMs` comes from Retry-After. */
export class DeliveryError extends Error {
  readonly retryable: boolean;
  readonly retryAfterMs?: number;
  readonly status?: number;
  /**
   * Finding ids the sink refused for good (a malformed record, not a service failure). The rest of the batch was
   * accepted; only these are kept out of further retries.
   */
  readonly rejectedIds?: readonly string[];

  constructor(
    message: string,
    options: {
      retryable: boolean;
      retryAfterMs?: number;
      status?: number;
      rejectedIds?: readonly string[];
      cause?: unknown;
    },
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "DeliveryError";
    this.retryable = options.retryable;
    if (options.retryAfterMs !== undefined) this.retryAfterMs = options.retryAfterMs;
    if (options.status !== undefined) this.status = options.status;
    if (options.rejectedIds !== undefined) this.rejectedIds = options.rejectedIds;
  }
}
