// Writes packages/cli/schema/policy.schema.json, the policy file's schema for editors, composed from each package's
// own (see src/policy-schema.ts). Run it (`pnpm policy-schema`) after changing one of them or adding a scanner to the
// registry; test/policy-schema.test.ts fails while the committed file is out of step.
import { writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { scannerPlugins } from "@aigov/scanner-registry";
import { composePolicySchema, POLICY_SCHEMA_PATH } from "../src/policy-schema.ts";

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");
const file = join(repoRoot, POLICY_SCHEMA_PATH);
writeFileSync(file, `${JSON.stringify(composePolicySchema(await scannerPlugins()), null, 2)}\n`);
process.stdout.write(`wrote ${file}\n`);
