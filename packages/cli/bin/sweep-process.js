// The Node flags `aigov sweep` runs with, and the relaunch that gives them. Plain JavaScript: bin/aigov.js decides
// before it loads anything else, and the sweep benchmark starts its scanner process with the same flags.
//
// A sweep keeps a few dozen requests in flight for minutes; each allocates its SDK objects, and those alive across
// two scavenges are promoted to the old generation, where V8, left to itself, lets garbage grow to about four times
// what is alive before it collects (a 100-account sweep peaked at 640–740 MiB RSS with ~100 MiB alive). Measured on
// the AWS sweep bench (test/bench/aws-sweep.bench.ts, docs/operations/README.md, "Memory and speed of a sweep"):
// - --max-semi-space-size: the young generation's two semi-spaces grow to 32 MiB each by default; at 8 MiB the
//   requests in flight still die young, and the young generation takes 48 MiB less.
// - --heap-growing-percent: the old generation is collected when it has grown by this share of what was alive after
//   the last collection, instead of up to 300 %; a soft bound, never an out-of-memory crash, unlike
//   --max-old-space-size.
// - --no-maglev: V8's mid-tier compiler built each SDK client class's configuration functions (getRuntimeConfig,
//   resolveRuntimeExtensions: one per client class, run as each target builds its clients) on up to four threads at
//   once, mid-sweep; their working memory, freed in the middle of glibc's heap, stayed in RSS (one jump of 25 MiB in
//   a 200-account `aigov sweep`). TurboFan still optimizes what is hot.
export const SWEEP_NODE_FLAGS = Object.freeze(["--max-semi-space-size=8", "--heap-growing-percent=20", "--no-maglev"]);

/**
 * The environment a sweep runs with, over the user's (a value the user set wins). MALLOC_ARENA_MAX: glibc gives each
 * thread that allocates (V8's GC and compiler threads, libuv's pool) an arena of its own, up to 8 per core, each
 * keeping its freed memory; two arenas held the same 100-account sweep at 194–197 MiB peak RSS instead of 211 (CPU
 * per call within noise; 1,000 accounts × 1 region: 211 either way). Other C libraries (musl) ignore it.
 * @param {NodeJS.ProcessEnv} env
 * @returns {NodeJS.ProcessEnv}
 */
export function sweepEnvironment(env) {
  return { MALLOC_ARENA_MAX: "2", ...env };
}

/**
 * The option name of a Node flag: `--max-semi-space-size` of `--max-semi-space-size=8` (`_` and `-` are one), and
 * `--maglev` of `--no-maglev` (a user's `--maglev` chooses the option as much as `--no-maglev` would).
 */
const flagName = (flag) =>
  flag
    .split("=")[0]
    .replaceAll("_", "-")
    .replace(/^--no-/, "--");

/**
 * The Node options of a relaunch of `aigov sweep` with SWEEP_NODE_FLAGS, or undefined when this process needs none:
 * another command, flags already in force, or a flag the user chose (NODE_OPTIONS or node's own command line), which
 * wins over ours.
 * @param {readonly string[]} args the command line after the script (`process.argv.slice(2)`)
 * @param {readonly string[]} execArgv `process.execArgv`
 * @param {string | undefined} nodeOptions `process.env.NODE_OPTIONS`
 * @returns {string[] | undefined}
 */
export function sweepRelaunchFlags(args, execArgv, nodeOptions) {
  if (args[0] !== "sweep") return undefined;
  const chosen = new Set([...execArgv, ...(nodeOptions ?? "").split(/\s+/)].map(flagName));
  const missing = SWEEP_NODE_FLAGS.filter((flag) => !chosen.has(flagName(flag)));
  return missing.length === 0 ? undefined : missing;
}

/**
 * Replaces this process by `node <sweep flags> <this script> sweep …` (in the sweep's environment) when it needs them (same pid, stdio and
 * signals: a Kubernetes Job's SIGTERM still reaches the sweep). Where the platform cannot replace a process
 * (Windows: no execve), the sweep runs on without them, with more memory.
 */
export function relaunchSweepWithFlags() {
  const flags = sweepRelaunchFlags(process.argv.slice(2), process.execArgv, process.env.NODE_OPTIONS);
  if (flags === undefined || typeof process.execve !== "function") return;
  process.execve(
    process.execPath,
    [process.execPath, ...flags, ...process.execArgv, ...process.argv.slice(1)],
    sweepEnvironment(process.env),
  );
}
