import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, join } from "node:path";

/**
 * A store of rule files that already passed parsing and the schema check, keyed by the exact bytes of every file
 * (and the format), so a changed, added or removed rule file is never served from it. It saves a command the YAML
 * parse and JSON Schema compilation of the whole pack (most of aigov's start-up).
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

function digest(parts: readonly string[]): string {
  // Looked up here, not imported: see sha256.ts.
  const hash = process.getBuiltinModule("node:crypto").createHash("sha256");
  for (const part of parts) hash.update(`${part.length}:`).update(part);
  return hash.digest("hex");
}

/** A stored set of checked rules: served only when the digest of the files asked for is the one it was made from. */
function storedRules(path: string, content: string, count: number): readonly Record<string, unknown>[] | undefined {
  try {
    const stored = JSON.parse(readFileSync(path, "utf8")) as { content: string; raws: Record<string, unknown>[] };
    return stored.content === content && stored.raws.length === count ? stored.raws : undefined;
  } catch {
    return undefined;
  }
}

function storeRules(path: string, content: string, raws: readonly Readonly<Record<string, unknown>>[]): void {
  try {
    mkdirSync(dirname(path), { recursive: true });
    const temporary = `${path}.${process.pid}.tmp`;
    writeFileSync(temporary, JSON.stringify({ content, raws }));
    renameSync(temporary, path);
  } catch {
    // A store that cannot be written costs only speed.
  }
}

/**
 * A rule store in one file per key: `locate` names the file and the digest of what it must hold for these files
 * and texts, or undefined when the store does not serve them.
 */
function fileRuleCache(
  locate: (files: readonly string[], texts: readonly string[]) => { path: string; content: string } | undefined,
): RuleCache {
  return {
    read(files, texts) {
      const stored = locate(files, texts);
      return stored === undefined ? undefined : storedRules(stored.path, stored.content, files.length);
    },
    write(files, texts, raws) {
      const stored = locate(files, texts);
      if (stored !== undefined) storeRules(stored.path, stored.content, raws);
    },
  };
}

/**
 * The user's cache: like Node's compile cache it lives in the user's cache directory, one file per set of rule
 * files read at run time (--rules …, and the default pack when aigov runs from its sources: the bundle carries it
 * checked, see built-rule-pack.ts); AIGOV_NO_CACHE=1 turns it off. Any failure to read or write it is ignored.
 */
export function createRuleCache(dir: string | undefined = ruleCacheDir()): RuleCache {
  return fileRuleCache((files, texts) =>
    dir === undefined
      ? undefined
      : {
          path: join(dir, `rules-${digest([FORMAT, ...files]).slice(0, 24)}.json`),
          content: digest([FORMAT, ...files, ...texts]),
        },
  );
}
