import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import {
  GATE_VALUE_OPTIONS,
  GATE_VALUE_SHORT_OPTIONS,
  gateInputArgument,
  READ_AHEAD_BYTES,
  startGateInputRead,
} from "../bin/plan-read-ahead.js";
import { GLOBAL_OPTIONS } from "../src/command.ts";
import { command as gate } from "../src/commands/gate.ts";

describe("the input bin/aigov.js reads ahead for `aigov gate` (bin/plan-read-ahead.js)", () => {
  it("is the one path the gate is given, wherever its options stand", () => {
    expect(gateInputArgument(["gate", "plan.json"])).toBe("plan.json");
    expect(gateInputArgument(["gate", "--format", "json", "plan.json", "-o", "out.json"])).toBe("plan.json");
    expect(gateInputArgument(["gate", "-f", "sarif", "--var-file=prod.json", "--block-existing", "plan.json"])).toBe(
      "plan.json",
    );
    expect(gateInputArgument(["gate", "--policy", "aigov.yaml", "--rules", "r", "--", "-plan.json"])).toBe(
      "-plan.json",
    );
  });

  it("is nothing for another command, stdin, no input or several", () => {
    expect(gateInputArgument(["sweep", "plan.json"])).toBe(undefined);
    expect(gateInputArgument(["gate", "-"])).toBe(undefined);
    expect(gateInputArgument(["gate", "--format", "json"])).toBe(undefined);
    expect(gateInputArgument(["gate", "a.json", "b.json"])).toBe(undefined);
  });

  it("knows every option of the gate that takes a value", () => {
    const table = { ...GLOBAL_OPTIONS, ...gate.options };
    const valued = Object.entries(table).filter(([, spec]) => spec.type === "string");
    expect([...GATE_VALUE_OPTIONS].sort()).toEqual(valued.map(([name]) => `--${name}`).sort());
    const shorts = valued.flatMap(([, spec]) =>
      "short" in spec && spec.short !== undefined ? [`-${spec.short}`] : [],
    );
    expect([...GATE_VALUE_SHORT_OPTIONS].sort()).toEqual(shorts.sort());
  });

  it("is read whole for a regular file of READ_AHEAD_BYTES or more, and left to the gate otherwise", async () => {
    const dir = mkdtempSync(join(tmpdir(), "aigov-read-ahead-"));
    const large = join(dir, "large.json");
    const content = Buffer.alloc(READ_AHEAD_BYTES + 17, 0x20);
    content[0] = 0x7b;
    writeFileSync(large, content);
    const read = startGateInputRead(["gate", large]);
    expect(read?.path).toBe(resolve(large));
    expect((await read?.bytes)?.equals(content)).toBe(true);
    writeFileSync(join(dir, "small.json"), "{}");
    expect(startGateInputRead(["gate", join(dir, "small.json")])).toBe(undefined);
    mkdirSync(join(dir, "plans"));
    expect(startGateInputRead(["gate", join(dir, "plans")])).toBe(undefined);
    expect(startGateInputRead(["gate", join(dir, "missing.json")])).toBe(undefined);
  });
});
