import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { fileErrorReason } from "@aigov/core/errors";
import { type CandidateRecord, type MalformedSpan, RecordScanner } from "./record-scanner.ts";

/** What scanning one whole object gave; the reader reports it as it reports a streamed object. */
export interface ScannedObject {
  /** Decoded bytes. */
  readonly bytes: number;
  readonly records: number;
  readonly candidates: readonly CandidateRecord[];
  readonly malformed: readonly MalformedSpan[];
  /** Where an appended NDJSON file can be resumed. */
  readonly resume?: { readonly offset: number; readonly line: number };
  /** The first significant byte of an object that is not JSON at all. */
  readonly notJson?: number;
}

/**
 * A small file read and scanned at once (on a scan worker thread, or on this one), or the reason it was not: it could
 * not be read, or it is to be streamed instead (larger than it said once gunzipped, or a broken gzip: the stream reads
 * the records before the break, then reports where it broke).
 */
export type WholeFileScan =
  | { readonly kind: "scanned"; readonly scanned: ScannedObject }
  | { readonly kind: "unreadable"; readonly reason: string }
  | { readonly kind: "stream" };

/** Past this a small file's decoded bytes (a gzip bomb, an odd file) are streamed rather than held. */
const WHOLE_DECODED_BYTES = 16 * 1024 * 1024;

export function scanWholeFile(path: string, needles: readonly string[]): WholeFileScan {
  let raw: Buffer;
  try {
    raw = readFileSync(path);
  } catch (error) {
    return { kind: "unreadable", reason: fileErrorReason(error) };
  }
  const scan = scanWholeObject(raw, needles);
  release(raw);
  return scan;
}

/** A small object's raw bytes (a local file, or an object fetched whole from a store), gunzipped and scanned at once. */
export function scanWholeObject(raw: Buffer, needles: readonly string[]): WholeFileScan {
  let decoded = raw;
  if (raw[0] === 0x1f && raw[1] === 0x8b) {
    try {
      decoded = gunzipSync(raw, { maxOutputLength: WHOLE_DECODED_BYTES, chunkSize: outputChunkSize(raw) });
    } catch {
      return { kind: "stream" };
    }
  }
  const lead = firstSignificantByte(decoded);
  if (lead !== undefined && lead !== 0x7b && lead !== 0x5b)
    return { kind: "scanned", scanned: { bytes: 0, records: 0, candidates: [], malformed: [], notJson: lead } };
  const scanner = new RecordScanner(needles);
  scanner.push(decoded);
  scanner.end();
  if (decoded !== raw) release(decoded);
  const resume = scanner.resumePoint();
  return {
    kind: "scanned",
    scanned: {
      bytes: decoded.length,
      records: scanner.records,
      candidates: scanner.candidates,
      malformed: scanner.malformed,
      ...(resume === undefined ? {} : { resume }),
    },
  };
}

/**
 * Frees a buffer's memory now, when it is no longer used (its candidates are copies): a dead buffer's memory lies
 * outside V8's heap and is freed only by a garbage collection, which came after tens of MB of a trail's files had
 * been read and gunzipped, on each thread (peak RSS). Transferring the memory to a new empty ArrayBuffer frees it.
 * Only a buffer with an ArrayBuffer of its own: a small one shares Node's buffer pool with other buffers.
 */
function release(buffer: Buffer): void {
  const memory = buffer.buffer;
  if (memory instanceof ArrayBuffer && !memory.detached && memory.byteLength > Buffer.poolSize) memory.transfer(0);
}

/**
 * gunzipSync's output chunk: the size the gzip trailer gives (ISIZE, the last member's size mod 2^32), so a small
 * file comes out as one chunk rather than 16 KB pieces concatenated after. Only a hint: a wrong one (several members)
 * costs more chunks, never bytes.
 */
function outputChunkSize(gzip: Buffer): number {
  const size = gzip.length >= 18 ? gzip.readUInt32LE(gzip.length - 4) : 0;
  return Math.min(Math.max(size + 1, 1024), WHOLE_DECODED_BYTES);
}

export function firstSignificantByte(chunk: Buffer): number | undefined {
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
