/**
 * `record[key] = value` for keys read from input: `__proto__` in a template would otherwise replace the object's
 * prototype instead of naming a property.
 */
export function setOwnProperty(record: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(record, key, { value, enumerable: true, writable: true, configurable: true });
}

/** `record[key]` when the record itself has the key, never something inherited (`constructor`, `toString`). */
export function ownProperty(record: Record<string, unknown>, key: string): unknown {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}
