// The engine the engine benchmark compares with: @aigov/core as it was at a git commit (by default main's before
// the engine work of issue 19), copied out of the repository's history into a temporary directory and imported
// from there, so that both engines judge the same subjects in the same process.
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type * as Core from "../../packages/core/src/index.ts";
import { packageAtCommit } from "./package-at-commit.ts";

/** main before the engine work of issue 19: the engine whose 1.64 M evaluations per second the issue quotes. */
export const BASELINE_COMMIT = "a6383470eb680d359d348eb21a139879fe6c08df";

/** What the benchmark uses of a core package: the same for this checkout's and the baseline's. */
export type EngineCore = Pick<typeof Core, "createEngine" | "loadRules" | "parsePolicy" | "parseRule">;

/**
 * @aigov/core at `commit`. Its dependencies are this checkout's (node_modules linked), and its default rule pack is
 * this checkout's `rules/` (linked), so both engines load the same rules.
 */
export async function baselineCore(root: string, commit: string): Promise<{ commit: string; core: EngineCore }> {
  const extracted = packageAtCommit(root, commit, "packages/core", ["rules"]);
  const core: EngineCore = await import(pathToFileURL(join(extracted.dir, "packages/core/src/index.ts")).href);
  return { commit: extracted.commit, core };
}
