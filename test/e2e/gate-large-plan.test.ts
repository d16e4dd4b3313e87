// `aigov gate` of a large plan (the gate bench's generated plan, 12 MiB) edited to be invalid where the gate reads
// nothing it judges: the whole document is checked, so each edit fails the gate closed, exit 2, with the message the
// plan reader gives.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isAigovError } from "../../packages/core/src/index.ts";
import { readGateSource } from "../../packages/iac/src/gate.ts";
import { generatePlan } from "../bench/generated-plan.ts";
import { runCli } from "./run-cli.ts";

const dir = mkdtempSync(join(tmpdir(), "aigov-large-plan-"));
const plan = join(dir, "plan.json");
let text = "";

beforeAll(() => {
  text = generatePlan();
  writeFileSync(plan, text);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

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

/** What the plan reader says of the file, in this process. */
async function ownReadError(file: string): Promise<string> {
  const error = await readGateSource(file).then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!isAigovError(error)) throw new Error(`expected an AigovError for ${file}, got ${String(error)}`);
  return `aigov: ${error.format()}\n`;
}

describe("aigov gate of a large plan, edited where the gate reads nothing it judges", () => {
  it("judges the plan as it is: blocked, exit 1", async () => {
    const run = await runCli(["gate", plan], { env: { AIGOV_NO_CACHE: "1" } });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/AI resources: 500 .*\n[\s\S]*BLOCKED: \d+ findings at or above high/);
  }, 60_000);

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
    it(`refuses a plan with ${what}: exit 2, the plan reader's message`, async () => {
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
