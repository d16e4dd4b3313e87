import { existsSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { AigovError, type Policy } from "@aigov/core";
import { openStore, type Retention, resolveStorePath, type Store } from "@aigov/store";

export interface StoreSettings {
  readonly path: string;
  readonly retention: Retention;
}

/**
 * The store's path and retention from `--store` / `AIGOV_STORE` / the policy's `store: { path, keep_runs, keep_days }`
 * (path relative to the policy file), then the user's state directory.
 * Default retention: the newest 200 runs and 400 days, whichever keeps less.
 */
export function storeSettings(
  policy: Policy,
  flags: { store?: string; keepRuns?: string; keepDays?: string },
  env: NodeJS.ProcessEnv,
  cwd: string,
): StoreSettings {
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
    const section = raw as Record<string, unknown>;
    for (const key of Object.keys(section))
      if (!["path", "keep_runs", "keep_days"].includes(key))
        fail([key], `unknown key '${key}' (allowed: path, keep_runs, keep_days)`);
    if (section.path !== undefined)
      policyPath = typeof section.path === "string" ? section.path : fail(["path"], "must be a string");
    if (section.keep_runs !== undefined)
      keepRuns = positive(section.keep_runs) ?? fail(["keep_runs"], "must be a positive integer");
    if (section.keep_days !== undefined)
      keepDays = positive(section.keep_days) ?? fail(["keep_days"], "must be a positive integer");
  }
  if (flags.keepRuns !== undefined)
    keepRuns = positive(Number(flags.keepRuns)) ?? flagError("--keep-runs", flags.keepRuns);
  if (flags.keepDays !== undefined)
    keepDays = positive(Number(flags.keepDays)) ?? flagError("--keep-days", flags.keepDays);
  const base = policy.file === undefined ? cwd : dirname(policy.file);
  const path = resolveStorePath({
    flag: flags.store,
    policy: policyPath === undefined ? undefined : resolve(base, policyPath),
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

/** Opens the store for a command that only reads history: a missing file is a mistake to report, not a store to create. */
export function openExistingStore(path: string): Store {
  if (!existsSync(path)) {
    throw new AigovError("STORE_NOT_FOUND", `no store at ${path}`, {
      hint: "run 'aigov sweep' (or 'aigov demo --store FILE') first, or point --store / AIGOV_STORE at a store",
    });
  }
  return openStore(path);
}
