import { bundleIsFresh } from "../../packages/cli/bin/bundle-freshness.js";
import { distDir as workspaceDistDir } from "../../packages/cli/scripts/build.ts";

/**
 * Stops a bench that would time the wrong program: bin/aigov.js runs the TypeScript sources instead of the bundle in
 * `distDir` when one of them is newer (a workspace edit takes effect at once), and the sources start slower and hold
 * some 70 MiB more for type stripping alone. Called before the timed runs, and after them to catch an edit made
 * meanwhile.
 */
export function requireFreshBundle(when: "before" | "after", distDir: string = workspaceDistDir): void {
  if (bundleIsFresh(distDir)) return;
  throw new Error(
    when === "before"
      ? `${distDir} is missing or older than its sources: run \`pnpm build\` (pnpm bench does)`
      : `the sources of ${distDir} changed during the bench: rebuild and run it again`,
  );
}
