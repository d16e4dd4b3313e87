// `aigov gate` of a large plan: bin/aigov.js reads it ahead on the thread pool while the command loads
// (bin/plan-read-ahead.js). The user sees the same verdict, output, exit code and message as when the gate reads the
// plan itself.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { READ_AHEAD_BYTES } from "../../packages/cli/bin/plan-read-ahead.js";
import { isAigovError } from "../../packages/core/src/index.ts";
import { readGateSource } from "../../packages/iac/src/gate.ts";
import { generatePlan } from "../bench/generated-plan.ts";
import { NODE, REPO_ROOT, runCli, runProcess } from "./run-cli.ts";

const dir = mkdtempSync(join(tmpdir(), "aigov-large-plan-"));
const plan = join(dir, "plan.json");
let text = "";

beforeAll(() => {
  text = generatePlan();
  writeFileSync(plan, text);
});

/** The plan with `insert` put before the middle resource's `force_destroy` (inside its `after`, a value not read). */
function edited(name: string, insert: string | Buffer, replace?: [string, string]): string {
  const bytes = Buffer.from(text, "latin1");
  let result: Buffer;
  if (replace !== undefined) {
    const at = text.indexOf(replace[0], text.length / 2);
    result = Buffer.concat([bytes.subarray(0, at), Buffer.from(replace[1]), bytes.subarray(at + replace[0].length)]);
  } else {
    const at = text.indexOf('"force_destroy":false', text.length / 2);
    const added = typeof insert === "string" ? Buffer.from(insert) : insert;
    result = Buffer.concat([bytes.subarray(0, at), added, bytes.subarray(at)]);
  }
  const file = join(dir, name);
  writeFileSync(file, result);
  return file;
}

/** What the gate says when it reads the file itself, in this process: no read-ahead. */
async function ownReadError(file: string): Promise<string> {
  const error = await readGateSource(file).then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!isAigovError(error)) throw new Error(`expected an AigovError for ${file}, got ${String(error)}`);
  return `aigov: ${error.format()}\n`;
}

describe("aigov gate of a plan large enough to be read ahead", () => {
  it("is large enough", () => {
    expect(readFileSync(plan).length).toBeGreaterThanOrEqual(READ_AHEAD_BYTES);
  });

  it("gives the verdict, output and exit code the sources give reading it themselves", async () => {
    const run = await runCli(["gate", plan, "--format", "json"], { env: { AIGOV_NO_CACHE: "1" } });
    expect(run.code).toBe(1);
    // The TypeScript sources started directly (not through bin/aigov.js) read the plan themselves.
    const sources = await runProcess(
      NODE,
      [join(REPO_ROOT, "packages/cli/src/main.ts"), "gate", plan, "--format", "json"],
      {
        env: { ...process.env, NO_COLOR: "1", AIGOV_NO_CACHE: "1" },
      },
    );
    expect(sources.code).toBe(1);
    // The same JSON but for the time each finding was observed.
    const untimed = (text: string) => text.replace(/"observedAt": "[^"]*"/g, '"observedAt": ""');
    expect(untimed(run.stdout)).toBe(untimed(sources.stdout));
    expect(run.stderr).toBe(sources.stderr);
    expect(run.stderr).toMatch(/AI resources: 500 .*\n[\s\S]*BLOCKED: \d+ findings at or above high/);
  }, 120_000);

  const invalid: [string, () => string][] = [
    ["a key twice in a value the gate does not read", () => edited("twice.json", '"force_destroy":true,')],
    [
      "bytes that are not UTF-8",
      () => edited("latin1.json", Buffer.from([0x22, 0x78, 0x22, 0x3a, 0x22, 0xff, 0x22, 0x2c])),
    ],
    ["a raw control character in a string", () => edited("control.json", '"x":"a\u0001b",')],
    ["a number JSON does not allow", () => edited("number.json", '"x":01,')],
    ["nesting deeper than 512 levels", () => edited("deep.json", `"x":${"[".repeat(600)}${"]".repeat(600)},`)],
    ["a cut end", () => edited("cut.json", "", ["}]}}", "}]}"])],
    [
      "a resource type terraform never writes",
      () => edited("type.json", "", ['"type":"aws_instance"', '"type":"AWS_Instance"']),
    ],
    ["an unknown action", () => edited("action.json", "", ['"actions":["create"]', '"actions":["crxate"]'])],
  ];
  for (const [what, make] of invalid) {
    it(`refuses a plan with ${what}: exit 2, the message the gate gives reading it itself`, async () => {
      const file = make();
      const run = await runCli(["gate", file], { env: { AIGOV_NO_CACHE: "1" } });
      expect(run.code).toBe(2);
      expect(run.stdout).toBe("");
      expect(run.stderr).toBe(await ownReadError(file));
    }, 60_000);
  }

  it("refuses a second document after the plan, and trailing garbage", async () => {
    for (const [name, tail] of [
      ["second.json", "{}"],
      ["garbage.json", "x"],
    ] as const) {
      const file = join(dir, name);
      writeFileSync(file, text + tail);
      const run = await runCli(["gate", file], { env: { AIGOV_NO_CACHE: "1" } });
      expect(run.code).toBe(2);
      expect(run.stderr).toBe(await ownReadError(file));
    }
  }, 60_000);
});

describe("the gate's read of a file read ahead (GateReadAhead)", () => {
  it("judges the bytes read ahead for the file it reads, and reads the file itself when they did not come", async () => {
    // The same plan but for one AI resource's name (aws_sagemaker_notebook_instance.r[7]).
    const renamed = Buffer.from(text.replaceAll('"name":"nb-7"', '"name":"nb-x"'));
    const named = (input: { subjects: readonly unknown[] }) => JSON.stringify(input.subjects).includes('"nb-x"');
    const own = await readGateSource(plan);
    expect(named(own)).toBe(false);
    const ahead = await readGateSource(plan, undefined, { readAhead: { path: plan, bytes: Promise.resolve(renamed) } });
    expect(named(ahead)).toBe(true);
    expect(ahead.subjects.length).toBe(own.subjects.length);
    const notRead = { path: plan, bytes: Promise.resolve(undefined) };
    expect(await readGateSource(plan, undefined, { readAhead: notRead })).toEqual(own);
    // Bytes read ahead for another path are not used.
    const elsewhere = { path: join(dir, "other.json"), bytes: Promise.resolve(renamed) };
    expect(await readGateSource(plan, undefined, { readAhead: elsewhere })).toEqual(own);
  });

  it("validates the bytes read ahead as the file's own: a key twice is refused with the same message", async () => {
    const file = edited("twice-in-process.json", '"force_destroy":true,');
    const error = await readGateSource(file, undefined, {
      readAhead: { path: file, bytes: Promise.resolve(readFileSync(file)) },
    }).catch((caught: unknown) => caught);
    expect(isAigovError(error) && `aigov: ${error.format()}\n`).toBe(await ownReadError(file));
  });
});
