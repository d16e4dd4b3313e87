import type { Tags } from "./world.ts";

/** A region's resources of one kind, defaults filled in once, found by name or ARN. */
export interface ResourceTable<T> {
  readonly list: readonly T[];
  readonly byName: ReadonlyMap<string, T>;
}

export function resourceTable<T>(list: readonly T[], nameOf: (item: T) => string): ResourceTable<T> {
  return { list, byName: new Map(list.map((item) => [nameOf(item), item])) };
}

/** `{k: v}` → `[{Key: k, Value: v}]`, the tag list most AWS APIs return. */
export function tagList(tags: Tags | undefined, keyName = "Key", valueName = "Value"): Record<string, string>[] {
  return Object.entries(tags ?? {}).map(([key, value]) => ({ [keyName]: key, [valueName]: value }));
}
