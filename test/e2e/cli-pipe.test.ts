import { spawn } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CLI, NODE, REPO_ROOT } from "./run-cli.ts";

describe("a reader that closes the pipe early", () => {
  it("stops aigov with a message and exit 2 (never 0: a gate verdict that was not written has not passed)", async () => {
    // The gate's JSON for the 128-type plan is ~350 KB, far more than a pipe buffers.
    const child = spawn(
      NODE,
      [CLI, "gate", join(REPO_ROOT, "test/fixtures/plans/pike-ai-types-plan.json"), "--format", "json"],
      { env: { ...process.env, NO_COLOR: "1" } },
    );
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString("utf8");
    });
    child.stdout.once("data", () => child.stdout.destroy());
    const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
    expect(code).toBe(2);
    expect(stderr).toContain("aigov: the output was closed before it was fully written");
    expect(stderr).not.toContain("EPIPE");
  });
});
