import { type Tri, type Unknown, isUnknown, unknown } from "@aigov/core";

export const KNOWN_AFTER_APPLY = "known after apply";

export type FieldPath = readonly (string | number)[];
type Path = FieldPath;

/**
 * A resource's field values, with marks where a value is not known yet, so every read answers one of three
 * things: the value, absent (null / not set), or Unknown. A planned resource carries terraform's `after_unknown`
 * tree ("known after apply"); a live resource body read from an API carries none. Terraform nests blocks as
 * lists, so `first(["encryption_spec"])` reads a single nested block; step 0 into an object is the object itself.
 */
export class FieldValues {
  readonly values: Readonly<Record<string, unknown>>;
  readonly unknownPaths: Readonly<Record<string, unknown>>;

  constructor(values: Readonly<Record<string, unknown>>, unknownPaths: Readonly<Record<string, unknown>> = {}) {
    this.values = values;
    this.unknownPaths = unknownPaths;
  }

  /** The value at `path`, Unknown when terraform marks it (or a parent) known-after-apply, undefined when absent or null. */
  get(path: Path): unknown {
    let value: unknown = this.values;
    let marks: unknown = this.unknownPaths;
    for (const step of path) {
      if (marks === true) return unknown(KNOWN_AFTER_APPLY);
      marks = childOf(marks, step);
      value = childOf(value, step);
      if (isUnknown(value)) return value;
    }
    if (marks === true) return unknown(KNOWN_AFTER_APPLY);
    return value === null ? undefined : value;
  }

  /** A nested block: the first element of a list block, or the object itself. */
  first(path: Path): unknown {
    const value = this.get(path);
    if (Array.isArray(value)) return value.length === 0 ? undefined : this.get([...path, 0]);
    return value;
  }

  string(path: Path): string | Unknown | undefined {
    const value = this.get(path);
    if (isUnknown(value)) return value;
    if (typeof value === "string") return value === "" ? undefined : value;
    if (typeof value === "number" || typeof value === "boolean") return String(value);
    return undefined;
  }

  number(path: Path): number | Unknown | undefined {
    const value = this.get(path);
    if (isUnknown(value)) return value;
    if (typeof value === "number") return value;
    if (typeof value === "string" && value.trim() !== "" && Number.isFinite(Number(value))) return Number(value);
    return undefined;
  }

  /** A boolean attribute with the provider's default when it is not set. */
  bool(path: Path, fallback: boolean): Tri {
    const value = this.get(path);
    if (isUnknown(value)) return value;
    if (typeof value === "boolean") return value;
    if (value === "true" || value === "false") return value === "true";
    return fallback;
  }

  /** True when the attribute or block is set to something non-empty. */
  present(path: Path): Tri {
    const value = this.get(path);
    if (isUnknown(value)) return value;
    if (value === undefined || value === "" || value === false) return false;
    if (Array.isArray(value)) return value.length > 0;
    if (isRecord(value)) return Object.keys(value).length > 0;
    return true;
  }

  /** Elements of a list (block list or set), each with its own unknown marks. */
  list(path: Path): readonly FieldValues[] | Unknown {
    const value = this.get(path);
    if (isUnknown(value)) return value;
    if (!Array.isArray(value)) return [];
    const marks = this.marksAt(path);
    return value.map((element, index) => {
      const elementMarks = childOf(marks, index);
      return new FieldValues(isRecord(element) ? element : {}, isRecord(elementMarks) ? elementMarks : {});
    });
  }

  /** A string map (tags, labels, metadata): Unknown when the map or any of its values is known only after apply. */
  stringMap(path: Path): Readonly<Record<string, string>> | Unknown | undefined {
    const value = this.get(path);
    if (isUnknown(value)) return value;
    if (!isRecord(value)) return undefined;
    const marks = this.marksAt(path);
    if (isRecord(marks) && Object.values(marks).some((mark) => mark === true)) return unknown(KNOWN_AFTER_APPLY);
    const map: Record<string, string> = {};
    for (const [key, entry] of Object.entries(value)) {
      if (isUnknown(entry)) return entry;
      if (entry !== null && entry !== undefined) map[key] = String(entry);
    }
    return map;
  }

  private marksAt(path: Path): unknown {
    let marks: unknown = this.unknownPaths;
    for (const step of path) marks = childOf(marks, step);
    return marks;
  }
}

function childOf(container: unknown, step: string | number): unknown {
  if (Array.isArray(container)) return typeof step === "number" ? container[step] : undefined;
  // Terraform JSON configuration (cdktf synth) may write a single nested block as an object, not a list.
  if (isRecord(container)) return step === 0 ? container : container[String(step)];
  return undefined;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
