// A workspace package as it was at a git commit, copied out of the repository's history into a temporary directory,
// so that a benchmark imports this checkout's and the commit's code side by side in one process.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readlinkSync, renameSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/**
 * The directory holding `packageDir` (e.g. `packages/core`) of `commit`, and the commit's full sha. The package's
 * dependencies are this checkout's (its node_modules linked), as is each of `links` (paths from the repository's
 * root, such as `rules`), so both sides read the same data.
 */
export function packageAtCommit(
  root: string,
  commit: string,
  packageDir: string,
  links: readonly string[] = [],
): { commit: string; dir: string } {
  const sha = git(root, ["rev-parse", "--verify", `${commit}^{commit}`])
    .toString("utf8")
    .trim();
  const dir = join(tmpdir(), `aigov-bench-${packageDir.replaceAll("/", "-")}-${sha}`);
  // Its links lead into the checkout that extracted it: another checkout (a removed worktree) extracts its own.
  const modules = join(dir, packageDir, "node_modules");
  if (existsSync(dir) && readlinkSync(modules) !== join(root, packageDir, "node_modules"))
    rmSync(dir, { recursive: true });
  if (!existsSync(dir)) {
    // Extracted beside its final place and renamed, so an interrupted run never leaves half a package behind.
    const partial = `${dir}.${process.pid}.tmp`;
    rmSync(partial, { recursive: true, force: true });
    mkdirSync(partial, { recursive: true });
    const archive = git(root, ["archive", "--format=tar", sha, packageDir]);
    const untar = spawnSync("tar", ["-x", "-C", partial], { input: archive });
    if (untar.status !== 0) throw new Error(`cannot extract ${sha}'s ${packageDir}: ${untar.stderr}`);
    symlinkSync(join(root, packageDir, "node_modules"), join(partial, packageDir, "node_modules"), "dir");
    for (const link of links) symlinkSync(join(root, link), join(partial, link), "dir");
    renameSync(partial, dir);
  }
  return { commit: sha, dir };
}

function git(root: string, args: readonly string[]): Buffer {
  const run = spawnSync("git", ["-C", root, ...args], { maxBuffer: 256 * 1024 * 1024 });
  if (run.status !== 0)
    throw new Error(
      `git ${args.join(" ")} failed (${run.error?.message ?? run.stderr.toString("utf8").trim()}): the benchmark ` +
        "needs the repository's history for its baseline; its baseline variable set to none " +
        "(AIGOV_BENCH_ENGINE_BASELINE, AIGOV_BENCH_STORE_BASELINE) skips it",
    );
  return run.stdout;
}
