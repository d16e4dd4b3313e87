#!/usr/bin/env node
// The `aigov` executable. Plain JavaScript so Node can start it without type stripping; the compile cache keeps
// the stripped and compiled TypeScript of the CLI between runs, which keeps `aigov --version` fast.
import module from "node:module";

module.enableCompileCache?.();
const { runMain } = await import("../src/main.ts");
await runMain();
