import { isUnknown, type Unknown, unknown } from "@aigov/core";
import { setOwnProperty } from "./own-property.ts";
import { isRecord } from "./planned-values.ts";

/** What an expression can read: the template's parameters and variables, and the copy loop it is in. */
export interface ArmScope {
  parameter(name: string): unknown;
  variable(name: string): unknown;
  /** The copy loop's index, undefined outside a loop. */
  readonly copyIndex?: number;
}

/** An expression that is not valid ARM syntax: the deployment would refuse it too. */
export class ArmExpressionError extends Error {}

/**
 * A template value with its `[expressions]` evaluated: strings that open with `[` (and not `[[`, ARM's escape for a
 * literal bracket) are expressions, objects and arrays are walked. A function only the deployment can evaluate
 * (`resourceGroup()`, `reference()`, `uniqueString()` …) yields an Unknown, and so does everything built from it.
 */
export function evaluateArmValue(value: unknown, scope: ArmScope): unknown {
  if (typeof value === "string") {
    if (value.startsWith("[[")) return value.slice(1);
    if (value.startsWith("[") && value.endsWith("]")) return evaluateArmExpression(value.slice(1, -1), scope);
    return value;
  }
  if (Array.isArray(value)) return value.map((element) => evaluateArmValue(element, scope));
  if (!isRecord(value) || isUnknown(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [key, entry] of Object.entries(value)) setOwnProperty(out, key, evaluateArmValue(entry, scope));
  return out;
}

type Token =
  | { readonly kind: "name"; readonly text: string }
  | { readonly kind: "string"; readonly text: string }
  | { readonly kind: "number"; readonly value: number }
  | { readonly kind: "punct"; readonly text: string };

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let at = 0;
  while (at < source.length) {
    const c = source[at]!;
    if (/\s/.test(c)) {
      at++;
    } else if (c === "'") {
      let text = "";
      at++;
      for (;;) {
        if (at >= source.length) throw new ArmExpressionError("a string is not closed with '");
        if (source[at] === "'") {
          if (source[at + 1] === "'") {
            text += "'";
            at += 2;
            continue;
          }
          at++;
          break;
        }
        text += source[at++];
      }
      tokens.push({ kind: "string", text });
    } else if (/[0-9-]/.test(c)) {
      const match = /^-?[0-9]+/.exec(source.slice(at));
      if (match === null) throw new ArmExpressionError(`unexpected ${c}`);
      tokens.push({ kind: "number", value: Number(match[0]) });
      at += match[0].length;
    } else if (/[A-Za-z_]/.test(c)) {
      const match = /^[A-Za-z_][A-Za-z0-9_]*/.exec(source.slice(at))!;
      tokens.push({ kind: "name", text: match[0] });
      at += match[0].length;
    } else if ("(),.[]".includes(c)) {
      tokens.push({ kind: "punct", text: c });
      at++;
    } else {
      throw new ArmExpressionError(`unexpected ${c}`);
    }
  }
  return tokens;
}

/** Evaluates the text between the brackets of `[…]`. */
export function evaluateArmExpression(source: string, scope: ArmScope): unknown {
  const tokens = tokenize(source);
  let at = 0;
  const peek = (text: string): boolean => {
    const token = tokens[at];
    return token?.kind === "punct" && token.text === text;
  };
  const expect = (text: string): void => {
    if (!peek(text)) throw new ArmExpressionError(`expected ${text}`);
    at++;
  };
  let depth = 0;
  const expression = (): unknown => {
    if (++depth > MAX_NESTING) throw new ArmExpressionError(`calls nested more than ${MAX_NESTING} deep`);
    const token = tokens[at++];
    if (token === undefined) throw new ArmExpressionError("the expression ends early");
    let value: unknown;
    if (token.kind === "string") value = token.text;
    else if (token.kind === "number") value = token.value;
    else if (token.kind === "name") {
      // A user-defined function is `namespace.name(…)`.
      let name = token.text;
      if (peek(".")) {
        at++;
        const member = tokens[at++];
        if (member?.kind !== "name") throw new ArmExpressionError("a function name must follow the namespace");
        name = `${name}.${member.text}`;
      }
      expect("(");
      const args: unknown[] = [];
      if (!peek(")")) {
        args.push(expression());
        while (peek(",")) {
          at++;
          args.push(expression());
        }
      }
      expect(")");
      value = callFunction(name, args, scope);
    } else throw new ArmExpressionError(`unexpected ${token.text}`);
    for (;;) {
      if (peek(".")) {
        at++;
        const name = tokens[at++];
        if (name?.kind !== "name") throw new ArmExpressionError("a property name must follow .");
        value = member(value, name.text);
      } else if (peek("[")) {
        at++;
        const index = expression();
        expect("]");
        value = member(value, index);
      } else {
        depth--;
        return value;
      }
    }
  };
  const value = expression();
  if (at !== tokens.length) throw new ArmExpressionError("text after the expression");
  return value;
}

const DEPLOY_TIME = "known when the template deploys";

// Far deeper than any template nests calls; deep enough input would otherwise overflow the stack.
const MAX_NESTING = 256;

function member(value: unknown, key: unknown): unknown {
  if (isUnknown(value)) return value;
  if (isUnknown(key)) return key;
  if (Array.isArray(value) && typeof key === "number") return key in value ? value[key] : missing(String(key));
  if (isRecord(value) && (typeof key === "string" || typeof key === "number")) {
    // ARM property names are case-insensitive.
    const name = Object.keys(value).find((candidate) => candidate.toLowerCase() === String(key).toLowerCase());
    return name === undefined ? missing(String(key)) : value[name];
  }
  return missing(String(key));
}

function missing(key: string): Unknown {
  return unknown(`the template reads ${key}, which the value does not have`);
}

const DEPLOYMENT_OBJECTS: Readonly<Record<string, string>> = {
  resourcegroup: "the resource group",
  subscription: "the subscription",
  tenant: "the tenant",
  managementgroup: "the management group",
  deployment: "the deployment",
  environment: "the cloud environment",
};

function callFunction(name: string, args: readonly unknown[], scope: ArmScope): unknown {
  const lower = name.toLowerCase();
  const deploymentObject = DEPLOYMENT_OBJECTS[lower];
  if (deploymentObject !== undefined) return unknown(`${name}() is ${deploymentObject}, ${DEPLOY_TIME}`);
  switch (lower) {
    case "parameters":
      return typeof args[0] === "string" ? scope.parameter(args[0]) : onlyKnown(args);
    case "variables":
      return typeof args[0] === "string" ? scope.variable(args[0]) : onlyKnown(args);
    case "copyindex": {
      const offset = args.find((arg) => typeof arg === "number") ?? 0;
      if (scope.copyIndex === undefined) return unknown("copyIndex() outside a copy loop aigov expands");
      return typeof offset === "number" ? scope.copyIndex + offset : onlyKnown(args);
    }
    case "if": {
      const [condition, whenTrue, whenFalse] = args;
      return typeof condition === "boolean" ? (condition ? whenTrue : whenFalse) : onlyKnown([condition]);
    }
    case "true":
      return true;
    case "false":
      return false;
    case "null":
      return null;
  }
  const open = args.find((arg) => isUnknown(arg));
  if (open !== undefined) return open;
  switch (lower) {
    case "concat":
      if (args.every((arg) => Array.isArray(arg))) return (args as unknown[][]).flat();
      return args.every(isScalar) ? args.map(String).join("") : unknown("concat() of mixed values");
    case "format": {
      const [template, ...values] = args;
      if (typeof template !== "string" || !values.every(isScalar)) return unknown("format() of values it cannot print");
      let open: Unknown | undefined;
      const text = template.replace(/\{(\d+)(:[^}]*)?\}/g, (_, index: string, spec?: string) => {
        if (spec !== undefined) open ??= unknown("format() with a format specifier");
        return String(values[Number(index)]);
      });
      return open ?? text;
    }
    case "tolower":
      return typeof args[0] === "string" ? args[0].toLowerCase() : unknown("toLower() of a non-string");
    case "toupper":
      return typeof args[0] === "string" ? args[0].toUpperCase() : unknown("toUpper() of a non-string");
    case "string":
      return isScalar(args[0]) ? String(args[0]) : JSON.stringify(args[0]);
    case "int":
      return Number.parseInt(String(args[0]), 10);
    case "bool":
      return args[0] === true || String(args[0]).toLowerCase() === "true";
    case "length":
      if (typeof args[0] === "string" || Array.isArray(args[0])) return args[0].length;
      return isRecord(args[0]) ? Object.keys(args[0]).length : unknown("length() of a scalar");
    case "empty":
      if (args[0] === null || args[0] === undefined) return true;
      if (typeof args[0] === "string" || Array.isArray(args[0])) return args[0].length === 0;
      return isRecord(args[0]) ? Object.keys(args[0]).length === 0 : false;
    case "equals":
      return JSON.stringify(args[0]) === JSON.stringify(args[1]);
    case "not":
      return typeof args[0] === "boolean" ? !args[0] : unknown("not() of a non-boolean");
    case "and":
      return args.every((arg) => arg === true);
    case "or":
      return args.some((arg) => arg === true);
    case "contains": {
      const [container, item] = args;
      if (typeof container === "string") return container.toLowerCase().includes(String(item).toLowerCase());
      if (Array.isArray(container))
        return container.some((element) => JSON.stringify(element) === JSON.stringify(item));
      return (
        isRecord(container) && Object.keys(container).some((key) => key.toLowerCase() === String(item).toLowerCase())
      );
    }
    case "createobject": {
      const out: Record<string, unknown> = {};
      for (let index = 0; index + 1 < args.length; index += 2)
        setOwnProperty(out, String(args[index]), args[index + 1]);
      return out;
    }
    case "createarray":
      return [...args];
    case "union":
      if (args.every((arg) => isRecord(arg))) {
        const out: Record<string, unknown> = {};
        for (const arg of args as Record<string, unknown>[])
          for (const [key, value] of Object.entries(arg)) setOwnProperty(out, key, value);
        return out;
      }
      return args.every((arg) => Array.isArray(arg))
        ? [...new Set((args as unknown[][]).flat())]
        : unknown("union() of mixed values");
    default:
      // resourceId(), reference(), uniqueString(), listKeys() …: the deployment evaluates them.
      return unknown(`${name}() is ${DEPLOY_TIME}`);
  }
}

function isScalar(value: unknown): value is string | number | boolean {
  return typeof value === "string" || typeof value === "number" || typeof value === "boolean";
}

function onlyKnown(args: readonly unknown[]): unknown {
  return args.find((arg) => isUnknown(arg)) ?? unknown(`the expression is ${DEPLOY_TIME}`);
}
