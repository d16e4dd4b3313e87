// Every AI resource block of the public HCL corpora (test/fixtures/hcl-corpora: pike's one-file-per-type examples
// and checkov's check fixtures, Apache-2.0, sources in the README there), read as terraform configuration, one file at a
// time (pike's directories declare the same helper resources in every file, which terraform would refuse as one
// module). The count per type is compared with a plain text search for `resource "<ai type>"` blocks.
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { aiTypeInfo, readTerraformConfiguration } from "../src/index.ts";

const CORPORA = join(dirname(fileURLToPath(import.meta.url)), "../../../test/fixtures/hcl-corpora");
const ROOTS = [join(CORPORA, "pike"), join(CORPORA, "checkov")];

function tfFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? tfFiles(join(dir, entry.name)) : entry.name.endsWith(".tf") ? [join(dir, entry.name)] : [],
  );
}

/** `resource "aws_sagemaker_endpoint" "x"` blocks of AI types, by type, as a text search finds them. */
function searchedBlocks(files: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const file of files) {
    for (const match of readFileSync(file, "utf8").matchAll(/^\s*resource\s+"([a-z0-9_]+)"\s+"[^"]+"/gm)) {
      const type = match[1]!;
      if (aiTypeInfo(type) !== undefined) counts.set(type, (counts.get(type) ?? 0) + 1);
    }
  }
  return counts;
}

describe("AI resource blocks of the pike and checkov HCL corpora, read as configuration", () => {
  it("finds every one, by type, as the text search does", { timeout: 300_000 }, async () => {
    const files = ROOTS.flatMap(tfFiles);
    expect(files.length).toBe(173);
    const found = new Map<string, number>();
    for (const file of files) {
      const read = await readTerraformConfiguration(file, file);
      // A key found in a resource's values is a subject of its own (`address#field`): counted with its resource.
      const addresses = new Set(read.subjects.map((subject) => subject.id.replace(/#.*$/, "")));
      for (const address of addresses) {
        const type = address.split(".")[0]!;
        found.set(type, (found.get(type) ?? 0) + 1);
      }
    }
    const searched = searchedBlocks(files);
    const sorted = (counts: Map<string, number>) =>
      Object.fromEntries([...counts].sort(([a], [b]) => a.localeCompare(b)));
    console.log(
      `AI resource blocks per type (configuration = text search):\n${JSON.stringify(sorted(found), null, 1)}`,
    );
    expect(sorted(found)).toEqual(sorted(searched));
    console.log(
      `${[...found.values()].reduce((a, b) => a + b, 0)} AI resource blocks of ${found.size} types in ${files.length} files`,
    );
  });
});
