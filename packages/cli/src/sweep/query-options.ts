import { AigovError } from "@aigov/core";
import type { CommandContext } from "../command.ts";

/** Filters `aigov inventory` and `aigov findings` share; each takes repeated flags or comma lists. */
export const QUERY_OPTIONS = {
  store: { type: "string" },
  provider: { type: "string", multiple: true },
  account: { type: "string", multiple: true },
  kind: { type: "string", multiple: true },
} as const;

/** A repeatable, comma-separated option's values; with `allowed`, each must be one of them. */
export function listOption(context: CommandContext, name: string): string[] | undefined;
export function listOption<T extends string>(
  context: CommandContext,
  name: string,
  allowed: readonly T[],
): T[] | undefined;
export function listOption(context: CommandContext, name: string, allowed?: readonly string[]): string[] | undefined {
  const value = context.options[name];
  if (value === undefined) return undefined;
  const items = (Array.isArray(value) ? value : [value])
    .flatMap((item) => String(item).split(","))
    .map((item) => item.trim())
    .filter(Boolean);
  if (allowed === undefined) return items;
  return items.map((item) => {
    const known = allowed.find((candidate) => candidate === item);
    if (known === undefined)
      throw new AigovError("CLI_BAD_ARGUMENTS", `--${name} ${item} is not one of: ${allowed.join(", ")}`);
    return known;
  });
}
