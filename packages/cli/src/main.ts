#!/usr/bin/env node
import { parseArgs } from "node:util";
// Only the error type here: the engine, YAML and cloud SDKs load with the command that needs them.
import { AigovError, escapeControlCharacters, isAigovError } from "@aigov/core/errors";
import packageJson from "../package.json" with { type: "json" };
import {
  type Command,
  type CommandContext,
  GLOBAL_OPTIONS,
  type Io,
  type OptionValues,
  writeResult,
} from "./command.ts";
import { argumentError, commandOptions, optionRows, parserConfig, renderHelp, twoColumns } from "./help.ts";
import { jsonPieces } from "./json-text.ts";
import { checkOutputPath } from "./output-path.ts";
import { PLAIN, terminalFor } from "./terminal.ts";
import { fitText } from "./text-wrap.ts";

/** The streams, environment and directory `main` runs the CLI with: the type of its programmatic entry. */
export type { Io } from "./command.ts";

interface CommandEntry {
  readonly summary: string;
  /** Loaded only when the command runs, so `aigov --version` does not pay for cloud SDKs. */
  readonly load: () => Promise<{ command: Command }>;
}

/** The commands in the order a new user meets them, grouped by the job they do. */
const COMMAND_GROUPS: readonly { readonly title: string; readonly commands: Record<string, CommandEntry> }[] = [
  {
    title: "Find AI in the cloud",
    commands: {
      sweep: {
        summary: "scan the configured clouds for AI, judge and record it",
        load: () => import("./commands/sweep.ts"),
      },
      demo: {
        summary: "sweep a built-in simulated organization (no cloud account needed)",
        load: () => import("./commands/demo.ts"),
      },
      logs: {
        summary: "AI API calls from logs (CloudTrail, Azure, GCP audit) and log-rule findings",
        load: () => import("./commands/logs.ts"),
      },
    },
  },
  {
    title: "Read what the sweeps found",
    commands: {
      findings: {
        summary: "findings from the sweep history, with their lifecycle",
        load: () => import("./commands/findings.ts"),
      },
      inventory: {
        summary: "the AI assets and keys found by sweeps (AI bill of materials)",
        load: () => import("./commands/inventory.ts"),
      },
      report: {
        summary: "a self-contained HTML report of inventory, findings, coverage and trends",
        load: () => import("./commands/report.ts"),
      },
      export: {
        summary: "findings as OCSF/ASFF/ECS/CEF/syslog/SARIF/JUnit, the AI-BOM as CycloneDX; deliver to SIEM sinks",
        load: () => import("./commands/export.ts"),
      },
    },
  },
  {
    title: "Stop ungoverned AI before it is deployed",
    commands: {
      gate: {
        summary:
          "judge a terraform/OpenTofu plan, cdktf synth, CloudFormation or ARM template; exit 1 when it adds ungoverned AI",
        load: () => import("./commands/gate.ts"),
      },
      serve: {
        summary: "serve an HCP Terraform / Terraform Enterprise run task endpoint",
        load: () => import("./commands/serve.ts"),
      },
    },
  },
  {
    title: "Rules and testing",
    commands: {
      rules: { summary: "list, validate and test rules", load: () => import("./commands/rules.ts") },
      sim: {
        summary: "run the simulated cloud from a world file (AWS wire protocols) for manual use",
        load: () => import("./commands/sim.ts"),
      },
    },
  },
];

const COMMANDS: Record<string, CommandEntry> = Object.assign({}, ...COMMAND_GROUPS.map((group) => group.commands));

/** `aigov --help`: laid out when asked for, not at every command's start. */
const usage = (): string => `aigov ${packageJson.version}: find and govern AI in the cloud

Usage: aigov <command> [options]
       aigov help <command>

${COMMAND_GROUPS.map(
  (group) =>
    `${group.title}:\n${twoColumns(
      Object.entries(group.commands).map(([name, entry]) => [name, entry.summary]),
      80,
      12,
    )}`,
).join("\n\n")}

Global options (every command):
${optionRows({ ...GLOBAL_OPTIONS, version: { type: "boolean", description: "the version and the digest of the default rule pack" } }, 80)}

Exit codes: 0 ok, 1 blocked by policy (findings at or above the threshold),
2 could not run.
'aigov help <command>' shows a command's flags, examples and exit codes.`;

/** The one place where outcomes become exit codes. */
export async function main(argv: readonly string[], io: Io): Promise<number> {
  try {
    return await dispatch(argv, io);
  } catch (error) {
    if (isAigovError(error)) {
      io.stderr.write(`aigov: ${error.format()}\n`);
      return error.exitCode;
    }
    io.stderr.write(`aigov: internal error: ${internalErrorText(error)}\n`);
    return 2;
  }
}

/** The message (escaped: it may quote anything) and the stack frames, for a bug report. */
function internalErrorText(error: unknown): string {
  if (!(error instanceof Error)) return escapeControlCharacters(String(error));
  const frames = (error.stack ?? "").split("\n").filter((line) => /^\s+at /.test(line));
  return [escapeControlCharacters(error.message), ...frames].join("\n");
}

async function dispatch(argv: readonly string[], io: Io): Promise<number> {
  const [name, ...rest] = argv;
  if (name === "--version" || name === "-v") {
    const { builtRulePack, defaultRulesDir } = await import("@aigov/core");
    // A bundle judges with the pack checked when it was built, and says so; from the sources, the files are hashed.
    const built = builtRulePack();
    const pack =
      built === undefined
        ? (await import("./rule-pack-digest.ts")).rulePackDigest(defaultRulesDir())
        : { digest: built.digest, files: built.files.length };
    io.stdout.write(`${packageJson.version}\nrule pack ${pack.digest} (${pack.files} rules in ${defaultRulesDir()})\n`);
    return 0;
  }
  if (name === "help" && rest.length > 0) return dispatch([rest[0]!, "--help"], io);
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    (name === undefined ? io.stderr : io.stdout).write(`${usage()}\n`);
    return name === undefined ? 2 : 0;
  }
  const entry = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (entry === undefined) {
    throw new AigovError("CLI_UNKNOWN_COMMAND", `unknown command '${name}'`, {
      hint: `the commands: ${Object.keys(COMMANDS).join(", ")}; 'aigov --help' says what each does`,
    });
  }
  const { command } = await entry.load();
  const more = await command.moreOptions?.();
  const table = commandOptions(command, more?.options);
  let parsed: { values: OptionValues; positionals: string[] };
  try {
    parsed = parseArgs({ args: [...rest], options: parserConfig(table), allowPositionals: true, strict: true });
  } catch (error) {
    throw argumentError(command, table, error);
  }
  if (parsed.values.help === true) {
    io.stdout.write(renderHelp(command, more, helpWidth(io)));
    return 0;
  }
  const context = createContext(parsed.values, parsed.positionals, io);
  const output = parsed.values.output;
  if (typeof output === "string") checkOutputPath(output, io.cwd);
  return command.run(context);
}

/** The terminal's width when help goes to one (at most 100 columns: long lines read badly), else 80. */
function helpWidth(io: Io): number {
  const columns = (io.stdout as { columns?: number }).columns;
  return io.stdout.isTTY === true && columns !== undefined ? Math.min(columns, 100) : 80;
}

function createContext(options: OptionValues, positionals: readonly string[], io: Io): CommandContext {
  const output = typeof options.output === "string" ? options.output : undefined;
  const noColor = options["no-color"] === true;
  const err = terminalFor(io.stderr, io.env, noColor);
  return {
    positionals,
    options,
    io,
    out: output === undefined || output === "-" ? terminalFor(io.stdout, io.env, noColor) : PLAIN,
    err,
    message: (text) => {
      const fitted = fitText(text.endsWith("\n") ? text.slice(0, -1) : text, err.width);
      io.stderr.write(`${fitted}\n`);
    },
    result: (text) => writeResult(io, output, text),
    resultJson: (value) => writeResult(io, output, jsonPieces(value)),
    stringOption(name, allowed) {
      const value = options[name];
      if (value === undefined) return undefined;
      if (typeof value !== "string") throw new AigovError("CLI_BAD_ARGUMENTS", `--${name} needs a value`);
      if (allowed !== undefined && !allowed.includes(value)) {
        throw new AigovError("CLI_BAD_ARGUMENTS", `--${name} ${value} is not one of: ${allowed.join(", ")}`);
      }
      return value;
    },
    ruleDirs() {
      const value = options.rules;
      return Array.isArray(value) ? value.map(String) : typeof value === "string" ? [value] : [];
    },
  };
}

/** Runs the CLI in this process: arguments, streams and exit code. */
export async function runMain(): Promise<void> {
  // A reader that stops early (`aigov export | head`) closes the pipe: say so and stop, without a stack trace. The
  // exit code is 2, never 0: a gate whose verdict could not be written has not passed.
  process.stdout.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code !== "EPIPE") throw error;
    process.stderr.write("aigov: the output was closed before it was fully written\n");
    process.exit(2);
  });
  process.exitCode = await main(process.argv.slice(2), {
    stdout: process.stdout,
    stderr: process.stderr,
    // Built only when a command reads it (an input of `-`): creating the stream costs every other run milliseconds.
    get stdin() {
      return process.stdin;
    },
    env: process.env,
    cwd: process.cwd(),
  });
}

if (import.meta.main) await runMain();
