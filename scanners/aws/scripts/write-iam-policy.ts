// Writes docs/permissions/aws-iam-policy.json from the command catalogue. Run after changing the catalogue:
//   node scanners/aws/scripts/write-iam-policy.ts
// (test/read-only.test.ts fails while the committed file differs from what this writes.)
import { writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { generateIamPolicy } from "../src/iam-policy.ts";

const POLICY_PATH = join(dirname(fileURLToPath(import.meta.url)), "../../../docs/permissions/aws-iam-policy.json");

writeFileSync(POLICY_PATH, `${JSON.stringify(generateIamPolicy(), null, 2)}\n`);
process.stderr.write(`wrote ${POLICY_PATH}\n`);
