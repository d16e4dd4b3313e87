import { AigovError, unknown } from "@aigov/core";
import { type GivenParameters, givenScalar, NO_PARAMETERS, parseGivenJson, refuseUndeclared } from "./input-values.ts";
import { ArmExpressionError, type ArmScope, evaluateArmValue } from "./arm-template-expression.ts";
import { armAiType } from "./azapi-normalizer.ts";
import { CONFIGURATION_CHANGE } from "./cdktf-reader.ts";
import { type PlannedSubject, normalizeResource } from "./normalize.ts";
import { plannedWithKeys } from "./planned-keys.ts";
import { setOwnProperty } from "./own-property.ts";
import { isRecord } from "./planned-values.ts";
import { deployedBy, type TemplateReadResult } from "./template-read-result.ts";

/** True for a parsed JSON document that is an ARM deployment template (what `bicep build` writes). */
export function looksLikeArmTemplate(document: unknown): boolean {
  return (
    isRecord(document) && typeof document.$schema === "string" && /deploymentTemplate\.json/i.test(document.$schema)
  );
}

const DEPLOYMENT_SCOPE = {
  account: unknown("the subscription the template deploys to"),
  // A resource without a location (a deployment inside an account) is where its parent is.
  region: unknown("the region of the resource group the template deploys to"),
};

// ARM's own limit on a copy loop (https://learn.microsoft.com/azure/azure-resource-manager/templates/copy-resources).
const MAX_COPY = 800;

// Template keys that say how to deploy a resource, not what it is: not part of the body ARM stores.
const DEPLOYMENT_KEYS = new Set([
  "apiVersion",
  "dependsOn",
  "copy",
  "condition",
  "comments",
  "resources",
  "scope",
  "existing",
]);

/** Parameters' defaults and variables, each evaluated once, when an expression first reads it. */
interface Evaluated {
  /** Parameter values given from outside (--var-file, --var), by lower-case name: ARM names are case-insensitive. */
  readonly given: GivenParameters;
  readonly parameters: Map<string, unknown>;
  readonly variables: Map<string, unknown>;
  readonly evaluating: Set<string>;
}

class TemplateScope implements ArmScope {
  private readonly template: Record<string, unknown>;
  private readonly evaluated: Evaluated;
  readonly copyIndex?: number;

  constructor(template: Record<string, unknown>, evaluated: Evaluated, copyIndex?: number) {
    this.template = template;
    this.evaluated = evaluated;
    if (copyIndex !== undefined) this.copyIndex = copyIndex;
  }

  /** The same template inside one instance of a copy loop. */
  inLoop(index: number): TemplateScope {
    return new TemplateScope(this.template, this.evaluated, index);
  }

  parameter(name: string): unknown {
    return this.once(this.evaluated.parameters, "parameters", name, () => {
      const declared = lookup(this.template.parameters, name);
      if (!isRecord(declared)) return unknown(`the template declares no parameter ${name}`);
      const type = typeof declared.type === "string" ? declared.type.toLowerCase() : "";
      if (type.startsWith("secure")) return unknown(`parameter ${name} is secure: given when the template deploys`);
      // A given value is literal: unlike a defaultValue, a parameters file's "[…]" is not an expression.
      const key = name.toLowerCase();
      const text = this.evaluated.given.texts.get(key);
      if (text !== undefined) return typedText(name, text, type);
      if (this.evaluated.given.values.has(key)) return this.evaluated.given.values.get(key);
      if (!("defaultValue" in declared))
        return unknown(`parameter ${name} has no defaultValue: its value is given when the template deploys`);
      return evaluateArmValue(declared.defaultValue, this.outsideLoops());
    });
  }

  variable(name: string): unknown {
    return this.once(this.evaluated.variables, "variables", name, () => {
      const declared = lookup(this.template.variables, name);
      if (declared === undefined) return unknown(`the template declares no variable ${name}`);
      return evaluateArmValue(declared, this.outsideLoops());
    });
  }

  /** Parameters and variables do not see the copy loop of the resource that reads them. */
  private outsideLoops(): TemplateScope {
    return this.copyIndex === undefined ? this : new TemplateScope(this.template, this.evaluated);
  }

  private once(cache: Map<string, unknown>, kind: string, name: string, evaluate: () => unknown): unknown {
    const key = name.toLowerCase();
    if (cache.has(key)) return cache.get(key);
    const marker = `${kind}('${key}')`;
    if (this.evaluated.evaluating.has(marker)) return unknown(`${kind}('${name}') refers to itself`);
    this.evaluated.evaluating.add(marker);
    try {
      const value = evaluate();
      cache.set(key, value);
      return value;
    } finally {
      this.evaluated.evaluating.delete(marker);
    }
  }
}

/** A `--var` text as the parameter's declared type: ARM's int, bool, array and object are JSON. */
function typedText(name: string, text: string, type: string): unknown {
  if (type === "int" || type === "bool") return givenScalar(`parameter ${name}`, text, type);
  if (type === "array" || type === "object") return parseGivenJson({ name, text }, `an ARM ${type} parameter`);
  return text;
}

/** ARM names are case-insensitive: `parameters('Location')` reads the parameter `location`. */
function lookup(record: unknown, name: string): unknown {
  if (!isRecord(record)) return undefined;
  const key = Object.keys(record).find((candidate) => candidate.toLowerCase() === name.toLowerCase());
  return key === undefined ? undefined : record[key];
}

interface Declared {
  readonly resource: Record<string, unknown>;
  /** Where it is in the template, for messages: `resources[2].resources[0]`. */
  readonly path: string;
  readonly parent?: { readonly type: string; readonly name: unknown };
}

/**
 * Reads an ARM template. Nothing is deployed yet, so every resource counts as introduced. Parameters take their
 * defaultValue; `[parameters()]`, `[variables()]`, `[concat()]`, `[format()]` and the other pure functions are
 * evaluated; what the deployment decides (`[resourceGroup().location]`, `[reference()]`, `[uniqueString()]`, a
 * parameter without a default) is Unknown, judged by each rule's `unknown` setting. Copy loops with a known count are
 * expanded into their instances. Each AI resource is judged as the live resource is: its ARM type and body, with the
 * facts the azapi mapping reads from it.
 */
export function readArmTemplate(
  template: unknown,
  file: string,
  given: GivenParameters = NO_PARAMETERS,
): TemplateReadResult {
  if (!isRecord(template))
    throw new AigovError("TEMPLATE_SHAPE", "the ARM template is not a JSON object", { position: { file } });
  const declared = template.resources ?? [];
  // languageVersion 2.0 templates name their resources (symbolic names) in an object.
  const top = Array.isArray(declared) ? declared : isRecord(declared) ? Object.values(declared) : undefined;
  if (top === undefined)
    throw new AigovError("TEMPLATE_SHAPE", "the ARM template's `resources` is neither a list nor an object", {
      position: { file },
    });
  refuseUndeclared(given, (name) => lookup(template.parameters, name) !== undefined, file);
  const lowerCase = <T>(map: ReadonlyMap<string, T>) =>
    new Map([...map].map(([name, value]) => [name.toLowerCase(), value] as const));
  const scope = new TemplateScope(template, {
    given: { values: lowerCase(given.values), texts: lowerCase(given.texts) },
    parameters: new Map(),
    variables: new Map(),
    evaluating: new Set(),
  });
  const subjects: PlannedSubject[] = [];
  const notInspected: string[] = [];
  let resources = 0;
  const pending: { declared: Declared; scope: TemplateScope }[] = top.map((resource, index) => ({
    declared: { resource: resourceAt(resource, `resources[${index}]`, file), path: `resources[${index}]` },
    scope,
  }));
  while (pending.length > 0) {
    const { declared: entry, scope: outer } = pending.shift()!;
    for (const instanceScope of instances(entry, outer, file)) {
      const evaluate = (value: unknown): unknown => evaluated(value, instanceScope, file, entry.path);
      if (entry.resource.existing === true) continue;
      const condition = evaluate(entry.resource.condition ?? true);
      if (condition === false) continue;
      const type = fullType(entry, evaluate(entry.resource.type), file);
      const name = fullName(entry, evaluate(entry.resource.name));
      resources++;
      const children = entry.resource.resources;
      if (Array.isArray(children)) {
        for (const [index, child] of children.entries()) {
          const path = `${entry.path}.resources[${index}]`;
          pending.push({
            declared: { resource: resourceAt(child, path, file), path, parent: { type, name } },
            scope: instanceScope,
          });
        }
      }
      if (type.toLowerCase() === "microsoft.resources/deployments") {
        notInspected.push(`${type}/${typeof name === "string" ? name : entry.path}`);
        continue;
      }
      const ai = armAiType(type);
      if (ai === undefined) continue;
      const subject = armSubject(entry, type, name, evaluate, file, instanceScope.copyIndex);
      if (subject !== undefined) subjects.push(...plannedWithKeys(deployedBy(subject, DEPLOYMENT_SCOPE)));
    }
  }
  return { subjects, resources, notInspected };
}

function resourceAt(resource: unknown, path: string, file: string): Record<string, unknown> {
  if (!isRecord(resource) || resource.type === undefined)
    throw new AigovError("TEMPLATE_SHAPE", `${path} is not a resource with a type`, { position: { file } });
  return resource;
}

function evaluated(value: unknown, scope: ArmScope, file: string, path: string): unknown {
  try {
    return evaluateArmValue(value, scope);
  } catch (error) {
    if (!(error instanceof ArmExpressionError)) throw error;
    throw new AigovError("TEMPLATE_EXPRESSION", `${path}: an expression is not valid ARM syntax: ${error.message}`, {
      position: { file },
      hint: "`bicep build` or `az deployment group validate` shows the same expression",
    });
  }
}

/** One scope per instance of a copy loop with a known count; one instance (copyIndex unknown) otherwise. */
function instances(entry: Declared, outer: TemplateScope, file: string): TemplateScope[] {
  const copy = entry.resource.copy;
  if (!isRecord(copy)) return [outer];
  const count = evaluated(copy.count, outer, file, `${entry.path}.copy.count`);
  if (typeof count !== "number") return [outer];
  if (!Number.isInteger(count) || count < 0 || count > MAX_COPY)
    throw new AigovError("TEMPLATE_SHAPE", `${entry.path}: copy count ${count} is not between 0 and ${MAX_COPY}`, {
      position: { file },
    });
  return Array.from({ length: count }, (_, index) => outer.inLoop(index));
}

/** A child declared inside its parent names its type and name relative to the parent's (`deployments`, `gpt-4o`). */
function fullType(entry: Declared, type: unknown, file: string): string {
  if (typeof type !== "string")
    throw new AigovError("TEMPLATE_SHAPE", `${entry.path}: the resource type must be a literal string`, {
      position: { file },
    });
  if (entry.parent === undefined || type.includes("/")) return type;
  return `${entry.parent.type}/${type}`;
}

function fullName(entry: Declared, name: unknown): unknown {
  if (entry.parent === undefined || typeof name !== "string" || name.includes("/")) return name;
  return typeof entry.parent.name === "string" ? `${entry.parent.name}/${name}` : entry.parent.name;
}

/**
 * The resource's id without the subscription and resource group a template does not know:
 * `Microsoft.CognitiveServices/accounts/oai/deployments/gpt-4o`, the tail of the live resource's ARM id. A name only
 * the deployment knows keeps its expression, so the finding still says which resource it is.
 */
function resourceAddress(type: string, name: unknown, declaredName: unknown, copyIndex: number | undefined): string {
  const loop = copyIndex === undefined ? "" : `[${copyIndex}]`;
  if (typeof name !== "string") return `${type}/${String(declaredName)}${loop}`;
  const [namespace, ...types] = type.split("/");
  const names = name.split("/");
  if (types.length !== names.length) return `${type}/${name}`;
  return [namespace, ...types.flatMap((segment, index) => [segment, names[index]])].join("/");
}

function armSubject(
  entry: Declared,
  type: string,
  name: unknown,
  evaluate: (value: unknown) => unknown,
  file: string,
  copyIndex: number | undefined,
): PlannedSubject | undefined {
  const body: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(entry.resource))
    if (!DEPLOYMENT_KEYS.has(key) && key !== "type" && key !== "name") setOwnProperty(body, key, evaluate(value));
  // A name only the deployment knows is shown as the template writes it.
  const ownName = typeof name === "string" ? name.split("/").at(-1)! : String(entry.resource.name);
  const apiVersion = evaluate(entry.resource.apiVersion);
  const address = resourceAddress(type, name, entry.resource.name, typeof name === "string" ? undefined : copyIndex);
  return normalizeResource({
    type: "azapi_resource",
    address,
    values: {
      type: typeof apiVersion === "string" ? `${type}@${apiVersion}` : type,
      name: ownName,
      location: body.location ?? null,
      tags: body.tags ?? null,
      body: { name: typeof name === "string" ? ownName : name, type, ...body },
    },
    change: CONFIGURATION_CHANGE,
    source: { file, path: entry.path },
  });
}
