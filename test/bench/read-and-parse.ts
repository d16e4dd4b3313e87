import { writeFileSync } from "node:fs";
import { join } from "node:path";

/**
 * Writes the gate benches' baseline into `dir`: a node script that only reads the plan named by its argument and
 * `JSON.parse`s it (and checks it has resource_changes, so the parse cannot be skipped). Returns the script's path.
 */
export function writeReadAndParseScript(dir: string): string {
  const script = join(dir, "read-only.mjs");
  writeFileSync(
    script,
    `import { readFileSync } from "node:fs";
const plan = JSON.parse(readFileSync(process.argv[2], "utf8"));
if (!Array.isArray(plan.resource_changes)) process.exit(3);
`,
  );
  return script;
}
