import { isUtf8 } from "node:buffer";
import { closeSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { readGateSource } from "../src/gate-input.ts";
import {
  JSON_ARRAY,
  JSON_OBJECT,
  type JsonKind,
  type JsonWindow,
  scanJson,
  scanJsonFile,
} from "../src/json-scanner.ts";
import { readPlanScan } from "../src/plan-reader.ts";
import { scanPlanFile, scanPlanText } from "../src/plan-scan.ts";
import { hostilePlan } from "./hostile-plans.ts";
import { applyEdits, JSON_EDIT_CHARACTERS, jsonEdits } from "./mutated-json.ts";
import { PLANS } from "./plan-fixture.ts";

// A plan file is read in windows of 256 KiB (scanJsonFile, scanPlanFile); here in windows of a few bytes too, so that
// tokens, keys, UTF-8 sequences and whole resources fall across the windows' edges.
const dir = mkdtempSync(join(tmpdir(), "aigov-plan-windows-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;

function withFile<T>(bytes: Uint8Array | string, use: (fd: number, path: string) => T): T {
  const path = join(dir, `${files++}.json`);
  writeFileSync(path, bytes);
  const fd = openSync(path, "r");
  try {
    return use(fd, path);
  } finally {
    closeSync(fd);
  }
}

function acceptedWhole(bytes: Buffer): boolean {
  if (!isUtf8(bytes)) return false;
  try {
    scanJson(bytes, { file: "in.json" });
    return true;
  } catch {
    return false;
  }
}

const acceptedInWindows = (bytes: Buffer, windowBytes: number): boolean =>
  withFile(bytes, (fd) =>
    scanJsonFile(fd, { file: "in.json" }, { bytes: Buffer.alloc(0), base: 0, end: 0 }, windowBytes),
  );

describe("a JSON file read in windows is accepted exactly when it is accepted whole", () => {
  it("on 3,000 mutated documents (raw and escaped non-ASCII, invalid UTF-8, keys twice), in windows of 1 to 64 bytes", () => {
    const alphabet = fc.constantFrom(...JSON_EDIT_CHARACTERS, "\u00e9", "\u20ac");
    let refused = 0;
    fc.assert(
      fc.property(
        fc.jsonValue({ maxDepth: 4 }),
        jsonEdits(alphabet),
        fc.option(fc.record({ at: fc.nat(), byte: fc.constantFrom(0x80, 0xc3, 0xe2, 0xf0, 0xff) })),
        fc.integer({ min: 1, max: 64 }),
        (value, edits, badByte, windowBytes) => {
          let bytes = Buffer.from(applyEdits(JSON.stringify(value), edits), "utf8");
          if (badByte !== null) {
            const at = badByte.at % (bytes.length + 1);
            bytes = Buffer.concat([bytes.subarray(0, at), Buffer.from([badByte.byte]), bytes.subarray(at)]);
          }
          const whole = acceptedWhole(bytes);
          if (!whole) refused++;
          expect(acceptedInWindows(bytes, windowBytes), bytes.toString("latin1")).toBe(whole);
        },
      ),
      { numRuns: 3000, seed: 19 },
    );
    expect(refused).toBeGreaterThan(1000);
  });

  it("stops after a value to read on and starts again there: scalar and empty roots, text after the end", () => {
    // The scan reads on only after a value (a quarter of a window before its end): here after every value, and at
    // the document's end, whatever its root is and whatever follows it.
    const accepted = [
      "0",
      "-1.5e3",
      '"x"',
      "true",
      "null",
      "[]",
      "{}",
      "  [1, [2], {}]\n",
      '{"a":[{"b":{}},"c"],"d":1}',
    ];
    const refused = ["", "[", '{"a":1', '{"a":1}{"b":2}', "1 2", "[1,]", '{"a":1,"a":2}', "[1] x", '{"a":1}}'];
    for (const windowBytes of [1, 2, 3, 5, 8, 4096]) {
      for (const text of accepted) expect(acceptedInWindows(Buffer.from(text), windowBytes), text).toBe(true);
      for (const text of refused) expect(acceptedInWindows(Buffer.from(text), windowBytes), text).toBe(false);
    }
    for (const text of [...accepted, ...refused])
      expect(acceptedWhole(Buffer.from(text)), text).toBe(accepted.includes(text));
  });

  it("takes space (and only space) between any two tokens, as JSON.parse does, whole and in windows", () => {
    const tokens = ["{", '"a"', ":", "[", "1", ",", "true", ",", "{", "}", "]", ",", '"b"', ":", '"c"', "}"];
    for (let at = 0; at <= tokens.length; at++) {
      for (const space of [" ", "\t", "\n", "\r", " \n\t\r ", "\u000b", "\u001f", "\u00a0", "x"]) {
        const text = [...tokens.slice(0, at), space, ...tokens.slice(at)].join("");
        let parsed = true;
        try {
          JSON.parse(text);
        } catch {
          parsed = false;
        }
        expect(acceptedWhole(Buffer.from(text)), JSON.stringify(text)).toBe(parsed);
        for (const windowBytes of [1, 2, 5, 4096])
          expect(acceptedInWindows(Buffer.from(text), windowBytes), JSON.stringify(text)).toBe(parsed);
      }
    }
  });

  it("reads keys four bytes a turn and literals whole: an escape, a control character or a cut at every place", () => {
    const cases: string[] = [];
    for (let at = 0; at <= 9; at++) {
      for (const inside of ["\\u0061", '\\"', "\\\\", "\u0001", "\t", "\u00e9", '"']) {
        const key = `${"k".repeat(at)}${inside}${"y".repeat(9 - at)}`;
        cases.push(`{"${key}":1,"other":true}`, `{"${key}":null,"${key}":false}`, `[{"a${key}":1}]`);
      }
    }
    for (const literal of ["true", "false", "null", "tru", "nul", "fals", "trUe", "nulll", "true1", "falsey"])
      cases.push(literal, `[${literal}]`, `{"a":${literal}}`, `[${literal},${literal}]`, ` ${literal} `);
    for (const text of cases) {
      const whole = acceptedWhole(Buffer.from(text));
      let parsed = true;
      try {
        JSON.parse(text);
      } catch {
        parsed = false;
      }
      // JSON.parse takes a key twice; the scan refuses it.
      if (!text.includes(":null,")) expect(whole, text).toBe(parsed);
      for (const windowBytes of [1, 4, 7, 4096])
        expect(acceptedInWindows(Buffer.from(text), windowBytes), text).toBe(whole);
    }
  });

  it("finds a key twice in an object of 100 keys whose first spelling left the window long before", () => {
    const keys = Array.from({ length: 100 }, (_, index) => `"key-${index}":${index}`);
    const text = `{"outer":{${keys.join(",")},"key-3":"again"}}`;
    expect(acceptedWhole(Buffer.from(text))).toBe(false);
    for (const windowBytes of [4, 16, 256]) expect(acceptedInWindows(Buffer.from(text), windowBytes)).toBe(false);
    const distinct = `{"outer":{${keys.join(",")},"key-100":"new"}}`;
    for (const windowBytes of [4, 16, 256]) expect(acceptedInWindows(Buffer.from(distinct), windowBytes)).toBe(true);
  });

  it("hands a reader the same spans, and the value's bytes are in the window when it is told", () => {
    const text = '{"skip": {"type": "no"}, "items": [{"type": "a", "n": 1}, {"\\u0074ype": "b\\u0021"}], "é": "€"}';
    const reader = (seen: unknown[], window?: JsonWindow) => ({
      rootRole: 1,
      members: { 1: { keys: { items: 2 }, other: 5 }, 2: { other: 3 }, 3: { keys: { type: 4 } } },
      opened: (role: number, start: number) => seen.push({ opened: role, start }),
      value(role: number, kind: JsonKind, start: number, end: number, key: { text: string } | undefined) {
        const scalar =
          kind !== JSON_OBJECT && kind !== JSON_ARRAY
            ? { text: window?.bytes.toString("utf8", start - window.base, end - window.base) }
            : {};
        seen.push({ role, kind, start, end, ...(key ? { key: key.text } : {}), ...(window ? scalar : {}) });
      },
    });
    const whole: unknown[] = [];
    scanJson(text, { file: "in.json", reader: reader(whole) });
    expect(whole.length).toBe(13);
    for (const windowBytes of [1, 3, 8, 64, 4096]) {
      const seen: unknown[] = [];
      const window: JsonWindow = { bytes: Buffer.alloc(0), base: 0, end: 0 };
      const accepted = withFile(text, (fd) =>
        scanJsonFile(fd, { file: "in.json", reader: reader(seen, window) }, window, windowBytes),
      );
      expect(accepted).toBe(true);
      const texts = seen
        .filter((item) => (item as { text?: string }).text !== undefined)
        .map((item) => (item as { text: string }).text);
      expect(texts).toEqual(['"a"', '"b\\u0021"', '"€"']);
      expect(seen.map((item) => ({ ...(item as object), text: undefined }))).toEqual(
        whole.map((item) => ({ ...(item as object), text: undefined })),
      );
    }
  });
});

/** What the gate reads of a plan, through the scan of its whole bytes or of its file in windows. */
function readWhole(bytes: Buffer, file: string): unknown {
  try {
    return { read: readPlanScan(scanPlanText(bytes, file)) };
  } catch (error) {
    return { refused: (error as Error).message };
  }
}

function readInWindows(bytes: Buffer, file: string, windowBytes?: number): unknown {
  return withFile(bytes, (fd) => {
    const scan = scanPlanFile(fd, file, windowBytes);
    if (scan === undefined) return { refused: "in windows" };
    try {
      return { read: readPlanScan(scan) };
    } catch {
      return { refused: "in windows" };
    }
  });
}

const fixturePlans = (): string[] => {
  const found: string[] = [];
  const walk = (at: string) => {
    for (const name of readdirSync(at)) {
      const path = join(at, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (name.endsWith(".json") && name !== "manifest.json" && !name.endsWith(".tf.json")) found.push(path);
    }
  };
  walk(PLANS);
  return found;
};

describe("a plan file read in windows is read as its whole bytes are", () => {
  it("every fixture plan gives the same subjects and counts, in windows of 16 bytes to 256 KiB", () => {
    const plans = fixturePlans();
    expect(plans.length).toBeGreaterThan(8);
    let read = 0;
    for (const path of plans) {
      const bytes = readFileSync(path);
      const whole = readWhole(bytes, path) as { read?: unknown };
      if (whole.read === undefined) continue;
      read++;
      for (const windowBytes of [16, 1000, undefined])
        expect(readInWindows(bytes, path, windowBytes), path).toEqual(whole);
    }
    expect(read).toBeGreaterThan(5);
  });

  it("500 hostile plans: each is refused in windows when it is refused whole, else read the same", () => {
    fc.assert(
      fc.property(hostilePlan, fc.constantFrom(24, 333, 4096), (hostile, windowBytes) => {
        const bytes = Buffer.from(hostile.text, "utf8");
        const whole = readWhole(bytes, "plan.json") as { read?: unknown };
        const windows = readInWindows(bytes, "plan.json", windowBytes);
        if (whole.read === undefined) expect(windows).toEqual({ refused: "in windows" });
        else expect(windows).toEqual(whole);
      }),
      { numRuns: 500, seed: 23 },
    );
  });

  it("the gate reads a plan file in windows and says what is wrong with one as when it read it whole", async () => {
    const plan = readFileSync(join(PLANS, "sample-ai-plan.json"), "utf8");
    const edits = [
      plan,
      plan.replace('"format_version":', '"format_version": "1.2", "format_version":'),
      plan.replace('"resource_changes"', '"resource_changes": [], "x"'),
      `${plan}\n{}`,
      plan.slice(0, -20),
      `\ufeff${plan}`,
      plan.replace('"format_version": "', '"format_version": "9'),
    ];
    for (const text of edits) {
      const path = join(dir, `${files++}.json`);
      writeFileSync(path, text);
      // Read from stdin, the plan is read whole: the same, but for the name it goes by.
      const outcome = (read: Promise<unknown>) =>
        read.then(
          (input) => ({ input }),
          (error: Error) => ({ error: error.message }),
        );
      const fromFile = await outcome(readGateSource(path));
      const fromStdin = await outcome(readGateSource("-", streamOf(text)));
      expect(JSON.stringify(fromFile)).toBe(JSON.stringify(fromStdin).replaceAll("<stdin>", path));
    }
  });
});

function streamOf(text: string): NodeJS.ReadableStream {
  return (async function* () {
    yield Buffer.from(text, "utf8");
  })() as unknown as NodeJS.ReadableStream;
}
