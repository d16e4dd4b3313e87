import type { Rule } from "../src/rule.ts";

/**
 * How a rule can read one fact in several native shapes, the thing normalized facts replace: it reads `native.…` while
 * applying to types of two shapes (a terraform type and a live API type, or no type at all, so any shape), or it
 * lists two native paths side by side under one `any`/`all` with the same test (the same fact of two types).
 */
export function nativeShapeReasons(rule: Rule): string[] {
  if (rule.appliesTo.subject !== "asset") return [];
  const reasons: string[] = [];
  const paths = nativePaths(rule.condition);
  const types = rule.appliesTo.type ?? [];
  const shapes = new Set(types.map((type) => (/^[a-z0-9]+(_[a-z0-9]+)+$/.test(type) ? "terraform" : "live")));
  if (paths.length > 0 && (types.length === 0 || shapes.size > 1))
    reasons.push(`reads ${paths.join(", ")} for ${types.length === 0 ? "any type" : "terraform and live types"}`);
  for (const group of twinGroups(rule.condition)) reasons.push(`tests ${group.join(" and ")} alike`);
  return reasons;
}

type Node = Readonly<Record<string, unknown>>;

function isNode(value: unknown): value is Node {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function nativePaths(condition: unknown): string[] {
  if (Array.isArray(condition)) return condition.flatMap(nativePaths);
  if (!isNode(condition)) return [];
  if (typeof condition.field === "string") return condition.field.startsWith("native.") ? [condition.field] : [];
  return [condition.all, condition.any, condition.not].flatMap(nativePaths);
}

/** Native paths of one group's field tests that share operator and value. */
function twinGroups(condition: unknown): string[][] {
  if (Array.isArray(condition)) return condition.flatMap(twinGroups);
  if (!isNode(condition)) return [];
  const groups: string[][] = [];
  for (const list of [condition.all, condition.any]) {
    if (!Array.isArray(list)) continue;
    const byTest = new Map<string, string[]>();
    for (const child of list) {
      if (!isNode(child) || typeof child.field !== "string" || !child.field.startsWith("native.")) continue;
      const { field, ...test } = child;
      byTest.set(JSON.stringify(test), [...(byTest.get(JSON.stringify(test)) ?? []), field]);
    }
    for (const fields of byTest.values()) if (new Set(fields).size > 1) groups.push(fields);
  }
  return [...groups, ...[condition.all, condition.any, condition.not].flatMap(twinGroups)];
}
