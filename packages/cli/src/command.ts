import { closeSync, openSync, writeSync } from "node:fs";
import type { ParseArgsOptionsConfig } from "node:util";

/** Options every command takes (DESIGN.md "Commands"). */
export const GLOBAL_OPTIONS = {
  format: { type: "string", short: "f" },
  output: { type: "string", short: "o" },
  policy: { type: "string", short: "p" },
  rules: { type: "string", multiple: true },
  "no-color": { type: "boolean" },
  help: { type: "boolean", short: "h" },
} as const satisfies ParseArgsOptionsConfig;

export type OptionValues = Record<string, string | boolean | (string | boolean)[] | undefined>;

export interface Io {
  readonly stdout: NodeJS.WritableStream & { isTTY?: boolean };
  readonly stderr: NodeJS.WritableStream & { isTTY?: boolean };
  readonly stdin: NodeJS.ReadableStream;
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
}

export interface CommandContext {
  readonly positionals: readonly string[];
  readonly options: OptionValues;
  readonly io: Io;
  /** Colour only on a terminal, and never with --no-color or NO_COLOR. */
  readonly color: boolean;
  /** A message for people: stderr. */
  message(text: string): void;
  /** The machine-readable result: stdout, or the --output file. */
  result(text: string): Promise<void>;
  /** A JSON result, as `JSON.stringify(value, null, 2)` writes it, written piece by piece. */
  resultJson(value: unknown): Promise<void>;
  /** An option's string value, validated against allowed values when given. */
  stringOption(name: string, allowed?: readonly string[]): string | undefined;
  /** Extra rule directories from --rules. */
  ruleDirs(): string[];
}

export interface Command {
  readonly name: string;
  readonly summary: string;
  readonly usage: string;
  readonly options?: ParseArgsOptionsConfig;
  /**
   * Options and usage known only when the command runs (the installed scanners' flags), added to `options` and
   * `usage`.
   */
  readonly moreOptions?: () => Promise<{ readonly options: ParseArgsOptionsConfig; readonly usage: string }>;
  /** Returns the exit code: 0 ok, 1 policy violations, 2 could not run (thrown AigovErrors map to 2). */
  run(context: CommandContext): Promise<number>;
}

/** Writes a result (text, or the pieces of one) to stdout or the --output file, ending in a line break. */
export async function writeResult(
  io: Io,
  output: string | undefined,
  result: string | Iterable<string>,
): Promise<void> {
  const pieces =
    typeof result === "string"
      ? [result.endsWith("\n") || result === "" ? result : `${result}\n`]
      : withFinalLineBreak(result);
  if (output === undefined || output === "-") {
    for (const piece of pieces)
      await new Promise<void>((resolve, reject) =>
        io.stdout.write(piece, (error) => (error ? reject(error) : resolve())),
      );
    return;
  }
  // Synchronous: the command has nothing else to do, and a result of megabytes would otherwise take a thread-pool
  // round trip per piece.
  const file = openSync(output, "w");
  try {
    for (const piece of pieces) writeSync(file, piece);
  } finally {
    closeSync(file);
  }
}

function* withFinalLineBreak(pieces: Iterable<string>): Generator<string> {
  yield* pieces;
  yield "\n";
}
