// Before any test runs, the `aigov` executable is built (packages/cli/scripts/build.ts) as it ships: the end-to-end
// tests then run the bundle users run. Built once here, never by a test, since test files run side by side.
// Every temporary file a test (or an aigov process it starts) makes goes under one directory for the run, removed at
// the end: test files make thousands of mkdtemp directories, and a shared machine's /tmp should not keep them.
import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildCli } from "../packages/cli/scripts/build.ts";

export default async function setup(): Promise<() => void> {
  const runTemp = mkdtempSync(join(tmpdir(), "aigov-test-run-"));
  // mkdtemp makes it 0700: the container test's non-root user must pass through it to the project it runs in.
  chmodSync(runTemp, 0o755);
  process.env.TMPDIR = runTemp;
  await buildCli();
  return () => rmSync(runTemp, { recursive: true, force: true });
}
