import { readdir, readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { join } from "node:path";
import { AigovError, fileErrorReason } from "@aigov/core";
import { blocksAsLists } from "./cdktf-reader.ts";
import { decodeJsonBytes, parseJsonDocument } from "./plan-text.ts";
import { isRecord } from "./planned-values.ts";

/**
 * The files of one terraform module directory, parsed with HashiCorp's HCL parser (hcl2json, Go compiled to
 * WASM) into Terraform's JSON syntax: blocks as lists of bodies, expressions as `"${…}"` template strings.
 */

/** One configuration file, parsed. */
export interface ConfigFile {
  /** The path shown to people (relative to what they passed). */
  readonly shown: string;
  readonly text: string;
  /** Terraform JSON syntax, every block level a list (`resource.aws_x.name = [body]`). */
  readonly document: Readonly<Record<string, unknown>>;
}

/** `main.tf`, `ai.tf.json`: what terraform reads of a module directory (override files are merged by terraform, see isOverride). */
export function isConfigFileName(name: string): boolean {
  return name.endsWith(".tf") || name.endsWith(".tf.json");
}

/** `override.tf`, `x_override.tf.json`: terraform merges these into other files' blocks instead of adding blocks. */
export function isOverride(name: string): boolean {
  return /(^|_)override\.tf(\.json)?$/.test(name);
}

/** The configuration files directly in a directory (terraform reads no subdirectories), sorted by name as terraform does. */
export async function configFileNames(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  return entries
    .filter((entry) => !entry.isDirectory() && isConfigFileName(entry.name))
    .map((entry) => entry.name)
    .sort();
}

/** Reads and parses one `.tf` or `.tf.json` file; a syntax error is refused with its file:line:column. */
export async function readConfigFile(path: string, shown: string): Promise<ConfigFile> {
  const bytes = await readFile(path);
  // An empty file (a placeholder variables.tf) declares nothing; terraform reads it as such.
  if (bytes.length === 0) return { shown, text: "", document: {} };
  if (path.endsWith(".json")) {
    const text = decodeJsonBytes(bytes, shown);
    return {
      shown,
      text,
      document: jsonSyntaxAsBlocks(parseJsonDocument(text, shown, "terraform JSON configuration"), shown),
    };
  }
  const text = decodeJsonBytes(bytes, shown);
  return { shown, text, document: await parseHcl(text, shown) };
}

/**
 * A variables file (`terraform.tfvars`, `*.auto.tfvars`, `--var-file`): name → value. HCL, or JSON for `.json`.
 */
export async function readVariablesFile(path: string, shown: string): Promise<Record<string, unknown>> {
  const bytes = await readFile(path).catch((error: unknown) => {
    throw new AigovError("GATE_VAR_FILE", `cannot read the variables file ${shown}: ${fileErrorReason(error)}`, {
      hint: "pass an existing .tfvars or .tfvars.json file to --var-file",
    });
  });
  if (bytes.length === 0) return {};
  const text = decodeJsonBytes(bytes, shown);
  const values = path.endsWith(".json")
    ? parseJsonDocument(text, shown, "variables file")
    : await parseHcl(text, shown);
  if (!isRecord(values))
    throw new AigovError("GATE_VAR_FILE", `${shown} is not a variables file (name = value lines)`, {
      position: { file: shown },
    });
  return values;
}

/** The variables files terraform loads by itself from a root module directory, in the order it applies them. */
export async function automaticVariablesFiles(dir: string): Promise<string[]> {
  const names = (await readdir(dir, { withFileTypes: true }))
    .filter((entry) => !entry.isDirectory())
    .map((entry) => entry.name);
  const automatic = names.filter((name) => /\.auto\.tfvars(\.json)?$/.test(name)).sort();
  return [...["terraform.tfvars", "terraform.tfvars.json"].filter((name) => names.includes(name)), ...automatic].map(
    (name) => join(dir, name),
  );
}

type Hcl2Json = (filename: string, contents: string) => Promise<Record<string, unknown>>;
let hcl2json: Hcl2Json | undefined;

/**
 * hcl2json instantiates its WASM module when loaded: only a gate that reads HCL pays for it. Required, not
 * imported, so its types (which pull the DOM library into every package's compilation) stay out.
 */
function parser(): Hcl2Json {
  hcl2json ??= (createRequire(import.meta.url)("@cdktf/hcl2json") as { parse: Hcl2Json }).parse;
  return hcl2json;
}

/** HCL text → Terraform JSON syntax. */
export async function parseHcl(text: string, shown: string): Promise<Record<string, unknown>> {
  const parse = parser();
  try {
    return await parse(shown, text);
  } catch (error) {
    throw hclSyntaxError(error instanceof Error ? error.message : String(error), shown);
  }
}

/**
 * hcl2json reports HCL's diagnostics as `parse config: [file:line,column-…: summary; detail]`: the first one
 * becomes the error, at its position.
 */
export function hclSyntaxError(message: string, shown: string): AigovError {
  const at = message.indexOf(`${shown}:`);
  const rest = at === -1 ? "" : message.slice(at + shown.length + 1);
  const position = /^(\d+),(\d+)(?:-\d+(?:,\d+)?)?: ([^;\]]*)(?:; ([^\]]*))?/.exec(rest);
  const summary = position?.[3]?.trim() ?? message.replace(/^parse config: /, "");
  const detail = position?.[4]?.trim();
  return new AigovError("CONFIG_SYNTAX", `HCL syntax error: ${summary}${detail ? ` (${detail})` : ""}`, {
    position: {
      file: shown,
      ...(position === null ? {} : { line: Number(position[1]), column: Number(position[2]) }),
    },
    hint: "fix the file (`terraform validate` shows the same error); the gate judges only configuration it can read",
  });
}

// Block kinds whose JSON form nests `name → body` (or a list of bodies) one or two levels deep.
const LABELLED_TWICE = new Set(["resource", "data"]);
const LABELLED_ONCE = new Set(["variable", "module", "output", "provider"]);

/**
 * Terraform's JSON syntax lets a block be one object or a list of objects, and nested blocks be objects; the HCL
 * parser's output always has lists. Brought to that one shape, with nested blocks of bodies as lists (the plan's
 * shape: `native.model.0.name`).
 */
function jsonSyntaxAsBlocks(document: unknown, shown: string): Record<string, unknown> {
  if (!isRecord(document))
    throw new AigovError("CONFIG_SHAPE", "a .tf.json file holds one JSON object", { position: { file: shown } });
  const out: Record<string, unknown> = {};
  const bodies = (value: unknown): unknown[] => (Array.isArray(value) ? value : [value]);
  for (const [kind, value] of Object.entries(document)) {
    if (LABELLED_TWICE.has(kind) && isRecord(value)) {
      out[kind] = Object.fromEntries(
        Object.entries(value).map(([type, byName]) => [
          type,
          isRecord(byName)
            ? Object.fromEntries(
                Object.entries(byName).map(([name, body]) => [
                  name,
                  bodies(body).map((one) => (isRecord(one) ? blocksAsLists(one) : one)),
                ]),
              )
            : byName,
        ]),
      );
    } else if (LABELLED_ONCE.has(kind) && isRecord(value)) {
      out[kind] = Object.fromEntries(Object.entries(value).map(([name, body]) => [name, bodies(body)]));
    } else if (kind === "locals") out[kind] = bodies(value);
    else out[kind] = value;
  }
  return out;
}
