import { realpathSync } from "node:fs";
import { fileURLToPath } from "node:url";

/**
 * The default rule pack of a bundle (packages/cli/scripts/build.ts, which resolves `#default-rules-dir` under the
 * `aigov-bundle` condition): `rules/` beside the bundle's chunks. A published package carries a copy there; the
 * workspace's bundle a link to the repository's `rules/`, resolved so that paths name the files one edits.
 */
const beside = fileURLToPath(new URL("./rules", import.meta.url));

function resolved(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    // Missing: loading the rules then says which directory it did not find.
    return path;
  }
}

export const DEFAULT_RULES_DIR = resolved(beside);
