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
export class ChangeOutline {
  span: Span | undefined = undefined;
  address: Span | undefined = undefined;
  type: Span | undefined = undefined;
  mode: Span | undefined = undefined;
  change: Span | undefined = undefined;
  actions: Span | undefined = undefined;
  readonly actionItems: Span[] = [];
  importing: Span | undefined = undefined;
}

/** One resource of planned_values or prior_state (any module depth). */
export class StateResourceOutline {
  readonly tree: "planned" | "prior";
  span: Span | undefined = undefined;
  address: Span | undefined = undefined;
  type: Span | undefined = undefined;
  mode: Span | undefined = undefined;

  constructor(tree: "planned" | "prior") {
    this.tree = tree;
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
  readonly changes: ChangeOutline[] = [];
  readonly stateResources: StateResourceOutline[] = [];
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

class PlanSpanReader implements JsonSpanReader {
  readonly rootRole = ROOT;
  readonly members = MEMBERS;
  private readonly scan: PlanScan;
  private change = new ChangeOutline();
  private resource = new StateResourceOutline("planned");

  constructor(scan: PlanScan) {
    this.scan = scan;
  }

  opened(role: number): void {
    if (role === CHANGE_ENTRY) {
      this.change = new ChangeOutline();
      this.scan.changes.push(this.change);
    } else if (role === PLANNED_RESOURCE || role === PRIOR_RESOURCE) {
      this.resource = new StateResourceOutline(role === PLANNED_RESOURCE ? "planned" : "prior");
      this.scan.stateResources.push(this.resource);
    }
  }

  value(role: number, kind: JsonKind, start: number, end: number, key: JsonKey | undefined): void {
    const span: Span = { kind, start, end };
    switch (role) {
      case ROOT:
        this.scan.rootKind = kind;
        return;
      case TOP:
      case CHANGES:
      case PLANNED_VALUES:
      case PRIOR_STATE:
        this.scan.top.set(key!.text, span);
        return;
      case CHANGE_ENTRY:
        // A member that is not an object opens nothing: it gets an outline of its own here.
        if (kind !== JSON_OBJECT) this.scan.changes.push(new ChangeOutline());
        this.scan.changes.at(-1)!.span = span;
        return;
      case CHANGE_ADDRESS:
        this.change.address = span;
        return;
      case CHANGE_TYPE:
        this.change.type = span;
        return;
      case CHANGE_MODE:
        this.change.mode = span;
        return;
      case CHANGE:
        this.change.change = span;
        return;
      case ACTIONS:
        this.change.actions = span;
        return;
      case ACTION:
        this.change.actionItems.push(span);
        return;
      case IMPORTING:
        this.change.importing = span;
        return;
      case PLANNED_RESOURCE:
      case PRIOR_RESOURCE:
        if (kind !== JSON_OBJECT)
          this.scan.stateResources.push(new StateResourceOutline(role === PLANNED_RESOURCE ? "planned" : "prior"));
        this.scan.stateResources.at(-1)!.span = span;
        return;
      case RESOURCE_ADDRESS:
        this.resource.address = span;
        return;
      case RESOURCE_TYPE:
        this.resource.type = span;
        return;
      case RESOURCE_MODE:
        this.resource.mode = span;
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
