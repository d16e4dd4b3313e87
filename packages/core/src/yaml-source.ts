import { createRequire } from "node:module";
import type { Node } from "yaml";
import { AigovError, type Position } from "./errors.ts";

/** Loaded on first parse: a run whose rules come from the rule cache and that has no policy file never needs it. */
let yamlLibrary: typeof import("yaml") | undefined;
const yaml = (): typeof import("yaml") => {
  yamlLibrary ??= createRequire(import.meta.url)("yaml") as typeof import("yaml");
  return yamlLibrary;
};

export type YamlPath = readonly (string | number)[];

/** `targets.aws[0].regions`: a path as documentation writes it, list positions in brackets. */
export function formatYamlPath(path: YamlPath): string {
  return path
    .map((segment, i) => (typeof segment === "number" ? `[${segment}]` : i === 0 ? segment : `.${segment}`))
    .join("");
}

/** A parsed YAML file that still knows where each value came from, so every later error can name file:line:column. */
export interface YamlSource {
  readonly file: string;
  readonly value: unknown;
  /**
   * The file's rule was compiled once already, unchanged, with no error: the rule pack's build checked it, or the rule
   * cache kept it. Its own regular expressions (not the policy's) then compile on first use, not at load.
   */
  readonly compiledBefore?: boolean;
  /** Position of the value at `path` (or of its key with `"key"`); the nearest existing ancestor when the path is missing. */
  locate(path: YamlPath, part?: "key" | "value"): Position;
}

/** The value at `path` in a parsed file, still locating its positions in that file; undefined when absent. */
export function sourceAt(source: YamlSource, path: YamlPath): YamlSource | undefined {
  let value: unknown = source.value;
  for (const segment of path) {
    if (value === null || typeof value !== "object") return undefined;
    value = Object.getOwnPropertyDescriptor(value, segment)?.value;
  }
  if (value === undefined) return undefined;
  return { file: source.file, value, locate: (inner, part) => source.locate([...path, ...inner], part) };
}

export interface YamlLimits {
  /** Larger files are refused before parsing. */
  readonly maxBytes: number;
  /** Alias expansions allowed; beyond this the file is an alias bomb and is refused. */
  readonly maxAliases: number;
}

export const DEFAULT_YAML_LIMITS: YamlLimits = { maxBytes: 1024 * 1024, maxAliases: 50 };

export function parseYamlSource(text: string, file: string, limits: YamlLimits = DEFAULT_YAML_LIMITS): YamlSource {
  const bytes = Buffer.byteLength(text, "utf8");
  if (bytes > limits.maxBytes) {
    throw new AigovError("YAML_TOO_LARGE", `file is ${bytes} bytes, larger than the ${limits.maxBytes}-byte limit`, {
      position: { file },
      hint: "split it into smaller files",
    });
  }
  const { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument } = yaml();
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true, strict: true });
  const firstError = document.errors[0];
  if (firstError !== undefined) {
    const at = lineCounter.linePos(firstError.pos[0]);
    throw new AigovError("YAML_SYNTAX", `invalid YAML: ${firstLine(firstError.message)}`, {
      position: { file, line: at.line, column: at.col },
      hint: "fix the YAML syntax at this position",
    });
  }
  let value: unknown;
  try {
    value = document.toJS({ maxAliasCount: limits.maxAliases });
  } catch (error) {
    throw new AigovError("YAML_ALIAS_LIMIT", `refused: ${(error as Error).message}`, {
      position: { file },
      hint: `a file may expand at most ${limits.maxAliases} aliases; write the values out`,
    });
  }

  const position = (node: Node | null | undefined): Position => {
    const offset = node?.range?.[0] ?? 0;
    const at = lineCounter.linePos(offset);
    return { file, line: at.line, column: at.col };
  };

  return {
    file,
    value,
    locate(path, part = "value") {
      let node: unknown = document.contents;
      let lastFound: Node | null = document.contents;
      for (let index = 0; index < path.length; index++) {
        const segment = path[index];
        if (isMap(node)) {
          const pair = node.items.find(
            (item) => isPair(item) && isScalar(item.key) && String(item.key.value) === String(segment),
          );
          if (pair === undefined) return position(lastFound);
          const isLast = index === path.length - 1;
          if (isLast && part === "key") return position(pair.key as Node);
          node = pair.value;
          lastFound = (pair.value as Node | null) ?? (pair.key as Node);
        } else if (isSeq(node) && typeof segment === "number") {
          const item = node.items[segment];
          if (item === undefined) return position(lastFound);
          node = item;
          lastFound = item as Node;
        } else {
          return position(lastFound);
        }
      }
      return position(lastFound);
    },
  };
}

function firstLine(message: string): string {
  return message.split("\n")[0] ?? message;
}
