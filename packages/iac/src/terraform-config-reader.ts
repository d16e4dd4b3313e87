import { stat } from "node:fs/promises";
import { basename, dirname, join, relative, resolve } from "node:path";
import { AigovError } from "@aigov/core";
import { aiTypeInfo } from "./ai-types.ts";
import { type GivenValue, givenScalar } from "./input-values.ts";
import { META_ARGUMENTS, CONFIGURATION_CHANGE, splitInterpolations } from "./cdktf-reader.ts";
import { type PlannedSubject, normalizeResource } from "./normalize.ts";
import { readConfiguration } from "./plan-configuration.ts";
import { plannedWithKeys } from "./planned-keys.ts";
import { isRecord } from "./planned-values.ts";
import { withProviderDefaults } from "./provider-defaults.ts";
import {
  automaticVariablesFiles,
  type ConfigFile,
  configFileNames,
  isOverride,
  parseHcl,
  readConfigFile,
  readVariablesFile,
} from "./terraform-config-files.ts";
import {
  type ConfigValue,
  type ExpressionScope,
  evaluateValue,
  UNKNOWN,
  UNKNOWN_TEXT,
  writtenUnknowns,
} from "./terraform-config-expression.ts";

/** What reading a terraform configuration found: its AI subjects and the counts a person checks. */
export interface ConfigReadResult {
  readonly subjects: readonly PlannedSubject[];
  /** `.tf` and `.tf.json` files read, the local modules' included. */
  readonly files: number;
  /** Resource instances (count and for_each expanded), AI or not. */
  readonly resources: number;
  readonly dataSources: number;
  /** Module calls whose source is not a local directory (registry, git …): not read, so not judged. */
  readonly modulesNotInspected: readonly string[];
  /** What the configuration left open that changes what was judged (a count it cannot know …). */
  readonly notes: readonly string[];
}

export interface ConfigReadOptions {
  /** `TF_VAR_name` environment variables: below every variables file. */
  readonly environment?: readonly GivenValue[];
  /** `--var-file` paths, applied after terraform.tfvars and *.auto.tfvars, later ones winning. */
  readonly varFiles?: readonly string[];
  /** `--var name=value`, applied last. */
  readonly vars?: readonly GivenValue[];
}

/** One module directory's blocks, merged over its files. */
interface ModuleBlocks {
  readonly dir: string;
  readonly files: readonly ConfigFile[];
  readonly resources: readonly ResourceBlock[];
  readonly dataSources: number;
  readonly variables: ReadonlyMap<string, Record<string, unknown>>;
  readonly locals: ReadonlyMap<string, unknown>;
  readonly providers: readonly (readonly [name: string, body: Record<string, unknown>])[];
  readonly calls: readonly (readonly [name: string, body: Record<string, unknown>])[];
  readonly duplicates: readonly string[];
}

interface ResourceBlock {
  readonly type: string;
  readonly name: string;
  readonly body: Record<string, unknown>;
  readonly file: string;
  readonly line?: number;
}

/** The plan's `configuration` shape, which plan-configuration.ts reads for regions and related resources. */
interface ConfigurationNode {
  readonly resources: Record<string, unknown>[];
  readonly module_calls: Record<string, { module: ConfigurationNode }>;
  readonly addresses: Set<string>;
}

const MAX_MODULE_DEPTH = 32;
const MODULE_ARGUMENTS = new Set(["source", "version", "providers", "count", "for_each", "depends_on"]);

/**
 * Reads a terraform configuration (a directory, or one `.tf` / `.tf.json` file) into planned AI subjects. There is
 * no prior state: every resource is introduced, as in a plan that creates everything.
 */
export async function readTerraformConfiguration(
  target: string,
  shown: string,
  options: ConfigReadOptions = {},
): Promise<ConfigReadResult> {
  const path = resolve(target);
  const isDirectory = (await stat(path)).isDirectory();
  const rootDir = isDirectory ? path : dirname(path);
  const show = (file: string) => {
    const relativePath = relative(rootDir, file);
    return isDirectory ? join(shown, relativePath) : join(dirname(shown), relativePath);
  };
  const reader = new ConfigurationReader(show);
  const root = await reader.module(rootDir, isDirectory ? undefined : basename(path));
  if (root.files.length === 0) {
    throw new AigovError("CONFIG_EMPTY", `${shown}: no .tf or .tf.json files`, {
      hint: "pass a terraform configuration directory, a .tf file, a plan JSON, a cdk.tf.json or a cdktf.out directory",
    });
  }
  // Terraform's order: TF_VAR_ environment variables, terraform.tfvars, *.auto.tfvars, each -var-file, then -var
  // (terraform interleaves -var and -var-file as given; here every --var comes after every --var-file). A later
  // value wins.
  const literal = literalScope();
  const inputs: Record<string, ConfigValue> = {};
  const given = async (values: readonly GivenValue[] = []) => {
    for (const value of values)
      if (root.variables.has(value.name))
        inputs[value.name] = await givenVariable(value, root.variables.get(value.name)!);
  };
  const fromFile = async (file: string, shownFile: string) => {
    for (const [name, value] of Object.entries(await readVariablesFile(file, shownFile)))
      inputs[name] = evaluateValue(value, literal);
  };
  await given(options.environment);
  for (const file of await automaticVariablesFiles(rootDir)) await fromFile(file, show(file));
  for (const file of options.varFiles ?? []) await fromFile(resolve(file), file);
  await given(options.vars);
  return reader.read(root, inputs);
}

class ConfigurationReader {
  private readonly modules = new Map<string, Promise<ModuleBlocks>>();
  private readonly instances: {
    module: ModuleBlocks;
    prefix: string;
    scope: ExpressionScope;
  }[] = [];
  private readonly notes: string[] = [];
  private readonly notInspected: string[] = [];
  private rootDir = "";

  private readonly show: (file: string) => string;
  constructor(show: (file: string) => string) {
    this.show = show;
  }

  /** A module directory's files, parsed once however many times it is called. */
  module(dir: string, onlyFile?: string): Promise<ModuleBlocks> {
    const key = `${dir}\0${onlyFile ?? ""}`;
    let loaded = this.modules.get(key);
    if (loaded === undefined) {
      loaded = this.load(dir, onlyFile);
      this.modules.set(key, loaded);
    }
    return loaded;
  }

  private async load(dir: string, onlyFile?: string): Promise<ModuleBlocks> {
    const names =
      onlyFile === undefined ? (await configFileNames(dir)).filter((name) => !isOverride(name)) : [onlyFile];
    const files = await Promise.all(names.map((name) => readConfigFile(join(dir, name), this.show(join(dir, name)))));
    const resources: ResourceBlock[] = [];
    const seen = new Map<string, string>();
    const duplicates: string[] = [];
    const variables = new Map<string, Record<string, unknown>>();
    const locals = new Map<string, unknown>();
    const providers: [string, Record<string, unknown>][] = [];
    const calls: [string, Record<string, unknown>][] = [];
    let dataSources = 0;
    for (const file of files) {
      const lines = resourceLines(file.text);
      const document = file.document;
      for (const [type, byName] of entriesOf(document.resource)) {
        for (const [name, bodies] of entriesOf(byName)) {
          for (const body of listOf(bodies)) {
            const address = `${type}.${name}`;
            // Terraform refuses a resource declared twice; both are judged (a check fixture may declare pass and
            // fail cases under one name), and the note says the configuration would not apply.
            const first = seen.get(address);
            if (first !== undefined)
              duplicates.push(
                `${address} is declared twice (${first}, ${file.shown}): terraform refuses this configuration; both are judged`,
              );
            seen.set(address, file.shown);
            const line = lines.get(address);
            resources.push({ type, name, body, file: file.shown, ...(line === undefined ? {} : { line }) });
          }
        }
      }
      for (const [, byName] of entriesOf(document.data))
        dataSources += Object.keys(isRecord(byName) ? byName : {}).length;
      for (const [name, bodies] of entriesOf(document.variable)) variables.set(name, listOf(bodies)[0] ?? {});
      for (const block of listOf(document.locals))
        for (const [name, value] of Object.entries(block)) locals.set(name, value);
      for (const [name, bodies] of entriesOf(document.provider))
        for (const body of listOf(bodies)) providers.push([name, body]);
      for (const [name, bodies] of entriesOf(document.module))
        for (const body of listOf(bodies)) calls.push([name, body]);
    }
    return { dir, files, resources, dataSources, variables, locals, providers, calls, duplicates };
  }

  async read(root: ModuleBlocks, inputs: Record<string, ConfigValue>): Promise<ConfigReadResult> {
    this.rootDir = root.dir;
    const rootNode: ConfigurationNode = { resources: [], module_calls: {}, addresses: new Set() };
    const files = new Set<ConfigFile>();
    await this.walk(root, inputs, "", rootNode, 0, files);
    const rootScope = this.instances[0]!.scope;
    const provider: Record<string, unknown[]> = {};
    const providerConfig: Record<string, unknown> = {};
    for (const [name, body] of root.providers) {
      const evaluated = writtenUnknowns(evaluateValue(body, rootScope)) as Record<string, unknown>;
      provider[name] = [...(provider[name] ?? []), evaluated];
      const key = typeof evaluated.alias === "string" ? `${name}.${evaluated.alias}` : name;
      if (typeof evaluated.region === "string" && !evaluated.region.includes("${"))
        providerConfig[key] = { expressions: { region: { constant_value: evaluated.region } } };
    }
    const configuration = readConfiguration({ provider_config: providerConfig, root_module: rootNode });
    let resources = 0;
    let dataSources = 0;
    const synthesized: Record<string, Record<string, Record<string, unknown>>> = {};
    const sources = new Map<string, ResourceBlock>();
    for (const { module, prefix, scope } of this.instances) {
      dataSources += module.dataSources;
      for (const block of module.resources) {
        const address = `${prefix}${block.type}.${block.name}`;
        const expanded = this.expand(block.body, scope, address);
        resources += expanded.length;
        if (aiTypeInfo(block.type) === undefined) continue;
        for (const instance of expanded) {
          const values = resourceValues(block.body, instance.scope);
          const instanceAddress = `${address}${instance.key}`;
          const byAddress = synthesized[block.type] ?? {};
          byAddress[instanceAddress] = values;
          synthesized[block.type] = byAddress;
          sources.set(instanceAddress, block);
        }
      }
    }
    // Provider default tags and labels count as a plan shows them (tags_all, effective_labels).
    const merged = withProviderDefaults({ provider, resource: synthesized });
    const subjects: PlannedSubject[] = [];
    for (const [type, byAddress] of Object.entries(merged.resource as typeof synthesized)) {
      for (const [address, body] of Object.entries(byAddress)) {
        const { provider: _provider, ...values } = body;
        const { known, marks } = splitInterpolations(values);
        const block = sources.get(address)!;
        const subject = normalizeResource({
          type,
          address,
          values: known as Record<string, unknown>,
          unknownPaths: marks as Record<string, unknown>,
          change: CONFIGURATION_CHANGE,
          source: { file: block.file, path: address, ...(block.line === undefined ? {} : { line: block.line }) },
          ...configuration.forResource(address, type),
        });
        if (subject !== undefined) subjects.push(...plannedWithKeys(subject));
      }
    }
    return {
      subjects,
      files: files.size,
      resources,
      dataSources,
      modulesNotInspected: this.notInspected,
      notes: this.notes,
    };
  }

  /** One module instance: its scope, its resources' configuration entries, and the local modules it calls. */
  private async walk(
    module: ModuleBlocks,
    inputs: Record<string, ConfigValue>,
    prefix: string,
    node: ConfigurationNode,
    depth: number,
    files: Set<ConfigFile>,
  ): Promise<void> {
    for (const file of module.files) files.add(file);
    if (!this.instances.some((instance) => instance.module === module)) this.notes.push(...module.duplicates);
    const scope = moduleScope(module, inputs, this.rootDir);
    this.instances.push({ module, prefix, scope });
    for (const block of module.resources) noteConfigurationResource(node, block);
    for (const [name, call] of module.calls) {
      const source = evaluateValue(call.source, scope);
      const callAddress = `${prefix}module.${name}`;
      if (typeof source !== "string" || !/^\.\.?[/\\]/.test(source)) {
        this.notInspected.push(callAddress);
        continue;
      }
      if (depth >= MAX_MODULE_DEPTH) {
        throw new AigovError(
          "CONFIG_MODULE_DEPTH",
          `${callAddress}: modules nest more than ${MAX_MODULE_DEPTH} deep (does a module call itself?)`,
          {
            position: { file: module.files[0]?.shown ?? module.dir },
          },
        );
      }
      const dir = resolve(module.dir, source);
      const child = await this.module(dir).catch((error: unknown) => {
        if (error instanceof AigovError) throw error;
        throw new AigovError(
          "CONFIG_MODULE_MISSING",
          `${callAddress}: its source ${source} cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)})`,
          {
            position: { file: module.files[0]?.shown ?? module.dir },
            hint: "a local module's directory must be beside the configuration, as `terraform init` needs it",
          },
        );
      });
      const childNode: ConfigurationNode = node.module_calls[name]?.module ?? {
        resources: [],
        module_calls: {},
        addresses: new Set(),
      };
      node.module_calls[name] = { module: childNode };
      for (const instance of this.expand(call, scope, callAddress)) {
        const childInputs: Record<string, ConfigValue> = {};
        for (const [argument, value] of Object.entries(call)) {
          if (!MODULE_ARGUMENTS.has(argument)) childInputs[argument] = evaluateValue(value, instance.scope);
        }
        await this.walk(child, childInputs, `${callAddress}${instance.key}.`, childNode, depth + 1, files);
      }
    }
  }

  /** count / for_each → the instances with their keys; one unkeyed instance when the configuration cannot say. */
  private expand(
    body: Record<string, unknown>,
    scope: ExpressionScope,
    address: string,
  ): { key: string; scope: ExpressionScope }[] {
    if ("count" in body) {
      const value = evaluateValue(body.count, scope);
      // A number from a variables file may be written as a string; terraform converts it.
      const count = typeof value === "string" && /^\d+$/.test(value) ? Number(value) : value;
      if (typeof count === "number" && Number.isInteger(count) && count >= 0)
        return Array.from({ length: count }, (_, index) => ({ key: `[${index}]`, scope: { ...scope, count: index } }));
      this.notes.push(`${address}: count is known only at plan; judged as one instance`);
      return [{ key: "", scope }];
    }
    if ("for_each" in body) {
      const collection = evaluateValue(body.for_each, scope);
      const entries = isRecord(collection)
        ? Object.entries(collection)
        : Array.isArray(collection) && collection.every((item) => typeof item === "string")
          ? collection.map((item) => [item, item] as const)
          : undefined;
      if (entries !== undefined)
        return entries.map(([key, value]) => ({
          key: `[${JSON.stringify(key)}]`,
          scope: { ...scope, each: { key, value } },
        }));
      this.notes.push(`${address}: for_each is known only at plan; judged as one instance`);
      return [{ key: "", scope }];
    }
    return [{ key: "", scope }];
  }
}

/** A resource instance's attributes, evaluated; what stays unknown is written as an expression. */
function resourceValues(body: Record<string, unknown>, scope: ExpressionScope): Record<string, unknown> {
  const attributes: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(body)) {
    if (key === "dynamic") {
      // Blocks made by `dynamic` depend on their for_each and iterator: unknown here, as a plan would compute them.
      for (const block of listOf(value)) for (const name of Object.keys(block)) attributes[name] = UNKNOWN_TEXT;
    } else if (!META_ARGUMENTS.has(key)) attributes[key] = writtenUnknowns(evaluateValue(value, scope));
  }
  // `provider = aws.us`: the provider block whose default tags apply.
  if (typeof body.provider === "string") attributes.provider = body.provider.replace(/^\$\{(.*)\}$/, "$1");
  return attributes;
}

/** The scope of one module instance: its variables (inputs, else defaults) and its locals, evaluated on demand. */
function moduleScope(module: ModuleBlocks, inputs: Record<string, ConfigValue>, rootDir: string): ExpressionScope {
  const literal = literalScope();
  const locals = new Map<string, ConfigValue>();
  const evaluating = new Set<string>();
  const scope: ExpressionScope = {
    modulePath: relative(rootDir, module.dir) || ".",
    rootPath: ".",
    variable(name) {
      if (Object.hasOwn(inputs, name)) return inputs[name];
      const declared = module.variables.get(name);
      return declared !== undefined && "default" in declared ? evaluateValue(declared.default, literal) : UNKNOWN;
    },
    local(name) {
      if (locals.has(name)) return locals.get(name);
      // A local that refers to itself (through others) is an error terraform reports; here it is unknown.
      if (!module.locals.has(name) || evaluating.has(name)) return UNKNOWN;
      evaluating.add(name);
      const value = evaluateValue(module.locals.get(name), scope);
      evaluating.delete(name);
      locals.set(name, value);
      return value;
    },
  };
  return scope;
}

/**
 * A value given as text (`--var`, `TF_VAR_`) as terraform reads it: HCL for a variable declared as a list, map, set,
 * object or tuple; a number or bool for those types; else the text itself, never a template.
 */
async function givenVariable(given: GivenValue, declared: Record<string, unknown>): Promise<ConfigValue> {
  const type = typeof declared.type === "string" ? declared.type.replace(/^\$\{|\}$/g, "").trim() : "any";
  if (/^(list|map|set|object|tuple)\s*\(/.test(type)) {
    const document = await parseHcl(`value = ${given.text}\n`, `value of variable ${given.name}`);
    return evaluateValue(document.value, literalScope());
  }
  if (type === "number" || type === "bool") return givenScalar(`variable ${given.name}`, given.text, type);
  return given.text;
}

/** Variable files and defaults hold literal values only. */
function literalScope(): ExpressionScope {
  return { modulePath: ".", rootPath: ".", variable: () => UNKNOWN, local: () => UNKNOWN };
}

/**
 * The resource as the plan's `configuration` block describes it: its provider and, for each attribute, its
 * constant value or the resources it references. plan-configuration.ts reads regions and related resources
 * (diagnostic settings, customer-managed keys, gateways) from that, for configuration as for plans.
 */
function noteConfigurationResource(node: ConfigurationNode, block: ResourceBlock): void {
  const address = `${block.type}.${block.name}`;
  if (node.addresses.has(address)) return;
  node.addresses.add(address);
  const expressions: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(block.body)) {
    // A list of strings (managed_policy_arns) is a constant only when none of its items is an expression.
    const texts = typeof value === "string" ? [value] : Array.isArray(value) ? value : [];
    if (texts.length === 0 || !texts.every((text) => typeof text === "string")) continue;
    expressions[key] = texts.some((text) => text.includes("${"))
      ? { references: texts.flatMap(references) }
      : { constant_value: value };
  }
  const provider =
    typeof block.body.provider === "string" ? block.body.provider.replace(/^\$\{(.*)\}$/, "$1") : undefined;
  node.resources.push({
    address,
    type: block.type,
    provider_config_key: provider ?? block.type.split("_")[0]!,
    expressions,
  });
}

const NOT_RESOURCES = new Set(["var", "local", "count", "each", "path", "terraform", "module", "data", "self"]);

/** `${azurerm_cognitive_account.main.id}` → `azurerm_cognitive_account.main`. */
function references(text: string): string[] {
  const found: string[] = [];
  for (const match of text.matchAll(/(?<![\w.])([a-z][a-z0-9_]*)\.([A-Za-z_][\w-]*)/g)) {
    if (!NOT_RESOURCES.has(match[1]!)) found.push(`${match[1]}.${match[2]}`);
  }
  return found;
}

/** `resource "type" "name"` → its line, for findings that point at the block. */
function resourceLines(text: string): Map<string, number> {
  const lines = new Map<string, number>();
  let line = 1;
  let at = 0;
  for (const match of text.matchAll(/^[ \t]*resource[ \t]+"([^"]+)"[ \t]+"([^"]+)"/gm)) {
    for (; at < match.index; at++) if (text.charCodeAt(at) === 10) line++;
    lines.set(`${match[1]}.${match[2]}`, line);
  }
  return lines;
}

function entriesOf(value: unknown): [string, unknown][] {
  return isRecord(value) ? Object.entries(value) : [];
}

function listOf(value: unknown): Record<string, unknown>[] {
  return (Array.isArray(value) ? value : [value]).filter(isRecord);
}
