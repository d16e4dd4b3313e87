// Whether packages/cli/dist holds a bundle of the current sources (see scripts/build.ts). A package without its
// sources (as published) runs its bundle; in the workspace the bundle runs only while none of the files it was
// built from is newer than the build or gone, so an edit takes effect at once, bundle or not.

/** @param {string} distDir */
export function bundleIsFresh(distDir) {
  // Not imported: see the built-in modules in aigov.js. Asked for here, where the Node is known to be new enough.
  const { existsSync, readFileSync, statSync } = process.getBuiltinModule("node:fs");
  const { dirname, join, sep } = process.getBuiltinModule("node:path");
  const cliDir = dirname(distDir);
  if (!existsSync(join(cliDir, "src"))) return existsSync(join(distDir, "aigov.js"));
  /** @type {{ builtAt: number; inputs: string[] }} */
  let info;
  try {
    info = JSON.parse(readFileSync(join(distDir, "build-info.json"), "utf8"));
  } catch {
    return false;
  }
  // Every command runs this, over some three hundred files: each path is joined, not resolved (the system resolves
  // the `..` in it), and a missing file is an undefined result rather than an exception.
  const base = cliDir + sep;
  for (const input of info.inputs) {
    const stats = statSync(base + input, { throwIfNoEntry: false });
    if (stats === undefined || stats.mtimeMs > info.builtAt) return false;
  }
  return true;
}
