import { closeSync, openSync, writeSync } from "node:fs";
import { resolve } from "node:path";
import type { FlagSpec } from "@aigov/scanner-kit";
import { outputPathError } from "./output-path.ts";
import type { Terminal } from "./terminal.ts";

/**
 * One flag of a command: the parser reads its type, `--help` its description, example value and default. A
 * scanner's flags (`FlagSpec`) are options of the same shape.
 */
export interface OptionSpec extends FlagSpec {
  readonly short?: string;
}

/** A command's flags by name (without the dashes): the one table the parser and `--help` both read. */
export type OptionTable = Readonly<Record<string, OptionSpec>>;

/** Options every command takes (DESIGN.md "Commands"); a command may describe `format` for itself. */
export const GLOBAL_OPTIONS = {
  format: { type: "string", short: "f", example: "json", description: "output format", default: "text" },
  output: {
    type: "string",
    short: "o",
    example: "result.json",
    description: "write the result to this file instead of stdout ('-' is stdout)",
  },
  policy: {
    type: "string",
    short: "p",
    example: "aigov.yaml",
    description: "policy file",
    default: "./aigov.yaml when present, else the built-in policy",
  },
  rules: {
    type: "string",
    multiple: true,
    example: "./my-rules",
    description: "a rule directory added to the default pack",
  },
  "no-color": { type: "boolean", description: "no colour (also with NO_COLOR set, or when not writing to a terminal)" },
  help: { type: "boolean", short: "h", description: "this help" },
} as const satisfies OptionTable;

export type OptionValues = Record<string, string | boolean | (string | boolean)[] | undefined>;

/** The exit codes of a command that has no verdict to give. */
export const PLAIN_EXIT_CODES: ExitCodes = [
  [0, "done"],
  [2, "could not run (bad arguments, input, policy, rules or store)"],
];

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
  /** The result's stream (stdout; plain when the result goes to an --output file): colour and width. */
  readonly out: Terminal;
  /** stderr, where messages and progress go: colour and width. */
  readonly err: Terminal;
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

/** What an exit code means for a command: `[[0, "…"], [2, "…"]]`. */
export type ExitCodes = readonly (readonly [0 | 1 | 2, string])[];

export interface Command {
  readonly name: string;
  readonly summary: string;
  /** The synopsis: `aigov gate <plan.json | -> [options]` (one line per form). */
  readonly usage: string;
  /** What `--help` says after the synopsis: what the command does, its defaults, its output. */
  readonly description?: string;
  /** Subcommands (`aigov rules list`) with what each does. */
  readonly subcommands?: Readonly<Record<string, string>>;
  readonly options?: OptionTable;
  /** Flags known only when the command runs (the installed scanners' flags), under their own heading. */
  readonly moreOptions?: () => Promise<{ readonly title: string; readonly options: OptionTable }>;
  /** Command lines to copy, each optionally followed by `  # what it does`. */
  readonly examples: readonly string[];
  /** The exit codes and what they mean; `--help` lists them. */
  readonly exitCodes: ExitCodes;
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
  let file: number;
  try {
    file = openSync(resolve(io.cwd, output), "w");
  } catch (error) {
    throw outputPathError(output, error);
  }
  try {
    for (const piece of pieces) writeSync(file, piece);
  } catch (error) {
    throw outputPathError(output, error);
  } finally {
    closeSync(file);
  }
}

function* withFinalLineBreak(pieces: Iterable<string>): Generator<string> {
  yield* pieces;
  yield "\n";
}
