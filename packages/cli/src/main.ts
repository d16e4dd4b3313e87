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
import { jsonPieces } from "./json-text.ts";

/** The streams, environment and directory `main` runs the CLI with: the type of its programmatic entry. */
export type { Io } from "./command.ts";

interface CommandEntry {
  readonly summary: string;
  /** Loaded only when the command runs, so `aigov --version` does not pay for cloud SDKs. */
  readonly load: () => Promise<{ command: Command }>;
}

const COMMANDS: Record<string, CommandEntry> = {
  rules: { summary: "list, validate and test rules", load: () => import("./commands/rules.ts") },
  export: {
    summary: "findings as OCSF/ASFF/ECS/CEF/syslog/SARIF, the AI-BOM as CycloneDX; deliver to SIEM sinks",
    load: () => import("./commands/export.ts"),
  },
  logs: {
    summary: "AI API calls from logs (CloudTrail, Azure, GCP audit) and log-rule findings",
    load: () => import("./commands/logs.ts"),
  },
  sweep: {
    summary: "scan the configured clouds for AI, judge and record it",
    load: () => import("./commands/sweep.ts"),
  },
  inventory: {
    summary: "the AI assets and keys found by sweeps (AI bill of materials)",
    load: () => import("./commands/inventory.ts"),
  },
  findings: {
    summary: "findings from the sweep history, with their lifecycle",
    load: () => import("./commands/findings.ts"),
  },
  demo: {
    summary: "sweep a built-in simulated organization (no cloud account needed)",
    load: () => import("./commands/demo.ts"),
  },
  report: {
    summary: "a self-contained HTML report of inventory, findings, coverage and trends",
    load: () => import("./commands/report.ts"),
  },
  gate: {
    summary: "judge a terraform/OpenTofu plan or cdktf synth; exit 1 when it adds ungoverned AI",
    load: () => import("./commands/gate.ts"),
  },
  serve: {
    summary: "serve an HCP Terraform / Terraform Enterprise run task endpoint",
    load: () => import("./commands/serve.ts"),
  },
  sim: {
    summary: "run the simulated cloud from a world file (AWS wire protocols) for manual use",
    load: () => import("./commands/sim.ts"),
  },
};

const USAGE = `aigov ${packageJson.version}: find and govern AI in the cloud

Usage: aigov <command> [options]

Commands:
${Object.entries(COMMANDS)
  .map(([name, entry]) => `  ${name.padEnd(12)}${entry.summary}`)
  .join("\n")}

Global options:
  -f, --format <fmt>   output format (text, json, … per command)
  -o, --output <file>  write the result to a file instead of stdout
  -p, --policy <file>  policy file (default: ./aigov.yaml when present, else the built-in default policy)
      --rules <dir>    extra rule directory on top of the default pack (repeatable)
      --no-color       no colour (also when NO_COLOR is set or output is not a terminal)
  -h, --help           help for a command
      --version        print the version and the digest of the default rule pack

Exit codes: 0 ok, 1 blocked by policy (findings at or above the threshold), 2 could not run.`;

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
    const { defaultRulesDir } = await import("@aigov/core");
    const { rulePackDigest } = await import("./rule-pack-digest.ts");
    const pack = rulePackDigest(defaultRulesDir());
    io.stdout.write(`${packageJson.version}\nrule pack ${pack.digest} (${pack.files} rules in ${defaultRulesDir()})\n`);
    return 0;
  }
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    (name === undefined ? io.stderr : io.stdout).write(`${USAGE}\n`);
    return name === undefined ? 2 : 0;
  }
  const entry = COMMANDS[name];
  if (entry === undefined) {
    throw new AigovError("CLI_UNKNOWN_COMMAND", `unknown command '${name}'`, {
      hint: `run 'aigov --help' for the commands`,
    });
  }
  const { command } = await entry.load();
  const more = await command.moreOptions?.();
  const usage = more === undefined ? command.usage : `${command.usage}\n\n${more.usage}`;
  let parsed: { values: OptionValues; positionals: string[] };
  try {
    parsed = parseArgs({
      args: [...rest],
      options: { ...GLOBAL_OPTIONS, ...command.options, ...more?.options },
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    throw new AigovError("CLI_BAD_ARGUMENTS", `${command.name}: ${(error as Error).message}`, {
      hint: `usage: ${usage}`,
    });
  }
  if (parsed.values.help === true) {
    io.stdout.write(`${command.summary}\n\nUsage: ${usage}\n`);
    return 0;
  }
  return command.run(createContext(parsed.values, parsed.positionals, io));
}

function createContext(options: OptionValues, positionals: readonly string[], io: Io): CommandContext {
  const color = io.stderr.isTTY === true && options["no-color"] !== true && io.env.NO_COLOR === undefined;
  const output = typeof options.output === "string" ? options.output : undefined;
  return {
    positionals,
    options,
    io,
    color,
    message: (text) => io.stderr.write(text.endsWith("\n") ? text : `${text}\n`),
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
    stdin: process.stdin,
    env: process.env,
    cwd: process.cwd(),
  });
}

if (import.meta.main) await runMain();
