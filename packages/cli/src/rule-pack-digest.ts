import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { relative, sep } from "node:path";
import { ruleFiles } from "@aigov/core";

export interface RulePackDigest {
  /** `sha256:<hex>`, over the pack's files as `sha256sum` lists them; see rulePackDigest. */
  readonly digest: string;
  readonly files: number;
}

/**
 * Which rules judged: the SHA-256 of the pack's `sha256sum` listing (each rule file's hash, two spaces, its path
 * within the pack, in byte order), so anyone can check it without aigov:
 * `cd rules && find . -name '*.yaml' -o -name '*.yml' | sed 's|^\./||' | LC_ALL=C sort | xargs sha256sum | sha256sum`.
 */
export function rulePackDigest(dir: string): RulePackDigest {
  const files = ruleFiles(dir);
  const listing = files
    .map((file) => {
      const name = relative(dir, file).split(sep).join("/");
      return `${createHash("sha256").update(readFileSync(file)).digest("hex")}  ${name}\n`;
    })
    .join("");
  return { digest: `sha256:${createHash("sha256").update(listing).digest("hex")}`, files: files.length };
}
