import { createHash } from "node:crypto";
import type { Finding } from "@aigov/core";

/**
 * A hash of what a SIEM would see change in a finding: everything but `observedAt`, which moves on every run.
 * Equal hashes mean "unchanged since the last export"; keys are sorted so the hash does not depend on key order.
 */
export function findingHash(finding: Finding): string {
  const { observedAt: _observedAt, ...content } = finding;
  return createHash("sha256").update(canonicalJson(content)).digest("hex");
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, item]) => item !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}
