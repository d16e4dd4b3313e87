import { createSectionCheck, loadPolicy, type Policy } from "@aigov/core";
import type { ScannerPlugin } from "@aigov/scanner-kit";
import { scannerPlugins } from "@aigov/scanner-registry";
import { targetsSchema } from "./targets-schema.ts";

/**
 * The policy as every command loads it. Core checks the keys it reads; each section another package owns
 * (`targets.<cloud>`, `sinks`, `store`) is checked here too, by its owner's schema, so a mistake anywhere in the file
 * stops any command at its file:line:column with exit 2 (a gate in CI catches a broken sink before the nightly sweep
 * does), as an editor with the composed schema would show it.
 */
export async function loadCheckedPolicy(file: string | undefined, cwd: string): Promise<Policy> {
  const policy = await loadPolicy(file, cwd);
  // A section's check costs a schema compilation, and its checker an import (the sinks' schema alone is 27 KB of
  // code a gate would compile at every start): only for a section that is there.
  if (policy.section(["targets"]) !== undefined) checkTargets(policy, await scannerPlugins());
  if (policy.section(["sinks"]) !== undefined) (await import("@aigov/export/sinks-section")).parseSinks(policy);
  if (policy.section(["store"]) !== undefined) (await import("@aigov/store/store-section")).policyStore(policy);
  return policy;
}

/** `targets:` names only installed scanners, and each cloud's section keeps to its scanner's schema. */
export function checkTargets(policy: Pick<Policy, "section">, plugins: readonly ScannerPlugin[]): void {
  const targets = policy.section(["targets"]);
  if (targets === undefined) return;
  createSectionCheck(
    targetsSchema(plugins, (plugin) => plugin.policySchema),
    ["targets"],
  )(targets);
}
