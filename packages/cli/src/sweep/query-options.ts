import { AigovError } from "@aigov/core";
import type { CommandContext } from "../command.ts";

/** Filters `aigov inventory` and `aigov findings` share; each takes repeated flags or comma lists. */
export const QUERY_OPTIONS = {
  store: { type: "string" },
  provider: { type: "string", multiple: true },
  account: { type: "string", multiple: true },
  kind: { type: "string", multiple: true },
} as const;

export function listOption(context: CommandContext, name: string, allowed?: readonly string[]): string[] | undefined {
  const value = context.options[name];
  if (value === undefined) return undefined;
  const items = (Array.isArray(value) ? value : [value])
    .flatMap((item) => String(item).split(","))
    .map((item) => item.trim())
    .filter(Boolean);
  for (const item of items) {
    if (allowed !== undefined && !allowed.includes(item))
      throw new AigovError("CLI_BAD_ARGUMENTS", `--${name} ${item} is not one of: ${allowed.join(", ")}`);
  }
  return items;
}
