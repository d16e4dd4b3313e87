import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";

/**
 * A cache of rule files that already passed parsing and the schema check, keyed by the exact bytes of every file
 * (and the cache format), so a changed, added or removed rule file is never served from it. It saves each command
 * the YAML parse and JSON Schema compilation of the whole pack (most of aigov's start-up). Like Node's compile
 * cache it lives in the user's cache directory; AIGOV_NO_CACHE=1 turns it off. Being a cache, any failure to read
 * or write it is ignored.
 */
export interface RuleCache {
  /** The checked raw rules for these files and texts, or undefined. */
  read(files: readonly string[], texts: readonly string[]): readonly Record<string, unknown>[] | undefined;
  write(files: readonly string[], texts: readonly string[], raws: readonly Readonly<Record<string, unknown>>[]): void;
}

const FORMAT = "aigov-rule-cache-1";

export function ruleCacheDir(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env.AIGOV_NO_CACHE === "1") return undefined;
  if (env.AIGOV_CACHE_DIR !== undefined && env.AIGOV_CACHE_DIR !== "") return env.AIGOV_CACHE_DIR;
  return join(env.XDG_CACHE_HOME ?? join(homedir(), ".cache"), "aigov");
}

export function createRuleCache(dir: string | undefined = ruleCacheDir()): RuleCache {
  const digest = (parts: readonly string[]) => {
    const hash = createHash("sha256");
    for (const part of parts) hash.update(`${part.length}:`).update(part);
    return hash.digest("hex");
  };
  // One cache file per set of rule files (default pack, pack + --rules …), holding the hash of their contents.
  const location = (files: readonly string[]) => (dir === undefined ? undefined : join(dir, `rules-${digest([FORMAT, ...files]).slice(0, 24)}.json`));
  return {
    read(files, texts) {
      const path = location(files);
      if (path === undefined) return undefined;
      try {
        const cached = JSON.parse(readFileSync(path, "utf8")) as { content: string; raws: Record<string, unknown>[] };
        return cached.content === digest([FORMAT, ...files, ...texts]) && cached.raws.length === files.length ? cached.raws : undefined;
      } catch {
        return undefined;
      }
    },
    write(files, texts, raws) {
      const path = location(files);
      if (path === undefined || dir === undefined) return;
      try {
        mkdirSync(dir, { recursive: true });
        const temporary = `${path}.${process.pid}.tmp`;
        writeFileSync(temporary, JSON.stringify({ content: digest([FORMAT, ...files, ...texts]), raws }));
        renameSync(temporary, path);
      } catch {
        // A cache that cannot be written costs only speed.
      }
    },
  };
}
