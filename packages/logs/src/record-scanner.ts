/**
 * Splits a byte stream of JSON logs into records without parsing them: a streaming scanner that tracks only
 * nesting depth and string boundaries, byte by byte (UTF-8 continuation bytes never look like ASCII, so this is safe).
 *
 * It understands every layout the log readers meet:
 * - a wrapper object whose container array holds the records: CloudTrail S3 delivery `{"Records":[…]}`, LookupEvents
 *   `{"Events":[…]}`, CloudTrail Lake `{"QueryResultRows":[[…]]}`, Azure `{"records":[…]}` / `{"value":[…]}`,
 *   Cloud Logging `{"entries":[…]}`;
 * - a top-level array of records (JSON exports, `bq --format=json`, `az … -o json`);
 * - NDJSON (one record per line), and concatenated or pretty-printed single objects.
 *
 * Only records that contain one of the `needles` (one case-insensitive search over the whole chunk) are decoded to text
 * and handed on; the rest are counted and dropped. That is what keeps reading a log of 17,615 EC2 calls cheap.
 */

/** Property names whose array value holds the records when a document is a wrapper object. */
export const CONTAINER_KEYS: ReadonlySet<string> = new Set([
  "Records",
  "records",
  "Events",
  "QueryResultRows",
  "entries",
  "value",
]);

/** A record (still text) that may be an AI call. */
export interface CandidateRecord {
  readonly text: string;
  /** 1-based line of the record's first byte in the decoded stream. */
  readonly line: number;
  /** Byte offset of the record's first byte in the decoded stream. */
  readonly offset: number;
}

export interface MalformedSpan {
  readonly line: number;
  readonly offset: number;
  readonly reason: string;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const NEWLINE = 0x0a;
const COMMA = 0x2c;
const COLON = 0x3a;

/** Records larger than this are reported malformed and skipped rather than buffered. */
export const MAX_RECORD_BYTES = 64 * 1024 * 1024;

type Mode = "detect" | "array" | "wrapper" | "lines";

/**
 * The needles as one case-insensitive pattern, built once per list (a trail's layout makes a scanner per small file):
 * one pass over the bytes (as ASCII text, one character per byte) instead of one `Buffer.indexOf` pass per needle,
 * which was a third of scanning a small file.
 */
const needlePatterns = new WeakMap<readonly string[], { pattern: RegExp | undefined; longest: number }>();

function needlePattern(needles: readonly string[]): { pattern: RegExp | undefined; longest: number } {
  let compiled = needlePatterns.get(needles);
  if (compiled === undefined) {
    const unique = [...new Set(needles.map((needle) => needle.toLowerCase()))];
    const source = unique.map((needle) => needle.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("|");
    compiled = {
      // No needles: every record is dropped as bytes.
      pattern: source === "" ? undefined : new RegExp(source, "gi"),
      longest: Math.max(0, ...unique.map((needle) => Buffer.byteLength(needle, "latin1"))),
    };
    needlePatterns.set(needles, compiled);
  }
  return compiled;
}

export class RecordScanner {
  /** Records that contained a needle, ready to be parsed. Drained by the caller after each `push`. */
  readonly candidates: CandidateRecord[] = [];
  readonly malformed: MalformedSpan[] = [];
  /** Records seen in total (candidates + dropped). */
  records = 0;

  /** The needles, matched without regard to case (a needle is ASCII). */
  private readonly needles: { readonly pattern: RegExp | undefined; readonly longest: number };
  /** The bytes being scanned: a chunk as it came, or the start of `store` once an open record spans chunks. */
  private buf: Buffer = Buffer.alloc(0);
  /** Grown geometrically and appended to in place, so a record spanning many chunks is copied O(1) times per byte. */
  private store: Buffer = Buffer.alloc(0);
  /** Stream offset of buf[0]. */
  private base = 0;
  private pos = 0;
  private line = 1;
  private depth = 0;
  private inString = false;
  private mode: Mode = "detect";
  /** Depth at which record-opening brackets sit: 0 (sequence/NDJSON), 1 (top-level array), 2 (wrapper container). */
  private recordDepth = 0;
  private recStart = -1;
  private recLine = 1;
  private discarding = false;
  /** Tracking the keys of a top-level object, to recognise a wrapper. */
  private topIsObject = false;
  private expectKey = false;
  private keyStart = -1;
  private lastKey = "";
  private inContainer = false;
  /** Garbage at depth 0: skip to the end of the line. */
  private skippingLine = false;
  /** 1 when a chunk ended right after a backslash inside a string: the next chunk's first byte is escaped. */
  private pendingEscape = 0;
  /** NDJSON line longer than the limit: drop bytes up to the next newline. */
  private skippingLongLine = false;
  private lineStart = 0;
  /** Stream offsets where a needle starts, ascending; those before `hit` lie behind the scan. */
  private hits: number[] = [];
  private hit = 0;

  private readonly maxRecordBytes: number;

  /** `start` continues a stream read before (an appended NDJSON file): offsets and lines count on from there. */
  constructor(
    needles: readonly string[],
    start: { offset: number; line: number } = { offset: 0, line: 1 },
    maxRecordBytes = MAX_RECORD_BYTES,
  ) {
    this.needles = needlePattern(needles);
    this.base = start.offset;
    this.line = start.line;
    this.maxRecordBytes = maxRecordBytes;
  }

  /** Stream offset and line just past the last complete line (where an appended file can be resumed). */
  resumePoint(): { offset: number; line: number } | undefined {
    return this.mode === "lines" ? { offset: this.base + this.lineStart, line: this.line } : undefined;
  }

  push(chunk: Buffer): void {
    const searchFrom = this.append(chunk);
    if (this.pos < 0) this.pos = 0;
    this.findHits(searchFrom);
    if (this.mode === "lines") this.scanLines(false);
    else this.scan();
    if (this.recStart >= 0 && !this.discarding && this.buf.length - this.recStart > this.maxRecordBytes) {
      this.malformed.push({
        line: this.recLine,
        offset: this.base + this.recStart,
        reason: `record larger than ${this.maxRecordBytes} bytes`,
      });
      this.discarding = true;
    }
  }

  /** Call at end of stream: anything still open is a truncated record. */
  end(): void {
    if (this.mode === "lines") {
      this.scanLines(true);
    } else if (!this.discarding && (this.recStart >= 0 || this.depth > 0 || this.inString)) {
      const offset = this.recStart >= 0 ? this.base + this.recStart : this.base + this.buf.length;
      this.records += 1;
      this.malformed.push({
        line: this.recStart >= 0 ? this.recLine : this.line,
        offset,
        reason: "truncated: the input ends inside a record",
      });
    }
    this.buf = Buffer.alloc(0);
    this.store = this.buf;
  }

  /**
   * Adds a chunk after the bytes still needed (an open record, key or line) and returns where in `buf` the bytes not
   * yet searched for needles start. Scanned bytes are dropped by moving the live tail to the front only when they
   * outnumber it, and `store` grows geometrically: each byte is copied a bounded number of times, however many chunks a
   * record spans (re-copying the open record per chunk made one 50 MB record quadratic).
   */
  private append(chunk: Buffer): number {
    const keep = this.keepFrom();
    const length = this.buf.length;
    const live = length - keep;
    if (live === 0) {
      this.drop(length);
      this.buf = chunk;
      return 0;
    }
    const ownsBuf = this.buf.buffer === this.store.buffer && this.buf.byteOffset === this.store.byteOffset;
    if (ownsBuf && keep < live && length + chunk.length <= this.store.length) {
      // set, not copy: Buffer#copy from a view into a larger buffer costs in proportion to that buffer (Node 24).
      this.store.set(chunk, length);
      this.buf = this.store.subarray(0, length + chunk.length);
      return length;
    }
    const needed = live + chunk.length;
    if (!ownsBuf || needed > this.store.length) {
      const grown = Buffer.allocUnsafe(
        Math.max(64 * 1024, Math.ceil(Math.min(needed * 1.5, needed + this.maxRecordBytes))),
      );
      grown.set(this.buf.subarray(keep, length), 0);
      this.store = grown;
    } else {
      this.store.copyWithin(0, keep, length);
    }
    this.store.set(chunk, live);
    this.buf = this.store.subarray(0, needed);
    this.drop(keep);
    return live;
  }

  /** The first `by` bytes of `buf` are gone: positions kept relative to buf[0] move back. */
  private drop(by: number): void {
    this.base += by;
    this.pos -= by;
    this.shift(by);
  }

  private keepFrom(): number {
    let keep = this.buf.length;
    if (this.recStart >= 0 && !this.discarding) keep = this.recStart;
    if (this.keyStart >= 0 && this.keyStart < keep) keep = this.keyStart;
    if (this.mode === "lines" && this.lineStart < keep) keep = this.lineStart;
    return keep;
  }

  private shift(by: number): void {
    if (this.recStart >= 0) this.recStart = this.discarding ? -1 : this.recStart - by;
    if (this.keyStart >= 0) this.keyStart -= by;
    this.lineStart -= by;
  }

  /** Needles starting at or after `from` in `buf`, or straddling it (one that ends before `from` was found before). */
  private findHits(from: number): void {
    const hits = this.hit < this.hits.length ? this.hits.slice(this.hit) : [];
    const known = hits.length;
    const { pattern, longest } = this.needles;
    const start = Math.max(0, from - longest + 1);
    if (pattern !== undefined && start < this.buf.length) {
      // ASCII text (the high bit of each byte cleared), not latin1: the regular expression runs twice as fast over
      // it (V8 need not fold the case of latin1's letters), and one byte is still one character. A UTF-8 lead byte
      // may then read as a letter: at worst a record is parsed that names no AI service, and dropped.
      const text = this.buf.toString("ascii", start);
      pattern.lastIndex = 0;
      for (let match = pattern.exec(text); match !== null; match = pattern.exec(text))
        hits.push(this.base + start + match.index);
    }
    // A needle just before `from` may be found again: duplicates do no harm, order matters.
    if (hits.length > 1 && hits.length > known) hits.sort((a, b) => a - b);
    this.hits = hits;
    this.hit = 0;
  }

  private isCandidate(start: number, end: number): boolean {
    const hits = this.hits;
    const from = this.base + start;
    let index = this.hit;
    while (index < hits.length && hits[index]! < from) index += 1;
    this.hit = index;
    return index < hits.length && hits[index]! < this.base + end;
  }

  private emit(start: number, end: number, line: number): void {
    this.records += 1;
    if (this.isCandidate(start, end)) {
      this.candidates.push({ text: this.buf.toString("utf8", start, end), line, offset: this.base + start });
    }
  }

  private scan(): void {
    const buf = this.buf;
    const length = buf.length;
    let i = this.pos + this.pendingEscape;
    this.pendingEscape = 0;
    while (i < length) {
      if (this.inString) {
        // Log strings are short: a plain loop beats a native indexOf call per string.
        let quote = i;
        while (quote < length) {
          const byte = buf[quote]!;
          if (byte === QUOTE) break;
          quote += byte === BACKSLASH ? 2 : 1;
        }
        if (quote >= length) {
          // The string goes on in the next chunk; an escape split across chunks skips its escaped byte there.
          this.pendingEscape = quote - length;
          i = length;
          break;
        }
        this.inString = false;
        if (this.keyStart >= 0) {
          this.lastKey = buf.toString("latin1", this.keyStart, quote);
          this.keyStart = -1;
        }
        i = quote + 1;
        continue;
      }
      if (this.skippingLine) {
        const newline = buf.indexOf(NEWLINE, i);
        if (newline < 0) {
          i = length;
          break;
        }
        this.skippingLine = false;
        this.line += 1;
        i = newline + 1;
        continue;
      }
      const byte = buf[i]!;
      switch (byte) {
        case QUOTE:
          this.inString = true;
          if (this.depth === 1 && this.topIsObject && this.expectKey) this.keyStart = i + 1;
          break;
        case OPEN_BRACE:
        case OPEN_BRACKET:
          this.open(byte, i);
          break;
        case CLOSE_BRACE:
        case CLOSE_BRACKET:
          this.close(i);
          if (this.mode === "lines") {
            // One complete record on one line: NDJSON from here on, split by newlines (robust to a broken line).
            this.lineStart = i + 1;
            this.scanLines(false);
            return;
          }
          break;
        case NEWLINE:
          this.line += 1;
          break;
        case COMMA:
          if (this.depth === 1) this.expectKey = true;
          break;
        case COLON:
          if (this.depth === 1) this.expectKey = false;
          break;
        case 0x20:
        case 0x09:
        case 0x0d:
          break;
        case 0xef:
        case 0xbb:
        case 0xbf:
          // A UTF-8 byte order mark (also between concatenated files); inside strings these bytes never reach this switch.
          break;
        default:
          if (this.depth === 0) this.unexpected(byte, i);
      }
      i += 1;
    }
    this.pos = i;
  }

  /** Not JSON at the top level (a stray line in NDJSON, a non-JSON file): report the line, go on with the next. */
  private unexpected(byte: number, i: number): void {
    this.records += 1;
    this.malformed.push({
      line: this.line,
      offset: this.base + i,
      reason: `unexpected '${String.fromCharCode(byte)}' outside a JSON value`,
    });
    this.skippingLine = true;
  }

  private open(byte: number, i: number): void {
    const depth = this.depth;
    if (depth === 0) {
      if (byte === OPEN_BRACKET && this.mode === "detect") {
        this.mode = "array";
        this.recordDepth = 1;
      } else {
        this.recStart = i;
        this.recLine = this.line;
        this.topIsObject = byte === OPEN_BRACE;
        this.expectKey = true;
        this.lastKey = "";
      }
    } else if (depth === 1 && this.topIsObject && this.mode !== "array") {
      if (byte === OPEN_BRACKET && CONTAINER_KEYS.has(this.lastKey)) {
        // A wrapper object: its container array holds the records; the wrapper itself is not one.
        this.mode = "wrapper";
        this.recordDepth = 2;
        this.recStart = -1;
        this.discarding = false;
        this.inContainer = true;
      }
    } else if (depth === this.recordDepth && this.recStart < 0 && (this.mode === "array" || this.inContainer)) {
      this.recStart = i;
      this.recLine = this.line;
    }
    this.depth = depth + 1;
  }

  private close(i: number): void {
    const depth = this.depth - 1;
    if (depth < 0) {
      this.records += 1;
      this.malformed.push({ line: this.line, offset: this.base + i, reason: "unbalanced closing bracket" });
      this.skippingLine = true;
      return;
    }
    this.depth = depth;
    if (depth === this.recordDepth && (this.recStart >= 0 || this.discarding)) {
      if (this.discarding) {
        this.records += 1;
        this.discarding = false;
      } else {
        const singleLine = this.recLine === this.line;
        this.emit(this.recStart, i + 1, this.recLine);
        if (this.mode === "detect" && singleLine && depth === 0) {
          this.mode = "lines";
          this.recStart = -1;
          return;
        }
      }
      this.recStart = -1;
    }
    if (this.mode === "wrapper" && depth === 1) this.inContainer = false;
    if (depth === 0 && (this.mode === "wrapper" || this.mode === "array")) {
      this.mode = "detect";
      this.recordDepth = 0;
      this.topIsObject = false;
    }
  }

  private scanLines(atEnd: boolean): void {
    const buf = this.buf;
    let start = Math.max(this.lineStart, 0);
    if (this.skippingLongLine) {
      const newline = buf.indexOf(NEWLINE, start);
      if (newline < 0) {
        this.lineStart = buf.length;
        this.pos = buf.length;
        return;
      }
      this.skippingLongLine = false;
      this.line += 1;
      start = newline + 1;
    }
    for (;;) {
      const newline = buf.indexOf(NEWLINE, start);
      const end = newline < 0 ? (atEnd ? buf.length : -1) : newline;
      if (end < 0) break;
      this.lineRecord(start, end);
      if (newline < 0) {
        start = buf.length;
        break;
      }
      start = newline + 1;
      this.line += 1;
    }
    if (!atEnd && buf.length - start > this.maxRecordBytes) {
      // One line longer than any record may be: report it and drop its bytes up to the next newline.
      this.records += 1;
      this.malformed.push({
        line: this.line,
        offset: this.base + start,
        reason: `line longer than ${this.maxRecordBytes} bytes`,
      });
      this.skippingLongLine = true;
      start = buf.length;
    }
    this.lineStart = start;
    this.pos = start;
  }

  private lineRecord(start: number, end: number): void {
    const buf = this.buf;
    let first = start;
    while (first < end && (buf[first] === 0x20 || buf[first] === 0x09 || buf[first] === 0x0d)) first += 1;
    let last = end - 1;
    while (last >= first && (buf[last] === 0x20 || buf[last] === 0x09 || buf[last] === 0x0d)) last -= 1;
    if (first > last) return;
    if (buf[first] !== OPEN_BRACE || buf[last] !== CLOSE_BRACE) {
      this.records += 1;
      this.malformed.push({ line: this.line, offset: this.base + first, reason: "line is not a JSON object" });
      return;
    }
    this.emit(first, last + 1, this.line);
  }
}
