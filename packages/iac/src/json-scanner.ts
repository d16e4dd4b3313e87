import { isUtf8 } from "node:buffer";
import { readSync } from "node:fs";
import { AigovError } from "@aigov/core";

/**
 * One pass over a JSON document's UTF-8 bytes that accepts exactly what JSON.parse accepts and refuses, besides,
 * what JSON.parse lets through but a gate must not: a key twice in one object (parsers disagree on which value
 * counts; JSON.parse keeps the last, so `"resource_changes": []` appended to a plan would empty it), a second
 * document after the first, and nesting deeper than any plan has (the readers that walk values recursively would
 * run out of stack).
 *
 * A reader declares the values it needs (the fields of each resource change, say) and gets their spans as the scan
 * passes them, so only those are decoded afterwards instead of parsing the whole document. Values outside the
 * reader's interest cost a byte loop and nothing else: no strings are built for them.
 */

/**
 * Deeper than any terraform plan or cdktf synth nests (a few dozen levels): the recursive readers stay far from the
 * stack's end.
 */
export const MAX_JSON_DEPTH = 512;

export const JSON_OBJECT = 1;
export const JSON_ARRAY = 2;
export const JSON_STRING = 3;
export const JSON_NUMBER = 4;
export const JSON_LITERAL = 5;
export type JsonKind =
  | typeof JSON_OBJECT
  | typeof JSON_ARRAY
  | typeof JSON_STRING
  | typeof JSON_NUMBER
  | typeof JSON_LITERAL;

/** The key a value sits under; its text is decoded only when read. */
export interface JsonKey {
  readonly text: string;
}

/** The roles of a container's members: by key (objects), and for any other key or every element (arrays). */
export interface JsonMemberRoles {
  readonly keys?: Readonly<Record<string, number>>;
  readonly other?: number;
}

/**
 * What a caller wants from the scan, declared as roles: the reader's own small numbers, 0 meaning "nothing wanted
 * here" (nothing under a value of role 0 is looked at). The scan matches keys against `members` itself, in place,
 * and calls the reader only for the values it wants: declaring beats asking per key, which would cost a call for
 * every key of every resource.
 */
export interface JsonSpanReader {
  /** The root value's role. */
  readonly rootRole: number;
  /** For each role of a container, the roles of its members. */
  readonly members: Readonly<Record<number, JsonMemberRoles>>;
  /** A container of non-zero role opens at `start` (before any of its members is reported). */
  opened?(role: number, start: number): void;
  /**
   * Reading a file in windows (scanJsonFile): the offset from which the reader still needs the window's bytes (the
   * container it reads when it closes), or -1. The window grows rather than drop them.
   */
  readonly pinned?: number;
  /**
   * A value of non-zero role was scanned: its kind and its span [start, end) in the bytes; `key` is the key it sits
   * under in an object (valid only during the call).
   */
  value(role: number, kind: JsonKind, start: number, end: number, key: JsonKey | undefined): void;
}

export interface JsonScanOptions {
  readonly file: string;
  /** The line of the file the text starts on (the setup-terraform wrapper puts the JSON on a later line). */
  readonly firstLine?: number;
  /** What the text is, for messages ("the plan", "manifest.json" …). */
  readonly what?: string;
  readonly reader?: JsonSpanReader;
  readonly maxDepth?: number;
}

/**
 * The window a file is scanned through (scanJsonFile): `bytes` holds the file's bytes from offset `base` up to
 * `end`. Offsets the scan reports are the file's; a reader reads what it needs here while the scan is at it.
 */
export interface JsonWindow {
  bytes: Buffer;
  base: number;
  end: number;
}

/**
 * Objects with more keys than this check duplicates in a hash index instead of comparing hashes one by one (real
 * plans' resources run to 60 attributes and more, a hostile one to millions).
 */

// The scanner's class writes bytes, states and kinds as numbers, not as module constants: optimized code loads a
// module's constant from the module's context, and checks it, every time it is used (in the byte loops, per byte).
// Bytes: 0x22 " 0x5c \ 0x7b { 0x7d } 0x5b [ 0x5d ] 0x2c , 0x3a : 0x2d - 0x2b + 0x2e . 0x30 0 0x39 9 (0x65 e).
// States of the token loop: 0 a value is expected, 1 after a value, 2 a key is expected. Kinds: JSON_OBJECT 1,
// JSON_ARRAY 2, JSON_STRING 3, JSON_NUMBER 4, JSON_LITERAL 5. An object's first 24 keys are compared one by one for
// duplicates; past them, in a hash index.

const NO_READER: JsonSpanReader = { rootRole: 0, members: {}, value: () => undefined };

/** A role's member table, with its keys as bytes to compare in place. */
interface MemberTable {
  readonly names: readonly Uint8Array[];
  readonly roles: readonly number[];
  readonly other: number;
}

function memberTables(reader: JsonSpanReader): (MemberTable | undefined)[] {
  const tables: (MemberTable | undefined)[] = [];
  for (const [role, members] of Object.entries(reader.members)) {
    const keys = Object.entries(members.keys ?? {});
    tables[Number(role)] = {
      names: keys.map(([name]) => Buffer.from(name, "utf8")),
      roles: keys.map(([, child]) => child),
      other: members.other ?? 0,
    };
  }
  return tables;
}

/**
 * Validates one JSON document (see the module comment); throws AigovError with file:line:column. Bytes must be
 * UTF-8 that isUtf8 accepted (a UTF-8 lead or continuation byte never looks like JSON's ASCII punctuation, so the
 * scan works on bytes and decodes only what a reader asks for); a string is encoded to UTF-8 first.
 */
export function scanJson(input: Uint8Array | string, options: JsonScanOptions): void {
  new JsonScanner(typeof input === "string" ? Buffer.from(input, "utf8") : input, options).run();
}

/** The window a file is first read into (a read adds at least a quarter of it). */
const WINDOW_BYTES = 256 * 1024;
const FIRST_READ_BYTES = 4 * 1024;
const NEVER = 2 ** 30 - 1;

/**
 * scanJson over an open file read in windows of WINDOW_BYTES, one buffer used again and again, instead of the whole
 * file in one buffer: in a fresh process every page of a buffer the size of a plan is new memory, and on some
 * machines touching new pages costs more than the scan (a 12 MiB plan: some 50 ms to read whole, 3 ms in windows).
 * The file's UTF-8 is checked window by window. The reader reads its values in `window` while the scan is at them
 * (the offsets are the file's); what it pins stays. Returns false, without saying why, when the document is not one
 * the scan accepts (invalid UTF-8 or JSON, a key twice, …) or a read fails: read it whole then (scanJson), which says
 * what is wrong.
 */
export function scanJsonFile(
  fd: number,
  options: JsonScanOptions,
  window: JsonWindow,
  windowBytes = WINDOW_BYTES,
): boolean {
  const scanner = new JsonScanner(Buffer.allocUnsafeSlow(windowBytes), options, { fd, window });
  try {
    scanner.run();
    return true;
  } catch {
    return false;
  }
}

/** Thrown inside a scan of a file in windows, where a message would need the whole file: scanJsonFile returns false. */
class WindowedScanFailed extends Error {}

interface FileSource {
  readonly fd: number;
  readonly window: JsonWindow;
}

class JsonScanner {
  private bytes: Buffer;
  // Offsets are the document's: bytes[0] is its byte `base`, and the window holds its bytes up to `length`. A
  // document scanned whole has base 0 and all its bytes.
  private base = 0;
  private length: number;
  private readonly file: FileSource | undefined;
  private readonly windowBytes: number;
  // Reading a file: the bytes before `keep` (the token being scanned) may leave the window, and UTF-8 is checked up
  // to `checked`.
  private keep = 0;
  private checked = 0;
  // Whether the file's end was read: an array's element, not a field, because V8 compiles a field written once as a
  // constant and throws away the code that read it (the scan's loop among it) when it changes, at the file's end.
  private readonly ended = new Uint8Array(1);
  // Where the scan reads on between tokens (ahead); NEVER for a document held whole or a file read to its end. A
  // small integer, as every offset is (spans are Int32Array rows): a field V8 keeps as such, not as a double.
  private readAheadAt = NEVER;
  private readonly options: JsonScanOptions;
  private readonly reader: JsonSpanReader;
  private readonly maxDepth: number;
  // Per open container, indexed by depth (1 = the root container).
  private readonly isObject: Uint8Array;
  private readonly roles: Int32Array;
  private readonly counts: Int32Array;
  private readonly starts: Int32Array;
  private readonly keyStarts: Int32Array;
  private readonly keyEnds: Int32Array;
  private readonly keyEscaped: Uint8Array;
  private readonly keyBases: Int32Array;
  // Per open object with more than 24 keys: an open-addressing index of its keys (slot → key's place on
  // the key stack + 1), so a duplicate is found without building a string for every key.
  private readonly keyIndexes: (Int32Array | undefined)[];
  private readonly keyIndexed: Int32Array;
  // The keys of every open object, stacked: hash and span, from keyBases[depth] up to keyTop.
  private hashes = new Int32Array(256);
  private spanStarts = new Int32Array(256);
  private spanEnds = new Int32Array(256);
  private escapedKeys = new Uint8Array(256);
  private keyTop = 0;
  private depth = 0;
  private readonly currentKey: KeyView;
  private readonly tables: (MemberTable | undefined)[];

  constructor(bytes: Uint8Array, options: JsonScanOptions, file?: FileSource) {
    this.bytes = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.file = file;
    this.windowBytes = bytes.length;
    this.length = file === undefined ? bytes.length : 0;
    this.options = options;
    this.reader = options.reader ?? NO_READER;
    this.maxDepth = options.maxDepth ?? MAX_JSON_DEPTH;
    const size = this.maxDepth + 2;
    this.isObject = new Uint8Array(size);
    this.roles = new Int32Array(size);
    this.counts = new Int32Array(size);
    this.starts = new Int32Array(size);
    this.keyStarts = new Int32Array(size);
    this.keyEnds = new Int32Array(size);
    this.keyEscaped = new Uint8Array(size);
    this.keyBases = new Int32Array(size);
    this.keyIndexes = new Array<Int32Array | undefined>(size);
    this.keyIndexed = new Int32Array(size);
    this.currentKey = new KeyView(this);
    this.tables = memberTables(this.reader);
    if (file !== undefined) this.publish();
  }

  /** The byte at offset i, which the window holds. */
  private byte(i: number): number {
    return this.bytes[i - this.base]!;
  }

  /** True when the byte at offset i is in the window (read into it if need be); false past the document's end. */
  private has(i: number): boolean {
    return i < this.length || this.more(i);
  }

  /**
   * Reads the file on into the window until it holds offset i: the bytes from `keep` (and what the reader pinned)
   * move to the window's start, or to a larger window when they fill it. False at the end of the file.
   */
  private more(i: number): boolean {
    const file = this.file;
    if (file === undefined || this.ended[0] === 1) return false;
    while (this.length <= i) {
      const pinned = this.reader.pinned ?? -1;
      const keep = Math.min(this.keep, this.checked, pinned === -1 ? this.keep : pinned);
      const kept = this.length - keep;
      const from = keep - this.base;
      let target = this.bytes;
      if ((target.length - kept) * 4 < this.windowBytes)
        target = Buffer.allocUnsafeSlow(Math.max(target.length * 2, kept * 2));
      if (from > 0 || target !== this.bytes) this.bytes.copy(target, 0, from, from + kept);
      this.bytes = target;
      this.base = keep;
      // The first read is small, so that the scan reads on (ahead) while V8 still interprets it: code it optimizes
      // before it has taken a path is thrown away when it first does, and run in the interpreter until compiled again.
      const room = target.length - kept;
      const read = readSync(
        file.fd,
        target,
        kept,
        this.length === 0 ? Math.min(room, FIRST_READ_BYTES) : room,
        this.length,
      );
      if (read === 0) {
        if (!isUtf8(target.subarray(this.checked - this.base, kept))) throw new WindowedScanFailed();
        this.checked = this.length;
        this.ended[0] = 1;
        this.readAheadAt = NEVER;
        this.publish();
        return false;
      }
      this.length += read;
      this.readAheadAt = this.length - (this.windowBytes >> 2);
      this.check();
      this.publish();
    }
    return true;
  }

  /**
   * Between tokens, once the scan passes readAheadAt (a quarter of a window before the window's end): reads on, so
   * that a token seldom reaches the window's end, and the paths that read on from inside one (rarely taken) stay out
   * of the scan's optimized code.
   */
  private ahead(): void {
    this.more(this.length);
  }

  /** Checks the UTF-8 read so far, up to a sequence the window's end cuts (checked with the bytes after it). */
  private check(): void {
    let end = this.length;
    for (let back = 1; back <= 3 && end - back >= this.checked; back++) {
      const c = this.byte(end - back);
      if (c < 0x80) break;
      if (c >= 0xc0) {
        const needs = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : 2;
        if (back < needs) end -= back;
        break;
      }
    }
    if (!isUtf8(this.bytes.subarray(this.checked - this.base, end - this.base))) throw new WindowedScanFailed();
    this.checked = end;
  }

  private publish(): void {
    const window = this.file!.window;
    window.bytes = this.bytes;
    window.base = this.base;
    window.end = this.length;
  }

  run(): void {
    // The tokens are scanned a window at a time (tokens): the loop V8 optimizes holds no call that reads on or ends
    // the document, paths it would take first (and be thrown away at) only once optimized. It stops only after a
    // value, so it starts again there.
    let stop = this.tokens(this.skipSpace(0), 0);
    while (stop >= 0) {
      this.ahead();
      stop = this.tokens(stop, 1);
    }
    this.end(~stop);
  }

  /**
   * Scans tokens from offset `from` in state `first` until, after a value, the scan passes readAheadAt (returns that offset:
   * read on, then scan again from there after a value) or the document's value ends (returns ~ the offset after it,
   * a negative number). Returns a number, not fields: what is left to a loop V8 compiles before it ever took that
   * path must have nothing to learn (a store to a field it has not seen stored to would throw the compiled code away).
   */
  private tokens(from: number, first: number): number {
    const reader = this.reader;
    let i = from;
    let state = first;
    for (;;) {
      if (state === 0) {
        if (!(i < this.length || this.more(i))) throw this.truncated();
        const depth = this.depth;
        const parent = depth === 0 ? -1 : this.roles[depth]!;
        const role = parent === -1 ? reader.rootRole : parent === 0 ? 0 : this.childRole(parent, depth);
        const c = this.bytes[i - this.base]!;
        if (c === 0x7b || c === 0x5b) {
          if (depth === this.maxDepth) throw this.tooDeep(i);
          const open = depth + 1;
          this.depth = open;
          this.isObject[open] = c === 0x7b ? 1 : 0;
          this.roles[open] = role;
          this.counts[open] = 0;
          this.starts[open] = i;
          if (role !== 0) reader.opened?.(role, i);
          i = this.skipSpace(i + 1);
          if (c === 0x7b) {
            this.keyBases[open] = this.keyTop;
            this.keyStarts[open] = -1;
            this.keyIndexed[open] = 0;
            if ((i < this.length || this.more(i)) && this.bytes[i - this.base]! === 0x7d) {
              i = this.close(i);
              state = 1;
            } else state = 2;
          } else if ((i < this.length || this.more(i)) && this.bytes[i - this.base]! === 0x5d) {
            i = this.close(i);
            state = 1;
          }
          continue;
        }
        let end: number;
        let kind: JsonKind;
        if (c === 0x22) {
          end = this.stringEnd(i);
          kind = 3;
        } else if (c === 0x2d || (c >= 0x30 && c <= 0x39)) {
          end = this.numberEnd(i);
          kind = 4;
        } else {
          end = this.literalEnd(i, c);
          kind = 5;
        }
        if (role !== 0) reader.value(role, kind, i, end, this.keyOf(depth));
        i = end;
        state = 1;
        continue;
      }
      if (state === 2) {
        if (!(i < this.length || this.more(i))) throw this.truncated();
        if (this.bytes[i - this.base]! !== 0x22) throw this.unexpected(i, "a property name in double quotes");
        i = this.skipSpace(this.key(i));
        if (!(i < this.length || this.more(i))) throw this.truncated();
        if (this.bytes[i - this.base]! !== 0x3a) throw this.unexpected(i, "':' after the property name");
        i = this.skipSpace(i + 1);
        state = 0;
        continue;
      }
      // After a value (state 1).
      if (this.depth === 0) return ~i;
      if (i >= this.readAheadAt) return i;
      i = this.skipSpace(i);
      if (!(i < this.length || this.more(i))) throw this.truncated();
      const c = this.bytes[i - this.base]!;
      const object = this.isObject[this.depth] === 1;
      if (c === 0x2c) {
        this.counts[this.depth]!++;
        i = this.skipSpace(i + 1);
        state = object ? 2 : 0;
      } else if (c === (object ? 0x7d : 0x5d)) {
        i = this.close(i);
      } else {
        throw this.unexpected(i, object ? "',' or '}' after a property value" : "',' or ']' after an array element");
      }
    }
  }

  /** Closes the container whose closing bracket is at i; returns the offset after it. */
  private close(i: number): number {
    const depth = this.depth;
    const role = this.roles[depth]!;
    if (this.isObject[depth] === 1) this.keyTop = this.keyBases[depth]!;
    this.depth = depth - 1;
    if (role !== 0) {
      const kind = this.isObject[depth] === 1 ? 1 : 2;
      this.reader.value(role, kind, this.starts[depth]!, i + 1, this.keyOf(depth - 1));
    }
    return i + 1;
  }

  /** The role of the value about to be scanned in the container at `depth`, whose role is `parent`. */
  private childRole(parent: number, depth: number): number {
    const table = this.tables[parent];
    if (table === undefined) return 0;
    if (this.isObject[depth] !== 1) return table.other;
    const start = this.keyStarts[depth]! + 1;
    const length = this.keyEnds[depth]! - 1 - start;
    const escaped = this.keyEscaped[depth] === 1;
    for (let k = 0; k < table.names.length; k++) {
      const name = table.names[k]!;
      if (
        escaped
          ? this.keyAt(start - 1, start + length + 1) === name.toString()
          : sameBytes(this.bytes, start - this.base, length, name)
      )
        return table.roles[k]!;
    }
    return table.other;
  }

  /** The key of the member being scanned in the object at `depth`, or undefined in an array (or at the root). */
  private keyOf(depth: number): JsonKey | undefined {
    if (depth < 1 || this.isObject[depth] !== 1) return undefined;
    this.currentKey.start = this.keyStarts[depth]!;
    this.currentKey.end = this.keyEnds[depth]!;
    this.currentKey.escaped = this.keyEscaped[depth] === 1;
    return this.currentKey;
  }

  /** After the document: only whitespace may follow. */
  private end(i: number): void {
    const rest = this.skipSpace(i);
    if (!this.has(rest)) return;
    const c = this.byte(rest);
    const another = c === 0x7b || c === 0x5b || c === 0x22 || c === 0x2d || (c >= 0x30 && c <= 0x39);
    if (another) {
      throw this.error(
        "PLAN_MULTIPLE_DOCUMENTS",
        rest,
        `${this.what()} holds more than one JSON document (a second one starts here); which one to judge is ambiguous`,
        "pass exactly one `terraform show -json` output; with hashicorp/setup-terraform set `terraform_wrapper: false`",
      );
    }
    throw this.unexpected(rest, "the end of the document");
  }

  private skipSpace(from: number): number {
    // Most often there is no space at all (terraform writes none): one byte looked at, no loop.
    if (from < this.length && this.bytes[from - this.base]! > 0x20) return from;
    let i = from;
    for (;;) {
      const bytes = this.bytes;
      const base = this.base;
      const stop = this.length - base;
      let p = i - base;
      while (p < stop) {
        const c = bytes[p]!;
        if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) return p + base;
        p++;
      }
      i = p + base;
      if (!this.more(i)) return i;
    }
  }

  /** Offset after the string that opens at i. */
  private stringEnd(i: number): number {
    this.keep = i;
    let j = i + 1;
    for (;;) {
      // The loop counts in the window (p), not in the document: fewer instructions per byte.
      const bytes = this.bytes;
      const base = this.base;
      const stop = this.length - base;
      let p = j - base;
      while (p < stop) {
        const c = bytes[p]!;
        if (c === 0x22) return p + base + 1;
        if (c === 0x5c) break;
        if (c < 0x20) throw this.controlCharacter(p + base);
        p++;
      }
      j = p + base;
      if (p < stop) j = this.escapeEnd(j);
      else if (!this.more(j)) throw this.truncated();
    }
  }

  /** Scans the key that opens at i, refuses it when the object has it already, and records it; returns its end. */
  private key(i: number): number {
    this.keep = i;
    let hash = 0x811c9dc5 | 0;
    let escaped = false;
    let j = i + 1;
    for (;;) {
      // As in stringEnd, the loop counts in the window.
      const bytes = this.bytes;
      const base = this.base;
      const stop = this.length - base;
      let p = j - base;
      let c = 0;
      // Four bytes a turn while none of them ends the key, needs a look or is refused (" \ or a control character):
      // the checks of the window and of the loop once for four bytes. Then byte by byte from the first that stops it.
      while (p + 4 <= stop) {
        const c0 = bytes[p]!;
        const c1 = bytes[p + 1]!;
        const c2 = bytes[p + 2]!;
        const c3 = bytes[p + 3]!;
        if (c0 === 0x22 || c0 === 0x5c || c0 < 0x20 || c1 === 0x22 || c1 === 0x5c || c1 < 0x20) break;
        if (c2 === 0x22 || c2 === 0x5c || c2 < 0x20 || c3 === 0x22 || c3 === 0x5c || c3 < 0x20) break;
        hash = Math.imul(
          Math.imul(Math.imul(Math.imul(hash ^ c0, 0x01000193) ^ c1, 0x01000193) ^ c2, 0x01000193) ^ c3,
          0x01000193,
        );
        p += 4;
      }
      while (p < stop) {
        c = bytes[p]!;
        if (c === 0x22 || c === 0x5c) break;
        if (c < 0x20) throw this.controlCharacter(p + base);
        hash = Math.imul(hash ^ c, 0x01000193);
        p++;
      }
      j = p + base;
      if (p < stop && c === 0x22) break;
      if (p < stop) {
        j = this.escapeEnd(j);
        escaped = true;
      } else if (!this.more(j)) throw this.truncated();
    }
    const end = j + 1;
    // Keys compare by what they decode to: "a" and "\u0061" are the same key. Hashed as UTF-8, like the keys without
    // escapes, so that equal keys hash alike however they are spelled.
    if (escaped) hash = hashOf(Buffer.from(this.keyAt(i, end), "utf8"));
    const depth = this.depth;
    this.keyStarts[depth] = i;
    this.keyEnds[depth] = end;
    this.keyEscaped[depth] = escaped ? 1 : 0;
    const base = this.keyBases[depth]!;
    const top = this.keyTop;
    if (top - base < 24) {
      for (let k = base; k < top; k++) {
        if (this.hashes[k] === hash && this.sameKey(k, i, end, escaped)) throw this.duplicateAt(i, end);
      }
    }
    if (top === this.hashes.length) this.growKeys();
    this.hashes[top] = hash;
    this.spanStarts[top] = i;
    this.spanEnds[top] = end;
    this.escapedKeys[top] = escaped ? 1 : 0;
    this.keyTop = top + 1;
    if (top + 1 - base > 24) this.index(depth, top);
    return end;
  }

  /**
   * Adds the key at `at` on the key stack to the index of the object at `depth` (building the index when the object
   * first grows past 24 keys); throws when the object holds that key already.
   */
  private index(depth: number, at: number): void {
    const base = this.keyBases[depth]!;
    let table = this.keyIndexes[depth];
    const indexed = this.keyIndexed[depth]!;
    // Kept at most half full: grown (and refilled from the key stack) when it would pass that.
    if (indexed === 0 || (at - base + 1) * 2 > table!.length) {
      let size = table?.length ?? 64;
      while (size < (at - base + 1) * 2) size *= 2;
      // A table left by a far wider object is not cleared for every small one after it.
      if (table === undefined || table.length < size || table.length > size * 8) table = new Int32Array(size);
      else table.fill(0);
      this.keyIndexes[depth] = table;
      this.keyIndexed[depth] = 1;
      for (let k = base; k < at; k++) this.insert(table, k);
    }
    this.insert(table!, at);
  }

  private insert(table: Int32Array, at: number): void {
    const mask = table.length - 1;
    for (let slot = this.hashes[at]! & mask; ; slot = (slot + 1) & mask) {
      const entry = table[slot]!;
      if (entry === 0) {
        table[slot] = at + 1;
        return;
      }
      const other = entry - 1;
      if (
        this.hashes[other] === this.hashes[at] &&
        this.sameKey(other, this.spanStarts[at]!, this.spanEnds[at]!, this.escapedKeys[at] === 1)
      )
        throw this.duplicateAt(this.spanStarts[at]!, this.spanEnds[at]!);
    }
  }

  /** True when the key at `k` on the key stack and the quoted key at [start, end) are the same key. */
  private sameKey(k: number, start: number, end: number, escaped: boolean): boolean {
    const otherStart = this.spanStarts[k]!;
    const otherEnd = this.spanEnds[k]!;
    // A key a window read before may have left it: it is read again from the file (a hash matched: seldom).
    if (escaped || this.escapedKeys[k] === 1 || otherStart < this.base || start < this.base)
      return this.keyAt(otherStart, otherEnd) === this.keyAt(start, end);
    if (otherEnd - otherStart !== end - start) return false;
    const bytes = this.bytes;
    const other = otherStart - this.base;
    const at = start - this.base;
    for (let d = 1; d < end - start - 1; d++) if (bytes[other + d] !== bytes[at + d]) return false;
    return true;
  }

  private duplicateAt(start: number, end: number): AigovError {
    return this.duplicate(start, this.keyAt(start, end));
  }

  private growKeys(): void {
    const grow = (old: Int32Array) => {
      const bigger = new Int32Array(old.length * 2);
      bigger.set(old);
      return bigger;
    };
    this.hashes = grow(this.hashes);
    this.spanStarts = grow(this.spanStarts);
    this.spanEnds = grow(this.spanEnds);
    const escapedKeys = new Uint8Array(this.escapedKeys.length * 2);
    escapedKeys.set(this.escapedKeys);
    this.escapedKeys = escapedKeys;
  }

  /** The bytes at [start, end) of the document: in the window, or read again from the file. */
  private slice(start: number, end: number): Buffer {
    if (start >= this.base && end <= this.length) return this.bytes.subarray(start - this.base, end - this.base);
    const bytes = Buffer.alloc(end - start);
    if (this.file === undefined || readSync(this.file.fd, bytes, 0, bytes.length, start) !== bytes.length)
      throw new WindowedScanFailed();
    return bytes;
  }

  /** The decoded key whose quoted text spans [start, end). */
  keyAt(start: number, end: number): string {
    const quoted = this.slice(start, end);
    const inner = quoted.toString("utf8", 1, quoted.length - 1);
    return inner.includes("\\") ? (JSON.parse(quoted.toString("utf8")) as string) : inner;
  }

  /** Offset after the escape sequence whose backslash is at j. */
  private escapeEnd(j: number): number {
    if (!this.has(j + 1)) throw this.truncated();
    const c = this.byte(j + 1);
    // " \ / b f n r t
    if (c === 0x22 || c === 0x5c || c === 0x2f || c === 0x62 || c === 0x66 || c === 0x6e || c === 0x72 || c === 0x74)
      return j + 2;
    if (c !== 0x75) throw this.unexpected(j + 1, 'an escape sequence (\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX)');
    for (let k = j + 2; k < j + 6; k++) {
      if (!this.has(k)) throw this.truncated();
      if (!isHexDigit(this.byte(k))) throw this.unexpected(k, "four hexadecimal digits after \\u");
    }
    return j + 6;
  }

  private numberEnd(i: number): number {
    this.keep = i;
    let j = i;
    if (this.bytes[j - this.base]! === 0x2d) j++;
    if (!(j < this.length || this.more(j))) throw this.truncated();
    const first = this.bytes[j - this.base]!;
    if (first === 0x30) j++;
    else if (first > 0x30 && first <= 0x39) j = this.digitsEnd(j);
    else throw this.unexpected(j, "a digit");
    if ((j < this.length || this.more(j)) && this.bytes[j - this.base]! === 0x2e) j = this.requiredDigits(j + 1);
    if ((j < this.length || this.more(j)) && (this.bytes[j - this.base]! | 0x20) === 0x65) {
      j++;
      if (
        (j < this.length || this.more(j)) &&
        (this.bytes[j - this.base]! === 0x2b || this.bytes[j - this.base]! === 0x2d)
      )
        j++;
      j = this.requiredDigits(j);
    }
    return j;
  }

  private requiredDigits(j: number): number {
    if (!this.has(j)) throw this.truncated();
    const c = this.byte(j);
    if (c < 0x30 || c > 0x39) throw this.unexpected(j, "a digit");
    return this.digitsEnd(j);
  }

  private digitsEnd(from: number): number {
    let j = from;
    for (;;) {
      const bytes = this.bytes;
      const base = this.base;
      const length = this.length;
      while (j < length) {
        const c = bytes[j - base]!;
        if (c < 0x30 || c > 0x39) return j;
        j++;
      }
      if (!this.more(j)) return j;
    }
  }

  private literalEnd(i: number, c: number): number {
    this.keep = i;
    // true, null and false read in the window's bytes; anything else (or a literal the window cuts) below.
    const bytes = this.bytes;
    const p = i - this.base;
    if (i + 5 <= this.length) {
      const c1 = bytes[p + 1]!;
      const c2 = bytes[p + 2]!;
      const c3 = bytes[p + 3]!;
      if (c === 0x74 && c1 === 0x72 && c2 === 0x75 && c3 === 0x65) return i + 4;
      if (c === 0x6e && c1 === 0x75 && c2 === 0x6c && c3 === 0x6c) return i + 4;
      if (c === 0x66 && c1 === 0x61 && c2 === 0x6c && c3 === 0x73 && bytes[p + 4] === 0x65) return i + 5;
    }
    const literal = c === 0x74 ? "true" : c === 0x66 ? "false" : c === 0x6e ? "null" : undefined;
    if (literal === undefined) throw this.unexpected(i, "a JSON value");
    this.has(i + literal.length - 1);
    if (bytesAre(this.bytes, i - this.base, literal) && i + literal.length <= this.length) return i + literal.length;
    const rest = this.bytes.toString("latin1", i - this.base, Math.min(i + literal.length, this.length) - this.base);
    if (i + literal.length > this.length && literal.startsWith(rest)) throw this.truncated();
    throw this.unexpected(i, "a JSON value");
  }

  private what(): string {
    return this.options.what ?? "the plan";
  }

  private error(code: string, offset: number, message: string, hint: string): AigovError {
    // Where in the file needs its lines up to there: scanJsonFile's caller reads the file whole and says it.
    if (this.file !== undefined) throw new WindowedScanFailed();
    const { line, column } = lineColumn(this.bytes, offset);
    return new AigovError(code, message, {
      position: { file: this.options.file, line: (this.options.firstLine ?? 1) + line - 1, column },
      hint,
    });
  }

  private truncated(): AigovError {
    return this.error(
      "PLAN_INVALID_JSON",
      this.length,
      `${this.what()} JSON is truncated (it ends before the document is complete)`,
      "regenerate it with `terraform show -json plan.tfplan > plan.json`",
    );
  }

  private unexpected(offset: number, expected: string): AigovError {
    if (this.file !== undefined) throw new WindowedScanFailed();
    const found = JSON.stringify([...this.bytes.toString("utf8", offset, Math.min(offset + 4, this.length))][0] ?? "");
    return this.error(
      "PLAN_INVALID_JSON",
      offset,
      `${this.what()} is not valid JSON: found ${found} where ${expected} must be${this.where()}`,
      "regenerate it with `terraform show -json plan.tfplan > plan.json`",
    );
  }

  private controlCharacter(offset: number): AigovError {
    if (this.file !== undefined) throw new WindowedScanFailed();
    const code = this.bytes[offset]!.toString(16).padStart(4, "0").toUpperCase();
    return this.error(
      "PLAN_INVALID_JSON",
      offset,
      `${this.what()} is not valid JSON: a raw control character (U+${code}) inside a string${this.where()}`,
      "regenerate it with `terraform show -json plan.tfplan > plan.json`",
    );
  }

  private duplicate(offset: number, key: string): AigovError {
    return this.error(
      "PLAN_DUPLICATE_KEY",
      offset,
      `${this.what()} has the key ${JSON.stringify(key)} twice in one object${this.where(this.depth - 1)}: JSON readers disagree on which value counts, so it cannot be judged`,
      "terraform never writes a key twice: regenerate the file with `terraform show -json plan.tfplan` instead of editing it",
    );
  }

  private tooDeep(offset: number): AigovError {
    return this.error(
      "PLAN_TOO_DEEP",
      offset,
      `${this.what()} is too deeply nested: more than ${this.maxDepth} levels${this.where()}`,
      "terraform plans and cdktf synth nest a few dozen levels; regenerate the file with terraform or cdktf",
    );
  }

  /** ` (at resource_changes[3].change.after)`: where in the document, from the open containers, for messages. */
  private where(levels = this.depth): string {
    const steps: string[] = [];
    for (let depth = 1; depth <= levels; depth++) {
      const step = this.step(depth);
      if (step !== undefined) steps.push(step);
    }
    if (steps.length === 0) return "";
    const shown = steps.length > 8 ? [...steps.slice(0, 6), `…(${steps.length - 6} more levels)`] : steps;
    return ` (at ${shown.join("").replace(/^\./, "")})`;
  }

  private step(depth: number): string | undefined {
    if (this.isObject[depth] !== 1) return `[${this.counts[depth]}]`;
    if (this.keyStarts[depth] === -1) return undefined;
    const key = this.keyAt(this.keyStarts[depth]!, this.keyEnds[depth]!);
    return /^[A-Za-z_][\w-]*$/.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`;
  }
}

/** The quoted key at [start, end) of the text. */
class KeyView implements JsonKey {
  start = 0;
  end = 0;
  escaped = false;
  private readonly scanner: JsonScanner;

  constructor(scanner: JsonScanner) {
    this.scanner = scanner;
  }

  get text(): string {
    return this.scanner.keyAt(this.start, this.end);
  }
}

function isHexDigit(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || ((c | 0x20) >= 0x61 && (c | 0x20) <= 0x66);
}

/** FNV-1a over bytes, as the scan hashes a key without escapes. */
function hashOf(bytes: Uint8Array): number {
  let hash = 0x811c9dc5 | 0;
  for (let i = 0; i < bytes.length; i++) hash = Math.imul(hash ^ bytes[i]!, 0x01000193);
  return hash;
}

function sameBytes(bytes: Uint8Array, at: number, length: number, name: Uint8Array): boolean {
  if (length !== name.length) return false;
  for (let i = 0; i < length; i++) if (bytes[at + i] !== name[i]) return false;
  return true;
}

/** True when the bytes at `at` are the ASCII text `ascii`. */
export function bytesAre(bytes: Uint8Array, at: number, ascii: string): boolean {
  if (at + ascii.length > bytes.length) return false;
  for (let i = 0; i < ascii.length; i++) if (bytes[at + i] !== ascii.charCodeAt(i)) return false;
  return true;
}

/** 1-based line and column (in characters) of a byte offset, for messages. */
export function lineColumn(bytes: Uint8Array, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < bytes.length; i++) {
    if (bytes[i] === 0x0a) {
      line++;
      lineStart = i + 1;
    }
  }
  const before = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("utf8", lineStart, offset);
  return { line, column: before.length + 1 };
}
