import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import {
  bedrockModel,
  findingFor,
  notebook,
  openaiAccount,
  vertexEndpoint,
} from "../../packages/export/test/finding-fixtures.ts";
import { runCli } from "./run-cli.ts";

const dirs: string[] = [];
function workspace(): string {
  const dir = mkdtempSync(join(tmpdir(), "aigov-export-e2e-"));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const findings = [
  findingFor(notebook, { severity: "high" }),
  findingFor(openaiAccount, { status: "waived" }),
  findingFor(vertexEndpoint, { frameworks: {} }),
];

function writeResult(dir: string, result: unknown, name = "result.json"): string {
  const file = join(dir, name);
  writeFileSync(file, JSON.stringify(result));
  return file;
}

describe("aigov export --format (stdout)", () => {
  it("writes one OCSF event per line: a Detection Finding per finding, a Compliance Finding where frameworks apply", async () => {
    const dir = workspace();
    const input = writeResult(dir, { findings, assets: [notebook], gaps: [] });
    const run = await runCli(["export", "--format", "ocsf", "--input", input]);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    const events = run.stdout
      .trimEnd()
      .split("\n")
      .map((line) => JSON.parse(line) as { class_uid: number; finding_info: { uid: string } });
    expect(events.map((event) => [event.class_uid, event.finding_info.uid])).toEqual([
      [2004, findings[0]!.id],
      [2003, findings[0]!.id],
      [2004, findings[1]!.id],
      [2003, findings[1]!.id],
      [2004, findings[2]!.id],
    ]);
  });

  it("writes CEF lines, a CycloneDX AI-BOM of the assets, and SARIF", async () => {
    const dir = workspace();
    const input = writeResult(dir, { findings, assets: [notebook, openaiAccount, bedrockModel] });
    const cef = await runCli(["export", "-f", "cef", "-i", input]);
    expect(cef.code).toBe(0);
    expect(
      cef.stdout
        .trimEnd()
        .split("\n")
        .map((line) => /externalId=([0-9a-f]{32})/.exec(line)?.[1]),
    ).toEqual(findings.map((finding) => finding.id));
    const bom = await runCli(["export", "--format", "cyclonedx", "--input", input, "--output", join(dir, "bom.json")]);
    expect(bom.code).toBe(0);
    const document = JSON.parse(readFileSync(join(dir, "bom.json"), "utf8")) as {
      specVersion: string;
      components: { type: string; name: string }[];
      services: { name: string }[];
    };
    expect(document.specVersion).toBe("1.6");
    expect(
      document.components
        .filter((component) => component.type === "machine-learning-model")
        .map((component) => component.name)
        .sort(),
    ).toEqual(["anthropic.claude-3-haiku-20240307-v1:0", "gpt-4o"]);
    expect(document.services.map((service) => service.name)).toEqual(["contoso-oai"]);
    const sarif = await runCli(["export", "--format", "sarif", "--input", input]);
    expect(sarif.code).toBe(0);
    expect((JSON.parse(sarif.stdout) as { version: string }).version).toBe("2.1.0");
  });

  it("reads the result from stdin with --input -", async () => {
    const run = await runCli(["export", "--format", "syslog", "--input", "-"], {
      stdin: JSON.stringify({ findings: findings.slice(0, 1) }),
    });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(
      new RegExp(`^<107>1 2026-11-22T04:05:07\\.123Z \\S+ aigov - finding \\[aigov@32473 id="${findings[0]!.id}" `),
    );
  });

  it("refuses an input that is not a findings result (exit 2, names the file)", async () => {
    const dir = workspace();
    const input = writeResult(dir, { findings: [{ id: "x" }] });
    const run = await runCli(["export", "--format", "ocsf", "--input", input]);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr).toContain(`${input}: findings[0].ruleId must be a string`);
  });
});

describe("aigov export --sink (through the outbox)", () => {
  function setUp(sinkYaml: string | ((dir: string) => string)) {
    const dir = workspace();
    writeFileSync(join(dir, "aigov.yaml"), `sinks:\n${typeof sinkYaml === "string" ? sinkYaml : sinkYaml(dir)}`);
    return { dir, policy: join(dir, "aigov.yaml"), store: join(dir, "aigov.db") };
  }

  it("sends what is new, then only what changed or resolved, and everything with --full", async () => {
    const { dir, policy, store } = setUp(
      (at) => `  - name: archive\n    type: file\n    path: ${join(at, "findings.ndjson")}\n    format: ecs\n`,
    );
    const out = join(dir, "findings.ndjson");
    const args = (input: string, ...extra: string[]) => [
      "export",
      "--sink",
      "archive",
      "--policy",
      policy,
      "--store",
      store,
      "--input",
      input,
      ...extra,
    ];
    const lines = () =>
      readFileSync(out, "utf8")
        .trimEnd()
        .split("\n")
        .map((line) => JSON.parse(line) as { aigov: { finding: { id: string; change: string; status: string } } });

    const first = await runCli(args(writeResult(dir, { findings })));
    expect(first.code).toBe(0);
    expect(JSON.parse(first.stdout)).toMatchObject({ sink: "archive", new: 3, changed: 0, resolved: 0, delivered: 3 });
    expect(lines().map((line) => line.aigov.finding.id)).toEqual(findings.map((finding) => finding.id));

    // Next run: the notebook finding got worse, the Azure one is gone, the Vertex one is unchanged.
    const next = [
      findingFor(notebook, { severity: "critical", observedAt: "2026-11-23T00:00:00.000Z" }),
      { ...findings[2]!, observedAt: "2026-11-23T00:00:00.000Z" },
    ];
    const second = await runCli(args(writeResult(dir, { findings: next }, "next.json")));
    expect(second.code).toBe(0);
    expect(JSON.parse(second.stdout)).toMatchObject({ new: 0, changed: 1, resolved: 1, unchanged: 1, delivered: 2 });
    expect(
      lines()
        .slice(3)
        .map((line) => [line.aigov.finding.id, line.aigov.finding.change, line.aigov.finding.status]),
    ).toEqual([
      [findings[0]!.id, "changed", "open"],
      [findings[1]!.id, "resolved", "resolved"],
    ]);

    const again = await runCli(args(join(dir, "next.json")));
    expect(JSON.parse(again.stdout)).toMatchObject({ unchanged: 2, delivered: 0 });
    const full = await runCli(args(join(dir, "next.json"), "--full"));
    expect(JSON.parse(full.stdout)).toMatchObject({ delivered: 2 });
    expect(lines()).toHaveLength(7);
  });

  it("a file sink on stdout gets the records, and the summary goes to stderr", async () => {
    const { policy, store, dir } = setUp(`  - { name: out, type: file, path: "-", format: cef }\n`);
    const run = await runCli([
      "export",
      "--sink",
      "out",
      "--policy",
      policy,
      "--store",
      store,
      "--input",
      writeResult(dir, { findings }),
    ]);
    expect(run.code).toBe(0);
    expect(
      run.stdout
        .trimEnd()
        .split("\n")
        .map((line) => line.slice(0, 6)),
    ).toEqual(["CEF:0|", "CEF:0|", "CEF:0|"]);
    expect(run.stderr).toContain("aigov: out: 3 new, 0 changed, 0 resolved, 0 unchanged; delivered 3 in 1 batches");
  });

  it("refuses a secret written into the policy file, with its position", async () => {
    const { policy, store, dir } = setUp(
      `  - name: splunk\n    type: splunk-hec\n    url: https://splunk.example.com:8088\n    token: 9f1c-secret\n`,
    );
    const run = await runCli([
      "export",
      "--sink",
      "splunk",
      "--policy",
      policy,
      "--store",
      store,
      "--input",
      writeResult(dir, { findings }),
    ]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`${policy}:5:12: sinks[0].token: secrets never go in the policy file`);
    expect(run.stderr).toContain("token_env");
    expect(run.stderr).not.toContain("9f1c-secret");
  });

  it("names the missing environment variable and the unknown sink", async () => {
    const { policy, store, dir } = setUp(
      `  - { name: hook, type: webhook, url: "http://127.0.0.1:9/x", secret_env: AIGOV_TEST_HOOK_SECRET }\n`,
    );
    const input = writeResult(dir, { findings });
    const missing = await runCli(["export", "--sink", "hook", "--policy", policy, "--store", store, "--input", input]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain(
      "sink 'hook' needs the environment variable AIGOV_TEST_HOOK_SECRET, which is not set",
    );
    const unknown = await runCli(["export", "--sink", "nope", "--policy", policy, "--store", store, "--input", input]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("no sink named 'nope'");
    expect(unknown.stderr).toContain("sinks: hook");
  });
});
