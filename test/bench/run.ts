// `pnpm bench`: runs every test/bench/*.bench.ts as its own Node process (so peak RSS is per benchmark),
// each of which writes test/bench/results/<name>.json and prints a summary. Benchmarks are not timed tests.
import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const only = process.argv.slice(2);
const benches = readdirSync(here)
  .filter((name) => name.endsWith(".bench.ts"))
  .filter((name) => only.length === 0 || only.some((filter) => name.includes(filter)))
  .sort();

let failed = 0;
for (const name of benches) {
  process.stderr.write(`\n== ${name}\n`);
  const run = spawnSync(process.execPath, ["--expose-gc", join(here, name)], { stdio: "inherit" });
  if (run.status !== 0) {
    failed += 1;
    process.stderr.write(`${name} failed with exit ${run.status}\n`);
  }
}
process.exitCode = failed === 0 ? 0 : 1;
