import type { SQLOutputValue } from "node:sqlite";
import { AigovError } from "@aigov/core";

/** One row as node:sqlite returns it. */
export type Row = Readonly<Record<string, SQLOutputValue>>;

/*
 * Typed reads of a row's columns. The store's own schema decides what each column holds, so a value of another type
 * means something else wrote to the file: it is reported, never passed on as the wrong type.
 */

export function text(row: Row, column: string): string {
  const value = row[column];
  if (typeof value === "string") return value;
  throw unexpected(column, value, "text");
}

/** A nullable text column: null (or a column the query did not select) is undefined. */
export function optionalText(row: Row, column: string): string | undefined {
  const value = row[column];
  return value === null || value === undefined ? undefined : text(row, column);
}

export function integer(row: Row, column: string): number {
  const value = row[column];
  if (typeof value === "number" || typeof value === "bigint") return Number(value);
  throw unexpected(column, value, "an integer");
}

export function optionalInteger(row: Row, column: string): number | undefined {
  const value = row[column];
  return value === null || value === undefined ? undefined : integer(row, column);
}

/** A text column holding one of a closed set of values (a status, a provider …). */
export function oneOf<T extends string>(row: Row, column: string, values: readonly T[]): T {
  const value = text(row, column);
  const known = values.find((item) => item === value);
  if (known !== undefined) return known;
  throw unexpected(column, value, values.join(" | "));
}

function unexpected(column: string, value: unknown, expected: string): AigovError {
  const found = value === undefined ? "nothing" : typeof value === "string" ? `'${value.slice(0, 40)}'` : typeof value;
  return new AigovError("STORE_CORRUPT", `the store's column ${column} holds ${found}, not ${expected}`, {
    hint: "the file was changed by something other than aigov; restore it from a backup or start a new store",
  });
}
