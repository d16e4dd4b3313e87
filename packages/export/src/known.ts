import { isUnknown, type Maybe } from "@aigov/core";

/** The value when it is known, undefined when it is `unknown(...)` or absent: export formats have no third state. */
export function known<T>(value: Maybe<T> | undefined): T | undefined {
  return value === undefined || isUnknown(value) ? undefined : value;
}
