import { setImmediate as nextTurn } from "node:timers/promises";
import { type LogEvent, type LogReadStats, logObjects } from "@aigov/logs";
import { countOf } from "./count-text.ts";
import { formatDuration } from "./sweep/sweep-progress.ts";

/** What `aigov logs` has to read: known before the end only when every input is local (listed first). */
export interface ReadTotal {
  readonly objects: number;
  /** Bytes as stored (gzip compressed or not). */
  readonly bytes: number;
}

/** How far `aigov logs` is, beside the reader's own counts: objects finished, and the total once it is listed. */
export interface ReadProgress {
  /** Objects read to their end. */
  done: number;
  /** The reader's decoded bytes when the last object ended: the bytes since are the object being read. */
  bytesAtLastDone: number;
  total: ReadTotal | undefined;
}

export function newReadProgress(): ReadProgress {
  return { done: 0, bytesAtLastDone: 0, total: undefined };
}

/** How long reading may hold the event loop before the status line gets a turn. */
const TURN_MS = 50;

/**
 * The events, counting each object read to its end. Small files read on this thread (no scan threads: one core, or
 * --scan-threads 0) are read and scanned without a pause in between, so the status line's timer would never fire:
 * between objects the reading gives way once per TURN_MS.
 */
export async function* countingObjects(
  events: AsyncIterable<LogEvent>,
  progress: ReadProgress,
  stats: LogReadStats,
): AsyncIterable<LogEvent> {
  let turn = performance.now();
  for await (const event of events) {
    if (event.type === "object-done") {
      progress.done += 1;
      progress.bytesAtLastDone = stats.bytes;
      if (performance.now() - turn > TURN_MS) {
        await nextTurn();
        turn = performance.now();
      }
    }
    yield event;
  }
}

/**
 * The objects and bytes of `inputs` when every one is a local file or directory (a walk of the directories, as the
 * reader walks them); undefined when one is stdin or an object store, whose listing would cost a second round of
 * billed requests.
 */
export async function localReadTotal(
  inputs: readonly string[],
  env: NodeJS.ProcessEnv,
): Promise<ReadTotal | undefined> {
  if (inputs.length === 0 || inputs.some((input) => input === "-" || /^[a-z][a-z0-9+.-]*:\/\//i.test(input)))
    return undefined;
  let objects = 0;
  let bytes = 0;
  for (const input of inputs)
    for await (const object of logObjects(input, { env })) {
      objects += 1;
      bytes += object.size ?? 0;
    }
  return { objects, bytes };
}

/**
 * How far the reading is: objects (of the total when it is known), how much of it is done and when it should end,
 * then bytes, rate and counts. The estimate counts objects skipped (unchanged, before --since) as done, and the
 * object being read by its bytes against an average object; "ETA ?" until there is a total and some progress.
 */
export function readingLine(stats: LogReadStats, progress: ReadProgress, elapsedMs: number): string {
  const megabytes = stats.bytes / 1024 ** 2;
  const rate = elapsedMs > 0 ? megabytes / (elapsedMs / 1000) : 0;
  const { total } = progress;
  let head: string;
  if (total === undefined || total.objects === 0) head = `${countOf(stats.objects, "object")} · ETA ?`;
  else {
    const finished = progress.done + stats.unchanged + stats.tooOld;
    const average = total.bytes / total.objects;
    const current = average > 0 ? Math.min(1, (stats.bytes - progress.bytesAtLastDone) / average) : 0;
    const fraction = Math.min(1, (finished + (finished < total.objects ? current : 0)) / total.objects);
    const eta = fraction > 0 ? formatDuration((elapsedMs * (1 - fraction)) / fraction) : "?";
    head = `${Math.min(finished, total.objects)}/${total.objects} objects · ${Math.floor(fraction * 100)}% · ETA ${eta}`;
  }
  return `${head} · ${megabytes.toFixed(1)} MB · ${rate.toFixed(1)} MB/s · ${countOf(stats.records, "record")} · ${countOf(stats.aiCalls, "AI call")} · ${stats.unchanged} unchanged · ${formatDuration(elapsedMs)} elapsed`;
}
