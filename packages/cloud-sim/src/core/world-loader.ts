import {
  AigovError,
  createSchemaCheck,
  formatYamlPath,
  parseYamlSource,
  type YamlPath,
  type YamlSource,
} from "@aigov/core";
import { readInputFile } from "./input-file.ts";

/**
 * One cloud's part of the world file (`aws:`, later `azure:` and `gcp:`): the JSON Schema that types its values,
 * and the checks a schema cannot express. The world file's schema is composed from the sections'.
 */
export interface WorldSection<Section> {
  /** The section's top-level key. */
  readonly key: string;
  /** JSON Schema (draft-07) of the section, with an `$id` of its own so its `#/definitions/…` resolve inside it. */
  readonly schema: object;
  /** What a schema cannot say: names unique within a list, references between entries (an account's OU exists). */
  checkReferences(section: Section, fail: WorldFail): void;
}

/** Reports a defect at a path of the world (from its root): throws SIM_WORLD_INVALID at that value's file:line:column. */
export type WorldFail = (path: YamlPath, message: string, hint?: string) => never;

export interface WorldLoader<World> {
  /** Reads and checks a YAML world file; errors are AigovErrors with file:line:column. */
  load(path: string): Promise<World>;
  /** Parses and checks world YAML text; `file` names it in error messages. */
  parse(text: string, file?: string): World;
  /** Checks a world built in code (tests, benchmarks). */
  check(world: unknown): World;
}

/** World files are generated for big benchmarks (hundreds of accounts), so they may be far larger than a policy file. */
const WORLD_YAML_LIMITS = { maxBytes: 256 * 1024 * 1024, maxAliases: 10_000 };

/**
 * A loader for worlds made of these sections. `planned` are the sections of clouds not simulated yet: a world that
 * has one is refused with a message saying so, rather than as an unknown key.
 */
export function createWorldLoader<World>(
  sections: readonly WorldSection<unknown>[],
  planned: readonly string[],
): WorldLoader<World> {
  const schema = {
    $schema: "http://json-schema.org/draft-07/schema#",
    title: "cloud-sim world",
    type: "object",
    additionalProperties: false,
    properties: {
      version: { const: 1, description: "Format version; only 1 exists." },
      ...Object.fromEntries(sections.map((section) => [section.key, withoutMetaSchema(section.schema)])),
    },
  };
  const checkSchema = createSchemaCheck(schema, "sim world");
  const served = sections.map((section) => section.key).join(", ");

  function check(source: YamlSource): World {
    const root = source.value ?? {};
    const fail: WorldFail = (path, message, hint) => {
      throw new AigovError("SIM_WORLD_INVALID", `world ${formatYamlPath(path)}: ${message}`, {
        position: source.locate(path),
        ...(hint === undefined ? {} : { hint }),
      });
    };
    if (root !== null && typeof root === "object" && !Array.isArray(root)) {
      for (const key of planned) {
        if (key in root)
          fail([key], `the ${key} simulator is not implemented yet`, `the sections served today: ${served}`);
      }
    }
    checkSchema({ ...source, value: root });
    for (const section of sections) {
      const value = (root as Record<string, unknown>)[section.key];
      if (value !== undefined)
        section.checkReferences(value, (path, message, hint) => fail([section.key, ...path], message, hint));
    }
    return root as World;
  }

  const parse = (text: string, file = "<world>") => check(parseYamlSource(text, file, WORLD_YAML_LIMITS));
  return {
    load: async (path) => parse(await readInputFile(path, "world"), path),
    parse,
    check(world) {
      const position = { file: "<world object>" };
      return check({ file: position.file, value: world, locate: () => position });
    },
  };
}

/**
 * Fails at the second entry of a list with a name already seen: names must be unique within a list (AWS names
 * exactly; ARM compares names ignoring case, so an Azure section passes `ignoreCase`).
 */
export function checkUnique<T>(
  entries: readonly T[],
  nameOf: (entry: T) => string,
  at: { readonly path: YamlPath; readonly nameField: string; readonly what: string; readonly ignoreCase?: boolean },
  fail: WorldFail,
): void {
  const seen = new Set<string>();
  for (const [i, entry] of entries.entries()) {
    const name = nameOf(entry);
    const key = at.ignoreCase === true ? name.toLowerCase() : name;
    if (seen.has(key))
      fail(
        [...at.path, i, at.nameField],
        `duplicate ${at.what} '${name}'${at.ignoreCase === true ? " (names ignore case)" : ""}`,
      );
    seen.add(key);
  }
}

/** A section's schema embedded in the world's: `$schema` belongs to a document's root only. */
function withoutMetaSchema(schema: object): object {
  const { $schema: _metaSchema, ...rest } = schema as Record<string, unknown>;
  return rest;
}

/** How a tree of named nodes (AWS OUs, Google folders) is written in a world section. */
export interface NamedTree<Node> {
  /** The field naming a node, unique among its siblings; names joined with `/` are its path. */
  readonly nameField: keyof Node & string;
  /** The field of a node's own child list. */
  readonly childrenField: keyof Node & string;
  /** What a node is called in messages: `OU`, `folder`. */
  readonly what: string;
}

/** A tree's node paths (`Workloads/Prod`) and ids, each refused when it repeats. */
export function treeNames<Node extends { readonly id?: string | undefined }>(
  top: readonly Node[],
  tree: NamedTree<Node>,
  path: YamlPath,
  fail: WorldFail,
): ReadonlySet<string> {
  const known = new Set<string>();
  const walk = (list: readonly Node[], at: YamlPath, prefix: string) => {
    for (const [i, node] of list.entries()) {
      const name = String(node[tree.nameField]);
      const nodePath = prefix === "" ? name : `${prefix}/${name}`;
      if (known.has(nodePath)) fail([...at, i, tree.nameField], `duplicate ${tree.what} '${nodePath}'`);
      known.add(nodePath);
      if (node.id !== undefined) {
        if (known.has(node.id)) fail([...at, i, "id"], `duplicate ${tree.what} id '${node.id}'`);
        known.add(node.id);
      }
      walk((node[tree.childrenField] as readonly Node[] | undefined) ?? [], [...at, i, tree.childrenField], nodePath);
    }
  };
  walk(top, path, "");
  return known;
}
