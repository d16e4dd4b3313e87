import {
  JSON_OBJECT,
  JSON_STRING,
  type JsonKey,
  type JsonKind,
  type JsonMemberRoles,
  type JsonSpanReader,
  bytesAre,
  lineColumn,
  scanJson,
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
const CHANGE_STRIDE = 23;
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

/**
 * What the gate reads of a `terraform show -json` document, gathered in the one validating pass over its text:
 * the top-level values, the fields of every resource change, and the resources planned_values and prior_state
 * hold. Only what the decision needs is decoded afterwards (AI resources, the configuration, a few strings).
 */
export class PlanScan {
  /** The document's UTF-8 bytes. */
  readonly bytes: Buffer;
  readonly file: string;
  readonly firstLine: number;
  rootKind: JsonKind = JSON_OBJECT;
  readonly top = new Map<string, Span>();
  readonly changeRows = new Rows(CHANGE_STRIDE);
  readonly actionItemRows = new Rows(ITEM_STRIDE);
  readonly stateRows = new Rows(STATE_STRIDE);
  private readonly names = new Map<number, string[]>();

  constructor(bytes: Buffer, file: string, firstLine: number) {
    this.bytes = bytes;
    this.file = file;
    this.firstLine = firstLine;
  }

  /** `terraform show -json` output (a plan, or a state) rather than some other JSON. */
  get isPlan(): boolean {
    return this.rootKind === JSON_OBJECT && this.top.has("format_version");
  }

  /** The value at a span, decoded; strings without escapes are cut from the bytes, not parsed. */
  decode(span: Span | undefined): unknown {
    if (span === undefined) return undefined;
    if (span.kind === JSON_STRING) {
      const inner = this.bytes.toString("utf8", span.start + 1, span.end - 1);
      if (!inner.includes("\\")) return inner;
    }
    return JSON.parse(this.bytes.toString("utf8", span.start, span.end));
  }

  /**
   * decode, for a value that is usually one of a few ASCII strings (a mode, an action): those are recognized in the
   * bytes, without building a string.
   */
  decodeOneOf<T extends string>(span: Span | undefined, names: readonly T[]): T | unknown {
    if (span?.kind === JSON_STRING) {
      for (const name of names) {
        if (span.end - span.start === name.length + 2 && bytesAre(this.bytes, span.start + 1, name)) return name;
      }
    }
    return this.decode(span);
  }

  /**
   * decode, for a short string a plan repeats (a resource type): each distinct one is built once and found again by
   * its bytes, so ten thousand resources of a few dozen types cost a few dozen strings.
   */
  decodeName(span: Span | undefined): unknown {
    if (span?.kind !== JSON_STRING || span.end - span.start > 130) return this.decode(span);
    const start = span.start + 1;
    const length = span.end - span.start - 2;
    let hash = length;
    for (let i = start; i < start + length; i++) hash = (Math.imul(hash, 31) + this.bytes[i]!) | 0;
    const bucket = this.names.get(hash);
    if (bucket !== undefined) {
      for (const name of bucket) if (name.length === length && bytesAre(this.bytes, start, name)) return name;
    }
    const value = this.decode(span);
    // Only ASCII without escapes has as many characters as bytes, which bytesAre compares.
    if (typeof value === "string" && value.length === length && this.names.size < 4096) {
      if (bucket === undefined) this.names.set(hash, [value]);
      else bucket.push(value);
    }
    return value;
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
    const { line, column } = lineColumn(this.bytes, span.start);
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

  constructor(scan: PlanScan) {
    this.scan = scan;
  }

  opened(role: number): void {
    if (role === CHANGE_ENTRY) {
      this.change = this.scan.changeRows.add();
    } else if (role === PLANNED_RESOURCE || role === PRIOR_RESOURCE) {
      this.resource = this.addStateResource(role);
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
  const scan = new PlanScan(bytes, file, firstLine);
  scanJson(bytes, { file, firstLine, reader: new PlanSpanReader(scan) });
  return scan;
}
