import type { ParseArgsOptionsConfig } from "node:util";
import { AigovError } from "@aigov/core/errors";
import { fitText, wrap, wrapLine } from "./text-wrap.ts";
import { type Command, GLOBAL_OPTIONS, type OptionSpec, type OptionTable } from "./command.ts";

/** The flags a command parses: its own table over the global one (a command may describe `--format` for itself). */
export function commandOptions(command: Command, more: OptionTable | undefined): OptionTable {
  return { ...GLOBAL_OPTIONS, ...command.options, ...more };
}

/** The table as `node:util` parseArgs reads it. */
export function parserConfig(table: OptionTable): ParseArgsOptionsConfig {
  const config: ParseArgsOptionsConfig = {};
  for (const [name, spec] of Object.entries(table))
    config[name] = {
      type: spec.type,
      ...(spec.short === undefined ? {} : { short: spec.short }),
      ...(spec.multiple === true ? { multiple: true } : {}),
    };
  return config;
}

/**
 * parseArgs' own errors as one line: the flag, and the command's flags (its message quotes the flag with an
 * unclosed quote and tells about `--`, which nobody asked about).
 */
export function argumentError(command: Command, table: OptionTable, error: unknown): AigovError {
  const code = (error as NodeJS.ErrnoException).code;
  const message = error instanceof Error ? error.message : String(error);
  const flag = /'(-[^' ]+)/.exec(message)?.[1];
  const see = `see 'aigov help ${command.name}'`;
  if (code === "ERR_PARSE_ARGS_UNKNOWN_OPTION" && flag !== undefined) {
    const names = Object.keys(table).filter((name) => name !== "help");
    const near = closest(flag.replace(/^-+/, "").split("=")[0]!, names);
    return new AigovError(
      "CLI_UNKNOWN_FLAG",
      `${command.name}: unknown flag ${flag}${near === undefined ? "" : ` (did you mean --${near}?)`}; its flags: ${names.map((name) => `--${name}`).join(" ")}; ${see}`,
    );
  }
  if (code === "ERR_PARSE_ARGS_INVALID_OPTION_VALUE" && flag !== undefined) {
    const name = flag.replace(/^-+/, "");
    const spec = table[name] ?? Object.values(table).find((candidate) => `-${candidate.short}` === flag);
    const wanted =
      spec?.type === "string" ? `a value, e.g. ${flag} ${spec.example ?? "VALUE"}` : "no value (it is a switch)";
    return new AigovError("CLI_BAD_ARGUMENTS", `${command.name}: ${flag} takes ${wanted}; ${see}`);
  }
  return new AigovError("CLI_BAD_ARGUMENTS", `${command.name}: ${message.replace(/\s+/g, " ")}; ${see}`);
}

/** The name within two edits of `wanted`, for a typo. */
function closest(wanted: string, names: readonly string[]): string | undefined {
  let best: { name: string; distance: number } | undefined;
  for (const name of names) {
    const distance = editDistance(wanted, name);
    if (distance <= 2 && (best === undefined || distance < best.distance)) best = { name, distance };
  }
  return best?.name;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++)
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    previous = current;
  }
  return previous[b.length]!;
}

/** `aigov <command> --help`: synopsis, description, subcommands, flags, examples, exit codes; fitted to `width`. */
export function renderHelp(
  command: Command,
  more: { readonly title: string; readonly options: OptionTable } | undefined,
  width: number,
): string {
  const own = { ...command.options };
  const global: Record<string, OptionSpec> = {};
  for (const [name, spec] of Object.entries(GLOBAL_OPTIONS))
    if (own[name] === undefined) global[name] = spec;
    else own[name] = { ...spec, ...own[name] };
  const tables = [
    ["Options", own],
    ...(more === undefined ? [] : [[more.title, more.options] as const]),
    ["Global options", global],
  ] as const;
  // One left column for every table, so the descriptions line up down the page.
  const left = Math.max(
    ...tables.map(([, table]) => Object.values(optionForms(table)).reduce((a, b) => Math.max(a, b.length), 0)),
  );
  const sections = [wrap(command.summary, width), `Usage:\n${fitText(indent(command.usage), width)}`];
  if (command.description !== undefined) sections.push(wrap(command.description, width));
  if (command.subcommands !== undefined)
    sections.push(`Subcommands:\n${twoColumns(Object.entries(command.subcommands), width)}`);
  for (const [title, table] of tables)
    if (Object.keys(table).length > 0) sections.push(`${title}:\n${optionRows(table, width, left)}`);
  sections.push(`Examples:\n${command.examples.map((example) => `  ${example}`).join("\n")}`);
  sections.push(
    `Exit codes:\n${twoColumns(
      command.exitCodes.map(([code, meaning]) => [String(code), meaning]),
      width,
    )}`,
  );
  return `${sections.join("\n\n")}\n`;
}

/** Each flag as it is typed (with its example value), then its description, default and whether it repeats. */
export function optionRows(table: OptionTable, width: number, left?: number): string {
  const forms = optionForms(table);
  return twoColumns(
    Object.entries(table).map(([name, spec]) => {
      const form = forms[name]!;
      const notes = [
        spec.default === undefined ? "" : `default: ${spec.default}`,
        spec.multiple === true ? "repeatable" : "",
      ].filter((note) => note !== "");
      return [form, notes.length === 0 ? spec.description : `${spec.description} (${notes.join("; ")})`];
    }),
    width,
    left,
  );
}

/** Each flag as typed: `-o, --output result.json`. */
function optionForms(table: OptionTable): Record<string, string> {
  const forms: Record<string, string> = {};
  for (const [name, spec] of Object.entries(table)) {
    const flag = `${spec.short === undefined ? "    " : `-${spec.short}, `}--${name}`;
    forms[name] = spec.type === "boolean" ? flag : `${flag} ${spec.example ?? "VALUE"}`;
  }
  return forms;
}

/** Left column padded to its widest entry (at most 34), right column wrapped under itself. */
export function twoColumns(rows: readonly (readonly [string, string])[], width: number, keyWidth?: number): string {
  const left = Math.min(30, keyWidth ?? Math.max(0, ...rows.map(([key]) => key.length))) + 4;
  const right = Math.max(30, width - left);
  return rows
    .map(([key, text]) => {
      const lines = wrapLine(text, right);
      const first =
        key.length + 4 > left ? [`  ${key}`, ...lines] : [`  ${key.padEnd(left - 2)}${lines.shift() ?? ""}`, ...lines];
      return first.map((line, index) => (index === 0 ? line : `${" ".repeat(left)}${line}`.trimEnd())).join("\n");
    })
    .join("\n");
}

function indent(text: string): string {
  return text
    .split("\n")
    .map((line) => `  ${line}`)
    .join("\n");
}

/** `aigov rules` alone: what the group holds. */
export function subcommandList(command: Command): string {
  const rows = Object.entries(command.subcommands ?? {}).map(
    ([name, text]) => [`${command.name} ${name}`, text] as const,
  );
  return `Usage: ${command.usage}\n\nSubcommands:\n${twoColumns(rows, 80)}\n\n'aigov help ${command.name}' lists the flags.`;
}
