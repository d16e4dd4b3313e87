import { dirname, resolve } from "node:path";
import { AigovError, type Policy } from "@aigov/core";
import { openStore, policyStore, type Retention, resolveStorePath, type Store, type StoreAccess } from "@aigov/store";
import type { CommandContext, OptionSpec } from "./command.ts";
import { countOf } from "./count-text.ts";

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
 * The store's path and retention, as `openConfiguredStore` resolves them (see there). Retention: the policy's
 * (its defaults are in store.schema.json), else the flags'.
 */
export function storeSettings(policy: Policy, flags: StoreFlags, env: NodeJS.ProcessEnv, cwd: string): StoreSettings {
  const fromPolicy = policyStore(policy);
  const keepRuns =
    flags.keepRuns === undefined ? fromPolicy.retention.keepRuns : positive("--keep-runs", flags.keepRuns);
  const keepDays =
    flags.keepDays === undefined ? fromPolicy.retention.keepDays : positive("--keep-days", flags.keepDays);
  const policyDir = policy.file === undefined ? cwd : resolve(cwd, dirname(policy.file));
  const path = resolveStorePath({
    flag: flags.store,
    policy: fromPolicy.path === undefined ? undefined : resolve(policyDir, fromPolicy.path),
    env,
  });
  return { path: resolve(cwd, path), retention: { keepRuns, keepDays } };
}

function positive(flag: string, text: string): number {
  const value = Number(text);
  if (Number.isInteger(value) && value > 0) return value;
  throw new AigovError("CLI_BAD_ARGUMENTS", `${flag} ${text}: expected a positive integer`);
}

/**
 * What `findings` or `inventory` says when it has nothing to list: how many, where, and when no sweep has been
 * recorded there at all (a store only `aigov logs` wrote, a mistyped --store), how to fill it.
 */
export function countNote(store: Store, count: number, singular: string, plural?: string): string {
  const said = `${countOf(count, singular, plural)} in ${store.path}`;
  if (count > 0 || store.latestRun() !== undefined) return said;
  return `${said}: no sweep is recorded there yet; run 'aigov sweep' first, or 'aigov demo' to try aigov on a simulated organization`;
}
