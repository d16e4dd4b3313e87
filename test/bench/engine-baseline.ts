// The engine the engine benchmark compares with: @aigov/core as it was at a git commit (by default main's before
// the engine work of issue 19), copied out of the repository's history into a temporary directory and imported
// from there, so that both engines judge the same subjects in the same process.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readlinkSync, renameSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type * as Core from "../../packages/core/src/index.ts";

/** main before the engine work of issue 19: the engine whose 1.64 M evaluations per second the issue quotes. */
export const BASELINE_COMMIT = "a6383470eb680d359d348eb21a139879fe6c08df";

/** What the benchmark uses of a core package: the same for this checkout's and the baseline's. */
export type EngineCore = Pick<typeof Core, "createEngine" | "loadRules" | "parsePolicy" | "parseRule">;

/**
 * @aigov/core at `commit`. Its dependencies are this checkout's (node_modules linked), and its default rule pack is
 * this checkout's `rules/` (linked), so both engines load the same rules.
 */
export async function baselineCore(root: string, commit: string): Promise<{ commit: string; core: EngineCore }> {
  const sha = git(root, ["rev-parse", "--verify", `${commit}^{commit}`])
    .toString("utf8")
    .trim();
  const dir = join(tmpdir(), `aigov-bench-core-${sha}`);
  // Its links lead into the checkout that extracted it: another checkout (a removed worktree) extracts its own.
  if (existsSync(dir) && readlinkSync(join(dir, "rules")) !== join(root, "rules")) rmSync(dir, { recursive: true });
  if (!existsSync(dir)) {
    // Extracted beside its final place and renamed, so an interrupted run never leaves half a package behind.
    const partial = `${dir}.${process.pid}.tmp`;
    rmSync(partial, { recursive: true, force: true });
    mkdirSync(partial, { recursive: true });
    const archive = git(root, ["archive", "--format=tar", sha, "packages/core"]);
    const untar = spawnSync("tar", ["-x", "-C", partial], { input: archive });
    if (untar.status !== 0) throw new Error(`cannot extract ${sha}'s packages/core: ${untar.stderr}`);
    symlinkSync(join(root, "packages/core/node_modules"), join(partial, "packages/core/node_modules"), "dir");
    symlinkSync(join(root, "rules"), join(partial, "rules"), "dir");
    renameSync(partial, dir);
  }
  const core: EngineCore = await import(pathToFileURL(join(dir, "packages/core/src/index.ts")).href);
  return { commit: sha, core };
}

function git(root: string, args: readonly string[]): Buffer {
  const run = spawnSync("git", ["-C", root, ...args], { maxBuffer: 256 * 1024 * 1024 });
  if (run.status !== 0)
    throw new Error(
      `git ${args.join(" ")} failed (${run.error?.message ?? run.stderr.toString("utf8").trim()}): the engine ` +
        "benchmark needs the repository's history for its baseline; AIGOV_BENCH_ENGINE_BASELINE=none skips it",
    );
  return run.stdout;
}
