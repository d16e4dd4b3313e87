import { posix } from "node:path";
import { POLICY_CORE_SCHEMA } from "@aigov/core";
import { SINKS_SCHEMA } from "@aigov/export";
import type { ScannerPlugin } from "@aigov/scanner-kit";
import { STORE_SCHEMA } from "@aigov/store";

// The policy file's schema for editors, composed from the packages that own its parts: core's keys, each installed
// scanner's `targets.<cloud>`, the export's `sinks`, the store's `store`. Each part is referred to by `$ref`, so it
// is written once, in its package, where that package checks it.

/**
 * Every committed schema's `$id` is this base and its path in the repository, so a relative `$ref` between two of
 * them means the same to a validator that resolves it against `$id` (ajv) and to an editor that resolves it
 * against the file it read (yaml-language-server).
 */
export const SCHEMA_BASE = "https://github.com/aigov/aigov/";

/** The composed schema, in the repository (`# yaml-language-server: $schema=…` names it). */
export const POLICY_SCHEMA_PATH = "packages/cli/schema/policy.schema.json";

/** `targets:`, one key per installed scanner with `section(plugin)` as its schema. */
export function targetsSchema(plugins: readonly ScannerPlugin[], section: (plugin: ScannerPlugin) => object): object {
  return {
    description:
      "what `aigov sweep` scans, one key per cloud; the scanner flags `aigov sweep --help` lists override it for one run",
    type: "object",
    additionalProperties: false,
    properties: Object.fromEntries(plugins.map((plugin) => [plugin.provider, section(plugin)])),
  };
}

/** policy.schema.json for these scanners (the registry's: `pnpm policy-schema` writes it). */
export function composePolicySchema(plugins: readonly ScannerPlugin[]): object {
  const ref = (schema: object, fragment = "") => ({
    $ref: `${posix.relative(posix.dirname(POLICY_SCHEMA_PATH), repositoryPath(schema))}${fragment}`,
  });
  const sections: Readonly<Record<string, object>> = {
    targets: targetsSchema(plugins, (plugin) => ref(plugin.policySchema)),
    sinks: ref(SINKS_SCHEMA),
    store: ref(STORE_SCHEMA),
  };
  const keys = Object.keys(POLICY_CORE_SCHEMA.properties);
  for (const key of Object.keys(sections))
    if (!keys.includes(key)) throw new Error(`policy-core.schema.json does not let a policy have '${key}'`);
  return {
    $schema: "http://json-schema.org/draft-07/schema#",
    $id: `${SCHEMA_BASE}${POLICY_SCHEMA_PATH}`,
    $comment:
      "Generated from each package's schema by `pnpm policy-schema` (packages/cli/scripts/policy-schema.ts): edit those.",
    title: "aigov policy (aigov.yaml)",
    description:
      "The organization's AI governance (approved models, regions, accounts and principals, tags, the AI registry, waivers, the gate), what aigov sweep scans, where findings are exported, and the history store.",
    type: "object",
    additionalProperties: false,
    properties: Object.fromEntries(
      keys.map((key) => [key, sections[key] ?? ref(POLICY_CORE_SCHEMA, `#/properties/${key}`)]),
    ),
  };
}

/** The file a schema is, from its `$id`. */
export function repositoryPath(schema: object): string {
  const id = "$id" in schema ? schema.$id : undefined;
  if (typeof id !== "string" || !id.startsWith(SCHEMA_BASE))
    throw new Error(`a schema the policy schema refers to needs an $id: ${SCHEMA_BASE}<its path in the repository>`);
  return id.slice(SCHEMA_BASE.length);
}
