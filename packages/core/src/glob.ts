/**
 * Glob matching for model names, regions and resource ids: `*` matches any run of characters (including `/` and
 * `:`, since ARNs and ARM ids are matched whole), `?` one character. Iterative with one backtrack point, so it runs
 * in O(text × pattern) at worst and never explodes.
 */
export function globMatch(pattern: string, text: string): boolean {
  let p = 0;
  let t = 0;
  let starP = -1;
  let starT = 0;
  while (t < text.length) {
    const c = pattern[p];
    if (c === "*") {
      starP = p++;
      starT = t;
    } else if (c !== undefined && (c === "?" || c === text[t])) {
      p++;
      t++;
    } else if (starP >= 0) {
      p = starP + 1;
      t = ++starT;
    } else {
      return false;
    }
  }
  while (pattern[p] === "*") p++;
  return p === pattern.length;
}

export function globMatchAny(patterns: readonly string[], text: string): boolean {
  for (const pattern of patterns) if (globMatch(pattern, text)) return true;
  return false;
}

const WILDCARD = /[*?]/;

/**
 * One matcher for a list of globs that is matched over and over (a policy's approved models, regions, principals):
 * names without wildcards are looked up in a set and `prefix*` patterns compared by prefix; only the rest run
 * `globMatch`. Same answers as `globMatchAny`.
 */
export function compileGlobs(patterns: readonly string[]): (text: string) => boolean {
  if (patterns.includes("*")) return () => true;
  const names = new Set<string>();
  const prefixes: string[] = [];
  const globs: string[] = [];
  for (const pattern of patterns) {
    if (!WILDCARD.test(pattern)) names.add(pattern);
    else if (pattern.endsWith("*") && !WILDCARD.test(pattern.slice(0, -1))) prefixes.push(pattern.slice(0, -1));
    else globs.push(pattern);
  }
  return (text) => {
    if (names.has(text)) return true;
    for (const prefix of prefixes) if (text.startsWith(prefix)) return true;
    for (const glob of globs) if (globMatch(glob, text)) return true;
    return false;
  };
}
