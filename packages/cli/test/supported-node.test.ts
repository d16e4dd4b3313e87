import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { unsupportedNode } from "../bin/supported-node.js";

describe("which Node.js aigov runs on (bin/supported-node.js)", () => {
  it("accepts the minimum and anything newer, by major, minor and patch", () => {
    for (const version of ["24.0.0", "24.21.0", "25.1.0", "100.0.0"])
      expect(unsupportedNode(version, ">=24")).toBe(undefined);
    expect(unsupportedNode("24.5.0", ">=24.5")).toBe(undefined);
    expect(unsupportedNode("24.5.1", ">=24.5.1")).toBe(undefined);
    expect(unsupportedNode("24.10.0", ">=24.9.3")).toBe(undefined);
  });

  it("refuses an older one, naming the Node it needs, the one running, and what to do", () => {
    expect(unsupportedNode("20.20.2", ">=24")).toBe(
      `aigov needs Node.js 24 or newer; this is Node.js 20.20.2 (${process.execPath})\n  hint: install Node.js 24 (nodejs.org, your package manager, nvm) and run aigov with it`,
    );
    expect(unsupportedNode("22.22.0", ">=24")).toContain("aigov needs Node.js 24 or newer");
    expect(unsupportedNode("24.4.9", ">=24.5")).toContain("aigov needs Node.js 24.5 or newer; this is Node.js 24.4.9");
    expect(unsupportedNode("24.5.0", ">=24.5.1")).toContain("this is Node.js 24.5.0");
  });

  it("reads a range it understands from the CLI's package.json, and refuses one it does not rather than guess", () => {
    const { engines } = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"));
    expect(unsupportedNode(process.versions.node, engines.node)).toBe(undefined);
    expect(() => unsupportedNode("24.0.0", "^24 || ^26")).toThrow('engines.node must read ">=MAJOR[.MINOR[.PATCH]]"');
  });
});
