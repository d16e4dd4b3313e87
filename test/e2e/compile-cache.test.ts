// bin/aigov.js turns on Node's compile cache (module.enableCompileCache): compiled code kept on disk between runs,
// which a CI runner that keeps its temporary directory reuses. What a user of a security tool asks of it: where it
// writes, that a machine where it cannot write runs aigov the same, and that a run from the cache decides the same.
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { REPO_ROOT, runCli } from "./run-cli.ts";

const PLAN = join(REPO_ROOT, "test/fixtures/plans/sample-ai-plan.json");
const scratch = mkdtempSync(join(tmpdir(), "aigov-compile-cache-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** The environment of a shell that set none of Node's compile cache variables, with TMPDIR as given. */
function environment(temporary: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, TMPDIR: temporary, ...extra };
  if (extra.NODE_COMPILE_CACHE === undefined) delete env.NODE_COMPILE_CACHE;
  if (extra.NODE_DISABLE_COMPILE_CACHE === undefined) delete env.NODE_DISABLE_COMPILE_CACHE;
  return env;
}

describe("Node's compile cache, as aigov turns it on", () => {
  it("writes to node-compile-cache in the temporary directory (or NODE_COMPILE_CACHE), and nowhere when disabled", async () => {
    const temporary = mkdtempSync(join(scratch, "tmp-"));
    expect((await runCli(["gate", PLAN], { env: environment(temporary) })).code).toBe(1);
    expect(readdirSync(join(temporary, "node-compile-cache")).length).toBeGreaterThan(0);

    const chosen = join(scratch, "chosen");
    const other = mkdtempSync(join(scratch, "tmp-"));
    await runCli(["gate", PLAN], { env: environment(other, { NODE_COMPILE_CACHE: chosen }) });
    expect(readdirSync(chosen).length).toBeGreaterThan(0);
    expect(existsSync(join(other, "node-compile-cache"))).toBe(false);

    const off = mkdtempSync(join(scratch, "tmp-"));
    await runCli(["gate", PLAN], { env: environment(off, { NODE_DISABLE_COMPILE_CACHE: "1" }) });
    expect(readdirSync(off)).toEqual([]);
  });

  it("where it cannot write, the gate runs as without it: same exit code, output and messages, no warning", async () => {
    const disabled = await runCli(["gate", PLAN], {
      env: environment(mkdtempSync(join(scratch, "tmp-")), { NODE_DISABLE_COMPILE_CACHE: "1" }),
    });
    // A path through a regular file: the cache directory cannot be created, whoever runs the test (root included).
    const file = join(scratch, "a-file");
    writeFileSync(file, "not a directory\n");
    for (const env of [environment(join(file, "tmp")), environment(scratch, { NODE_COMPILE_CACHE: join(file, "c") })]) {
      const run = await runCli(["gate", PLAN], { env });
      expect(run).toEqual(disabled);
    }
    expect(disabled.code).toBe(1);
  });

  it("a run from a cache an earlier run filled decides and prints the same", async () => {
    const temporary = mkdtempSync(join(scratch, "tmp-"));
    const first = await runCli(["gate", PLAN], { env: environment(temporary) });
    const cached = readdirSync(join(temporary, "node-compile-cache"));
    const later = await runCli(["gate", PLAN], { env: environment(temporary) });
    expect(readdirSync(join(temporary, "node-compile-cache"))).toEqual(cached);
    expect(later).toEqual(first);
    expect(first.code).toBe(1);
    expect(first.stderr).toContain("BLOCKED");
  });
});
