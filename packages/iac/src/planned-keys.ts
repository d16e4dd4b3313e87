import { type Key, screenSubject } from "@aigov/core";
import type { PlannedSubject } from "./normalize.ts";

/**
 * A planned subject with the AI keys in its values redacted, followed by one planned Key per key (the secret
 * screen the scanners use). Plan JSON holds every value in clear, so a key in a SageMaker container's environment or
 * an agent's instruction would otherwise reach the gate's output, a PR comment or a SARIF upload.
 */
export function plannedWithKeys(subject: PlannedSubject): PlannedSubject[] {
  const [screened, ...keys] = screenSubject(subject);
  return [screened, ...keys.map(keyChange)];
}

/**
 * An update introduces a key only when it changes the attribute holding it; otherwise the key was there before the
 * plan, like any finding on an update that the change does not touch.
 */
function keyChange(key: Key): Key {
  const change = key.change;
  if (change?.action !== "update") return key;
  const attribute = topAttribute(String(key.native.field ?? ""));
  const introduced = change.changedAttributes.includes(attribute);
  return { ...key, change: { ...change, action: introduced ? "create" : "no-op", changedAttributes: [] } };
}

/** `primary_container[0].environment.X` → `primary_container`; `["a.b"].c` → `a.b`. */
function topAttribute(field: string): string {
  const quoted = /^\[("(?:[^"\\]|\\.)*")\]/.exec(field);
  if (quoted !== null) return JSON.parse(quoted[1]!) as string;
  return /^[^.[]*/.exec(field)![0];
}
