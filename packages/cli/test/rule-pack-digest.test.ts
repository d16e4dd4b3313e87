import { execSync } from "node:child_process";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { rulePackDigest } from "../src/rule-pack-digest.ts";

/** The check the README gives users, with coreutils alone. */
function sha256sumOfListing(dir: string): string {
  return execSync(
    "find . -name '*.yaml' -o -name '*.yml' | sed 's|^\\./||' | LC_ALL=C sort | xargs sha256sum | sha256sum",
    {
      cwd: dir,
      encoding: "utf8",
    },
  ).split(" ")[0]!;
}

function pack(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "aigov-pack-digest-"));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, ".."), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

describe("the rule pack's digest (aigov --version)", () => {
  it("is the SHA-256 of the pack's sha256sum listing, in byte order, and counts the rule files", () => {
    const dir = pack({
      "aws/b.yaml": "id: b\n",
      "aws-extra/a.yml": "id: a\n",
      "common/c.yaml": "id: c\n",
      "README.md": "not a rule\n",
    });
    expect(rulePackDigest(dir)).toEqual({ digest: `sha256:${sha256sumOfListing(dir)}`, files: 3 });
  });

  it("changes with one byte of one rule, and with a file's name", () => {
    const base = rulePackDigest(pack({ "aws/b.yaml": "id: b\n", "common/c.yaml": "id: c\n" })).digest;
    expect(rulePackDigest(pack({ "aws/b.yaml": "id: b\n", "common/c.yaml": "id: d\n" })).digest).not.toBe(base);
    expect(rulePackDigest(pack({ "aws/b.yaml": "id: b\n", "common/d.yaml": "id: c\n" })).digest).not.toBe(base);
    expect(rulePackDigest(pack({ "aws/b.yaml": "id: b\n", "common/c.yaml": "id: c\n" })).digest).toBe(base);
  });
});
