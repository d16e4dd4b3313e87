import { createRequire } from "node:module";
import type { Ajv as AjvClass, ErrorObject, ValidateFunction } from "ajv";
import { AigovError } from "./errors.ts";
import { formatYamlPath, type YamlPath, type YamlSource } from "./yaml-source.ts";

/**
 * Checks a parsed YAML file against one of the committed JSON Schemas (the same files editors use through
 * `# yaml-language-server: $schema=…`), and turns the first violation into an AigovError at file:line:column.
 */
export function createSchemaCheck(schema: object, what: string): (source: YamlSource) => void {
  const validator = lazyValidator<unknown>(schema);
  return (source) => {
    const validate = validator();
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

/**
 * Checks one section of the policy file (`targets.aws`, given as `policy.section(path)`) against the schema of the
 * package that owns it, and returns it typed as the schema describes it. A violation is a POLICY_INVALID error at
 * file:line:column that names the full path: `targets.aws.regionz: unknown key 'regionz'`.
 */
export function createSectionCheck<Section>(schema: object, path: YamlPath): (source: YamlSource) => Section {
  const validator = lazyValidator<Section>(schema);
  return (source) => {
    const validate = validator();
    if (validate(source.value)) return source.value;
    const error = pickError(validate.errors ?? []);
    const inner = instancePath(error.instancePath);
    const { problem, hint, at } = describe(error, inner, formatYamlPath([...path, ...inner]));
    throw new AigovError("POLICY_INVALID", `${formatYamlPath([...path, ...at.path])}: ${problem}`, {
      position: source.locate(at.path, at.part),
      ...(hint === undefined ? {} : { hint }),
    });
  };
}

// Compiled on first use: a run whose rules all come from the rule cache never pays for it.
function lazyValidator<T>(schema: object): () => ValidateFunction<T> {
  let validate: ValidateFunction<T> | undefined;
  return () => {
    if (validate === undefined) {
      const { Ajv } = createRequire(import.meta.url)("ajv") as { Ajv: typeof AjvClass };
      const ajv = new Ajv({ allErrors: false, strict: false, verbose: true });
      ajv.addFormat("date-time", isDateTime);
      validate = ajv.compile<T>(schema);
    }
    return validate;
  };
}

/**
 * The violation that says most: anyOf/oneOf summaries say less than a branch's own error, the deepest value is
 * the one to fix, and a branch refused for its type or constant ("must be a string") is the wrong branch when
 * another one says what is wrong inside the value ("needs at least 1 item").
 */
function pickError(errors: readonly ErrorObject[]): ErrorObject {
  const depth = (error: ErrorObject) => error.instancePath.split("/").length;
  const wrongBranch = (error: ErrorObject) => ["type", "const", "enum"].includes(error.keyword);
  const specific = errors.filter((error) => error.keyword !== "anyOf" && error.keyword !== "oneOf");
  const [best] = [...specific].sort((a, b) => depth(b) - depth(a) || Number(wrongBranch(a)) - Number(wrongBranch(b)));
  return best ?? errors[0]!;
}

function instancePath(pointer: string): (string | number)[] {
  if (pointer === "") return [];
  return pointer
    .slice(1)
    .split("/")
    .map((segment) => segment.replace(/~1/g, "/").replace(/~0/g, "~"))
    .map((segment) => (/^\d+$/.test(segment) ? Number(segment) : segment));
}

interface Violation {
  /** With the place: `unknown key 'x' in 'condition'`, `'gate.fail_on' must be …`. */
  readonly message: string;
  /** Without it, for a caller that names the place itself: `unknown key 'x'`, `must be …`. */
  readonly problem: string;
  readonly hint?: string;
  readonly at: { readonly path: YamlPath; readonly part: "key" | "value" };
}

function describe(error: ErrorObject, path: (string | number)[], what: string): Violation {
  const where = path.length === 0 ? `the ${what}` : `'${formatYamlPath(path)}'`;
  const params = error.params as Record<string, unknown>;
  const about = (problem: string, extra: { hint?: string | undefined } = {}): Violation => ({
    message: `${where} ${problem}`,
    problem,
    ...(extra.hint === undefined ? {} : { hint: extra.hint }),
    at: { path, part: "value" },
  });
  switch (error.keyword) {
    case "additionalProperties": {
      const key = String(params.additionalProperty);
      const allowed = Object.keys((error.parentSchema as { properties?: object } | undefined)?.properties ?? {});
      return {
        message: `unknown key '${key}' in ${where}`,
        problem: `unknown key '${key}'`,
        hint: allowed.length > 0 ? `allowed here: ${allowed.join(", ")}` : "remove it",
        at: { path: [...path, key], part: "key" },
      };
    }
    case "required":
      return about(`is missing the required key '${String(params.missingProperty)}'`, {
        hint: `add '${String(params.missingProperty)}:'`,
      });
    case "enum":
      return about(`is ${JSON.stringify(error.data)}, not one of: ${(params.allowedValues as unknown[]).join(", ")}`);
    case "const":
      return about(`must be ${JSON.stringify(params.allowedValue)}`);
    case "type":
      return about(`must be ${withArticle(String(params.type))}, not ${describeValue(error.data)}`, {
        // YAML reads an unquoted 123456789012 or true as a number or a boolean.
        hint:
          params.type === "string" && (typeof error.data === "number" || typeof error.data === "boolean")
            ? "write it quoted: unquoted, YAML reads it as a number or a boolean (and drops leading zeros)"
            : undefined,
      });
    case "format":
      return about(
        `is ${JSON.stringify(error.data)}, not ${FORMATS[String(params.format)] ?? `a ${String(params.format)}`}`,
      );
    case "pattern":
      return about(`is ${JSON.stringify(error.data)}, which does not match ${String(params.pattern)}`, {
        hint: patternHint(String(params.pattern)),
      });
    case "minItems":
      return about(`needs at least ${String(params.limit)} item(s)`);
    case "minLength":
      return about("must not be empty");
    case "minimum":
    case "exclusiveMinimum":
      return about(`must be ${error.keyword === "minimum" ? "at least" : "more than"} ${String(params.limit)}`);
    default:
      return about(error.message ?? "is invalid");
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
