import { createRequire } from "node:module";
import type { Ajv as AjvClass, ErrorObject, ValidateFunction } from "ajv";
import { AigovError } from "./errors.ts";
import { formatYamlPath, type YamlPath, type YamlSource } from "./yaml-source.ts";

/**
 * Checks a parsed YAML file against one of the committed JSON Schemas (the same files editors use through
 * `# yaml-language-server: $schema=…`), turns the first violation into an AigovError at file:line:column, and
 * returns the value typed as the schema describes it.
 */
export function createSchemaCheck<T = unknown>(schema: object, what: string): (source: YamlSource) => T {
  const validator = lazyValidator<T>(schema, false);
  return (source) => {
    const validate = validator();
    const { value } = source;
    if (validate(value)) return value;
    const error = pickError(validate.errors ?? []);
    const path = instancePath(error.instancePath);
    const { message, hint, at } = describe(error, path, what);
    throw new AigovError(`${what.toUpperCase().replace(/\W+/g, "_")}_INVALID`, message, {
      position: source.locate(at.path, at.part),
      ...(hint === undefined ? {} : { hint }),
    });
  };
}

export interface SectionCheckOptions {
  /** The error's code; POLICY_INVALID unless the section's package has its own (scripts match on it). */
  readonly code?: string;
  /**
   * Fill in the `default` of every key the section leaves out, so the schema is the one place a default is
   * written: editors show it, and the code reads it. Done on a copy; the policy's own value is not changed.
   */
  readonly defaults?: boolean;
}

/**
 * Checks one section of the policy file (`targets.aws`, given as `policy.section(path)`) against the schema of the
 * package that owns it, and returns it typed as the schema describes it. A violation is an error at
 * file:line:column that names the full path: `targets.aws.regionz: unknown key 'regionz'`.
 */
export function createSectionCheck<Section>(
  schema: object,
  path: YamlPath,
  options: SectionCheckOptions = {},
): (source: YamlSource) => Section {
  const defaults = options.defaults === true;
  const validator = lazyValidator<Section>(schema, defaults);
  return (source) => {
    const validate = validator();
    const value: unknown = defaults ? structuredClone(source.value) : source.value;
    if (validate(value)) return value;
    const error = pickError(validate.errors ?? []);
    const inner = instancePath(error.instancePath);
    const { problem, hint, at } = describe(error, inner, formatYamlPath([...path, ...inner]));
    throw new AigovError(options.code ?? "POLICY_INVALID", `${formatYamlPath([...path, ...at.path])}: ${problem}`, {
      position: source.locate(at.path, at.part),
      ...(hint === undefined ? {} : { hint }),
    });
  };
}

// Compiled on first use: a run whose rules all come from the rule cache never pays for it. `discriminator` lets a
// list of things of several kinds (sinks) check each item against its kind's schema only, so a message speaks of
// that kind; `useDefaults` fills in a section's defaults.
function lazyValidator<T>(schema: object, useDefaults: boolean): () => ValidateFunction<T> {
  let validate: ValidateFunction<T> | undefined;
  return () => {
    if (validate === undefined) {
      const { Ajv } = createRequire(import.meta.url)("ajv") as { Ajv: typeof AjvClass };
      // No logger: Ajv logs the generated source of a check it could not compile, and the error below says why.
      const ajv = new Ajv({
        allErrors: false,
        strict: false,
        verbose: true,
        discriminator: true,
        useDefaults,
        logger: false,
      });
      ajv.addFormat("date-time", isDateTime);
      try {
        validate = ajv.compile<T>(schema);
      } catch (error) {
        // Ajv compiles each schema to a function; Node started with --disallow-code-generation-from-strings (a
        // hardened process) refuses that with an EvalError. The rule engine judges without compiling code there.
        if (!(error instanceof EvalError)) throw error;
        throw new AigovError(
          "CODE_GENERATION_DISALLOWED",
          "a policy or rule file cannot be checked in this process: Node was started with " +
            "--disallow-code-generation-from-strings, and aigov's schema checks are compiled to code",
          {
            hint:
              "run aigov without that flag (check NODE_OPTIONS too); " +
              "only the built-in policy and rule pack need no check",
            cause: error,
          },
        );
      }
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
  const [best] = [...(specific.length > 0 ? specific : errors)].sort(
    (a, b) => depth(b) - depth(a) || Number(wrongBranch(a)) - Number(wrongBranch(b)),
  );
  if (best === undefined) throw new Error("a schema check failed without saying why");
  return best;
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

/**
 * What the schema that failed says beside the failing keyword. `errorMessage` and `patternErrorMessage` are the
 * keywords VS Code's JSON support and yaml-language-server show for a failure too, so an editor and aigov word it
 * alike: `errorMessage` words any failure of the (small) schema it sits in — a rule the standard keywords cannot
 * word, such as a key that must not be there (`not`) or keys one of which must be (`required` in an `else`) — with
 * its `description` as the hint; `patternErrorMessage` says what a string should be without quoting it (a value
 * in the wrong key may be a secret).
 */
interface FailedSchema extends Readonly<Record<string, unknown>> {
  readonly properties?: object;
  readonly description?: string;
  readonly default?: unknown;
  readonly examples?: readonly unknown[];
  readonly errorMessage?: string;
  readonly patternErrorMessage?: string;
  readonly type?: unknown;
  readonly minimum?: number;
  readonly maximum?: number;
}

function describe(error: ErrorObject, path: (string | number)[], what: string): Violation {
  const where = path.length === 0 ? `the ${what}` : `'${formatYamlPath(path)}'`;
  const params: Readonly<Record<string, unknown>> = error.params;
  const schema: FailedSchema = error.parentSchema ?? {};
  // Without a hint of its own, a value's problem is followed by what the key is for, so the reader knows what to write.
  const meaning =
    schema.description === undefined
      ? undefined
      : `${schema.description}${schema.default === undefined ? "" : ` (default: ${JSON.stringify(schema.default)})`}`;
  const about = (problem: string, extra: { hint?: string | undefined } = {}): Violation => {
    const hint = extra.hint ?? meaning;
    return {
      message: `${where} ${problem}`,
      problem,
      ...(hint === undefined ? {} : { hint }),
      at: { path, part: "value" },
    };
  };
  if (schema.errorMessage !== undefined) return about(schema.errorMessage, { hint: schema.description });
  switch (error.keyword) {
    case "additionalProperties": {
      const key = String(params.additionalProperty);
      const allowed = Object.keys(schema.properties ?? {});
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
      return about(`is ${JSON.stringify(error.data)}, not one of: ${listOf(params.allowedValues)}`);
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
    case "pattern": {
      const example = schema.examples?.[0];
      if (schema.patternErrorMessage !== undefined)
        return about(schema.patternErrorMessage, {
          hint: example === undefined ? undefined : `e.g. ${String(example)}`,
        });
      return about(`is ${JSON.stringify(error.data)}, which does not match ${String(params.pattern)}`, {
        hint: patternHint(String(params.pattern)),
      });
    }
    case "minItems":
      return about(`needs at least ${String(params.limit)} item(s)`);
    case "minLength":
      return about("must not be empty");
    case "minimum":
    case "maximum":
      if (schema.minimum !== undefined && schema.maximum !== undefined)
        return about(
          `must be ${schema.type === "integer" ? "an integer" : "a number"} from ${schema.minimum} to ${schema.maximum}`,
        );
      return about(`must be ${error.keyword === "minimum" ? "at least" : "at most"} ${String(params.limit)}`);
    case "exclusiveMinimum":
      return about(`must be more than ${String(params.limit)}`);
    case "exclusiveMaximum":
      return about(`must be less than ${String(params.limit)}`);
    default:
      return about(error.message ?? "is invalid");
  }
}

function listOf(values: unknown): string {
  return Array.isArray(values) ? values.join(", ") : String(values);
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
