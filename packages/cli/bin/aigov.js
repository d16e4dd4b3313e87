#!/usr/bin/env node
// The `aigov` executable. Plain JavaScript so Node starts it without type stripping. It runs the bundle in
// ../dist (scripts/build.ts) when that was built from the current sources, else the TypeScript sources directly.
// Node's compile cache keeps compiled code between runs either way.
import module from "node:module";
import { fileURLToPath } from "node:url";
import { bundleIsFresh } from "./bundle-freshness.js";

module.enableCompileCache?.();
const { runMain } = bundleIsFresh(fileURLToPath(new URL("../dist/", import.meta.url)))
  ? await import("../dist/aigov.js")
  : await import("../src/main.ts");
await runMain();
