import { isUnknown, type Tri, type Unknown } from "@aigov/core";

/** `a && b` over facts that may be unknown: false wins over unknown, unknown over true. */
export function triAnd(...facts: readonly Tri[]): Tri {
  if (facts.some((fact) => fact === false)) return false;
  return facts.find((fact) => isUnknown(fact)) ?? true;
}

/** `a || b`: true wins over unknown, unknown over false. */
export function triOr(...facts: readonly Tri[]): Tri {
  if (facts.some((fact) => fact === true)) return true;
  return facts.find((fact) => isUnknown(fact)) ?? false;
}

export function triNot(fact: Tri): Tri {
  return isUnknown(fact) ? fact : !fact;
}

/** A string attribute compared to a value, ignoring case; unknown stays unknown, absent takes the provider default. */
export function triEquals(value: string | Unknown | undefined, expected: string, fallback: string): Tri {
  if (isUnknown(value)) return value;
  return (value ?? fallback).toLowerCase() === expected.toLowerCase();
}
