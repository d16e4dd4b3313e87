#!/usr/bin/env node
// The `aigov` executable. Plain JavaScript so Node starts it without type stripping, and so that an older Node is
// told which Node aigov needs (exit 2) before anything that needs a newer one is loaded. It runs the bundle in
// ../dist (scripts/build.ts) when that was built from the current sources, else the TypeScript sources directly.
// Node's compile cache keeps compiled code between runs either way.
import { readFileSync } from "node:fs";
import module from "node:module";
import { fileURLToPath } from "node:url";
import { bundleIsFresh } from "./bundle-freshness.js";
import { unsupportedNode } from "./supported-node.js";
import { relaunchSweepWithFlags } from "./sweep-process.js";

const { engines } = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"));
const unsupported = unsupportedNode(process.versions.node, engines.node);
if (unsupported !== undefined) {
  process.stderr.write(`aigov: ${unsupported}\n`);
  process.exitCode = 2;
} else {
  // `aigov sweep` runs with its memory flags (sweep-process.js): the process replaces itself before it loads more.
  relaunchSweepWithFlags();
  module.enableCompileCache?.();
  const { runMain } = bundleIsFresh(fileURLToPath(new URL("../dist/", import.meta.url)))
    ? await import("../dist/aigov.js")
    : await import("../src/main.ts");
  await runMain();
}
