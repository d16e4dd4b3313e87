import { AigovError } from "@aigov/core";
import type { Store } from "@aigov/store";
import { STORE_OPTION } from "../configured-store.ts";
import type { CommandContext, OptionTable } from "../command.ts";

/** Filters `aigov inventory` and `aigov findings` share; each takes repeated flags or comma lists. */
export const QUERY_OPTIONS = {
  format: { type: "string", short: "f", example: "json", description: "text or json", default: "text" },
  store: STORE_OPTION,
  provider: { type: "string", multiple: true, example: "aws,azure", description: "only these clouds" },
  account: {
    type: "string",
    multiple: true,
    example: "111122223333",
    description: "only these accounts, subscriptions or projects",
  },
  kind: { type: "string", multiple: true, example: "endpoint,model", description: "only these kinds of asset" },
} as const satisfies OptionTable;

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

/** `--run N` or `--run latest`: a run recorded in the store, by its number. */
export function runId(store: Store, text: string): number {
  const run = text === "latest" ? store.latestRun() : /^\d+$/.test(text) ? store.run(Number(text)) : undefined;
  if (run === undefined || !Number.isInteger(run.id)) {
    throw new AigovError(
      "STORE_NO_SUCH_RUN",
      `no ${text === "latest" ? "finished run" : `run ${text}`} in ${store.path}`,
      { hint: "see the runs with 'aigov report', or omit --run" },
    );
  }
  return run.id;
}
