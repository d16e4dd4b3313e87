#!/usr/bin/env node
// The `aigov` executable. Plain JavaScript so Node starts it without type stripping, and so that an older Node is
// told which Node aigov needs (exit 2) before anything that needs a newer one is loaded. It runs the bundle in
// ../dist (scripts/build.ts) when that was built from the current sources, else the TypeScript sources directly.
// Node's compile cache keeps compiled code between runs either way.
import { bundleIsFresh } from "./bundle-freshness.js";
import { unsupportedNode } from "./supported-node.js";
import { relaunchSweepWithFlags } from "./sweep-process.js";

// Node's built-in modules as objects (process.getBuiltinModule), not imported: an import of one makes Node build its
// ES module facade, which reads every export, and node:fs's reads `promises` and `ReadStream`: it loaded fs/promises,
// readline and the file streams into every command (a tiny `aigov gate` never uses them). The bundle's chunks get
// theirs the same way (builtinsFromProcess in scripts/build.ts). A Node too old to have it (before 22.3) imports
// them, and is then told which Node aigov needs.
/** @param {string} name */
const builtin = async (name) => process.getBuiltinModule?.(name) ?? (await import(name)).default;
const { readFileSync } = await builtin("node:fs");
const { join } = await builtin("node:path");
const { fileURLToPath } = await builtin("node:url");

const { engines } = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"));
const unsupported = unsupportedNode(process.versions.node, engines.node);
if (unsupported !== undefined) {
  process.stderr.write(`aigov: ${unsupported}\n`);
  process.exitCode = 2;
} else {
  // `aigov sweep` runs with its memory flags (sweep-process.js): the process replaces itself before it loads more.
  relaunchSweepWithFlags();
  const compileCache = compileCacheDir(process.env);
  if (compileCache !== undefined) process.getBuiltinModule("node:module").enableCompileCache?.(compileCache);
  const { runMain } = bundleIsFresh(fileURLToPath(new URL("../dist/", import.meta.url)))
    ? await import("../dist/aigov.js")
    : await import("../src/main.ts");
  await runMain();
}

/**
 * Where Node keeps aigov's compiled code: NODE_COMPILE_CACHE if set, else node-compile-cache in aigov's cache
 * directory (the rule cache's, ruleCacheDir in packages/core/src/rule-cache.ts: AIGOV_CACHE_DIR, else
 * $XDG_CACHE_HOME/aigov or ~/.cache/aigov; none with AIGOV_NO_CACHE=1). Not Node's default, the shared temporary
 * directory: another local user could create node-compile-cache there first and plant compiled code for aigov to run.
 */
function compileCacheDir(env) {
  if (env.NODE_COMPILE_CACHE) return env.NODE_COMPILE_CACHE;
  if (env.AIGOV_NO_CACHE === "1") return undefined;
  if (env.AIGOV_CACHE_DIR) return join(env.AIGOV_CACHE_DIR, "node-compile-cache");
  try {
    const home = () => process.getBuiltinModule("node:os").homedir();
    return join(env.XDG_CACHE_HOME ?? join(home(), ".cache"), "aigov", "node-compile-cache");
  } catch {
    return undefined; // no home directory to be found: run without the cache
  }
}
