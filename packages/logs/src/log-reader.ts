import { Readable, pipeline } from "node:stream";
import { createGunzip, gunzipSync } from "node:zlib";
import type { ApiCall, Key } from "@aigov/core";
import { AI_RECORD_NEEDLES, recordCall } from "./log-record.ts";
import { type LogObject, logObjects, type SourceOptions } from "./log-source.ts";
import type { ReadState } from "./read-state.ts";
import { RecordScanner } from "./record-scanner.ts";

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
}

/** Reads every input in turn, streaming: memory holds one chunk and the record being assembled, whatever the input size. */
export async function* readLogs(
  inputs: readonly string[],
  options: ReadOptions,
  stats: LogReadStats = emptyStats(),
): AsyncIterable<LogEvent> {
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
      const scanner = new RecordScanner(AI_RECORD_NEEDLES, resume);
      yield* readObject(object, scanner, resume, options.since, stats);
      const end = scanner.resumePoint();
      if (object.stateKey !== undefined && options.state !== undefined) {
        options.state.set(object.stateKey, {
          ...(object.size === undefined ? {} : { size: object.size }),
          version: object.version ?? "",
          offset: end?.offset ?? 0,
          line: end?.line ?? 1,
        });
      }
      yield { type: "object-done", object };
    }
  }
}

async function* readObject(
  object: LogObject,
  scanner: RecordScanner,
  resume: { offset: number; line: number } | undefined,
  since: Date | undefined,
  stats: LogReadStats,
): AsyncIterable<LogEvent> {
  const sinceIso = since?.toISOString();
  let bytes = 0;
  try {
    const whole = resume === undefined && object.bytes !== undefined ? wholeDecoded(object.bytes()) : undefined;
    const chunks =
      whole !== undefined
        ? [whole]
        : decoded(
            resume === undefined || object.openAt === undefined
              ? await object.open()
              : await object.openAt(resume.offset),
          );
    let first = true;
    for await (const chunk of chunks) {
      if (first) {
        first = false;
        const lead = firstSignificantByte(chunk);
        if (lead !== undefined && lead !== 0x7b && lead !== 0x5b) {
          stats.malformedFiles += 1;
          yield malformedFile(object, `not a JSON log (starts with ${JSON.stringify(String.fromCharCode(lead))})`, 0);
          return;
        }
      }
      bytes += chunk.length;
      scanner.push(chunk);
      yield* drain(object, scanner, sinceIso, stats);
    }
    scanner.end();
    yield* drain(object, scanner, sinceIso, stats);
  } catch (error) {
    stats.malformedFiles += 1;
    yield malformedFile(object, (error as Error).message, (resume?.offset ?? 0) + bytes);
  } finally {
    stats.bytes += bytes;
    stats.records += scanner.records;
  }
}

function* drain(
  object: LogObject,
  scanner: RecordScanner,
  sinceIso: string | undefined,
  stats: LogReadStats,
): Iterable<LogEvent> {
  for (const span of scanner.malformed) {
    stats.malformedRecords += 1;
    yield {
      type: "malformed",
      report: { kind: "record", file: object.name, line: span.line, offset: span.offset, reason: span.reason },
    };
  }
  scanner.malformed.length = 0;
  for (const candidate of scanner.candidates) {
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
  scanner.candidates.length = 0;
}

function malformedFile(object: LogObject, reason: string, offset: number): LogEvent {
  return { type: "malformed", report: { kind: "file", file: object.name, offset, reason } };
}

function firstSignificantByte(chunk: Buffer): number | undefined {
  for (let i = 0; i < chunk.length; i += 1) {
    const byte = chunk[i]!;
    // Skip whitespace and a UTF-8 byte order mark.
    if (
      byte !== 0x20 &&
      byte !== 0x0a &&
      byte !== 0x0d &&
      byte !== 0x09 &&
      byte !== 0xef &&
      byte !== 0xbb &&
      byte !== 0xbf
    )
      return byte;
  }
  return undefined;
}

/** Past this a small object's decoded bytes (a gzip bomb, an odd file) are streamed rather than held. */
const WHOLE_DECODED_BYTES = 32 * 1024 * 1024;

/**
 * A small object's decoded bytes in one buffer, or undefined when it is to be streamed instead: too large once
 * gunzipped, or a broken gzip (the stream reads the records before the break, then reports where it broke).
 */
function wholeDecoded(raw: Buffer): Buffer | undefined {
  if (raw[0] !== 0x1f || raw[1] !== 0x8b) return raw;
  try {
    return gunzipSync(raw, { maxOutputLength: WHOLE_DECODED_BYTES });
  } catch {
    return undefined;
  }
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
