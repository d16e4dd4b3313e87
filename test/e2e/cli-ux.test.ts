import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GLOBAL_OPTIONS, type OptionTable } from "../../packages/cli/src/command.ts";
import { main } from "../../packages/cli/src/main.ts";
import { CLI, NODE, REPO_ROOT, runCli, runProcess } from "./run-cli.ts";

/** Every command, by the module the CLI loads it from. */
const COMMANDS = [
  "sweep",
  "demo",
  "logs",
  "findings",
  "inventory",
  "report",
  "export",
  "gate",
  "serve",
  "rules",
  "sim",
] as const;

const PLAN = join(REPO_ROOT, "test/fixtures/plans/sample-ai-plan.json");
const BEDROCK_LOG = join(REPO_ROOT, "test/fixtures/logs/cloudtrail/bedrock-activity.ndjson");
const ANSI = /\x1b\[[0-9;]*m/g;

const dir = mkdtempSync(join(tmpdir(), "aigov-cli-ux-"));
const store = join(dir, "demo.db");
afterAll(() => rmSync(dir, { recursive: true, force: true }));
beforeAll(async () => {
  const demo = await runCli(["demo", "--store", store, "--progress-interval", "0"]);
  expect(demo.code, demo.stderr).toBe(0);
}, 120_000);

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** `main` in this process with streams that are, or are not, a terminal of `columns` columns. */
async function aigov(
  args: readonly string[],
  options: { tty?: boolean; columns?: number; env?: NodeJS.ProcessEnv } = {},
): Promise<Run> {
  const stream = () => Object.assign(new PassThrough(), { isTTY: options.tty === true, columns: options.columns });
  const stdout = stream();
  const stderr = stream();
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  stdout.on("data", (chunk: Buffer) => out.push(chunk));
  stderr.on("data", (chunk: Buffer) => err.push(chunk));
  const code = await main(args, { stdout, stderr, stdin: new PassThrough(), env: options.env ?? {}, cwd: dir });
  return { code, stdout: Buffer.concat(out).toString("utf8"), stderr: Buffer.concat(err).toString("utf8") };
}

function widest(text: string): number {
  return Math.max(
    ...text
      .replace(ANSI, "")
      .split("\n")
      .map((line) => line.length),
  );
}

describe("help", () => {
  it("aigov --help groups the commands by job, within 80 columns", async () => {
    const run = await aigov(["--help"]);
    expect(run.code).toBe(0);
    const titles = run.stdout.split("\n").filter((line) => /^[A-Z][^:]*:$/.test(line));
    expect(titles).toEqual([
      "Find AI in the cloud:",
      "Read what the sweeps found:",
      "Stop ungoverned AI before it is deployed:",
      "Rules and testing:",
      "Global options (every command):",
    ]);
    for (const name of COMMANDS) expect(run.stdout).toMatch(new RegExp(`^  ${name} +\\S`, "m"));
    expect(widest(run.stdout)).toBeLessThanOrEqual(80);
  });

  it.each(COMMANDS)(
    "%s --help lists every flag the parser takes, with its description, and examples and exit codes",
    async (name) => {
      const { command } = (await import(`../../packages/cli/src/commands/${name}.ts`)) as {
        command: import("../../packages/cli/src/command.ts").Command;
      };
      const help = await aigov([name, "--help"]);
      expect(help.code).toBe(0);
      expect((await aigov(["help", name])).stdout).toBe(help.stdout);
      const more = await command.moreOptions?.();
      const table: OptionTable = { ...GLOBAL_OPTIONS, ...command.options, ...more?.options };
      // One line per flag, with the start of its description beside it.
      const flat = help.stdout.replace(/\n {2,}/g, " ");
      for (const [flag, spec] of Object.entries(table)) {
        const described = flat.includes(spec.description.slice(0, 30).replace(/\s+/g, " "));
        expect(help.stdout, `--${flag}`).toMatch(new RegExp(`--${flag}\\b`));
        expect(described, `--${flag}: ${spec.description}`).toBe(true);
        if (spec.default !== undefined) expect(flat, `--${flag}`).toContain("default: ");
      }
      expect(help.stdout).toMatch(/\nExamples:\n {2}[^\n]*aigov /);
      expect(help.stdout).toMatch(/\nExit codes:\n {2}0 {2}\S[\s\S]*\n {2}2 {2}\S/);
      expect(widest(help.stdout)).toBeLessThanOrEqual(Math.max(80, command.usage.length + 2));
    },
  );

  it("aigov rules alone lists its subcommands", async () => {
    const run = await aigov(["rules"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^ {2}rules list +\S/m);
    expect(run.stdout).toMatch(/^ {2}rules validate +\S/m);
    expect(run.stdout).toMatch(/^ {2}rules test +\S/m);
  });
});

describe("argument errors", () => {
  it.each(COMMANDS)("%s: an unknown flag is one line naming it and the command's flags, exit 2", async (name) => {
    const run = await aigov([name, "--bogus-flag"]);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr).toMatch(
      new RegExp(
        `^aigov: ${name}: unknown flag --bogus-flag; its flags: --format --output .*; see 'aigov help ${name}'\\n$`,
      ),
    );
  });

  it("a misspelt flag is named with the one meant, a flag without its value says what it takes", async () => {
    expect((await aigov(["findings", "--sevrity", "high"])).stderr).toContain(
      "unknown flag --sevrity (did you mean --severity?)",
    );
    expect((await aigov(["findings", "--store"])).stderr).toBe(
      "aigov: findings: --store takes a value, e.g. --store aigov.db; see 'aigov help findings'\n",
    );
  });

  it.each(COMMANDS)("%s: an output path that cannot be written is one line, exit 2", async (name) => {
    mkdirSync(join(dir, "out"), { recursive: true });
    for (const [output, reason] of [
      ["/nonexistent/x.json", "its directory does not exist"],
      [`${join(dir, "out")}/`, "it is a directory; give a file name"],
      [join(dir, "out"), "it is a directory; give a file name"],
    ] as const) {
      const run = await aigov([name, "-o", output]);
      expect(run.code).toBe(2);
      expect(run.stderr).toBe(`aigov: cannot write ${output}: ${reason}\n`);
    }
  });

  it("an input that cannot be read is named with the reason in words, not Node's error code, exit 2", async () => {
    const missing = join(dir, "no-such-input.json");
    for (const [args, line] of [
      [["gate", missing], `aigov: cannot read ${missing}: no such file or directory`],
      [["logs", missing, "--no-state"], `aigov: cannot read '${missing}': no such file or directory`],
      [["gate", PLAN, "--policy", dir], `aigov: ${dir}: cannot read policy file: it is a directory, not a file`],
      [["export", "--input", missing], `aigov: cannot read ${missing}: no such file or directory`],
    ] as const) {
      const run = await aigov(args);
      expect(run.code, args.join(" ")).toBe(2);
      expect(run.stderr.split("\n")[0]).toBe(line);
      // Without the temporary paths, whose random letters can spell one (`…-xUECCF`).
      expect(run.stderr.replaceAll(dir, "DIR")).not.toMatch(/\bE[A-Z]{3,}\b/);
    }
  });

  it("a write that fails after the work (a full disk) is one line and exit 2: the gate fails closed, without 'a bug'", async () => {
    const gate = await runCli(["gate", PLAN, "-o", "/dev/full"]);
    expect(gate.code).toBe(2);
    expect(gate.stderr.trim().split("\n").at(-1)).toBe("aigov: cannot write /dev/full: no space left on the device");
    expect(gate.stderr).not.toContain("bug");
    expect(gate.stderr).not.toMatch(/^\s+at /m);
    const sweep = await runCli(["demo", "--format", "json", "-o", "/dev/full", "--progress-interval", "0"]);
    expect(sweep.code).toBe(2);
    expect(sweep.stderr.trim().split("\n").at(-1)).toBe("aigov: cannot write /dev/full: no space left on the device");
    const rules = await runCli(["rules", "list", "-o", "/dev/full"]);
    expect(rules.code).toBe(2);
    expect(rules.stderr).toBe("aigov: cannot write /dev/full: no space left on the device\n");
  });
});

describe("sweep without credentials", () => {
  it("says once which credentials it looked for and how to give them, and gives no 'Result'", async () => {
    // A shell with no AWS credentials anywhere: no variables, an empty home, no instance metadata.
    const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith("AWS_")));
    const home = join(dir, "empty-home");
    mkdirSync(home, { recursive: true });
    const run = await runProcess(
      NODE,
      [CLI, "sweep", "--aws-account", "111122223333", "--aws-region", "us-east-1", "--store", join(dir, "none.db")],
      { cwd: dir, env: { ...env, HOME: home, NO_COLOR: "1", AWS_EC2_METADATA_DISABLED: "true" } },
    );
    expect(run.code).toBe(2);
    const said = run.stdout + run.stderr;
    expect(run.stdout).toContain(
      "no AWS credentials: looked in the environment (AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY), the profile",
    );
    expect(run.stdout).toContain("export AWS_PROFILE=audit");
    expect(said.split("looked in").length - 1).toBe(1);
    expect(run.stdout).toContain("1 target (0 complete, 0 partial, 1 failed)");
    expect(said).not.toContain("Result:");
    expect(said).not.toContain("no findings");
    expect(said).not.toContain("SSM parameter values were not read");
  });
});

describe("semantics", () => {
  it("findings --severity high means high and above, as --fail-on high does", async () => {
    const all = JSON.parse((await aigov(["findings", "--store", store, "--format", "json"])).stdout) as {
      findings: { id: string; severity: string }[];
    };
    const high = JSON.parse(
      (await aigov(["findings", "--store", store, "--severity", "high", "--format", "json"])).stdout,
    ) as { findings: { id: string; severity: string }[] };
    const expected = all.findings.filter((finding) => ["high", "critical"].includes(finding.severity));
    expect(expected.some((finding) => finding.severity === "critical")).toBe(true);
    expect(high.findings.map((finding) => finding.id).sort()).toEqual(expected.map((finding) => finding.id).sort());
  });

  it("findings and inventory of a store no sweep wrote print no empty table and say how to fill it", async () => {
    const logsOnly = join(dir, "logs-only.db");
    expect((await aigov(["logs", BEDROCK_LOG, "--store", logsOnly])).code).toBeLessThan(2);
    for (const [command, said] of [
      ["findings", "0 findings"],
      ["inventory", "0 assets and keys"],
    ] as const) {
      const run = await aigov([command, "--store", logsOnly]);
      expect(run.code).toBe(0);
      expect(run.stdout).toBe("");
      expect(run.stderr).toBe(
        `${said} in ${logsOnly}: no sweep is recorded there yet; run 'aigov sweep' first, or 'aigov demo' to try aigov on a simulated organization\n`,
      );
    }
    // A store with sweeps that a filter empties says only the count.
    expect((await aigov(["findings", "--store", store, "--rule", "no-such-rule"])).stderr).toBe(
      `0 findings in ${store}\n`,
    );
  });

  it("inventory --run takes a run's number or latest, and refuses anything else rather than list nothing", async () => {
    const latest = await aigov(["inventory", "--store", store, "--run", "latest", "--format", "json"]);
    expect(latest.code, latest.stderr).toBe(0);
    expect((JSON.parse(latest.stdout) as { assets: unknown[] }).assets.length).toBeGreaterThan(0);
    for (const run of ["abc", "99"]) {
      const bad = await aigov(["inventory", "--store", store, "--run", run]);
      expect(bad.code).toBe(2);
      expect(bad.stderr).toBe(
        `aigov: no run ${run} in ${store}\n  hint: see the runs with 'aigov report', or omit --run\n`,
      );
    }
  });

  it("report --format json is refused with where the JSON is; export --format junit writes JUnit", async () => {
    const report = await aigov(["report", "--store", store, "--format", "json"]);
    expect(report.code).toBe(2);
    expect(report.stderr).toContain("report writes HTML only, not json");
    expect(report.stderr).toContain("'aigov findings --format json'");
    const junit = await aigov(["export", "--store", store, "--format", "junit"]);
    expect(junit.code, junit.stderr).toBe(0);
    expect(junit.stdout).toMatch(/^<\?xml[\s\S]*<testsuite [^>]*failures="[1-9]\d*"/);
  });

  it("a second logs run over the same file says the file was unchanged and how to read it again", async () => {
    const state = join(dir, "logs.db");
    const first = await runCli(["logs", BEDROCK_LOG, "--store", state]);
    expect(first.stdout).toMatch(/^read 1 log object, /);
    const second = await runCli(["logs", BEDROCK_LOG, "--store", state]);
    expect(second.code).toBe(0);
    expect(second.stdout).toContain(
      "1 object unchanged since the last run, not read again (the store keeps what was read); --no-state reads them again",
    );
    expect(second.stdout).toContain("no findings: nothing new was read");
    expect((await runCli(["logs", "--help"])).stdout).toContain("--no-state reads everything again");
  });
});

/** The cells of each row of the findings table `aigov logs` ends with (piped: one line a row). */
function logTableRows(stdout: string): string[][] {
  return stdout
    .slice(stdout.indexOf("  SEVERITY"))
    .split("\n")
    .slice(1)
    .filter((line) => line.trim() !== "")
    .map((line) => line.trim().split(/\s{2,}/));
}

describe("status words", () => {
  /** The first words of a table's rows that a severity or state word starts (a folded line starts with spaces). */
  const rowWords = (table: string, column: number) =>
    table
      .split("\n")
      .slice(1)
      .filter((line) => /^\S/.test(line))
      .map((line) => line.split(/\s+/)[column]!);

  it("gate, findings and logs say a state and a severity in the same lower-case words", async () => {
    const gate = await aigov(["gate", PLAN]);
    const statuses = new Set(rowWords(gate.stdout, 0));
    expect(statuses).toEqual(new Set(["block", "warn", "unknown", "existing"]));
    const findings = await aigov(["findings", "--store", store]);
    expect(new Set(rowWords(findings.stdout, 1))).toEqual(new Set(["new"]));
    const severities = new Set(["critical", "high", "medium", "low", "info"]);
    for (const word of [...rowWords(gate.stdout, 3), ...rowWords(findings.stdout, 0)])
      expect(severities).toContain(word);
    const logSeverities = logTableRows((await runCli(["logs", BEDROCK_LOG, "--no-state"])).stdout).map((row) => row[0]);
    expect(logSeverities.length).toBeGreaterThan(0);
    for (const word of logSeverities) expect(severities).toContain(word);
  });
});

describe("logs", () => {
  it("groups a rule's findings in one row with their count and first subjects; the JSON keeps each", async () => {
    const azure = join(REPO_ROOT, "test/fixtures/logs/azure");
    const rows = logTableRows((await aigov(["logs", azure, "--no-state"])).stdout);
    const rules = rows.map((row) => row[1]);
    expect(new Set(rules).size).toBe(rules.length);
    const listKeys = rows.find((row) => row[1] === "azure-log-cognitive-services-list-keys")!;
    // mallory's listing in the Activity Log export and in its REST form is one finding (one rollup identity), and
    // the resource log's unnamed caller is another.
    expect(listKeys[2]).toBe("2");
    expect(listKeys[3]).toMatch(
      /^Keys of an Azure OpenAI \/ AI Services account were listed or regenerated: .*mallory@contoso\.example/,
    );
    const json = JSON.parse((await aigov(["logs", azure, "--no-state", "--format", "json"])).stdout) as {
      findings: unknown[];
    };
    expect(rows.reduce((sum, row) => sum + Number(row[2]), 0)).toBe(json.findings.length);
    expect(json.findings.length).toBeGreaterThan(rows.length);
  });

  it("shows objects, percent and ETA on a terminal while it reads local files, on one thread too; nothing when piped", async () => {
    const trail = join(dir, "trail");
    mkdirSync(trail, { recursive: true });
    const records = readFileSync(BEDROCK_LOG, "utf8");
    for (let file = 0; file < 1500; file++)
      writeFileSync(join(trail, `part-${String(file).padStart(4, "0")}.ndjson`), records);
    const onTerminal = await aigov(["logs", trail, "--no-state", "--scan-threads", "0"], {
      tty: true,
      columns: 120,
    });
    expect(onTerminal.code, onTerminal.stderr).toBeLessThan(2);
    const status = onTerminal.stderr.split("\r\x1b[K").filter((line) => line !== "");
    expect(
      status.some((line) => /^\d+\/1500 objects · \d+% · ETA \d[\dhms]* · /.test(line)),
      onTerminal.stderr,
    ).toBe(true);
    for (const line of status) expect(line.length).toBeLessThan(120);
    const piped = await aigov(["logs", trail, "--no-state", "--scan-threads", "0"]);
    expect(piped.stdout).toMatch(/^read 1500 log objects, /);
    expect(piped.stderr).toBe("");
  }, 120_000);
});

describe("terminal output", () => {
  it("colours severities and verdicts on a terminal only; NO_COLOR and --no-color turn it off, FORCE_COLOR on", async () => {
    const gate = (options: Parameters<typeof aigov>[1], ...flags: string[]) => aigov(["gate", PLAN, ...flags], options);
    const coloured = await gate({ tty: true, columns: 200 });
    expect(coloured.code).toBe(1);
    expect(coloured.stdout).toMatch(ANSI);
    expect(coloured.stderr).toMatch(/\x1b\[[0-9;]*mBLOCKED: /);
    expect((await gate({ tty: false })).stdout).not.toMatch(ANSI);
    expect((await gate({ tty: true, columns: 200, env: { NO_COLOR: "1" } })).stdout).not.toMatch(ANSI);
    expect((await gate({ tty: true, columns: 200 }, "--no-color")).stdout).not.toMatch(ANSI);
    expect((await gate({ tty: false, env: { FORCE_COLOR: "1" } })).stdout).toMatch(ANSI);
    expect((await gate({ tty: true, columns: 200, env: { TERM: "dumb" } })).stdout).not.toMatch(ANSI);
  });

  it.each([80, 120])("tables fit a %i-column terminal; the full text stays in --format json", async (columns) => {
    for (const args of [
      ["gate", PLAN],
      ["findings", "--store", store],
      ["inventory", "--store", store],
      ["rules", "list"],
    ]) {
      const run = await aigov(args, { tty: true, columns });
      expect(run.stdout.split("\n").length, args.join(" ")).toBeGreaterThan(2);
      expect(widest(run.stdout), args.join(" ")).toBeLessThanOrEqual(columns);
    }
    // The gate's fix and why are what a reader acts on: whole on the terminal (folded under their row), not cut.
    const text = (await aigov(["gate", PLAN], { tty: true, columns })).stdout;
    const json = JSON.parse((await aigov(["gate", PLAN, "--format", "json"])).stdout) as {
      findings: { ruleId: string; remediation: { text: string } }[];
    };
    const flowing = text.replace(/\s+/g, " ");
    for (const finding of json.findings) {
      expect(flowing, finding.ruleId).toContain(finding.remediation.text.trim().replace(/\s+/g, " "));
      expect(flowing).toContain(finding.ruleId);
    }
    expect(text).not.toContain("…");
    // The findings' rule ids are what a reader copies into a waiver: whole on the terminal, not cut.
    const findings = (await aigov(["findings", "--store", store], { tty: true, columns })).stdout;
    const stored = JSON.parse((await aigov(["findings", "--store", store, "--format", "json"])).stdout) as {
      findings: { ruleId: string }[];
    };
    for (const { ruleId } of stored.findings) expect(findings, ruleId).toMatch(new RegExp(`\\b${ruleId}\\b`));
  });
});
