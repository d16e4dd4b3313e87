import {
  JSON_OBJECT,
  JSON_STRING,
  type JsonKey,
  type JsonKind,
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
  span?: Span;
  address?: Span;
  type?: Span;
  mode?: Span;
  change?: Span;
  actions?: Span;
  readonly actionItems: Span[];
  importing?: Span;
}

/** One resource of planned_values or prior_state (any module depth). */
export interface StateResourceOutline {
  readonly tree: "planned" | "prior";
  span?: Span;
  address?: Span;
  type?: Span;
  mode?: Span;
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
const STATE_RESOURCE = 21;
const RESOURCE_ADDRESS = 22;
const RESOURCE_TYPE = 23;
const RESOURCE_MODE = 24;

class PlanSpanReader implements JsonSpanReader {
  readonly rootRole = ROOT;
  private readonly scan: PlanScan;
  private topKey = "";
  private change: ChangeOutline | undefined;
  private resource: StateResourceOutline | undefined;

  constructor(scan: PlanScan) {
    this.scan = scan;
  }

  child(parent: number, key: JsonKey | undefined, index: number): number {
    switch (parent) {
      case ROOT:
        if (key === undefined) return 0;
        this.topKey = key.text;
        return this.topKey === "resource_changes"
          ? CHANGES
          : this.topKey === "planned_values"
            ? PLANNED_VALUES
            : this.topKey === "prior_state"
              ? PRIOR_STATE
              : TOP;
      case CHANGES:
        if (index < 0) return 0;
        this.change = { actionItems: [] };
        this.scan.changes.push(this.change);
        return CHANGE_ENTRY;
      case CHANGE_ENTRY:
        if (key === undefined) return 0;
        return key.is("address")
          ? CHANGE_ADDRESS
          : key.is("type")
            ? CHANGE_TYPE
            : key.is("mode")
              ? CHANGE_MODE
              : key.is("change")
                ? CHANGE
                : 0;
      case CHANGE:
        if (key === undefined) return 0;
        return key.is("actions") ? ACTIONS : key.is("importing") ? IMPORTING : 0;
      case ACTIONS:
        return index < 0 ? 0 : ACTION;
      case PLANNED_VALUES:
        return key?.is("root_module") ? PLANNED_MODULE : 0;
      case PRIOR_STATE:
        return key?.is("values") ? PRIOR_VALUES : 0;
      case PRIOR_VALUES:
        return key?.is("root_module") ? PRIOR_MODULE : 0;
      case PLANNED_MODULE:
        if (key === undefined) return 0;
        return key.is("resources") ? PLANNED_RESOURCES : key.is("child_modules") ? PLANNED_CHILDREN : 0;
      case PRIOR_MODULE:
        if (key === undefined) return 0;
        return key.is("resources") ? PRIOR_RESOURCES : key.is("child_modules") ? PRIOR_CHILDREN : 0;
      case PLANNED_CHILDREN:
        return index < 0 ? 0 : PLANNED_MODULE;
      case PRIOR_CHILDREN:
        return index < 0 ? 0 : PRIOR_MODULE;
      case PLANNED_RESOURCES:
      case PRIOR_RESOURCES:
        if (index < 0) return 0;
        this.resource = { tree: parent === PLANNED_RESOURCES ? "planned" : "prior" };
        this.scan.stateResources.push(this.resource);
        return STATE_RESOURCE;
      case STATE_RESOURCE:
        if (key === undefined) return 0;
        return key.is("address")
          ? RESOURCE_ADDRESS
          : key.is("type")
            ? RESOURCE_TYPE
            : key.is("mode")
              ? RESOURCE_MODE
              : 0;
      default:
        return 0;
    }
  }

  value(role: number, kind: JsonKind, start: number, end: number): void {
    const span: Span = { kind, start, end };
    switch (role) {
      case ROOT:
        this.scan.rootKind = kind;
        return;
      case TOP:
      case CHANGES:
      case PLANNED_VALUES:
      case PRIOR_STATE:
        this.scan.top.set(this.topKey, span);
        return;
      case CHANGE_ENTRY:
        this.change!.span = span;
        return;
      case CHANGE_ADDRESS:
        this.change!.address = span;
        return;
      case CHANGE_TYPE:
        this.change!.type = span;
        return;
      case CHANGE_MODE:
        this.change!.mode = span;
        return;
      case CHANGE:
        this.change!.change = span;
        return;
      case ACTIONS:
        this.change!.actions = span;
        return;
      case ACTION:
        this.change!.actionItems.push(span);
        return;
      case IMPORTING:
        this.change!.importing = span;
        return;
      case STATE_RESOURCE:
        this.resource!.span = span;
        return;
      case RESOURCE_ADDRESS:
        this.resource!.address = span;
        return;
      case RESOURCE_TYPE:
        this.resource!.type = span;
        return;
      case RESOURCE_MODE:
        this.resource!.mode = span;
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
