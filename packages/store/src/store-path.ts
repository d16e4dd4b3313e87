import { homedir } from "node:os";
import { join } from "node:path";

/** Where the store lives when a caller gave none of its own. */
export interface StorePathSources {
  /** `--store FILE` */
  readonly flag?: string | undefined;
  /** The policy file's `store:` value (already resolved against the policy file's directory). */
  readonly policy?: string | undefined;
  readonly env?: NodeJS.ProcessEnv;
}

/**
 * `--store` wins, then `AIGOV_STORE`, then the policy's `store:`, then the user's state directory
 * ($XDG_STATE_HOME/aigov/aigov.db, else ~/.local/state/aigov/aigov.db): run history is state, not config or cache.
 */
export function resolveStorePath(sources: StorePathSources = {}): string {
  const env = sources.env ?? process.env;
  if (sources.flag !== undefined && sources.flag !== "") return sources.flag;
  const fromEnv = env.AIGOV_STORE;
  if (fromEnv !== undefined && fromEnv !== "") return fromEnv;
  if (sources.policy !== undefined && sources.policy !== "") return sources.policy;
  return defaultStorePath(env);
}

export function defaultStorePath(env: NodeJS.ProcessEnv = process.env): string {
  const state =
    env.XDG_STATE_HOME !== undefined && env.XDG_STATE_HOME !== ""
      ? env.XDG_STATE_HOME
      : join(env.HOME ?? homedir(), ".local", "state");
  return join(state, "aigov", "aigov.db");
}
