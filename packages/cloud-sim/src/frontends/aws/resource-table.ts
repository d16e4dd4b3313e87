import type { Tags } from "./world.ts";

/** A region's resources of one kind, defaults filled in once, found by name or ARN. */
/** A world resource as the services read it: the API fields as written, plus its tags. */
export type WorldEntry = Readonly<Record<string, unknown>> & { readonly tags?: Tags };

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

const rendered = new WeakMap<object, Map<string, unknown>>();

/**
 * A rendering of a world entry (a List summary, a Describe body) computed once and reused: entries never change
 * after indexing, and a sweep asks for the same shapes over and over.
 */
export function renderOnce<T>(entry: object, view: string, render: () => T): T {
  let views = rendered.get(entry);
  if (views === undefined) {
    views = new Map();
    rendered.set(entry, views);
  }
  if (views.has(view)) return views.get(view) as T;
  const value = render();
  views.set(view, value);
  return value;
}
