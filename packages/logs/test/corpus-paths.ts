import { existsSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");
export const FIXTURES = resolve(REPO_ROOT, "test/fixtures/logs");

/** The big real CloudTrail corpus is read in place from the shared directory beside the repository (CI clones it there). */
export function grycapCorpus(): string {
  const path = resolve(REPO_ROOT, "../shared/corpora/cloudtrail-grycap");
  if (!existsSync(path)) {
    throw new Error(`the CloudTrail corpus is missing at ${path}: clone the shared corpora beside the repository (../shared)`);
  }
  return path;
}
