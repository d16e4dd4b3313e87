import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { fileErrorReason } from "../src/index.ts";

function thrownBy(read: () => unknown): unknown {
  try {
    read();
  } catch (error) {
    return error;
  }
  throw new Error("expected the read to throw");
}

describe("fileErrorReason", () => {
  it("says what went wrong in words, without Node's code, system call or path", () => {
    expect(fileErrorReason(thrownBy(() => readFileSync("/no/such/file")))).toBe("no such file or directory");
    expect(fileErrorReason(thrownBy(() => readFileSync("/")))).toBe("it is a directory, not a file");
    expect(fileErrorReason(thrownBy(() => readFileSync("/etc/hostname/x")))).toBe(
      "a part of its path is a file, not a directory",
    );
  });

  it("a code it has no words for keeps the system's own description; anything else its message", () => {
    const busy = Object.assign(new Error("EBUSY: resource busy or locked, open 'C:\\x'"), { code: "EBUSY" });
    expect(fileErrorReason(busy)).toBe("resource busy or locked");
    expect(fileErrorReason(new Error("the disk caught fire"))).toBe("the disk caught fire");
    expect(fileErrorReason("a string")).toBe("a string");
  });
});
