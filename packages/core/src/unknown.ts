/**
 * A value nobody could know: a tag computed at apply time, a property the scanner was denied.
 * It is a plain object so it survives JSON and YAML unchanged (`{"$unknown": true}`), and rule tests
 * can write it as `{ $unknown: true }`.
 */
export interface Unknown {
  readonly $unknown: true;
  /** Why the value is unknown, e.g. "known after apply" or "AccessDenied on DescribeEndpoint". */
  readonly reason?: string;
}

export function unknown(reason?: string): Unknown {
  return reason === undefined ? { $unknown: true } : { $unknown: true, reason };
}

export function isUnknown(value: unknown): value is Unknown {
  return typeof value === "object" && value !== null && (value as { $unknown?: unknown }).$unknown === true;
}

/** A fact that is true, false, or not known. */
export type Tri = boolean | Unknown;

/** A value of type T that may not be known. */
export type Maybe<T> = T | Unknown;
