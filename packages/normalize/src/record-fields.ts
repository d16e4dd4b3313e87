import { sha256Hex } from "@aigov/core";

/** Reading loosely-typed JSON log records: each accessor returns undefined instead of throwing on a wrong shape. */
export type JsonObject = Readonly<Record<string, unknown>>;

export function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function objectAt(value: unknown, key: string): JsonObject | undefined {
  if (!isObject(value)) return undefined;
  const found = value[key];
  return isObject(found) ? found : undefined;
}

export function stringAt(value: unknown, key: string): string | undefined {
  if (!isObject(value)) return undefined;
  const found = value[key];
  return typeof found === "string" && found !== "" ? found : undefined;
}

/** A field that may hold an object or that object serialized as a JSON string (Azure `properties`, Athena columns). */
export function embeddedObject(value: unknown): JsonObject | undefined {
  if (isObject(value)) return value;
  if (typeof value !== "string" || value.length < 2 || value[0] !== "{") return undefined;
  try {
    const parsed: unknown = JSON.parse(value);
    return isObject(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Log times come as ISO-8601, as `2025-01-21 17:39:10.000000000` (Panther, Athena), as
 * `2025-01-21 17:39:10 UTC` (BigQuery) or as epoch seconds; all become ISO-8601 UTC.
 */
export function isoTime(value: unknown): string | undefined {
  if (typeof value === "number" && Number.isFinite(value))
    return new Date(value > 1e12 ? value : value * 1000).toISOString();
  if (typeof value !== "string" || value === "") return undefined;
  if (/^\d+(\.\d+)?$/.test(value)) return isoTime(Number(value));
  let text = value.trim().replace(/ UTC$/, "Z");
  if (/^\d{4}-\d{2}-\d{2} \d/.test(text)) text = text.replace(" ", "T");
  // Date cannot read more than millisecond precision.
  text = text.replace(/(\.\d{3})\d+/, "$1");
  if (/T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(text)) text += "Z";
  const time = Date.parse(text);
  return Number.isNaN(time) ? undefined : new Date(time).toISOString();
}

/** An event id for records that carry none: a hash of the record, so the same record always gets the same id. */
export function contentId(record: unknown): string {
  return sha256Hex(JSON.stringify(record)).slice(0, 32);
}
