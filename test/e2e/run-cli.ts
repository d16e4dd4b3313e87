import { spawn } from "node:child_process";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
/** Node 24 from the root devDependency: the CLI runs as users run it. */
export const NODE = join(REPO_ROOT, "node_modules/.bin/node");
export const CLI = join(REPO_ROOT, "packages/cli/bin/aigov.js");

export interface CliRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `aigov <args>` as a separate process, with optional stdin, and collects what a user would see. */
export function runCli(
  args: readonly string[],
  options: { stdin?: string | Buffer; cwd?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<CliRun> {
  return runProcess(NODE, [CLI, ...args], {
    ...options,
    cwd: options.cwd ?? REPO_ROOT,
    env: { ...process.env, NO_COLOR: "1", ...options.env },
  });
}

/**
 * This environment as a user's shell has it: without what the package manager running the tests adds (its npm_*
 * configuration, INIT_CWD, which would pass for the caller's directory) or the test runner's own variables.
 */
export function shellEnvironment(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  return Object.fromEntries(
    Object.entries(env).filter(([name]) => !/^(npm_|pnpm_|INIT_CWD$|VITEST|NODE_OPTIONS$)/i.test(name)),
  );
}

/** Runs a program to its end with optional stdin and collects its exit code and output. */
export function runProcess(
  command: string,
  args: readonly string[],
  options: { stdin?: string | Buffer; cwd?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<CliRun> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, env: options.env ?? process.env });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout.on("data", (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on("data", (chunk: Buffer) => stderr.push(chunk));
    child.on("error", reject);
    child.on("close", (code) =>
      resolvePromise({
        code,
        stdout: Buffer.concat(stdout).toString("utf8"),
        stderr: Buffer.concat(stderr).toString("utf8"),
      }),
    );
    child.stdin.end(options.stdin ?? "");
  });
}
