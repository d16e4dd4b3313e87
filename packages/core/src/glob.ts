/**
 * Glob matching for model names, regions and resource ids: `*` matches any run of characters (including `/` and
 * `:`, since ARNs and ARM ids are matched whole), `?` one character (one UTF-16 unit). A glob is compiled once into
 * its literal parts, and a text is matched by finding them left to right, each at its first place: for `*` globs
 * the first place is always a right one, so a match never backtracks and runs in O(text × pattern) at worst.
 * A value that is not a string (a rule test's subject is YAML its author wrote) is matched by a glob of stars alone.
 */
export function compileGlob(pattern: string): (text: string) => boolean {
  const matches = compileTextGlob(pattern);
  const matchesAnything = /^\**$/.test(pattern);
  return (text) => (typeof text === "string" ? matches(text) : matchesAnything);
}

function compileTextGlob(pattern: string): (text: string) => boolean {
  if (!WILDCARD.test(pattern)) return (text) => text === pattern;
  const parts = pattern.split("*");
  if (parts.length === 1) return (text) => text.length === pattern.length && partAt(text, 0, pattern);
  const head = parts[0]!;
  const tail = parts[parts.length - 1]!;
  const middle = parts.slice(1, -1).filter((part) => part !== "");
  const shortest = head.length + tail.length + middle.reduce((sum, part) => sum + part.length, 0);
  return (text) => {
    if (text.length < shortest) return false;
    const end = text.length - tail.length;
    if (!partAt(text, 0, head) || !partAt(text, end, tail)) return false;
    let from = head.length;
    for (const part of middle) {
      const at = findPart(text, from, end, part);
      if (at < 0) return false;
      from = at + part.length;
    }
    return true;
  };
}

/** Whether `pattern` matches `text` whole; for a glob matched again and again, compile it once with compileGlob. */
export function globMatch(pattern: string, text: string): boolean {
  return compileGlob(pattern)(text);
}

/**
 * One matcher for a list of globs that is matched over and over (a policy's approved models, regions, principals,
 * registry ids): names without wildcards are looked up in a set, the others run compiled.
 */
export function compileGlobs(patterns: readonly string[]): (text: string) => boolean {
  if (patterns.includes("*")) return () => true;
  const names = new Set(patterns.filter((pattern) => !WILDCARD.test(pattern)));
  const globs = patterns.filter((pattern) => WILDCARD.test(pattern)).map(compileGlob);
  if (globs.length === 0) return (text) => names.has(text);
  return (text) => {
    if (names.has(text)) return true;
    for (const matches of globs) if (matches(text)) return true;
    return false;
  };
}

const WILDCARD = /[*?]/;

/** Whether a `*`-free part (whose `?` match any unit) is found in `text` at `at`. */
function partAt(text: string, at: number, part: string): boolean {
  for (let index = 0; index < part.length; index++) {
    const expected = part.charCodeAt(index);
    if (expected !== QUESTION_MARK && expected !== text.charCodeAt(at + index)) return false;
  }
  return true;
}

/** The first place at or after `from` where a part is found and ends by `end`; -1 if none. */
function findPart(text: string, from: number, end: number, part: string): number {
  if (!part.includes("?")) {
    const at = text.indexOf(part, from);
    return at < 0 || at + part.length > end ? -1 : at;
  }
  for (let at = from; at + part.length <= end; at++) if (partAt(text, at, part)) return at;
  return -1;
}

const QUESTION_MARK = 63;
