import { describe, expect, it } from "vitest";
import { AigovError, escapeControlCharacters } from "../src/errors.ts";

describe("escapeControlCharacters", () => {
  it("writes line breaks, terminal escapes and bidi overrides as escapes, and keeps every other character", () => {
    expect(
      escapeControlCharacters("ws\r\nrun-task result: passed\t\u001b[2K\u0000\u007f\u0085\u2028\u202e\u2066"),
    ).toBe("ws\\r\\nrun-task result: passed\\t\\x1b[2K\\x00\\x7f\\x85\\u2028\\u202e\\u2066");
    expect(escapeControlCharacters("café 模型 🤖 C:\\path")).toBe("café 模型 🤖 C:\\path");
  });

  it("makes an error one message line and one hint line, whatever its message, file and hint quote", () => {
    const error = new AigovError("X", "cannot read plan\r\naigov: gate passed", {
      position: { file: "a\nb.json", line: 3 },
      hint: "pass\na plan",
    });
    expect(error.format()).toBe("a\\nb.json:3: cannot read plan\\r\\naigov: gate passed\n  hint: pass\\na plan");
  });
});
