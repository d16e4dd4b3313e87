import { createRequire } from "node:module";
import type { Ajv as AjvClass, ErrorObject, ValidateFunction } from "ajv";
import { AigovError } from "./errors.ts";
import { formatYamlPath, type YamlPath, type YamlSource } from "./yaml-source.ts";

/**
 * Checks a parsed YAML file against one of the committed JSON Schemas (the same files editors use through
 * `# yaml-language-server: $schema=…`), and turns the first violation into an AigovError at file:line:column.
 */
export function createSchemaCheck(schema: object, what: string): (source: YamlSource) => void {
  // Compiled on first use: a run whose rules all come from the rule cache never pays for it.
  let validate: ValidateFunction | undefined;
  return (source) => {
    if (validate === undefined) {
      const { Ajv } = createRequire(import.meta.url)("ajv") as { Ajv: typeof AjvClass };
      const ajv = new Ajv({ allErrors: false, strict: false, verbose: true });
      ajv.addFormat("date-time", isDateTime);
      validate = ajv.compile(schema);
    }
    if (validate(source.value)) return;
    const error = pickError(validate.errors ?? []);
    const path = instancePath(error.instancePath);
    const { message, hint, at } = describe(error, path, what);
    throw new AigovError(`${what.toUpperCase().replace(/\W+/g, "_")}_INVALID`, message, {
      position: source.locate(at.path, at.part),
      ...(hint === undefined ? {} : { hint }),
    });
  };
}

/** anyOf/oneOf summaries say less than the branch error that precedes them. */
function pickError(errors: readonly ErrorObject[]): ErrorObject {
  const specific = errors.find((error) => error.keyword !== "anyOf" && error.keyword !== "oneOf");
  return specific ?? errors[0]!;
}

function instancePath(pointer: string): (string | number)[] {
  if (pointer === "") return [];
  return pointer
    .slice(1)
    .split("/")
    .map((segment) => segment.replace(/~1/g, "/").replace(/~0/g, "~"))
    .map((segment) => (/^\d+$/.test(segment) ? Number(segment) : segment));
}

function describe(
  error: ErrorObject,
  path: (string | number)[],
  what: string,
): { message: string; hint?: string; at: { path: YamlPath; part: "key" | "value" } } {
  const where = path.length === 0 ? `the ${what}` : `'${formatYamlPath(path)}'`;
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case "additionalProperties": {
      const key = String(params.additionalProperty);
      const allowed = Object.keys((error.parentSchema as { properties?: object } | undefined)?.properties ?? {});
      return {
        message: `unknown key '${key}' in ${where}`,
        hint: allowed.length > 0 ? `allowed here: ${allowed.join(", ")}` : "remove it",
        at: { path: [...path, key], part: "key" },
      };
    }
    case "required":
      return {
        message: `${where} is missing the required key '${String(params.missingProperty)}'`,
        hint: `add '${String(params.missingProperty)}:'`,
        at: { path, part: "value" },
      };
    case "enum":
      return {
        message: `${where} is ${JSON.stringify(error.data)}, not one of: ${(params.allowedValues as unknown[]).join(", ")}`,
        at: { path, part: "value" },
      };
    case "const":
      return { message: `${where} must be ${JSON.stringify(params.allowedValue)}`, at: { path, part: "value" } };
    case "type":
      return {
        message: `${where} must be ${withArticle(String(params.type))}, not ${describeValue(error.data)}`,
        // YAML reads an unquoted 123456789012 or true as a number or a boolean.
        ...(params.type === "string" && (typeof error.data === "number" || typeof error.data === "boolean")
          ? { hint: "write it quoted: unquoted, YAML reads it as a number or a boolean (and drops leading zeros)" }
          : {}),
        at: { path, part: "value" },
      };
    case "format":
      return {
        message: `${where} is ${JSON.stringify(error.data)}, not ${FORMATS[String(params.format)] ?? `a ${String(params.format)}`}`,
        at: { path, part: "value" },
      };
    case "pattern":
      return {
        message: `${where} is ${JSON.stringify(error.data)}, which does not match ${String(params.pattern)}`,
        hint: patternHint(String(params.pattern)),
        at: { path, part: "value" },
      };
    case "minItems":
      return { message: `${where} needs at least ${String(params.limit)} item(s)`, at: { path, part: "value" } };
    case "minLength":
      return { message: `${where} must not be empty`, at: { path, part: "value" } };
    default:
      return { message: `${where} ${error.message ?? "is invalid"}`, at: { path, part: "value" } };
  }
}

const FORMATS: Readonly<Record<string, string>> = {
  "date-time": "an ISO-8601 date-time (2026-01-31T12:00:00Z)",
};

/** JSON Schema's date-time (RFC 3339, an ISO-8601 profile): a date, a time and a zone, and a real instant. */
function isDateTime(value: string): boolean {
  return (
    /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/.test(value) &&
    !Number.isNaN(Date.parse(value))
  );
}

function withArticle(type: string): string {
  const names: Record<string, string> = {
    object: "a mapping",
    array: "a list",
    string: "a string",
    number: "a number",
    boolean: "true or false",
    integer: "an integer",
  };
  return names[type] ?? type;
}

function describeValue(value: unknown): string {
  if (value === null) return "null (empty)";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "a mapping";
  return `${typeof value} ${JSON.stringify(value)}`;
}

function patternHint(pattern: string): string | undefined {
  if (pattern.includes("$policy")) return "write a value, or $policy.<name> for a policy parameter";
  if (pattern.includes("(m|h|d|w|y)")) return "durations look like 30m, 12h, 90d, 2w, 1y";
  if (pattern.startsWith("^[a-z0-9]")) return "ids are lower-case letters, digits and dashes";
  return undefined;
}
