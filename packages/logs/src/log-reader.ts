import { Readable, pipeline } from "node:stream";
import { availableParallelism } from "node:os";
import { createGunzip } from "node:zlib";
import type { ApiCall, Key } from "@aigov/core";
import { AI_RECORD_NEEDLES, recordCall } from "./log-record.ts";
import { type LogObject, logObjects, type SourceOptions } from "./log-source.ts";
import type { ReadState } from "./read-state.ts";
import { type CandidateRecord, type MalformedSpan, RecordScanner } from "./record-scanner.ts";
import { ScanPool } from "./scan-pool.ts";
import {
  firstSignificantByte,
  type ScannedObject,
  scanWholeFile,
  scanWholeObject,
  type WholeFileScan,
} from "./whole-object.ts";

/** A record or a whole file that could not be read: reported with where it is, never fatal to the rest. */
export interface MalformedReport {
  readonly kind: "record" | "file";
  readonly file: string;
  readonly line?: number;
  /** Byte offset in the decoded (gunzipped) stream. */
  readonly offset?: number;
  readonly reason: string;
}

export type LogEvent =
  /** `keys`: AI keys the call's raw record held (redacted in `call.native`), each reported where it was. */
  | { readonly type: "call"; readonly call: ApiCall; readonly keys: readonly Key[] }
  | { readonly type: "malformed"; readonly report: MalformedReport }
  /** Emitted after an object's calls: the consumer has seen all of them, so its read state may be saved. */
  | { readonly type: "object-done"; readonly object: LogObject };

export interface LogReadStats {
  /** Log objects (files, S3 objects, blobs) read. */
  objects: number;
  /** Objects skipped because the read state says they were read before and have not changed. */
  unchanged: number;
  /** Objects skipped because their path dates them before --since. */
  tooOld: number;
  /** Log records seen (AI or not). */
  records: number;
  aiCalls: number;
  malformedRecords: number;
  malformedFiles: number;
  /** Decoded bytes. */
  bytes: number;
}

export function emptyStats(): LogReadStats {
  return {
    objects: 0,
    unchanged: 0,
    tooOld: 0,
    records: 0,
    aiCalls: 0,
    malformedRecords: 0,
    malformedFiles: 0,
    bytes: 0,
  };
}

export interface ReadOptions extends SourceOptions {
  /** Remember what was read; skip objects read before, resume appended files. */
  readonly state?: ReadState;
  /** Drop calls before this time (and objects whose path dates them before it). */
  readonly since?: Date;
  /**
   * Worker threads that read and scan small local files beside this one (default: one when there is a second core;
   * each more costs some 45 MB of memory); 0 reads on this thread only.
   */
  readonly scanThreads?: number;
}

/** Small files read before the scan threads start: for a few files a thread's start-up costs more than it saves. */
const FILES_BEFORE_THREADS = 16;

/**
 * Object-store objects up to this size (as listed) are fetched whole, this many ahead of the one being read: one GET
 * at a time left a trail of small objects waiting on round trips. Events and read marks still follow input order.
 */
const FETCH_AHEAD_BYTES = 1024 * 1024;
const FETCH_AHEAD = 8;

/** An object taken in turn: the scan of a small file may be under way on a scan thread meanwhile. */
interface QueuedObject {
  readonly object: LogObject;
  readonly resume: { offset: number; line: number } | undefined;
  readonly scan: (() => Promise<WholeFileScan>) | undefined;
}

/**
 * Reads every input in turn, streaming: memory holds one chunk and the record being assembled, whatever the input
 * size. Small local files are read whole, several at a time on scan threads; their events still come in input order.
 */
export async function* readLogs(
  inputs: readonly string[],
  options: ReadOptions,
  stats: LogReadStats = emptyStats(),
): AsyncIterable<LogEvent> {
  const threads = options.scanThreads ?? Math.min(availableParallelism() - 1, 1);
  let pool: ScanPool | undefined;
  let wholeFiles = 0;
  const queue: QueuedObject[] = [];
  try {
    for (const input of inputs) {
      for await (const object of logObjects(input, options)) {
        if (options.since !== undefined && datedBefore(object.name, options.since)) {
          stats.tooOld += 1;
          continue;
        }
        const previous = object.stateKey === undefined ? undefined : options.state?.get(object.stateKey);
        if (previous !== undefined && previous.size === object.size && previous.version === object.version) {
          stats.unchanged += 1;
          continue;
        }
        const resume =
          previous !== undefined &&
          object.openAt !== undefined &&
          object.size !== undefined &&
          previous.size !== undefined &&
          object.size > previous.size &&
          previous.offset > 0
            ? { offset: previous.offset, line: previous.line }
            : undefined;
        stats.objects += 1;
        let scan: (() => Promise<WholeFileScan>) | undefined;
        let ahead = 0;
        if (resume === undefined && object.wholeFile !== undefined) {
          wholeFiles += 1;
          if (pool === undefined && threads > 0 && wholeFiles > FILES_BEFORE_THREADS)
            pool = new ScanPool(threads, AI_RECORD_NEEDLES);
          if (pool !== undefined) {
            const [threaded, job] = [pool, pool.scan(object.wholeFile)];
            scan = () => threaded.scanned(job);
            ahead = pool.window;
          }
        } else if (resume === undefined && fetchedWhole(object)) {
          const fetching = fetchAndScan(object);
          scan = () => fetching;
          ahead = FETCH_AHEAD;
        }
        queue.push({ object, resume, scan });
        // Objects read on this thread are read in their turn, after every object queued before them.
        while (queue.length > ahead) yield* readQueued(queue.shift()!, options, stats);
      }
    }
    while (queue.length > 0) yield* readQueued(queue.shift()!, options, stats);
  } finally {
    await pool?.close();
  }
}

/** An object-store object small enough (as listed) to fetch whole ahead of its turn. */
function fetchedWhole(object: LogObject): boolean {
  return object.remote === true && object.size !== undefined && object.size <= FETCH_AHEAD_BYTES;
}

/** Fetches the object whole and scans it; a failed fetch is the object's report, as a failed stream is. */
async function fetchAndScan(object: LogObject): Promise<WholeFileScan> {
  try {
    const chunks: Uint8Array[] = [];
    for await (const chunk of await object.open()) chunks.push(chunk);
    return scanWholeObject(Buffer.concat(chunks), AI_RECORD_NEEDLES);
  } catch (error) {
    return { kind: "unreadable", reason: (error as Error).message };
  }
}

async function* readQueued(queued: QueuedObject, options: ReadOptions, stats: LogReadStats): AsyncIterable<LogEvent> {
  const { object, resume } = queued;
  const sinceIso = options.since?.toISOString();
  const whole =
    queued.scan !== undefined
      ? await queued.scan()
      : resume === undefined && object.wholeFile !== undefined
        ? scanWholeFile(object.wholeFile, AI_RECORD_NEEDLES)
        : undefined;
  let end: { offset: number; line: number } | undefined;
  if (whole?.kind === "scanned") {
    yield* scannedEvents(object, whole.scanned, sinceIso, stats);
    end = whole.scanned.resume;
  } else if (whole?.kind === "unreadable") {
    stats.malformedFiles += 1;
    yield malformedFile(object, whole.reason, 0);
  } else {
    const scanner = new RecordScanner(AI_RECORD_NEEDLES, resume);
    yield* readObject(object, scanner, resume, sinceIso, stats);
    end = scanner.resumePoint();
  }
  // An object that could not be read at all (gone, refused, a failed GET) is not marked: the next run tries it again.
  if (object.stateKey !== undefined && options.state !== undefined && whole?.kind !== "unreadable") {
    options.state.set(object.stateKey, {
      ...(object.size === undefined ? {} : { size: object.size }),
      version: object.version ?? "",
      offset: end?.offset ?? 0,
      line: end?.line ?? 1,
    });
  }
  yield { type: "object-done", object };
}

function* scannedEvents(
  object: LogObject,
  scanned: ScannedObject,
  sinceIso: string | undefined,
  stats: LogReadStats,
): Iterable<LogEvent> {
  stats.bytes += scanned.bytes;
  stats.records += scanned.records;
  if (scanned.notJson !== undefined) {
    stats.malformedFiles += 1;
    yield malformedFile(object, notJsonReason(scanned.notJson), 0);
    return;
  }
  yield* drain(object, scanned.malformed, scanned.candidates, sinceIso, stats);
}

function notJsonReason(lead: number): string {
  return `not a JSON log (starts with ${JSON.stringify(String.fromCharCode(lead))})`;
}

async function* readObject(
  object: LogObject,
  scanner: RecordScanner,
  resume: { offset: number; line: number } | undefined,
  sinceIso: string | undefined,
  stats: LogReadStats,
): AsyncIterable<LogEvent> {
  let bytes = 0;
  try {
    const raw =
      resume === undefined || object.openAt === undefined ? await object.open() : await object.openAt(resume.offset);
    let first = true;
    for await (const chunk of decoded(raw)) {
      if (first) {
        first = false;
        const lead = firstSignificantByte(chunk);
        if (lead !== undefined && lead !== 0x7b && lead !== 0x5b) {
          stats.malformedFiles += 1;
          yield malformedFile(object, notJsonReason(lead), 0);
          return;
        }
      }
      bytes += chunk.length;
      scanner.push(chunk);
      yield* drainScanner(object, scanner, sinceIso, stats);
    }
    scanner.end();
    yield* drainScanner(object, scanner, sinceIso, stats);
  } catch (error) {
    stats.malformedFiles += 1;
    yield malformedFile(object, (error as Error).message, (resume?.offset ?? 0) + bytes);
  } finally {
    stats.bytes += bytes;
    stats.records += scanner.records;
  }
}

function* drainScanner(
  object: LogObject,
  scanner: RecordScanner,
  sinceIso: string | undefined,
  stats: LogReadStats,
): Iterable<LogEvent> {
  yield* drain(object, scanner.malformed, scanner.candidates, sinceIso, stats);
  scanner.malformed.length = 0;
  scanner.candidates.length = 0;
}

function* drain(
  object: LogObject,
  malformed: readonly MalformedSpan[],
  candidates: readonly CandidateRecord[],
  sinceIso: string | undefined,
  stats: LogReadStats,
): Iterable<LogEvent> {
  for (const span of malformed) {
    stats.malformedRecords += 1;
    yield {
      type: "malformed",
      report: { kind: "record", file: object.name, line: span.line, offset: span.offset, reason: span.reason },
    };
  }
  for (const candidate of candidates) {
    let value: unknown;
    try {
      value = JSON.parse(candidate.text);
    } catch (error) {
      stats.malformedRecords += 1;
      yield {
        type: "malformed",
        report: {
          kind: "record",
          file: object.name,
          line: candidate.line,
          offset: candidate.offset,
          // V8 quotes the bad text (…"x":hf_abcdefg"… is not valid JSON), and the record may hold a key.
          reason: (error as Error).message.replace(/, .*is not valid JSON$/s, " (not valid JSON)"),
        },
      };
      continue;
    }
    const result = recordCall(value, { file: object.name, line: candidate.line });
    if (result.kind === "malformed") {
      stats.malformedRecords += 1;
      yield {
        type: "malformed",
        report: {
          kind: "record",
          file: object.name,
          line: candidate.line,
          offset: candidate.offset,
          reason: result.reason,
        },
      };
    } else if (result.kind === "call" && (sinceIso === undefined || result.call.time >= sinceIso)) {
      stats.aiCalls += 1;
      yield { type: "call", call: result.call, keys: result.keys };
    }
  }
}

function malformedFile(object: LogObject, reason: string, offset: number): LogEvent {
  return { type: "malformed", report: { kind: "file", file: object.name, offset, reason } };
}

/** Gunzips on the fly when the bytes start with the gzip magic number, whatever the file is called. */
export async function* decoded(raw: AsyncIterable<Uint8Array>): AsyncIterable<Buffer> {
  const iterator = raw[Symbol.asyncIterator]();
  const first = await iterator.next();
  if (first.done === true) return;
  const head = Buffer.from(first.value.buffer, first.value.byteOffset, first.value.byteLength);
  const rest = { [Symbol.asyncIterator]: () => iterator };
  if (head[0] === 0x1f && head[1] === 0x8b) {
    const source = Readable.from(prepend(head, rest), { objectMode: false });
    const gunzip = pipeline(source, createGunzip({ chunkSize: 128 * 1024 }), () => {});
    for await (const chunk of gunzip) yield chunk as Buffer;
    return;
  }
  yield head;
  for await (const chunk of rest) yield Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
}

async function* prepend(head: Buffer, rest: AsyncIterable<Uint8Array>): AsyncIterable<Uint8Array> {
  yield head;
  yield* rest;
}

/**
 * Log object paths carry their day: CloudTrail's S3 layout `…/CloudTrail/<region>/YYYY/MM/DD/…` and Cloud Logging's
 * storage sinks `…/YYYY/MM/DD/…`, Azure diagnostic blobs `…/y=YYYY/m=MM/d=DD/…`.
 */
function datedBefore(name: string, since: Date): boolean {
  const match = /\/(\d{4})\/(\d{2})\/(\d{2})\//.exec(name) ?? /\/y=(\d{4})\/m=(\d{2})\/d=(\d{2})\//.exec(name);
  if (match === null) return false;
  const day = Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
  return day + 86_400_000 <= since.getTime();
}
