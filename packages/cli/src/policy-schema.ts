import { posix } from "node:path";
import { POLICY_CORE_SCHEMA } from "@aigov/core";
import { SINKS_SCHEMA } from "@aigov/export/sinks-section";
import type { ScannerPlugin } from "@aigov/scanner-kit";
import { STORE_SCHEMA } from "@aigov/store/store-section";
import { targetsSchema } from "./targets-schema.ts";

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

/**
 * policy.schema.json as one file, each package's schema under `definitions` and every `$ref` pointing inside it.
 * The release ships it (`schema/policy.schema.json` in @aigov/cli): an installed aigov has no repository for the
 * composed file's `$ref`s to reach.
 */
export function bundlePolicySchema(plugins: readonly ScannerPlugin[]): object {
  const composed: Readonly<Record<string, unknown>> = { ...composePolicySchema(plugins) };
  const definitions: Record<string, unknown> = {};
  const definitionOf = new Map<string, string>();
  for (const schema of [
    POLICY_CORE_SCHEMA,
    SINKS_SCHEMA,
    STORE_SCHEMA,
    ...plugins.map((plugin) => plugin.policySchema),
  ]) {
    const path = repositoryPath(schema);
    const name = posix.basename(path, ".schema.json");
    // Inside one file it is no longer a document of its own: without its `$id`, its `#…` pointers are rewritten.
    const body = Object.fromEntries(Object.entries(schema).filter(([key]) => key !== "$schema" && key !== "$id"));
    definitions[name] = withRefs(body, (ref) => {
      if (!ref.startsWith("#")) throw new Error(`${path}: a $ref to another file cannot be bundled: ${ref}`);
      return `#/definitions/${name}${ref.slice(1)}`;
    });
    definitionOf.set(posix.relative(posix.dirname(POLICY_SCHEMA_PATH), path), name);
  }
  const { $id: _id, $comment: _comment, ...top } = composed;
  const properties = withRefs(top.properties, (ref) => {
    const [file = "", pointer = ""] = ref.split("#");
    const name = definitionOf.get(file);
    if (name === undefined) throw new Error(`policy.schema.json refers to ${file}, which is not one of its parts`);
    return `#/definitions/${name}${pointer}`;
  });
  return {
    ...top,
    $comment: `aigov's policy schema in one file, generated from packages/cli/schema/policy.schema.json and the schemas it refers to`,
    properties,
    definitions,
  };
}

/** A copy of a schema with each `$ref` replaced. */
function withRefs(value: unknown, replace: (ref: string) => string): unknown {
  if (Array.isArray(value)) return value.map((item) => withRefs(item, replace));
  if (value === null || typeof value !== "object") return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, inner]) => [
      key,
      key === "$ref" && typeof inner === "string" ? replace(inner) : withRefs(inner, replace),
    ]),
  );
}
