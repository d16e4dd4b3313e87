import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CLI, NODE, REPO_ROOT, runCli } from "./run-cli.ts";

// The CLI as a person sees it: in a real terminal (tmux, a Debian package .ci/run installs) of 80 and 120 columns.
// tmux wraps a line wider than the pane; `capture-pane -J` joins it back, so such a line shows at its full width.

const dir = mkdtempSync(join(tmpdir(), "aigov-tmux-"));
const store = join(dir, "demo.db");
const socket = `aigov-ux-${process.pid}`;
const PLAN = join(REPO_ROOT, "test/fixtures/plans/sample-ai-plan.json");
const LOG = join(REPO_ROOT, "test/fixtures/logs/cloudtrail/bedrock-activity.ndjson");
const ANSI = /\x1b\[[0-9;]*m/g;

beforeAll(async () => {
  const demo = await runCli(["demo", "--store", store, "--progress-interval", "0"]);
  expect(demo.code, demo.stderr).toBe(0);
  writeFileSync(join(dir, "tmux.conf"), "set -g history-limit 100000\n");
}, 120_000);

afterAll(() => {
  try {
    execFileSync("tmux", ["-L", socket, "kill-server"], { stdio: "ignore" });
  } catch {
    // No server left running.
  }
  rmSync(dir, { recursive: true, force: true });
});

function tmux(...args: string[]): string {
  return execFileSync("tmux", ["-L", socket, "-f", join(dir, "tmux.conf"), ...args], { encoding: "utf8" });
}

const quote = (text: string) => `'${text.replaceAll("'", "'\\''")}'`;

/** Runs shell `script` in a fresh tmux window of `columns` columns; what the window shows, escape sequences kept. */
async function inTerminal(columns: number, script: string): Promise<string> {
  const name = `w${columns}`;
  tmux(
    "new-session",
    "-d",
    "-s",
    name,
    "-x",
    String(columns),
    "-y",
    "50",
    `sh -c ${quote(`${script}; echo __DONE__; sleep 600`)}`,
  );
  const deadline = Date.now() + 90_000;
  for (;;) {
    const screen = tmux("capture-pane", "-p", "-J", "-e", "-S", "-", "-t", name);
    if (screen.includes("__DONE__")) {
      tmux("kill-session", "-t", name);
      return screen;
    }
    if (Date.now() > deadline) throw new Error(`tmux: no __DONE__ after 90s:\n${screen}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

describe("the CLI in a terminal (tmux)", () => {
  it.each([80, 120])(
    "at %i columns no line is wider than the terminal, and colour appears only on the terminal",
    async (columns) => {
      // The user's colour preferences are this test's to set.
      const aigov = `env -u NO_COLOR -u FORCE_COLOR ${quote(NODE)} ${quote(CLI)}`;
      const commands = [
        `${aigov} gate ${quote(PLAN)}`,
        `${aigov} findings --store ${quote(store)}`,
        `${aigov} inventory --store ${quote(store)}`,
        `${aigov} logs ${quote(LOG)} --no-state`,
        `${aigov} rules list`,
        `${aigov} demo --store ${quote(join(dir, `again-${columns}.db`))}`,
        `${aigov} sweep --help`,
      ];
      const screen = await inTerminal(
        columns,
        `cd ${quote(dir)}; ${commands.join("; ")}; echo __PIPED__; ${aigov} findings --store ${quote(store)} | cat; ${aigov} gate ${quote(PLAN)} 2>&1 | cat`,
      );
      const [onTerminal, piped] = screen.split("__PIPED__") as [string, string];
      const lines = onTerminal.split("\n").map((line) => line.replace(ANSI, "").trimEnd());
      const wide = lines.filter((line) => line.length > columns);
      expect(wide, `lines wider than ${columns} columns`).toEqual([]);
      // Every command showed something: the demo's summary, the gate's table, the help's exit codes.
      const shown = lines.join("\n");
      expect(shown).toContain("BLOCKED: ");
      expect(shown).toMatch(/STATUS +ADDRESS/);
      expect(shown).toMatch(/SEVERITY +STATE +RULE/);
      expect(shown).toContain("Coverage: PARTIAL");
      expect(shown).toContain("Exit codes:");
      // The gate's fixes are readable: each whole on the screen (folded under its row), none cut to a word.
      const gate = JSON.parse((await runCli(["gate", PLAN, "--format", "json"])).stdout) as {
        findings: { ruleId: string; remediation: { text: string } }[];
      };
      const flowing = shown.replace(/\s+/g, " ");
      for (const finding of gate.findings)
        expect(flowing, finding.ruleId).toContain(finding.remediation.text.trim().replace(/\s+/g, " "));
      expect(shown).toMatch(/^block +\S+/m);
      expect(onTerminal).toMatch(ANSI);
      expect(piped.replace("__DONE__", "")).toMatch(/SEVERITY +STATE +RULE/);
      expect(piped).not.toMatch(ANSI);
    },
  );
});
