import type { Finding } from "@aigov/core";
import type { Outbox, OutboxEntry } from "@aigov/store";
import { AigovError } from "@aigov/core";
import { defaultChange, type ExportChange } from "./change.ts";
import { findingHash } from "./finding-hash.ts";
import { type RetryHooks, type RetryPolicy, withRetry } from "./sinks/retry.ts";
import type { DeliveryError, Sink, SinkRecord } from "./sinks/sink.ts";

export interface DeliveryOptions {
  readonly retry: RetryPolicy;
  readonly hooks?: RetryHooks;
  readonly signal?: AbortSignal;
  /** Called after each acknowledged batch. */
  readonly onBatch?: (delivered: number) => void;
  /**
   * The outbox queue and export state to use (default: the sink's name). Shards of one sweep sharing a store give
   * each shard its own key, so one shard's export never reads another shard's findings as resolved.
   */
  readonly outboxKey?: string;
}

export interface ExportReport {
  readonly sink: string;
  readonly new: number;
  readonly changed: number;
  readonly resolved: number;
  readonly unchanged: number;
  /** Entries sent and acknowledged in this run (includes leftovers of earlier runs). */
  readonly delivered: number;
  readonly batches: number;
  /** Entries the sink refused for good (malformed for it); they are not retried until they change. */
  readonly rejected: number;
  /** The sink's reasons, one per batch that had rejections. */
  readonly rejections: readonly string[];
}

/** Room left in every request for what a sink wraps around its records (`[` `]`, the webhook envelope). */
const ENVELOPE_BYTES = 256;

/** Packs encoded records into batches within the sink's record and byte limits (an oversized record goes alone). */
export function* batches<T extends { readonly encoded: string }>(items: Iterable<T>, sink: Sink): Generator<T[]> {
  let batch: T[] = [];
  let bytes = ENVELOPE_BYTES;
  for (const item of items) {
    // +1 for the separator (newline or comma) the sink puts between records.
    const size = Buffer.byteLength(item.encoded, "utf8") + 1;
    if (batch.length > 0 && (batch.length >= sink.limits.maxRecords || bytes + size > sink.limits.maxBytes)) {
      yield batch;
      batch = [];
      bytes = ENVELOPE_BYTES;
    }
    batch.push(item);
    bytes += size;
  }
  if (batch.length > 0) yield batch;
}

async function sendBatch(
  sink: Sink,
  batch: readonly { encoded: string; record: SinkRecord }[],
  options: DeliveryOptions,
): Promise<void> {
  await withRetry(
    () =>
      sink.send(
        batch.map((item) => item.encoded),
        batch.map((item) => item.record),
        options.signal,
      ),
    options.retry,
    options.hooks,
    options.signal,
  );
}

function resolvedCopy(previous: string, now: string): Finding {
  const finding = JSON.parse(previous) as Finding;
  return { ...finding, status: "resolved", observedAt: now };
}

/**
 * Exports findings to a sink through the durable outbox: what changed since the last export to this sink (new,
 * changed, and resolved = exported before but absent now), or everything with `full`, is enqueued in one
 * transaction, then every pending entry (including leftovers of an earlier run that crashed or could not reach
 * the sink) is sent in batches and marked delivered only after the sink acknowledged it.
 */
export async function exportWithOutbox(
  outbox: Outbox,
  sink: Sink,
  findings: readonly Finding[],
  options: DeliveryOptions & { readonly full?: boolean; readonly now?: () => Date; readonly events?: boolean },
): Promise<ExportReport> {
  const now = (options.now ?? (() => new Date()))().toISOString();
  const summary = outbox.enqueue(
    options.outboxKey ?? sink.name,
    findings.map((finding) => ({
      id: finding.id,
      hash: findingHash(finding),
      payload: () => JSON.stringify(finding),
      resolved: finding.status === "resolved",
    })),
    {
      ...(options.full === undefined ? {} : { full: options.full }),
      // Findings from logs are events: one that a later (incremental) read does not see again is not resolved.
      ...(options.events === true
        ? {}
        : {
            resolved: (previous: { id: string; hash: string; payload: string }) => {
              const finding = resolvedCopy(previous.payload, now);
              return { id: previous.id, hash: findingHash(finding), payload: JSON.stringify(finding) };
            },
          }),
    },
  );
  const drained = await drainOutbox(outbox, sink, options);
  return {
    sink: sink.name,
    new: summary.new,
    changed: summary.changed,
    resolved: summary.resolved,
    unchanged: summary.unchanged,
    delivered: drained.delivered,
    batches: drained.batches,
    rejected: drained.rejected,
    rejections: drained.rejections,
  };
}

/** Sends every pending outbox entry of `sink`; on a final failure the rest stays pending for the next run. */
export async function drainOutbox(
  outbox: Outbox,
  sink: Sink,
  options: DeliveryOptions,
): Promise<{ delivered: number; batches: number; rejected: number; rejections: string[] }> {
  let delivered = 0;
  let batchCount = 0;
  let rejected = 0;
  const rejections: string[] = [];
  // Read a window of pending entries at a time so a large backlog is never held in memory whole.
  const window = Math.max(sink.limits.maxRecords * 4, 1000);
  const key = options.outboxKey ?? sink.name;
  for (;;) {
    const pending = outbox.pending(key, window);
    if (pending.length === 0) break;
    const encoded = pending.map((entry) => {
      const record = entryRecord(entry);
      return { entry, record, encoded: sink.encode(record) };
    });
    const { sendable: items, refused: setAside } = refusedBySink(sink, encoded);
    for (const [reason, group] of setAside) {
      outbox.markRejected(
        group.map((item) => item.entry.seq),
        reason,
      );
      rejections.push(`${group.length} not sent: ${reason}`);
      rejected += group.length;
    }
    for (const batch of batches(items, sink)) {
      const seqs = batch.map((item) => item.entry.seq);
      const refused = await sendOrReject(sink, batch, options);
      if (refused instanceof Error) {
        outbox.recordFailure(seqs, refused.message);
        throw new AigovError(
          "EXPORT_DELIVERY_FAILED",
          `sink '${sink.name}': ${outbox.pendingCount(key)} findings not delivered: ${refused.message}`,
          {
            hint: "they stay in the outbox; the next `aigov export --sink` sends them again",
            cause: refused,
          },
        );
      }
      const bad = batch.filter((item) => refused.ids.has(item.record.finding.id));
      outbox.markRejected(
        bad.map((item) => item.entry.seq),
        refused.reason,
      );
      outbox.markDelivered(seqs.filter((seq) => !bad.some((item) => item.entry.seq === seq)));
      if (bad.length > 0) rejections.push(refused.reason);
      rejected += bad.length;
      delivered += batch.length - bad.length;
      batchCount += 1;
      options.onBatch?.(batch.length - bad.length);
    }
  }
  return { delivered, batches: batchCount, rejected, rejections };
}

/**
 * Splits encoded records into those to send and those the sink says its service would refuse, grouped by reason
 * (never sent: sending them would only earn the same refusal).
 */
function refusedBySink<T extends { readonly record: SinkRecord; readonly encoded: string }>(
  sink: Sink,
  items: readonly T[],
): { sendable: T[]; refused: Map<string, T[]> } {
  const sendable: T[] = [];
  const refused = new Map<string, T[]>();
  for (const item of items) {
    const reason = sink.refuse?.(item.record, item.encoded);
    if (reason === undefined) sendable.push(item);
    else {
      const group = refused.get(reason) ?? [];
      group.push(item);
      refused.set(reason, group);
    }
  }
  return { sendable, refused };
}

/**
 * Sends one batch with retries. Resolves with the ids the sink refused for good (empty when it took all), or
 * with the error when the batch as a whole could not be delivered.
 */
async function sendOrReject(
  sink: Sink,
  batch: readonly { encoded: string; record: SinkRecord }[],
  options: DeliveryOptions,
): Promise<{ ids: ReadonlySet<string>; reason: string } | DeliveryError> {
  try {
    await sendBatch(sink, batch, options);
    return { ids: new Set(), reason: "" };
  } catch (caught) {
    const error = caught as DeliveryError;
    const ids = new Set(error.rejectedIds ?? []);
    // Rejections must name records of this batch; anything else means the batch as a whole failed.
    if (batch.some((item) => ids.has(item.record.finding.id))) return { ids, reason: error.message };
    return error;
  }
}

function entryRecord(entry: OutboxEntry): SinkRecord {
  const finding = JSON.parse(entry.payload) as Finding;
  const change: ExportChange = entry.change;
  return { finding, change, hash: entry.hash };
}

/** Sends findings straight to a sink, without outbox or change tracking (stdout, one-off files, benchmarks). */
export async function exportDirect(
  sink: Sink,
  findings: readonly Finding[],
  options: DeliveryOptions & { readonly change?: ExportChange },
): Promise<ExportReport> {
  // Encoded lazily, batch by batch, so a large export never holds every encoded record at once.
  function* items(): Generator<{ record: SinkRecord; encoded: string }> {
    for (const finding of findings) {
      const record: SinkRecord = {
        finding,
        change: options.change ?? defaultChange(finding),
        hash: findingHash(finding),
      };
      yield { record, encoded: sink.encode(record) };
    }
  }
  let batchCount = 0;
  let delivered = 0;
  let rejected = 0;
  const rejections: string[] = [];
  // A stream of findings: what the sink refuses up front is counted as it passes, the rest is batched.
  const setAside = new Map<string, number>();
  function* sendable(): Generator<{ record: SinkRecord; encoded: string }> {
    for (const item of items()) {
      const reason = sink.refuse?.(item.record, item.encoded);
      if (reason === undefined) yield item;
      else setAside.set(reason, (setAside.get(reason) ?? 0) + 1);
    }
  }
  for (const batch of batches(sendable(), sink)) {
    const refused = await sendOrReject(sink, batch, options);
    if (refused instanceof Error)
      throw new AigovError("EXPORT_DELIVERY_FAILED", `sink '${sink.name}': ${refused.message}`, { cause: refused });
    const bad = batch.filter((item) => refused.ids.has(item.record.finding.id)).length;
    if (bad > 0) rejections.push(refused.reason);
    rejected += bad;
    delivered += batch.length - bad;
    batchCount += 1;
    options.onBatch?.(batch.length - bad);
  }
  for (const [reason, count] of setAside) {
    rejections.push(`${count} not sent: ${reason}`);
    rejected += count;
  }
  return {
    sink: sink.name,
    new: findings.length,
    changed: 0,
    resolved: 0,
    unchanged: 0,
    delivered,
    batches: batchCount,
    rejected,
    rejections,
  };
}
