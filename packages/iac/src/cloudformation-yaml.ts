import { AigovError, unknown } from "@aigov/core";
import { MAX_JSON_DEPTH } from "./json-scanner.ts";
import { setOwnProperty } from "./own-property.ts";
import { createRequire } from "node:module";
import type { Document, LineCounter, Node } from "yaml";

/** Loaded on the first YAML template: a gate that reads a plan never loads a YAML parser (see test/e2e/bundle.test.ts). */
let yamlLibrary: typeof import("yaml") | undefined;
const yaml = (): typeof import("yaml") => {
  yamlLibrary ??= createRequire(import.meta.url)("yaml") as typeof import("yaml");
  return yamlLibrary;
};

/** A CloudFormation template read from YAML, with the line each resource starts on. */
export interface CloudFormationYaml {
  readonly document: unknown;
  /** Logical id → line of its key under `Resources`. */
  readonly resourceLines: ReadonlyMap<string, number>;
}

// The short forms CloudFormation accepts in YAML, and the long form each stands for.
const SHORT_FORMS: Readonly<Record<string, string>> = {
  "!Ref": "Ref",
  "!Condition": "Condition",
  "!Base64": "Fn::Base64",
  "!Cidr": "Fn::Cidr",
  "!FindInMap": "Fn::FindInMap",
  "!GetAtt": "Fn::GetAtt",
  "!GetAZs": "Fn::GetAZs",
  "!ImportValue": "Fn::ImportValue",
  "!Join": "Fn::Join",
  "!Select": "Fn::Select",
  "!Split": "Fn::Split",
  "!Sub": "Fn::Sub",
  "!Transform": "Fn::Transform",
  "!And": "Fn::And",
  "!Equals": "Fn::Equals",
  "!If": "Fn::If",
  "!Not": "Fn::Not",
  "!Or": "Fn::Or",
  "!ToJsonString": "Fn::ToJsonString",
  "!Length": "Fn::Length",
};

/**
 * Parses a YAML template. Short-form intrinsics (`!Ref x`, `!GetAtt a.b`, `!If [c, a, b]`) become their long form
 * (`{Ref: x}`), so one resolver reads YAML and JSON templates alike. A tag CloudFormation does not define is an
 * unknown value, never a crash: the gate judges what it cannot read as unknown, by the rules' unknown setting.
 */
export function parseCloudFormationYaml(text: string, file: string): CloudFormationYaml {
  const { LineCounter, parseDocument } = yaml();
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true, merge: true });
  const error = document.errors[0];
  if (error !== undefined) {
    const position = lineCounter.linePos(error.pos[0]);
    throw new AigovError("TEMPLATE_INVALID_YAML", `the template is not valid YAML: ${firstLine(error.message)}`, {
      position: { file, line: position.line, column: position.col },
      hint: "fix the YAML (`cfn-lint` or `aws cloudformation validate-template` point at the same place)",
    });
  }
  const reading = { document, file, aliases: 0 };
  return {
    document: templateValue(document.contents, reading, 0),
    resourceLines: resourceLines(document, lineCounter),
  };
}

// Aliases are expanded where they are used: a few lines of anchors can otherwise stand for billions of values. Nesting
// is bounded as for JSON input (MAX_JSON_DEPTH).
const MAX_ALIASES = 10_000;

interface Reading {
  readonly document: Document;
  readonly file: string;
  aliases: number;
}

function tooLarge(reading: Reading, what: string): AigovError {
  return new AigovError("TEMPLATE_INVALID_YAML", `the template is not valid YAML: ${what}`, {
    position: { file: reading.file },
    hint: "write the template without YAML aliases that expand into more and more copies",
  });
}

/** The parser's message without the code frame and position it appends (the position is the error's own). */
function firstLine(message: string): string {
  return message.split("\n")[0]!.replace(/ at line \d+, column \d+:?$/, "");
}

function templateValue(node: unknown, reading: Reading, depth: number): unknown {
  if (node === null || node === undefined) return null;
  if (depth > MAX_JSON_DEPTH) throw tooLarge(reading, `values nested more than ${MAX_JSON_DEPTH} levels deep`);
  const { isAlias } = yaml();
  if (isAlias(node)) {
    if (++reading.aliases > MAX_ALIASES) throw tooLarge(reading, `more than ${MAX_ALIASES} aliases to expand`);
    return templateValue(node.resolve(reading.document), reading, depth + 1);
  }
  const tag = (node as Node).tag;
  if (tag?.startsWith("!")) {
    const longForm = SHORT_FORMS[tag];
    if (longForm === undefined)
      return unknown(`the YAML tag ${tag} is not a CloudFormation intrinsic function aigov reads`);
    return { [longForm]: intrinsicArgument(tag, untaggedValue(node as Node, reading, depth)) };
  }
  return untaggedValue(node as Node, reading, depth);
}

function untaggedValue(node: Node, reading: Reading, depth: number): unknown {
  const { isMap, isScalar, isSeq } = yaml();
  if (isMap(node)) {
    const out: Record<string, unknown> = {};
    for (const pair of node.items) {
      const key = templateValue(pair.key, reading, depth + 1);
      setOwnProperty(out, String(key), templateValue(pair.value, reading, depth + 1));
    }
    return out;
  }
  if (isSeq(node)) return node.items.map((item) => templateValue(item, reading, depth + 1));
  if (isScalar(node)) return node.value;
  return null;
}

/** `!GetAtt Resource.Attribute` is the string form of `Fn::GetAtt: [Resource, Attribute]`. */
function intrinsicArgument(tag: string, value: unknown): unknown {
  if (tag !== "!GetAtt" || typeof value !== "string") return value;
  const dot = value.indexOf(".");
  return dot === -1 ? [value] : [value.slice(0, dot), value.slice(dot + 1)];
}

function resourceLines(document: Document, lineCounter: LineCounter): Map<string, number> {
  const { isMap, isScalar } = yaml();
  const lines = new Map<string, number>();
  const root = document.contents;
  if (!isMap(root)) return lines;
  const resources = root.items.find((pair) => isScalar(pair.key) && pair.key.value === "Resources")?.value;
  if (!isMap(resources)) return lines;
  for (const pair of resources.items) {
    if (!isScalar(pair.key) || pair.key.range === undefined || pair.key.range === null) continue;
    lines.set(String(pair.key.value), lineCounter.linePos(pair.key.range[0]).line);
  }
  return lines;
}
