import { isRecord } from "./planned-values.ts";

/**
 * What a configuration alone can know of terraform expressions. hcl2json writes every expression as a template
 * string (`"${var.region}"`, `"${local.prefix}-${count.index}"`), as Terraform's JSON syntax does; this evaluates
 * the part of the language whose value the configuration fixes (literals, `var.*`, `local.*`, `count.index`,
 * `each.*`, `path.*`, operators, conditionals, collections and a few pure functions) and leaves everything else
 * (another resource's attributes, data sources, module outputs, `for` expressions, impure functions) unknown.
 */

/** A value only plan or apply can know. */
export const UNKNOWN: unique symbol = Symbol("unknown");
export type ConfigValue = unknown;

/** What names in an expression refer to. Each getter returns UNKNOWN when the configuration does not fix it. */
export interface ExpressionScope {
  variable(name: string): ConfigValue;
  local(name: string): ConfigValue;
  readonly count?: number;
  readonly each?: { readonly key: string; readonly value: ConfigValue };
  readonly modulePath: string;
  readonly rootPath: string;
}

/** The string an unknown value is written as in the synthesized configuration: an expression, like an unresolved reference. */
// biome-ignore lint/suspicious/noTemplateCurlyInString: terraform's interpolation syntax, not a JavaScript template
export const UNKNOWN_TEXT = "${(known after apply)}";

/** True when the value is, or holds, something unknown. */
export function holdsUnknown(value: ConfigValue): boolean {
  if (value === UNKNOWN) return true;
  if (Array.isArray(value)) return value.some(holdsUnknown);
  if (isRecord(value)) return Object.values(value).some(holdsUnknown);
  return false;
}

/**
 * Evaluates every template string in a configuration value (hcl2json output). A string that is one whole
 * expression takes that expression's value (a list, a number …); an expression that cannot be known is UNKNOWN.
 */
export function evaluateValue(value: ConfigValue, scope: ExpressionScope): ConfigValue {
  if (typeof value === "string") return value.includes("${") ? evaluateTemplate(value, scope) : value;
  if (Array.isArray(value)) return value.map((element) => evaluateValue(element, scope));
  if (isRecord(value)) {
    const out: Record<string, unknown> = {};
    for (const [key, entry] of Object.entries(value)) out[key] = evaluateValue(entry, scope);
    return out;
  }
  return value;
}

/**
 * A value written as Terraform JSON reads it: UNKNOWN as an expression string, and a known string's literal `${` and
 * `%{` escaped (`$${`, `%%{`), so that a value given as `--var owner='${team}'` stays that text and is not read back
 * as an interpolation.
 */
export function writtenUnknowns(value: ConfigValue): unknown {
  if (value === UNKNOWN) return UNKNOWN_TEXT;
  if (typeof value === "string") return value.replace(/([$%])\{/g, "$1$1{");
  if (Array.isArray(value)) return value.map(writtenUnknowns);
  if (isRecord(value)) {
    const out: Record<string, unknown> = {};
    for (const [key, entry] of Object.entries(value)) out[key] = writtenUnknowns(entry);
    return out;
  }
  return value;
}

/** `"${a}-${b}"` → the parts' concatenation; `"${a}"` alone → a's value of any type. */
export function evaluateTemplate(text: string, scope: ExpressionScope): ConfigValue {
  const parts = templateParts(text);
  if (parts === undefined) return UNKNOWN;
  if (parts.length === 1 && typeof parts[0] !== "string") return evaluateExpression(parts[0]!.expression, scope);
  let out = "";
  for (const part of parts) {
    if (typeof part === "string") {
      out += part;
      continue;
    }
    const value = evaluateExpression(part.expression, scope);
    if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") out += String(value);
    else return UNKNOWN;
  }
  return out;
}

/**
 * The text a Terraform template string stands for when it holds no interpolation or directive (`"$${x}"` → `${x}`);
 * undefined when its value is known only by evaluating it.
 */
export function templateLiteral(text: string): string | undefined {
  if (!text.includes("{")) return text;
  const parts = templateParts(text);
  return parts?.length === 1 && typeof parts[0] === "string" ? parts[0] : undefined;
}

/** A template's literal text and `${…}` expressions; undefined for a directive (`%{if …}`) or an unclosed one. */
function templateParts(text: string): (string | { expression: string })[] | undefined {
  const parts: (string | { expression: string })[] = [];
  let literal = "";
  let at = 0;
  while (at < text.length) {
    if (text.startsWith("$${", at) || text.startsWith("%%{", at)) {
      literal += text.slice(at + 1, at + 3);
      at += 3;
      continue;
    }
    if (text.startsWith("%{", at)) return undefined;
    if (!text.startsWith("${", at)) {
      literal += text[at];
      at++;
      continue;
    }
    const end = closingBrace(text, at + 2);
    if (end === -1) return undefined;
    if (literal !== "") parts.push(literal);
    literal = "";
    parts.push({ expression: text.slice(at + 2, end).replace(/^~|~$/g, "") });
    at = end + 1;
  }
  if (literal !== "" || parts.length === 0) parts.push(literal);
  return parts;
}

/** The index of the `}` closing an interpolation that starts at `from`, skipping nested braces and strings. */
function closingBrace(text: string, from: number): number {
  let depth = 0;
  for (let at = from; at < text.length; at++) {
    const c = text[at];
    if (c === '"') {
      at = closingQuote(text, at + 1);
      if (at === -1) return -1;
    } else if (c === "{") depth++;
    else if (c === "}") {
      if (depth === 0) return at;
      depth--;
    }
  }
  return -1;
}

/** The index of the `"` closing a quoted template that starts at `from` (its interpolations may hold quotes). */
function closingQuote(text: string, from: number): number {
  for (let at = from; at < text.length; at++) {
    const c = text[at];
    if (c === "\\") at++;
    else if (c === '"') return at;
    else if (c === "$" && text[at + 1] === "{") {
      at = closingBrace(text, at + 2);
      if (at === -1) return -1;
    }
  }
  return -1;
}

type Token =
  | { readonly kind: "number"; readonly value: number }
  | { readonly kind: "string"; readonly value: string }
  | { readonly kind: "name"; readonly value: string }
  | { readonly kind: "punct"; readonly value: string };

const PUNCTUATION = ["==", "!=", "<=", ">=", "&&", "||", "=>", "...", ..."+-*/%<>!?:.,()[]{}="];

/** Splits an expression into tokens; undefined for what this reader does not lex (heredocs …). */
function tokenize(source: string): Token[] | undefined {
  const tokens: Token[] = [];
  let at = 0;
  while (at < source.length) {
    const c = source[at]!;
    if (/\s/.test(c)) {
      at++;
      continue;
    }
    if (c === "#" || source.startsWith("//", at)) {
      while (at < source.length && source[at] !== "\n") at++;
      continue;
    }
    const number = /^\d+(\.\d+)?([eE][+-]?\d+)?/.exec(source.slice(at));
    if (number !== null) {
      tokens.push({ kind: "number", value: Number(number[0]) });
      at += number[0].length;
      continue;
    }
    const name = /^[A-Za-z_][\w-]*/.exec(source.slice(at));
    if (name !== null) {
      tokens.push({ kind: "name", value: name[0] });
      at += name[0].length;
      continue;
    }
    if (c === '"') {
      const end = closingQuote(source, at + 1);
      if (end === -1) return undefined;
      tokens.push({ kind: "string", value: source.slice(at + 1, end) });
      at = end + 1;
      continue;
    }
    const punct = PUNCTUATION.find((candidate) => source.startsWith(candidate, at));
    if (punct === undefined) return undefined;
    tokens.push({ kind: "punct", value: punct });
    at += punct.length;
  }
  return tokens;
}

/** Thrown inside the parser for syntax it does not take on: the whole expression is then unknown. */
class Unsupported extends Error {}

/** Evaluates one expression (the text inside `${…}`); UNKNOWN for anything the configuration cannot fix. */
export function evaluateExpression(source: string, scope: ExpressionScope): ConfigValue {
  const tokens = tokenize(source);
  if (tokens === undefined) return UNKNOWN;
  try {
    const parser = new ExpressionParser(tokens, scope);
    const value = parser.expression();
    return parser.done() ? value : UNKNOWN;
  } catch (error) {
    if (error instanceof Unsupported || error instanceof RangeError) return UNKNOWN;
    throw error;
  }
}

/** Recursive descent over HCL's expression grammar, evaluating as it parses. */
class ExpressionParser {
  private at = 0;
  private readonly tokens: readonly Token[];
  private readonly scope: ExpressionScope;
  constructor(tokens: readonly Token[], scope: ExpressionScope) {
    this.tokens = tokens;
    this.scope = scope;
  }

  done(): boolean {
    return this.at === this.tokens.length;
  }

  private peek(value: string): boolean {
    const token = this.tokens[this.at];
    return token?.kind === "punct" && token.value === value;
  }

  private accept(value: string): boolean {
    if (!this.peek(value)) return false;
    this.at++;
    return true;
  }

  private expect(value: string): void {
    if (!this.accept(value)) throw new Unsupported(value);
  }

  expression(): ConfigValue {
    const condition = this.binary(0);
    if (!this.accept("?")) return condition;
    const whenTrue = this.expression();
    this.expect(":");
    const whenFalse = this.expression();
    if (condition === UNKNOWN) return UNKNOWN;
    return truthy(condition) ? whenTrue : whenFalse;
  }

  private static readonly LEVELS: readonly (readonly string[])[] = [
    ["||"],
    ["&&"],
    ["==", "!="],
    ["<", ">", "<=", ">="],
    ["+", "-"],
    ["*", "/", "%"],
  ];

  private binary(level: number): ConfigValue {
    if (level === ExpressionParser.LEVELS.length) return this.unary();
    let left = this.binary(level + 1);
    for (;;) {
      const operator = ExpressionParser.LEVELS[level]!.find((candidate) => this.peek(candidate));
      if (operator === undefined) return left;
      this.at++;
      left = binaryValue(operator, left, this.binary(level + 1));
    }
  }

  private unary(): ConfigValue {
    if (this.accept("!")) {
      const value = this.unary();
      return value === UNKNOWN ? UNKNOWN : !truthy(value);
    }
    if (this.accept("-")) {
      const value = this.unary();
      return typeof value === "number" ? -value : UNKNOWN;
    }
    return this.postfix();
  }

  private postfix(): ConfigValue {
    let value = this.primary();
    for (;;) {
      if (this.accept(".")) {
        const token = this.tokens[this.at++];
        if (token?.kind === "punct" && token.value === "*") throw new Unsupported("splat");
        if (token?.kind !== "name" && token?.kind !== "number") throw new Unsupported("attribute");
        value = index(value, token.value);
      } else if (this.accept("[")) {
        if (this.accept("*")) throw new Unsupported("splat");
        const key = this.expression();
        this.expect("]");
        value = index(value, key);
      } else return value;
    }
  }

  private primary(): ConfigValue {
    const token = this.tokens[this.at++];
    if (token === undefined) throw new Unsupported("end");
    if (token.kind === "number") return token.value;
    if (token.kind === "string") return evaluateTemplate(unescapeString(token.value), this.scope);
    if (token.kind === "punct") {
      if (token.value === "(") {
        const value = this.expression();
        this.expect(")");
        return value;
      }
      if (token.value === "[") return this.tuple();
      if (token.value === "{") return this.object();
      throw new Unsupported(token.value);
    }
    const name = token.value;
    if (name === "true") return true;
    if (name === "false") return false;
    if (name === "null") return null;
    if (name === "for") throw new Unsupported("for");
    if (this.accept("(")) return this.call(name);
    return this.reference(name);
  }

  private tuple(): ConfigValue {
    const items: ConfigValue[] = [];
    if (this.tokens[this.at]?.kind === "name" && (this.tokens[this.at] as { value: string }).value === "for")
      throw new Unsupported("for");
    while (!this.accept("]")) {
      items.push(this.expression());
      if (!this.accept(",") && !this.peek("]")) throw new Unsupported("tuple");
    }
    return items;
  }

  private object(): ConfigValue {
    const out: Record<string, unknown> = {};
    if (this.tokens[this.at]?.kind === "name" && (this.tokens[this.at] as { value: string }).value === "for")
      throw new Unsupported("for");
    let unknownKey = false;
    while (!this.accept("}")) {
      const token = this.tokens[this.at];
      let key: ConfigValue;
      // A bare name is the key itself (`{ owner = "x" }`), not a variable.
      if (token?.kind === "name" && (this.tokens[this.at + 1] as Token | undefined)?.value !== ".") {
        key = token.value;
        this.at++;
      } else key = this.expression();
      if (!this.accept("=")) this.expect(":");
      const value = this.expression();
      if (typeof key === "string" || typeof key === "number") out[String(key)] = value;
      else unknownKey = true;
      this.accept(",");
    }
    return unknownKey ? UNKNOWN : out;
  }

  private call(name: string): ConfigValue {
    const args: ConfigValue[] = [];
    while (!this.accept(")")) {
      args.push(this.expression());
      if (this.accept("...")) throw new Unsupported("expansion");
      if (!this.accept(",") && !this.peek(")")) throw new Unsupported("call");
    }
    const fn = FUNCTIONS[name];
    if (fn === undefined) return UNKNOWN;
    // length() of a list whose elements are unknown is still known; the other functions need every argument.
    if (name !== "length" && args.some(holdsUnknown)) return UNKNOWN;
    return fn(args);
  }

  private reference(root: string): ConfigValue {
    const attribute = (): string | undefined => {
      if (!this.peek(".")) return undefined;
      const token = this.tokens[this.at + 1];
      if (token?.kind !== "name") return undefined;
      this.at += 2;
      return token.value;
    };
    switch (root) {
      case "var": {
        const name = attribute();
        return name === undefined ? UNKNOWN : this.scope.variable(name);
      }
      case "local": {
        const name = attribute();
        return name === undefined ? UNKNOWN : this.scope.local(name);
      }
      case "count": {
        const name = attribute();
        return name === "index" && this.scope.count !== undefined ? this.scope.count : UNKNOWN;
      }
      case "each": {
        const name = attribute();
        if (this.scope.each === undefined) return UNKNOWN;
        return name === "key" ? this.scope.each.key : name === "value" ? this.scope.each.value : UNKNOWN;
      }
      case "path": {
        const name = attribute();
        return name === "module"
          ? this.scope.modulePath
          : name === "root" || name === "cwd"
            ? this.scope.rootPath
            : UNKNOWN;
      }
      case "terraform": {
        const name = attribute();
        return name === "workspace" ? "default" : UNKNOWN;
      }
      default:
        // Another resource, a data source, a module's output, self: known only at plan or apply.
        while (attribute() !== undefined) {}
        return UNKNOWN;
    }
  }
}

function unescapeString(text: string): string {
  return text.replace(/\\(["\\nrt])/g, (_, c: string) => (c === "n" ? "\n" : c === "r" ? "\r" : c === "t" ? "\t" : c));
}

function truthy(value: ConfigValue): boolean {
  if (value === "true") return true;
  if (value === "false") return false;
  if (typeof value !== "boolean") throw new Unsupported("not a bool");
  return value;
}

function index(value: ConfigValue, key: ConfigValue): ConfigValue {
  if (value === UNKNOWN || key === UNKNOWN) return UNKNOWN;
  if (Array.isArray(value)) {
    const at = Number(key);
    return Number.isInteger(at) && at >= 0 && at < value.length ? value[at] : UNKNOWN;
  }
  if (isRecord(value) && (typeof key === "string" || typeof key === "number"))
    return Object.hasOwn(value, String(key)) ? value[String(key)] : UNKNOWN;
  return UNKNOWN;
}

function binaryValue(operator: string, left: ConfigValue, right: ConfigValue): ConfigValue {
  if (operator === "||" && (left === true || right === true)) return true;
  if (operator === "&&" && (left === false || right === false)) return false;
  if (holdsUnknown(left) || holdsUnknown(right)) return UNKNOWN;
  switch (operator) {
    case "||":
      return truthy(left) || truthy(right);
    case "&&":
      return truthy(left) && truthy(right);
    case "==":
      return JSON.stringify(left) === JSON.stringify(right);
    case "!=":
      return JSON.stringify(left) !== JSON.stringify(right);
  }
  const a = Number(left);
  const b = Number(right);
  if (Number.isNaN(a) || Number.isNaN(b)) return UNKNOWN;
  switch (operator) {
    case "<":
      return a < b;
    case ">":
      return a > b;
    case "<=":
      return a <= b;
    case ">=":
      return a >= b;
    case "+":
      return a + b;
    case "-":
      return a - b;
    case "*":
      return a * b;
    case "/":
      return a / b;
    default:
      return a % b;
  }
}

const asList = (value: ConfigValue): ConfigValue[] | undefined =>
  Array.isArray(value) ? value : isRecord(value) ? Object.values(value) : undefined;

const text = (value: ConfigValue): string => {
  if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") return String(value);
  throw new Unsupported("not a string");
};

/** Pure functions whose result the configuration fixes; any other function is unknown. */
const FUNCTIONS: Readonly<Record<string, (args: ConfigValue[]) => ConfigValue>> = {
  length: ([value]) => (typeof value === "string" ? [...value].length : (asList(value)?.length ?? UNKNOWN)),
  toset: ([value]) => {
    const list = asList(value);
    return list === undefined
      ? UNKNOWN
      : [...new Set(list.map((item) => JSON.stringify(item)))].map((item) => JSON.parse(item));
  },
  tolist: ([value]) => asList(value) ?? UNKNOWN,
  tomap: ([value]) => (isRecord(value) ? value : UNKNOWN),
  tostring: ([value]) => text(value),
  tonumber: ([value]) => (Number.isNaN(Number(value)) ? UNKNOWN : Number(value)),
  tobool: ([value]) => truthy(value),
  lower: ([value]) => text(value).toLowerCase(),
  upper: ([value]) => text(value).toUpperCase(),
  trimspace: ([value]) => text(value).trim(),
  merge: (args) => (args.every(isRecord) ? Object.assign({}, ...args) : UNKNOWN),
  concat: (args) => (args.every(Array.isArray) ? args.flat() : UNKNOWN),
  join: ([separator, list]) => asList(list)?.map(text).join(text(separator)) ?? UNKNOWN,
  keys: ([value]) => (isRecord(value) ? Object.keys(value).sort() : UNKNOWN),
  values: ([value]) =>
    isRecord(value)
      ? Object.keys(value)
          .sort()
          .map((key) => value[key])
      : UNKNOWN,
  lookup: ([map, key, fallback]) =>
    isRecord(map) && Object.hasOwn(map, text(key)) ? map[text(key)] : fallback === undefined ? UNKNOWN : fallback,
  contains: ([list, value]) => asList(list)?.some((item) => JSON.stringify(item) === JSON.stringify(value)) ?? UNKNOWN,
  coalesce: (args) => args.find((value) => value !== null && value !== "") ?? UNKNOWN,
  element: ([list, at]) => {
    const items = asList(list);
    return items === undefined || items.length === 0 ? UNKNOWN : items[Number(at) % items.length];
  },
  format: ([spec, ...args]) => {
    let next = 0;
    return text(spec).replace(/%[sdv%]/g, (directive) => (directive === "%%" ? "%" : text(args[next++])));
  },
  replace: ([value, search, replacement]) => {
    const pattern = text(search);
    if (pattern.startsWith("/")) throw new Unsupported("regex replace");
    return text(value).split(pattern).join(text(replacement));
  },
};
