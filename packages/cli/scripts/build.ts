// Builds the `aigov` executable: the CLI and every workspace package it uses, bundled by esbuild into plain
// JavaScript in packages/cli/dist/. Node then starts aigov without type stripping and without resolving and reading
// a hundred source files, which is most of a short command's time (`aigov gate` in CI). Third-party packages stay
// external and load from node_modules as they are. Commands stay in their own chunks, loaded when they run.
//
// The build also writes the default rule pack's checked form (rules/.checked-rules.json, see rule-cache.ts), so
// a fresh machine starts without parsing and schema-checking every rule file. It records what it was built from
// (dist/build-info.json), so bin/aigov.js uses the bundle only while no source file is newer than it: a stale
// bundle is never run.
//
// Usage: node packages/cli/scripts/build.ts [--if-stale]
import { readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { defaultRulesDir, isAigovError, loadRules, PACKAGED_RULES_FILE, packagedRuleCache } from "@aigov/core";
import { build, type Plugin } from "esbuild";
import { bundleIsFresh } from "../bin/bundle-freshness.js";

const cliDir = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const repoRoot = resolve(cliDir, "../..");
/** Where bin/aigov.js looks for the bundle. */
export const distDir = join(cliDir, "dist");

/** Workspace packages (@aigov/*) are bundled; every other bare import (npm packages) is loaded at run time. */
const thirdPartyExternal: Plugin = {
  name: "third-party-external",
  setup(plugin) {
    plugin.onResolve({ filter: /^[^./]/ }, (args) =>
      args.path.startsWith("@aigov/") ? undefined : { path: args.path, external: true },
    );
  },
};

export async function buildCli(): Promise<void> {
  // Anything edited from now on is newer than the build, so the bundle is stale until built again.
  const builtAt = Date.now();
  await writeCheckedRulePack();
  // Built beside dist and moved into place, so an aigov already running from dist keeps its files.
  const outdir = `${distDir}.${process.pid}.tmp`;
  rmSync(outdir, { recursive: true, force: true });
  const result = await build({
    entryPoints: {
      aigov: join(cliDir, "src/main.ts"),
      // Started as a worker thread by `aigov serve run-task`; see plan-judge-pool.ts.
      "plan-judge-worker": join(repoRoot, "packages/iac/src/run-task/plan-judge-worker.ts"),
    },
    outdir,
    bundle: true,
    splitting: true,
    format: "esm",
    platform: "node",
    target: "node22",
    plugins: [thirdPartyExternal],
    metafile: true,
    logLevel: "warning",
    // JSON imports (package.json, the JSON Schemas) are inlined.
    loader: { ".json": "json" },
  });
  const inputs = Object.keys(result.metafile.inputs).map((input) => relative(cliDir, resolve(process.cwd(), input)));
  writeFileSync(join(outdir, "build-info.json"), `${JSON.stringify({ builtAt, inputs }, null, 1)}\n`);
  rmSync(distDir, { recursive: true, force: true });
  renameSync(outdir, distDir);
}

/**
 * Loading the default pack through an empty packaged store checks every rule file and writes the store. A pack
 * with a broken rule gets no checked form: aigov then reports the broken rule itself, at file:line:column.
 */
async function writeCheckedRulePack(): Promise<void> {
  rmSync(join(defaultRulesDir(), PACKAGED_RULES_FILE), { force: true });
  try {
    await loadRules({ cache: packagedRuleCache(defaultRulesDir()) });
  } catch (error) {
    if (!isAigovError(error)) throw error;
    console.error(`warning: the rule pack is not checked in advance, it has an error: ${error.format()}`);
  }
}

if (import.meta.main) {
  if (process.argv.includes("--if-stale") && bundleIsFresh(distDir)) process.exit(0);
  await buildCli();
  const size = statSync(join(distDir, "aigov.js")).size;
  const info = JSON.parse(readFileSync(join(distDir, "build-info.json"), "utf8")) as { inputs: string[] };
  console.error(
    `built ${relative(repoRoot, distDir)}/aigov.js (${Math.round(size / 1024)} KiB entry, ${info.inputs.length} source files)`,
  );
}
