import { dirname, resolve } from "node:path";
import { AigovError, type Policy } from "@aigov/core";
import { openStore, type Retention, resolveStorePath, type Store, type StoreAccess } from "@aigov/store";
import type { CommandContext, OptionSpec } from "./command.ts";

export interface StoreSettings {
  /** Absolute. */
  readonly path: string;
  readonly retention: Retention;
}

/** `--store`, as every command that reads or writes the history takes it. */
export const STORE_OPTION = {
  type: "string",
  example: "aigov.db",
  description: "the history store (SQLite)",
  default: "AIGOV_STORE, else the policy's store:, else ~/.local/state/aigov/aigov.db",
} as const satisfies OptionSpec;

/** What a command was told about its store on the command line. */
export interface StoreFlags {
  /** `--store FILE`: relative to the working directory. */
  readonly store?: string | undefined;
  readonly keepRuns?: string | undefined;
  readonly keepDays?: string | undefined;
}

/** A store opened for a command, with the retention its policy and flags ask for. */
export interface ConfiguredStore {
  readonly store: Store;
  readonly retention: Retention;
}

/**
 * The store every command uses: `--store`, else `AIGOV_STORE` (both relative to the working directory), else the
 * policy's `store:` (a path, or `{ path, keep_runs, keep_days }`; a relative path is relative to the policy file's
 * directory, as paths in terraform and kubectl configuration are), else the user's state directory.
 * `access` says what the command does with it: `create` (sweep, demo, logs: the file is made when missing),
 * `write` (an existing store), `read` (findings, inventory, report, export: an existing store, opened read-only;
 * a missing one is STORE_NOT_FOUND, exit 2).
 */
export function openConfiguredStore(
  context: CommandContext,
  policy: Policy,
  access: StoreAccess,
  flags: StoreFlags = { store: context.stringOption("store") },
): ConfiguredStore {
  const settings = storeSettings(policy, flags, context.io.env, context.io.cwd);
  return { store: openStore(settings.path, { access }), retention: settings.retention };
}

/**
 * The store's path and retention, as `openConfiguredStore` resolves them (see there).
 * Default retention: the newest 200 runs and 400 days, whichever keeps less.
 */
export function storeSettings(policy: Policy, flags: StoreFlags, env: NodeJS.ProcessEnv, cwd: string): StoreSettings {
  const raw = policy.store;
  const fail = (path: (string | number)[], message: string): never => {
    const position = policy.locate(["store", ...path]);
    throw new AigovError(
      "STORE_SETTINGS_INVALID",
      `store${path.map((p) => `.${p}`).join("")}: ${message}`,
      position === undefined ? {} : { position },
    );
  };
  let policyPath: string | undefined;
  let keepRuns: number | undefined = 200;
  let keepDays: number | undefined = 400;
  if (typeof raw === "string") policyPath = raw;
  else if (raw !== undefined && raw !== null) {
    if (typeof raw !== "object" || Array.isArray(raw))
      fail([], "must be a file path or { path, keep_runs, keep_days }");
    for (const [key, value] of Object.entries(raw)) {
      if (key === "path") policyPath = typeof value === "string" ? value : fail(["path"], "must be a string");
      else if (key === "keep_runs") keepRuns = positive(value) ?? fail(["keep_runs"], "must be a positive integer");
      else if (key === "keep_days") keepDays = positive(value) ?? fail(["keep_days"], "must be a positive integer");
      else fail([key], `unknown key '${key}' (allowed: path, keep_runs, keep_days)`);
    }
  }
  if (flags.keepRuns !== undefined)
    keepRuns = positive(Number(flags.keepRuns)) ?? flagError("--keep-runs", flags.keepRuns);
  if (flags.keepDays !== undefined)
    keepDays = positive(Number(flags.keepDays)) ?? flagError("--keep-days", flags.keepDays);
  const policyDir = policy.file === undefined ? cwd : resolve(cwd, dirname(policy.file));
  const path = resolveStorePath({
    flag: flags.store,
    policy: policyPath === undefined ? undefined : resolve(policyDir, policyPath),
    env,
  });
  return { path: resolve(cwd, path), retention: { keepRuns, keepDays } };
}

function positive(value: unknown): number | undefined {
  return typeof value === "number" && Number.isInteger(value) && value > 0 ? value : undefined;
}

function flagError(flag: string, value: string): never {
  throw new AigovError("CLI_BAD_ARGUMENTS", `${flag} ${value}: expected a positive integer`);
}
