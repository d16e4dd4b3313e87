// The README's commands for running aigov from a checkout, from the caller's own directory: relative paths are
// resolved from where the user is, not from the checkout's root (where pnpm runs the workspace's scripts).
import { cpSync, existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { REPO_ROOT, runProcess, shellEnvironment } from "./run-cli.ts";

const shellEnv = () => ({ ...shellEnvironment(), NO_COLOR: "1" });

describe("aigov from a checkout", () => {
  it("`npx -y pnpm@12 --dir <checkout> aigov` from elsewhere reads ./plan.json and writes ./aigov.sarif where the user is", async () => {
    const caller = mkdtempSync(join(tmpdir(), "aigov-caller-"));
    cpSync(join(REPO_ROOT, "test/fixtures/plans/sample-ai-plan.json"), join(caller, "plan.json"));
    const run = await runProcess(
      "npx",
      ["-y", "pnpm@12", "--dir", REPO_ROOT, "aigov", "gate", "plan.json", "--format", "sarif", "-o", "aigov.sarif"],
      { cwd: caller, env: shellEnv() },
    );
    expect(run.code, run.stderr).toBe(1);
    expect(run.stderr).toContain("read plan.json: terraform plan (format 1.2)");
    expect(existsSync(join(caller, "aigov.sarif"))).toBe(true);
    expect(existsSync(join(REPO_ROOT, "aigov.sarif"))).toBe(false);
  });

  it("`npx -y pnpm@12 aigov` from a directory inside the checkout resolves paths from that directory", async () => {
    const run = await runProcess("npx", ["-y", "pnpm@12", "aigov", "gate", "sample-ai-plan.json"], {
      cwd: join(REPO_ROOT, "test/fixtures/plans"),
      env: shellEnv(),
    });
    expect(run.code, run.stderr).toBe(1);
    expect(run.stderr).toContain("read sample-ai-plan.json: terraform plan (format 1.2)");
  });
});
