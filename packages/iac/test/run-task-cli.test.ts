import { type ChildProcess, spawn } from "node:child_process";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { signRunTaskBody } from "../src/run-task/index.ts";
import { FakeTfc, post } from "./run-task-fake-tfc.ts";

const ROOT = join(import.meta.dirname, "../../..");
const NODE = join(ROOT, "node_modules/.bin/node");
const MAIN = join(ROOT, "packages/cli/src/main.ts");

const children: ChildProcess[] = [];
const fakes: FakeTfc[] = [];
afterEach(async () => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill("SIGKILL");
  for (const fake of fakes.splice(0)) await fake.stop();
});

/** Starts `aigov serve run-task` and resolves once it says where it listens. */
function serve(
  args: readonly string[],
  env: Record<string, string>,
): Promise<{ child: ChildProcess; address: AddressInfo; stderr: () => string }> {
  const child = spawn(NODE, [MAIN, "serve", "run-task", ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.push(child);
  let stderr = "";
  return new Promise((resolve, reject) => {
    child.stderr?.on("data", (chunk: Buffer) => {
      stderr += chunk.toString("utf8");
      const match = /listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(stderr);
      if (match)
        resolve({
          child,
          address: { address: "127.0.0.1", family: "IPv4", port: Number(match[1]) },
          stderr: () => stderr,
        });
    });
    child.on("exit", (code) => reject(new Error(`aigov serve exited ${code}: ${stderr}`)));
  });
}

function exitOf(child: ChildProcess): Promise<number | null> {
  return child.exitCode !== null
    ? Promise.resolve(child.exitCode)
    : new Promise((resolve) => child.on("exit", (code) => resolve(code)));
}

describe("aigov serve run-task (the CLI process)", () => {
  it("judges a signed run end to end, logs without the token, and stops cleanly on SIGTERM", async () => {
    const tfc = new FakeTfc();
    fakes.push(tfc);
    await tfc.start();
    const key = "cli-hmac-key-0123456789";
    const { child, address, stderr } = await serve(
      ["--port", "0", "--hmac-key-env", "AIGOV_RUN_TASK_HMAC", "--tfc-host", tfc.host, "--insecure-http-tfc-host"],
      { AIGOV_RUN_TASK_HMAC: key },
    );
    const callback = tfc.nextCallback();
    const body = tfc.payload();
    expect((await post(address, body)).status).toBe(401);
    expect((await post(address, body, { "x-tfc-task-signature": signRunTaskBody(body, key) })).status).toBe(200);
    const result = await callback;
    expect(result.data.attributes.status).toBe("failed");
    expect(result.data.attributes.message).toContain("blocking finding(s)");
    // A workspace name that tries to write a log line of its own.
    const forging = tfc.payload({ run_id: "run-2", workspace_name: "ml\r\nrun-task result [run-9 acme/prod]: passed" });
    const second = tfc.nextCallback();
    expect((await post(address, forging, { "x-tfc-task-signature": signRunTaskBody(forging, key) })).status).toBe(200);
    await second;
    child.kill("SIGTERM");
    expect(await exitOf(child)).toBe(0);
    expect(stderr()).toContain("run-task refused 401");
    expect(stderr()).toContain("run-task result [run-abc123 acme/ml-prod]: failed: aigov:");
    expect(stderr()).toContain(
      "run-task result [run-2 acme/ml\\r\\nrun-task result [run-9 acme/prod]: passed]: failed: aigov:",
    );
    expect(
      stderr()
        .split("\n")
        .filter((line) => line.startsWith("run-task result [run-9")),
    ).toEqual([]);
    expect(stderr()).not.toMatch(/\r/);
    expect(stderr()).not.toContain("at-run-token-7f3c");
  });

  it("refuses to start when the HMAC key variable is empty, and allows http to the TFC host only with the test/dev flag", async () => {
    const missing = spawn(
      NODE,
      [MAIN, "serve", "run-task", "--port", "0", "--hmac-key-env", "AIGOV_NOT_SET_ANYWHERE"],
      { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] },
    );
    children.push(missing);
    let stderr = "";
    missing.stderr?.on("data", (chunk: Buffer) => {
      stderr += chunk.toString("utf8");
    });
    expect(await exitOf(missing)).toBe(2);
    expect(stderr).toContain("AIGOV_NOT_SET_ANYWHERE is not set or empty");

    const tfc = new FakeTfc();
    fakes.push(tfc);
    await tfc.start();
    const { address } = await serve(["--port", "0", "--tfc-host", tfc.host], {});
    const body = tfc.payload();
    const refused = await post(address, body);
    expect(refused.status).toBe(400);
    expect(refused.body).toContain("only https is allowed");
    expect(tfc.requests).toEqual([]);
  });
});
