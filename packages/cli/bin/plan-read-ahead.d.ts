/** The options of `aigov gate` that take a value (long, then short); see plan-read-ahead.js. */
export const GATE_VALUE_OPTIONS: readonly string[];
export const GATE_VALUE_SHORT_OPTIONS: readonly string[];
/** Plans from this size on are read ahead. */
export const READ_AHEAD_BYTES: number;
/** The one path `aigov gate …` names as its input in `args` (those after `aigov`), or undefined. */
export function gateInputArgument(args: readonly string[]): string | undefined;
/** Starts reading the large regular file the gate names in `args`: its absolute path and its bytes. */
export function startGateInputRead(
  args: readonly string[],
): { readonly path: string; readonly bytes: Promise<Buffer | undefined> } | undefined;
