import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { manyFindings } from "../../packages/export/test/finding-fixtures.ts";
import { json, type RecordedRequest, startRecorder } from "../../packages/export/test/http-recorder.ts";
import { CLI, NODE, REPO_ROOT } from "./run-cli.ts";

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

interface Exit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

function startExport(args: readonly string[], env: NodeJS.ProcessEnv): { child: ChildProcess; exit: Promise<Exit> } {
  const child = spawn(NODE, [CLI, ...args], {
    cwd: REPO_ROOT,
    env: { ...process.env, NO_COLOR: "1", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout!.on("data", (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr!.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exit = new Promise<Exit>((resolve) =>
    child.on("close", (code, signal) => resolve({ code, signal, stdout, stderr })),
  );
  return { child, exit };
}

/** The OCSF events a HEC request carried, each with the finding id SIEM-side dedup keys on. */
function events(request: RecordedRequest): { uid: string; raw: string }[] {
  return request.body.split("\n").map((raw) => ({
    uid: (JSON.parse(raw) as { event: { finding_info: { uid: string } } }).event.finding_info.uid,
    raw,
  }));
}

describe("export survives a refusing sink and a SIGKILL mid-batch", () => {
  it("every finding arrives, none is lost, and duplicates carry the same id and bytes", async () => {
    const REFUSALS = 3;
    const BATCH = 10;
    const findings = manyFindings(60, { frameworks: {} });
    const delivered: RecordedRequest[] = [];
    let phase: "first-run" | "restarted" = "first-run";
    let accepted = 0;
    let killMidBatch: (() => void) | undefined;

    const server = await startRecorder((request, response, index) => {
      if (request.headers.authorization !== "Splunk fault-token")
        return json(response, 401, { text: "Invalid authorization", code: 3 });
      // The sink is down at first: the exporter must back off and retry, not give up or drop anything.
      if (index < REFUSALS) return json(response, 503, { text: "Server is busy", code: 9 }, { "Retry-After": "0" });
      if (phase === "first-run" && accepted === 2) {
        // The third batch reached the SIEM, but the exporter is killed before it sees the acknowledgement.
        delivered.push(request);
        killMidBatch?.();
        return;
      }
      delivered.push(request);
      accepted += 1;
      json(response, 200, { text: "Success", code: 0 });
    });
    cleanups.push(server.close);

    const dir = mkdtempSync(join(tmpdir(), "aigov-export-fault-"));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    writeFileSync(join(dir, "result.json"), JSON.stringify({ findings }));
    writeFileSync(
      join(dir, "aigov.yaml"),
      `sinks:\n  - name: splunk\n    type: splunk-hec\n    url: ${server.url}\n    token_env: FAULT_HEC_TOKEN\n` +
        `    batch: { max_records: ${BATCH} }\n    retry: { attempts: 8, base_ms: 5, max_ms: 20 }\n`,
    );
    const args = [
      "export",
      "--sink",
      "splunk",
      "--policy",
      join(dir, "aigov.yaml"),
      "--store",
      join(dir, "aigov.db"),
      "--input",
      join(dir, "result.json"),
    ];
    const env = { FAULT_HEC_TOKEN: "fault-token" };

    const first = startExport(args, env);
    killMidBatch = () => first.child.kill("SIGKILL");
    const killed = await first.exit;
    expect(killed.signal).toBe("SIGKILL");
    expect(killed.stderr).toContain("retrying");
    expect(server.requests.slice(0, REFUSALS).every((request) => request.url === "/services/collector/event")).toBe(
      true,
    );
    expect(delivered).toHaveLength(3);

    phase = "restarted";
    const restarted = startExport(args, env);
    const done = await restarted.exit;
    expect(done.stderr).not.toContain("internal error");
    expect(done.code).toBe(0);
    // Nothing new to enqueue (the killed run had enqueued all 60); the in-flight batch and the rest are sent.
    expect(JSON.parse(done.stdout)).toMatchObject({ new: 0, unchanged: 60, delivered: 60 - 2 * BATCH });

    const received = delivered.flatMap(events);
    const ids = new Set(received.map((event) => event.uid));
    expect([...ids].sort()).toEqual(findings.map((finding) => finding.id).sort());
    const byId = new Map<string, string[]>();
    for (const event of received) byId.set(event.uid, [...(byId.get(event.uid) ?? []), event.raw]);
    const duplicated = [...byId.entries()].filter(([, copies]) => copies.length > 1);
    // Exactly the batch that was in flight when the process died arrived twice, as identical events.
    expect(duplicated.map(([id]) => id).sort()).toEqual(
      events(delivered[2]!)
        .map((event) => event.uid)
        .sort(),
    );
    for (const [, copies] of duplicated) {
      expect(copies).toHaveLength(2);
      expect(copies[1]).toBe(copies[0]);
    }

    // A third run finds the outbox empty and sends nothing.
    const before = server.requests.length;
    const third = await startExport(args, env).exit;
    expect(third.code).toBe(0);
    expect(JSON.parse(third.stdout)).toMatchObject({ delivered: 0 });
    expect(server.requests.length).toBe(before);
  });
});
