import { describe, expect, it } from "vitest";
import { flagReader } from "../src/plugin.ts";

const FLAGS = {
  "gcp-project": { type: "string", multiple: true, description: "a project to sweep", example: "my-project" },
  "gcp-folder": { type: "string", description: "a folder to sweep", default: "none" },
  "gcp-read-metadata": { type: "boolean", description: "an opt-in" },
} as const;

describe("flagReader", () => {
  it("reads repeatable flags as lists, comma-separated lists split, and says whether any flag was given", () => {
    const flags = flagReader(FLAGS, { "gcp-project": ["a, b", "c"], "gcp-read-metadata": true, other: "x" });
    expect(flags.list("gcp-project")).toEqual(["a", "b", "c"]);
    expect(flags.string("gcp-folder")).toBeUndefined();
    expect(flags.boolean("gcp-read-metadata")).toBe(true);
    expect(flags.any()).toBe(true);
    expect(flagReader(FLAGS, { other: "x", "gcp-read-metadata": false }).any()).toBe(false);
  });

  it("refuses a flag name the scanner does not declare, so a misspelt name fails where it is written", () => {
    expect(() => flagReader(FLAGS, {}).string("gcp-projcet")).toThrow(
      /--gcp-projcet is not in the scanner's flag table/,
    );
  });
});
