/** The Node flags `aigov sweep` runs with; see sweep-process.js for why each. */
export const SWEEP_NODE_FLAGS: readonly string[];
/** The flags a relaunch of `aigov sweep` adds, or undefined when none is needed; see sweep-process.js. */
export function sweepRelaunchFlags(
  args: readonly string[],
  execArgv: readonly string[],
  nodeOptions: string | undefined,
): string[] | undefined;
/** Replaces this process by one with the sweep's flags when it is `aigov sweep` and lacks them. */
export function relaunchSweepWithFlags(): void;
/** The environment a sweep runs with: `env` over the sweep's defaults (MALLOC_ARENA_MAX); see sweep-process.js. */
export function sweepEnvironment(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv;
