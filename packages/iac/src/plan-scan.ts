import { readSync } from "node:fs";
import { aiTypeInfo } from "./ai-types.ts";
import {
  JSON_OBJECT,
  JSON_STRING,
  type JsonKey,
  type JsonKind,
  type JsonMemberRoles,
  type JsonSpanReader,
  type JsonWindow,
  bytesAre,
  lineColumn,
  scanJson,
  scanJsonFile,
} from "./json-scanner.ts";

/** Where one JSON value sits in the text, and what it is. */
export interface Span {
  readonly kind: JsonKind;
  readonly start: number;
  readonly end: number;
}

/** One element of resource_changes: its span, and the spans of the fields every resource is checked on. */
export interface ChangeOutline {
  readonly span: Span | undefined;
  readonly address: Span | undefined;
  readonly type: Span | undefined;
  readonly mode: Span | undefined;
  readonly change: Span | undefined;
  readonly actions: Span | undefined;
  readonly actionItems: readonly Span[];
  readonly importing: Span | undefined;
}

/** One resource of planned_values or prior_state (any module depth). */
export interface StateResourceOutline {
  readonly tree: "planned" | "prior";
  readonly span: Span | undefined;
  readonly address: Span | undefined;
  readonly type: Span | undefined;
  readonly mode: Span | undefined;
}

// The scan keeps its outlines as rows of numbers, not as objects: tens of thousands of small objects that live as
// long as the scan made a fresh process's young generation grow and copy them, costing more than the scan itself.
// A span is three numbers (kind, 0 when absent; start; end); outlines are built as objects only when read.
const CHANGE_SPAN = 0;
const CHANGE_ADDRESS_AT = 3;
const CHANGE_TYPE_AT = 6;
const CHANGE_MODE_AT = 9;
const CHANGE_CHANGE_AT = 12;
const CHANGE_ACTIONS_AT = 15;
const CHANGE_IMPORTING_AT = 18;
const CHANGE_FIRST_ITEM = 21;
const CHANGE_ITEMS = 22;
const CHANGE_ADDRESS_NAMES_TYPE = 23;
const CHANGE_STRIDE = 24;
const STATE_TREE = 0;
const STATE_SPAN = 1;
const STATE_ADDRESS_AT = 4;
const STATE_TYPE_AT = 7;
const STATE_MODE_AT = 10;
const STATE_STRIDE = 13;
const ITEM_STRIDE = 3;

/** Rows of numbers that grow as the scan appends to them. */
class Rows {
  values: Int32Array;
  count = 0;
  private readonly stride: number;

  constructor(stride: number) {
    this.stride = stride;
    this.values = new Int32Array(stride * 256);
  }

  /** Appends a row of zeros; returns its offset in values. */
  add(): number {
    const at = this.count * this.stride;
    if (at + this.stride > this.values.length) {
      const grown = new Int32Array(this.values.length * 2);
      grown.set(this.values);
      this.values = grown;
    }
    this.count++;
    return at;
  }

  setSpan(at: number, kind: JsonKind, start: number, end: number): void {
    this.values[at] = kind;
    this.values[at + 1] = start;
    this.values[at + 2] = end;
  }

  span(at: number): Span | undefined {
    const kind = this.values[at]!;
    return kind === 0 ? undefined : { kind: kind as JsonKind, start: this.values[at + 1]!, end: this.values[at + 2]! };
  }
}

/** What a resource change holds that every change is checked on, read while the scan held its bytes. */
export interface ChangeFacts {
  readonly type: unknown;
  readonly mode: unknown;
  readonly actions: readonly unknown[];
  /** Its address names a resource of its mode and type (worked out only for a string type and a known mode). */
  readonly addressNamesType: boolean;
}

/** An AI resource's change, decoded while the scan held its bytes: the change and its address. */
export interface DecodedChange {
  readonly entry: unknown;
  readonly address: unknown;
}

export const MODES = ["managed", "data"] as const;
export const ACTION_NAMES = ["create", "update", "delete", "no-op", "read", "forget"] as const;

// Terraform resource types: the provider's local name, then (usually) an underscore and the type's own name; lower case.
const RESOURCE_TYPE_NAME = /^[a-z][a-z0-9_-]*$/;
// One `module.name` or `module.name[0]` / `module.name["key"]` step at the start of an address.
const MODULE_STEP = /^module\.[A-Za-z_][\w-]*(?:\[(?:\d+|"(?:[^"\\]|\\.)*")\])?\./;

// A plan repeats a few dozen types over thousands of resources: each is checked once (bounded: plans come from outside).
const checkedTypes = new Set<string>();

export function isResourceType(type: string): boolean {
  if (checkedTypes.has(type)) return true;
  if (!RESOURCE_TYPE_NAME.test(type)) return false;
  if (checkedTypes.size < 4096) checkedTypes.add(type);
  return true;
}

/**
 * What the gate reads of a `terraform show -json` document, gathered in the one validating pass over its text:
 * the top-level values, the fields of every resource change, and the resources planned_values and prior_state
 * hold. What every resource is checked on is read as the scan passes it; only what the decision needs is decoded
 * (AI resources as the scan passes them, the configuration and a few top-level strings afterwards).
 */
export class PlanScan {
  /** The document's UTF-8 bytes: all of them, or (a file read in windows) the window the scan is at. */
  readonly window: JsonWindow;
  /** The file read in windows, from which bytes the window no longer holds are read again. */
  private readonly fd: number | undefined;
  readonly file: string;
  readonly firstLine: number;
  rootKind: JsonKind = JSON_OBJECT;
  readonly top = new Map<string, Span>();
  readonly changeRows = new Rows(CHANGE_STRIDE);
  readonly actionItemRows = new Rows(ITEM_STRIDE);
  readonly stateRows = new Rows(STATE_STRIDE);
  // What every change is checked on, read as the scan passes it: its type and mode (strings the plan repeats, found
  // again by their bytes), and its actions as ACTION_NAMES' places (1-based; 0 for another value, kept aside). Not
  // an object per change: objects that live as long as the scan make a fresh process's young generation copy them.
  private readonly changeTypes: unknown[] = [];
  private readonly changeModes: unknown[] = [];
  private actionCodes = new Uint8Array(1024);
  private readonly otherActions = new Map<number, unknown>();
  readonly aiChanges = new Map<number, DecodedChange>();
  /** Each state resource's type and mode, and the address of an AI resource planned_values holds. */
  readonly stateTypes: unknown[] = [];
  readonly stateModes: unknown[] = [];
  readonly plannedAiAddresses = new Map<number, unknown>();
  private readonly names = new Map<number, string[]>();

  constructor(window: JsonWindow, file: string, firstLine: number, fd?: number) {
    this.window = window;
    this.fd = fd;
    this.file = file;
    this.firstLine = firstLine;
  }

  /** `terraform show -json` output (a plan, or a state) rather than some other JSON. */
  get isPlan(): boolean {
    return this.rootKind === JSON_OBJECT && this.top.has("format_version");
  }

  /** The bytes at [start, end): in the window, or read again from the file. */
  private slice(start: number, end: number): Buffer {
    const window = this.window;
    if (start >= window.base && end <= window.end) return window.bytes.subarray(start - window.base, end - window.base);
    const bytes = Buffer.allocUnsafe(end - start);
    if (this.fd === undefined || readSync(this.fd, bytes, 0, bytes.length, start) !== bytes.length)
      throw new Error(`${this.file}: could not read bytes ${start} to ${end} again`);
    return bytes;
  }

  /** The value at a span, decoded; strings without escapes are cut from the bytes, not parsed. */
  decode(span: Span | undefined): unknown {
    if (span === undefined) return undefined;
    const bytes = this.slice(span.start, span.end);
    if (span.kind === JSON_STRING) {
      const inner = bytes.toString("utf8", 1, bytes.length - 1);
      if (!inner.includes("\\")) return inner;
    }
    return JSON.parse(bytes.toString("utf8"));
  }

  /**
   * decode, for a value that is usually one of a few ASCII strings (a mode, an action): those are recognized in the
   * bytes, without building a string. The window holds them.
   */
  decodeOneOf<T extends string>(span: Span | undefined, names: readonly T[]): T | unknown {
    if (span?.kind === JSON_STRING) {
      const { bytes, base } = this.window;
      for (const name of names) {
        if (span.end - span.start === name.length + 2 && bytesAre(bytes, span.start + 1 - base, name)) return name;
      }
    }
    return this.decode(span);
  }

  /** decodeOneOf of the span a row holds at `at` (kind, start, end; kind 0: none), without a Span object. */
  private oneOfAt<T extends string>(rows: Rows, at: number, names: readonly T[]): T | unknown {
    const values = rows.values;
    if (values[at] === JSON_STRING) {
      const { bytes, base } = this.window;
      const start = values[at + 1]!;
      const length = values[at + 2]! - start;
      for (const name of names) if (length === name.length + 2 && bytesAre(bytes, start + 1 - base, name)) return name;
    }
    return this.decode(rows.span(at));
  }

  /**
   * decode, for a short string a plan repeats (a resource type): each distinct one is built once and found again by
   * its bytes, so ten thousand resources of a few dozen types cost a few dozen strings. The window holds it.
   */
  decodeName(span: Span | undefined): unknown {
    return span === undefined ? undefined : this.nameOf(span.kind, span.start, span.end);
  }

  /** decodeName of the span a row holds at `at` (kind, start, end; kind 0: none), without a Span object. */
  private nameAt(rows: Rows, at: number): unknown {
    const values = rows.values;
    return values[at] === 0 ? undefined : this.nameOf(values[at] as JsonKind, values[at + 1]!, values[at + 2]!);
  }

  private nameOf(kind: JsonKind, spanStart: number, spanEnd: number): unknown {
    if (kind !== JSON_STRING || spanEnd - spanStart > 130) return this.decode({ kind, start: spanStart, end: spanEnd });
    const { bytes, base } = this.window;
    const start = spanStart + 1 - base;
    const length = spanEnd - spanStart - 2;
    let hash = length;
    for (let i = start; i < start + length; i++) hash = (Math.imul(hash, 31) + bytes[i]!) | 0;
    const bucket = this.names.get(hash);
    if (bucket !== undefined) {
      for (const name of bucket) if (name.length === length && bytesAre(bytes, start, name)) return name;
    }
    const value = this.decode({ kind, start: spanStart, end: spanEnd });
    // Only ASCII without escapes has as many characters as bytes, which bytesAre compares.
    if (typeof value === "string" && value.length === length && this.names.size < 4096) {
      if (bucket === undefined) this.names.set(hash, [value]);
      else bucket.push(value);
    }
    return value;
  }

  /**
   * Reads what resource_changes[index] is checked on, and decodes it if it is an AI resource, when the scan reaches
   * its end: the window holds it then.
   */
  readChange(index: number): void {
    const rows = this.changeRows;
    const at = index * CHANGE_STRIDE;
    const type = this.nameAt(rows, at + CHANGE_TYPE_AT);
    const mode = this.oneOfAt(rows, at + CHANGE_MODE_AT, MODES);
    const first = rows.values[at + CHANGE_FIRST_ITEM]!;
    const items = rows.values[at + CHANGE_ITEMS]!;
    if (first + items > this.actionCodes.length) {
      const grown = new Uint8Array(Math.max(this.actionCodes.length * 2, first + items));
      grown.set(this.actionCodes);
      this.actionCodes = grown;
    }
    for (let item = first; item < first + items; item++) {
      const action = this.oneOfAt(this.actionItemRows, item * ITEM_STRIDE, ACTION_NAMES);
      const code = ACTION_NAMES.indexOf(action as (typeof ACTION_NAMES)[number]) + 1;
      this.actionCodes[item] = code;
      if (code === 0) this.otherActions.set(item, action);
    }
    this.changeTypes[index] = type;
    this.changeModes[index] = mode;
    if (
      rows.values[at + CHANGE_ADDRESS_AT] === JSON_STRING &&
      typeof type === "string" &&
      (mode === "managed" || mode === "data") &&
      this.addressNames(rows.values[at + CHANGE_ADDRESS_AT + 1]!, rows.values[at + CHANGE_ADDRESS_AT + 2]!, mode, type)
    )
      rows.values[at + CHANGE_ADDRESS_NAMES_TYPE] = 1;
    if (
      rows.values[at + CHANGE_SPAN] === JSON_OBJECT &&
      mode !== "data" &&
      typeof type === "string" &&
      isResourceType(type) &&
      aiTypeInfo(type) !== undefined
    )
      this.aiChanges.set(index, {
        entry: this.decode(rows.span(at + CHANGE_SPAN)),
        address: this.decode(rows.span(at + CHANGE_ADDRESS_AT)),
      });
  }

  /** What resource_changes[index] is checked on (readChange). */
  changeFacts(index: number): ChangeFacts {
    const rows = this.changeRows.values;
    const at = index * CHANGE_STRIDE;
    const first = rows[at + CHANGE_FIRST_ITEM]!;
    const actions: unknown[] = [];
    for (let item = first; item < first + rows[at + CHANGE_ITEMS]!; item++) {
      const code = this.actionCodes[item]!;
      actions.push(code === 0 ? this.otherActions.get(item) : ACTION_NAMES[code - 1]);
    }
    return {
      type: this.changeTypes[index],
      mode: this.changeModes[index],
      actions,
      addressNamesType: rows[at + CHANGE_ADDRESS_NAMES_TYPE] === 1,
    };
  }

  /** Reads a state resource's type and mode, and an AI resource's address in planned_values, at its end. */
  readStateResource(index: number): void {
    const rows = this.stateRows;
    const at = index * STATE_STRIDE;
    const type = this.nameAt(rows, at + STATE_TYPE_AT);
    const mode = this.oneOfAt(rows, at + STATE_MODE_AT, MODES);
    this.stateTypes[index] = type;
    this.stateModes[index] = mode;
    if (
      rows.values[at + STATE_TREE] === PLANNED_TREE &&
      rows.values[at + STATE_SPAN] === JSON_OBJECT &&
      typeof type === "string" &&
      mode !== "data" &&
      aiTypeInfo(type) !== undefined
    )
      this.plannedAiAddresses.set(index, this.decode(rows.span(at + STATE_ADDRESS_AT)));
  }

  /**
   * True when the address (`module.a["x"].data.aws_ami.b[0]`) names a resource of this mode and type. Read in the
   * bytes; only an address with escapes in its JSON (a module instance key `["x"]`) is decoded first.
   */
  private addressNames(start: number, spanEnd: number, mode: "managed" | "data", type: string): boolean {
    const { bytes, base } = this.window;
    let at = start + 1 - base;
    const end = spanEnd - 1 - base;
    for (let k = at; k < end; k++) {
      if (bytes[k] === 0x5c)
        return addressTextNames(this.decode({ kind: JSON_STRING, start, end: spanEnd }) as string, mode, type);
    }
    while (bytesAre(bytes, at, "module.")) {
      at += 7;
      while (at < end && isNameByte(bytes[at]!)) at++;
      if (bytes[at] === 0x5b) {
        at++;
        while (at < end && bytes[at]! >= 0x30 && bytes[at]! <= 0x39) at++;
        if (bytes[at] !== 0x5d) return false;
        at++;
      }
      if (bytes[at] !== 0x2e) return false;
      at++;
    }
    if (mode === "data") {
      if (!bytesAre(bytes, at, "data.")) return false;
      at += 5;
    }
    return at + type.length < end && bytesAre(bytes, at, type) && bytes[at + type.length] === 0x2e;
  }

  /** How many elements resource_changes has. */
  get changeCount(): number {
    return this.changeRows.count;
  }

  /** The outline of resource_changes[index]. */
  change(index: number): ChangeOutline {
    const rows = this.changeRows;
    const at = index * CHANGE_STRIDE;
    const actionItems: Span[] = [];
    const first = rows.values[at + CHANGE_FIRST_ITEM]!;
    const items = rows.values[at + CHANGE_ITEMS]!;
    for (let item = first; item < first + items; item++)
      actionItems.push(this.actionItemRows.span(item * ITEM_STRIDE)!);
    return {
      span: rows.span(at + CHANGE_SPAN),
      address: rows.span(at + CHANGE_ADDRESS_AT),
      type: rows.span(at + CHANGE_TYPE_AT),
      mode: rows.span(at + CHANGE_MODE_AT),
      change: rows.span(at + CHANGE_CHANGE_AT),
      actions: rows.span(at + CHANGE_ACTIONS_AT),
      actionItems,
      importing: rows.span(at + CHANGE_IMPORTING_AT),
    };
  }

  /**
   * The kinds of what resource_changes[index] is first checked on, read from its row without building its outline:
   * the change itself, its change and its actions (0 where absent), and its address's length in the plan's bytes when
   * it is a string (else -1).
   */
  changeKind(index: number): number {
    return this.changeRows.values[index * CHANGE_STRIDE + CHANGE_SPAN]!;
  }

  changeChangeKind(index: number): number {
    return this.changeRows.values[index * CHANGE_STRIDE + CHANGE_CHANGE_AT]!;
  }

  changeActionsKind(index: number): number {
    return this.changeRows.values[index * CHANGE_STRIDE + CHANGE_ACTIONS_AT]!;
  }

  changeAddressLength(index: number): number {
    const values = this.changeRows.values;
    const at = index * CHANGE_STRIDE + CHANGE_ADDRESS_AT;
    return values[at] === JSON_STRING ? values[at + 2]! - values[at + 1]! : -1;
  }

  /** Whether the index-th resource of planned_values and prior_state is in planned_values, without its outline. */
  isPlannedResource(index: number): boolean {
    return this.stateRows.values[index * STATE_STRIDE + STATE_TREE] === PLANNED_TREE;
  }

  /** The kind of the index-th resource of planned_values and prior_state (0: none), without its outline. */
  stateResourceKind(index: number): number {
    return this.stateRows.values[index * STATE_STRIDE + STATE_SPAN]!;
  }

  /** How many resources planned_values and prior_state hold. */
  get stateResourceCount(): number {
    return this.stateRows.count;
  }

  /** The outline of the index-th resource of planned_values and prior_state, in the order of the document. */
  stateResource(index: number): StateResourceOutline {
    const rows = this.stateRows;
    const at = index * STATE_STRIDE;
    return {
      tree: rows.values[at + STATE_TREE] === PLANNED_TREE ? "planned" : "prior",
      span: rows.span(at + STATE_SPAN),
      address: rows.span(at + STATE_ADDRESS_AT),
      type: rows.span(at + STATE_TYPE_AT),
      mode: rows.span(at + STATE_MODE_AT),
    };
  }

  decodeTop(key: string): unknown {
    return this.decode(this.top.get(key));
  }

  /** 1-based line and column of a span's first character, for messages. */
  lineColumn(span: Span | undefined): { line?: number; column?: number } {
    if (span === undefined) return {};
    // Lines are counted from the file's start: a file read in windows is read whole to say where (readPlanFile).
    if (this.fd !== undefined) throw new Error(`${this.file}: read in windows, without its lines`);
    const { line, column } = lineColumn(this.window.bytes, span.start);
    return { line: this.firstLine + line - 1, column };
  }
}

const ROOT = 1;
const TOP = 2;
const CHANGES = 3;
const CHANGE_ENTRY = 4;
const CHANGE_ADDRESS = 5;
const CHANGE_TYPE = 6;
const CHANGE_MODE = 7;
const CHANGE = 8;
const ACTIONS = 9;
const ACTION = 10;
const IMPORTING = 11;
const PLANNED_VALUES = 12;
const PRIOR_STATE = 13;
const PRIOR_VALUES = 14;
const PLANNED_MODULE = 15;
const PRIOR_MODULE = 16;
const PLANNED_RESOURCES = 17;
const PRIOR_RESOURCES = 18;
const PLANNED_CHILDREN = 19;
const PRIOR_CHILDREN = 20;
const PLANNED_RESOURCE = 21;
const PRIOR_RESOURCE = 22;
const RESOURCE_ADDRESS = 23;
const RESOURCE_TYPE = 24;
const RESOURCE_MODE = 25;

// The parts of a plan the gate reads, as the scan's role tables: every top-level value (TOP), each resource
// change's address, type, mode, actions and importing, and each resource of planned_values and prior_state.
const MEMBERS: Readonly<Record<number, JsonMemberRoles>> = {
  [ROOT]: { keys: { resource_changes: CHANGES, planned_values: PLANNED_VALUES, prior_state: PRIOR_STATE }, other: TOP },
  [CHANGES]: { other: CHANGE_ENTRY },
  [CHANGE_ENTRY]: { keys: { address: CHANGE_ADDRESS, type: CHANGE_TYPE, mode: CHANGE_MODE, change: CHANGE } },
  [CHANGE]: { keys: { actions: ACTIONS, importing: IMPORTING } },
  [ACTIONS]: { other: ACTION },
  [PLANNED_VALUES]: { keys: { root_module: PLANNED_MODULE } },
  [PRIOR_STATE]: { keys: { values: PRIOR_VALUES } },
  [PRIOR_VALUES]: { keys: { root_module: PRIOR_MODULE } },
  [PLANNED_MODULE]: { keys: { resources: PLANNED_RESOURCES, child_modules: PLANNED_CHILDREN } },
  [PRIOR_MODULE]: { keys: { resources: PRIOR_RESOURCES, child_modules: PRIOR_CHILDREN } },
  [PLANNED_CHILDREN]: { other: PLANNED_MODULE },
  [PRIOR_CHILDREN]: { other: PRIOR_MODULE },
  [PLANNED_RESOURCES]: { other: PLANNED_RESOURCE },
  [PRIOR_RESOURCES]: { other: PRIOR_RESOURCE },
  [PLANNED_RESOURCE]: { keys: { address: RESOURCE_ADDRESS, type: RESOURCE_TYPE, mode: RESOURCE_MODE } },
  [PRIOR_RESOURCE]: { keys: { address: RESOURCE_ADDRESS, type: RESOURCE_TYPE, mode: RESOURCE_MODE } },
};

const PLANNED_TREE = 1;
const PRIOR_TREE = 2;

class PlanSpanReader implements JsonSpanReader {
  readonly rootRole = ROOT;
  readonly members = MEMBERS;
  private readonly scan: PlanScan;
  // The rows of the change and of the state resource whose members are being scanned.
  private change = -1;
  private resource = -1;
  // The change or state resource being scanned: read from the window when it ends (readChange, readStateResource).
  pinned = -1;

  constructor(scan: PlanScan) {
    this.scan = scan;
  }

  opened(role: number, start: number): void {
    if (role === CHANGE_ENTRY) {
      this.change = this.scan.changeRows.add();
      this.pinned = start;
    } else if (role === PLANNED_RESOURCE || role === PRIOR_RESOURCE) {
      this.resource = this.addStateResource(role);
      this.pinned = start;
    }
  }

  private addStateResource(role: number): number {
    const rows = this.scan.stateRows;
    const at = rows.add();
    rows.values[at + STATE_TREE] = role === PLANNED_RESOURCE ? PLANNED_TREE : PRIOR_TREE;
    return at;
  }

  value(role: number, kind: JsonKind, start: number, end: number, key: JsonKey | undefined): void {
    const changes = this.scan.changeRows;
    switch (role) {
      case ROOT:
        this.scan.rootKind = kind;
        return;
      case TOP:
      case CHANGES:
      case PLANNED_VALUES:
      case PRIOR_STATE:
        this.scan.top.set(key!.text, { kind, start, end });
        return;
      case CHANGE_ENTRY:
        // A member that is not an object opens nothing: it gets an outline of its own here.
        if (kind !== JSON_OBJECT) changes.add();
        changes.setSpan((changes.count - 1) * CHANGE_STRIDE + CHANGE_SPAN, kind, start, end);
        this.scan.readChange(changes.count - 1);
        this.pinned = -1;
        return;
      case CHANGE_ADDRESS:
        changes.setSpan(this.change + CHANGE_ADDRESS_AT, kind, start, end);
        return;
      case CHANGE_TYPE:
        changes.setSpan(this.change + CHANGE_TYPE_AT, kind, start, end);
        return;
      case CHANGE_MODE:
        changes.setSpan(this.change + CHANGE_MODE_AT, kind, start, end);
        return;
      case CHANGE:
        changes.setSpan(this.change + CHANGE_CHANGE_AT, kind, start, end);
        return;
      case ACTIONS:
        changes.setSpan(this.change + CHANGE_ACTIONS_AT, kind, start, end);
        return;
      case ACTION: {
        const items = this.scan.actionItemRows;
        const at = items.add();
        items.setSpan(at, kind, start, end);
        // Items follow each other: a change's are the run that starts at its first.
        if (changes.values[this.change + CHANGE_ITEMS] === 0)
          changes.values[this.change + CHANGE_FIRST_ITEM] = at / ITEM_STRIDE;
        changes.values[this.change + CHANGE_ITEMS]!++;
        return;
      }
      case IMPORTING:
        changes.setSpan(this.change + CHANGE_IMPORTING_AT, kind, start, end);
        return;
      case PLANNED_RESOURCE:
      case PRIOR_RESOURCE: {
        const rows = this.scan.stateRows;
        if (kind !== JSON_OBJECT) this.addStateResource(role);
        rows.setSpan((rows.count - 1) * STATE_STRIDE + STATE_SPAN, kind, start, end);
        this.scan.readStateResource(rows.count - 1);
        this.pinned = -1;
        return;
      }
      case RESOURCE_ADDRESS:
        this.scan.stateRows.setSpan(this.resource + STATE_ADDRESS_AT, kind, start, end);
        return;
      case RESOURCE_TYPE:
        this.scan.stateRows.setSpan(this.resource + STATE_TYPE_AT, kind, start, end);
        return;
      case RESOURCE_MODE:
        this.scan.stateRows.setSpan(this.resource + STATE_MODE_AT, kind, start, end);
        return;
      default:
    }
  }
}

/** Validates a plan's JSON (see scanJson) and gathers what the gate reads of it, in one pass. */
export function scanPlanText(input: Uint8Array | string, file: string, firstLine = 1): PlanScan {
  const bytes =
    typeof input === "string"
      ? Buffer.from(input, "utf8")
      : Buffer.isBuffer(input)
        ? input
        : Buffer.from(input.buffer, input.byteOffset, input.byteLength);
  const scan = new PlanScan({ bytes, base: 0, end: bytes.length }, file, firstLine);
  scanJson(bytes, { file, firstLine, reader: new PlanSpanReader(scan) });
  return scan;
}

/**
 * scanPlanText over an open file, read in windows (scanJsonFile) rather than whole; what every resource is checked
 * on and the AI resources are read as the scan passes them. Undefined when the scan refuses the file: read it whole
 * then (scanPlanText), which says why.
 */
export function scanPlanFile(fd: number, file: string, windowBytes?: number): PlanScan | undefined {
  const window: JsonWindow = { bytes: Buffer.alloc(0), base: 0, end: 0 };
  const scan = new PlanScan(window, file, 1, fd);
  return scanJsonFile(fd, { file, reader: new PlanSpanReader(scan) }, window, windowBytes) ? scan : undefined;
}

function addressTextNames(address: string, mode: "managed" | "data", type: string): boolean {
  let rest = address;
  for (let step = MODULE_STEP.exec(rest); step !== null; step = MODULE_STEP.exec(rest))
    rest = rest.slice(step[0].length);
  const at = mode === "data" ? 5 : 0;
  if (mode === "data" && !rest.startsWith("data.")) return false;
  return rest.startsWith(type, at) && rest.charCodeAt(at + type.length) === 0x2e;
}

const isNameByte = (c: number) =>
  (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || (c >= 0x30 && c <= 0x39) || c === 0x5f || c === 0x2d;
