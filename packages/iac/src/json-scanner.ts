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
  /** A container of non-zero role opens (before any of its members is reported). */
  opened?(role: number): void;
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

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const COMMA = 0x2c;
const COLON = 0x3a;
const MINUS = 0x2d;
const PLUS = 0x2b;
const DOT = 0x2e;
const ZERO = 0x30;
const NINE = 0x39;

/**
 * Objects with more keys than this check duplicates in a hash index instead of comparing hashes one by one (real
 * plans' resources run to 60 attributes and more, a hostile one to millions).
 */
const LINEAR_KEYS = 24;

const EXPECT_VALUE = 0;
const AFTER_VALUE = 1;
const EXPECT_KEY = 2;

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

class JsonScanner {
  private readonly bytes: Buffer;
  private readonly length: number;
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
  // Per open object with more than LINEAR_KEYS keys: an open-addressing index of its keys (slot → key's place on
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

  constructor(bytes: Uint8Array, options: JsonScanOptions) {
    this.bytes = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.length = bytes.length;
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
    this.currentKey = new KeyView(this.bytes);
    this.tables = memberTables(this.reader);
  }

  run(): void {
    const bytes = this.bytes;
    const length = this.length;
    const reader = this.reader;
    let i = this.skipSpace(0);
    let state = EXPECT_VALUE;
    for (;;) {
      if (state === EXPECT_VALUE) {
        if (i >= length) throw this.truncated();
        const depth = this.depth;
        const parent = depth === 0 ? -1 : this.roles[depth]!;
        const role = parent === -1 ? reader.rootRole : parent === 0 ? 0 : this.childRole(parent, depth);
        const c = bytes[i]!;
        if (c === OPEN_OBJECT || c === OPEN_ARRAY) {
          if (depth === this.maxDepth) throw this.tooDeep(i);
          const open = depth + 1;
          this.depth = open;
          this.isObject[open] = c === OPEN_OBJECT ? 1 : 0;
          this.roles[open] = role;
          this.counts[open] = 0;
          this.starts[open] = i;
          if (role !== 0) reader.opened?.(role);
          i = this.skipSpace(i + 1);
          if (c === OPEN_OBJECT) {
            this.keyBases[open] = this.keyTop;
            this.keyStarts[open] = -1;
            this.keyIndexed[open] = 0;
            if (i < length && bytes[i]! === CLOSE_OBJECT) {
              i = this.close(i);
              state = AFTER_VALUE;
            } else state = EXPECT_KEY;
          } else if (i < length && bytes[i]! === CLOSE_ARRAY) {
            i = this.close(i);
            state = AFTER_VALUE;
          }
          continue;
        }
        let end: number;
        let kind: JsonKind;
        if (c === QUOTE) {
          end = this.stringEnd(i);
          kind = JSON_STRING;
        } else if (c === MINUS || (c >= ZERO && c <= NINE)) {
          end = this.numberEnd(i);
          kind = JSON_NUMBER;
        } else {
          end = this.literalEnd(i, c);
          kind = JSON_LITERAL;
        }
        if (role !== 0) reader.value(role, kind, i, end, this.keyOf(depth));
        i = end;
        state = AFTER_VALUE;
        continue;
      }
      if (state === EXPECT_KEY) {
        if (i >= length) throw this.truncated();
        if (bytes[i]! !== QUOTE) throw this.unexpected(i, "a property name in double quotes");
        i = this.skipSpace(this.key(i));
        if (i >= length) throw this.truncated();
        if (bytes[i]! !== COLON) throw this.unexpected(i, "':' after the property name");
        i = this.skipSpace(i + 1);
        state = EXPECT_VALUE;
        continue;
      }
      // AFTER_VALUE
      if (this.depth === 0) {
        this.end(i);
        return;
      }
      i = this.skipSpace(i);
      if (i >= length) throw this.truncated();
      const c = bytes[i]!;
      const object = this.isObject[this.depth] === 1;
      if (c === COMMA) {
        this.counts[this.depth]!++;
        i = this.skipSpace(i + 1);
        state = object ? EXPECT_KEY : EXPECT_VALUE;
      } else if (c === (object ? CLOSE_OBJECT : CLOSE_ARRAY)) {
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
      const kind = this.isObject[depth] === 1 ? JSON_OBJECT : JSON_ARRAY;
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
          : sameBytes(this.bytes, start, length, name)
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
    if (rest >= this.length) return;
    const c = this.bytes[rest]!;
    const another = c === OPEN_OBJECT || c === OPEN_ARRAY || c === QUOTE || c === MINUS || (c >= ZERO && c <= NINE);
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
    const bytes = this.bytes;
    const length = this.length;
    let i = from;
    while (i < length) {
      const c = bytes[i]!;
      if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) break;
      i++;
    }
    return i;
  }

  /** Offset after the string that opens at i. */
  private stringEnd(i: number): number {
    const bytes = this.bytes;
    const length = this.length;
    let j = i + 1;
    for (;;) {
      if (j >= length) throw this.truncated();
      const c = bytes[j]!;
      if (c === QUOTE) return j + 1;
      if (c === BACKSLASH) j = this.escapeEnd(j);
      else if (c < 0x20) throw this.controlCharacter(j);
      else j++;
    }
  }

  /** Scans the key that opens at i, refuses it when the object has it already, and records it; returns its end. */
  private key(i: number): number {
    const bytes = this.bytes;
    const length = this.length;
    let hash = 0x811c9dc5 | 0;
    let escaped = false;
    let j = i + 1;
    for (;;) {
      if (j >= length) throw this.truncated();
      const c = bytes[j]!;
      if (c === QUOTE) break;
      if (c === BACKSLASH) {
        j = this.escapeEnd(j);
        escaped = true;
      } else if (c < 0x20) throw this.controlCharacter(j);
      else {
        hash = Math.imul(hash ^ c, 0x01000193);
        j++;
      }
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
    if (top - base < LINEAR_KEYS) {
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
    if (top + 1 - base > LINEAR_KEYS) this.index(depth, top);
    return end;
  }

  /**
   * Adds the key at `at` on the key stack to the index of the object at `depth` (building the index when the object
   * first grows past LINEAR_KEYS keys); throws when the object holds that key already.
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
    if (escaped || this.escapedKeys[k] === 1) return this.keyAt(otherStart, otherEnd) === this.keyAt(start, end);
    if (otherEnd - otherStart !== end - start) return false;
    const bytes = this.bytes;
    for (let d = 1; d < end - start - 1; d++) if (bytes[otherStart + d] !== bytes[start + d]) return false;
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

  /** The decoded key whose quoted text spans [start, end). */
  private keyAt(start: number, end: number): string {
    const inner = this.bytes.toString("utf8", start + 1, end - 1);
    return inner.includes("\\") ? (JSON.parse(this.bytes.toString("utf8", start, end)) as string) : inner;
  }

  /** Offset after the escape sequence whose backslash is at j. */
  private escapeEnd(j: number): number {
    if (j + 1 >= this.length) throw this.truncated();
    const c = this.bytes[j + 1]!;
    // " \ / b f n r t
    if (c === 0x22 || c === 0x5c || c === 0x2f || c === 0x62 || c === 0x66 || c === 0x6e || c === 0x72 || c === 0x74)
      return j + 2;
    if (c !== 0x75) throw this.unexpected(j + 1, 'an escape sequence (\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX)');
    for (let k = j + 2; k < j + 6; k++) {
      if (k >= this.length) throw this.truncated();
      if (!isHexDigit(this.bytes[k]!)) throw this.unexpected(k, "four hexadecimal digits after \\u");
    }
    return j + 6;
  }

  private numberEnd(i: number): number {
    const bytes = this.bytes;
    const length = this.length;
    let j = i;
    if (bytes[j]! === MINUS) j++;
    if (j >= length) throw this.truncated();
    const first = bytes[j]!;
    if (first === ZERO) j++;
    else if (first > ZERO && first <= NINE) j = this.digitsEnd(j);
    else throw this.unexpected(j, "a digit");
    if (j < length && bytes[j]! === DOT) j = this.requiredDigits(j + 1);
    if (j < length && (bytes[j]! | 0x20) === 0x65) {
      j++;
      if (j < length && (bytes[j]! === PLUS || bytes[j]! === MINUS)) j++;
      j = this.requiredDigits(j);
    }
    return j;
  }

  private requiredDigits(j: number): number {
    if (j >= this.length) throw this.truncated();
    const c = this.bytes[j]!;
    if (c < ZERO || c > NINE) throw this.unexpected(j, "a digit");
    return this.digitsEnd(j);
  }

  private digitsEnd(from: number): number {
    let j = from;
    while (j < this.length) {
      const c = this.bytes[j]!;
      if (c < ZERO || c > NINE) break;
      j++;
    }
    return j;
  }

  private literalEnd(i: number, c: number): number {
    const literal = c === 0x74 ? "true" : c === 0x66 ? "false" : c === 0x6e ? "null" : undefined;
    if (literal === undefined) throw this.unexpected(i, "a JSON value");
    if (bytesAre(this.bytes, i, literal)) return i + literal.length;
    const rest = this.bytes.toString("latin1", i, Math.min(i + literal.length, this.length));
    if (i + literal.length > this.length && literal.startsWith(rest)) throw this.truncated();
    throw this.unexpected(i, "a JSON value");
  }

  private what(): string {
    return this.options.what ?? "the plan";
  }

  private error(code: string, offset: number, message: string, hint: string): AigovError {
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
    const found = JSON.stringify([...this.bytes.toString("utf8", offset, Math.min(offset + 4, this.length))][0] ?? "");
    return this.error(
      "PLAN_INVALID_JSON",
      offset,
      `${this.what()} is not valid JSON: found ${found} where ${expected} must be${this.where()}`,
      "regenerate it with `terraform show -json plan.tfplan > plan.json`",
    );
  }

  private controlCharacter(offset: number): AigovError {
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
  private readonly source: Buffer;

  constructor(source: Buffer) {
    this.source = source;
  }

  get text(): string {
    return this.escaped
      ? (JSON.parse(this.source.toString("utf8", this.start, this.end)) as string)
      : this.source.toString("utf8", this.start + 1, this.end - 1);
  }
}

function isHexDigit(c: number): boolean {
  return (c >= ZERO && c <= NINE) || ((c | 0x20) >= 0x61 && (c | 0x20) <= 0x66);
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
