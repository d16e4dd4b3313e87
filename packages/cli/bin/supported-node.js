// Which Node.js aigov runs on: the `engines.node` range of its package.json (">=MAJOR[.MINOR[.PATCH]]"), the one
// place it is written. Plain JavaScript that any Node parses, so an older Node gets this answer before it loads
// code that needs a newer one (node:sqlite, …) and fails with a stack trace.

/**
 * The message for a Node.js that does not satisfy `range`, or undefined when it does.
 * @param {string} version `process.versions.node`, e.g. "20.20.2"
 * @param {string} range `engines.node`, e.g. ">=24"
 * @returns {string | undefined}
 */
export function unsupportedNode(version, range) {
  const minimum = /^>=\s*(\d+)(?:\.(\d+))?(?:\.(\d+))?$/.exec(range.trim());
  if (minimum === null) throw new Error(`engines.node must read ">=MAJOR[.MINOR[.PATCH]]", not "${range}"`);
  const wanted = range.trim().slice(2).trim();
  const needed = [1, 2, 3].map((index) => Number(minimum[index] ?? 0));
  const running = version.split(".").map(Number);
  for (const [index, part] of needed.entries()) {
    const have = running[index] ?? 0;
    if (have > part) return undefined;
    if (have < part) {
      return `aigov needs Node.js ${wanted} or newer; this is Node.js ${version} (${process.execPath})\n  hint: install Node.js ${needed[0]} (nodejs.org, your package manager, nvm) and run aigov with it`;
    }
  }
  return undefined;
}
