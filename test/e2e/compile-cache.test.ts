// bin/aigov.js turns on Node's compile cache (module.enableCompileCache): compiled code kept on disk between runs,
// which a CI runner that keeps its cache directory reuses. What a user of a security tool asks of it: where it
// writes (the user's own cache directory, never the shared temporary directory, where another user could plant
// compiled code), that a machine where it cannot write runs aigov the same, and that a run from the cache decides
// the same.
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { REPO_ROOT, runCli } from "./run-cli.ts";

const PLAN = join(REPO_ROOT, "test/fixtures/plans/sample-ai-plan.json");
const scratch = mkdtempSync(join(tmpdir(), "aigov-compile-cache-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const CACHE_VARIABLES = [
  "NODE_COMPILE_CACHE",
  "NODE_DISABLE_COMPILE_CACHE",
  "AIGOV_CACHE_DIR",
  "AIGOV_NO_CACHE",
  "XDG_CACHE_HOME",
];

/**
 * A user's environment with a home and a temporary directory of its own and only the cache variables given (an
 * undefined variable is not passed to the child).
 */
function environment(extra: NodeJS.ProcessEnv = {}): { env: NodeJS.ProcessEnv; home: string; temporary: string } {
  const home = mkdtempSync(join(scratch, "home-"));
  const temporary = mkdtempSync(join(scratch, "tmp-"));
  const unset = Object.fromEntries(CACHE_VARIABLES.map((name) => [name, undefined]));
  return { env: { ...unset, HOME: home, TMPDIR: temporary, ...extra }, home, temporary };
}

const gate = (env: NodeJS.ProcessEnv) => runCli(["gate", PLAN], { env });

describe("Node's compile cache, as aigov turns it on", () => {
  it("writes to the user's cache directory, never to the temporary directory", async () => {
    const user = environment();
    expect((await gate(user.env)).code).toBe(1);
    expect(readdirSync(join(user.home, ".cache/aigov/node-compile-cache")).length).toBeGreaterThan(0);
    expect(readdirSync(user.temporary)).toEqual([]);

    const xdg = join(scratch, "xdg");
    const withXdg = environment({ XDG_CACHE_HOME: xdg });
    await gate(withXdg.env);
    expect(readdirSync(join(xdg, "aigov/node-compile-cache")).length).toBeGreaterThan(0);
    expect(readdirSync(withXdg.home)).toEqual([]);
  });

  it("goes where AIGOV_CACHE_DIR or NODE_COMPILE_CACHE says, and nowhere with AIGOV_NO_CACHE or Node's switch", async () => {
    const aigovDir = join(scratch, "aigov-cache");
    await gate(environment({ AIGOV_CACHE_DIR: aigovDir }).env);
    expect(readdirSync(join(aigovDir, "node-compile-cache")).length).toBeGreaterThan(0);

    const chosen = join(scratch, "chosen");
    const withChosen = environment({ NODE_COMPILE_CACHE: chosen });
    await gate(withChosen.env);
    expect(readdirSync(chosen).length).toBeGreaterThan(0);
    expect(readdirSync(withChosen.home)).toEqual([]);

    for (const off of [{ AIGOV_NO_CACHE: "1" }, { NODE_DISABLE_COMPILE_CACHE: "1" }]) {
      const user = environment(off);
      expect((await gate(user.env)).code).toBe(1);
      expect(existsSync(join(user.home, ".cache/aigov/node-compile-cache"))).toBe(false);
      expect(readdirSync(user.temporary)).toEqual([]);
    }
  });

  it("where it cannot write, the gate runs as without it: same exit code, output and messages, no warning", async () => {
    const disabled = await gate(environment({ AIGOV_NO_CACHE: "1" }).env);
    // A path through a regular file: the cache directory cannot be created, whoever runs the test (root included).
    const file = join(scratch, "a-file");
    writeFileSync(file, "not a directory\n");
    for (const extra of [{ XDG_CACHE_HOME: join(file, "cache") }, { NODE_COMPILE_CACHE: join(file, "c") }]) {
      expect(await gate(environment(extra).env)).toEqual(disabled);
    }
    expect(disabled.code).toBe(1);
  });

  it("a run from a cache an earlier run filled decides and prints the same", async () => {
    const user = environment();
    const first = await gate(user.env);
    const cache = join(user.home, ".cache/aigov/node-compile-cache");
    const cached = readdirSync(cache);
    const later = await gate(user.env);
    expect(readdirSync(cache)).toEqual(cached);
    expect(later).toEqual(first);
    expect(first.code).toBe(1);
    expect(first.stderr).toContain("BLOCKED");
  });
});
