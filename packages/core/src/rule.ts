import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { basename, extname, resolve, sep } from "node:path";
import { type BuiltRulePack, builtRulePack, builtRuleTests } from "#built-rule-pack";
import { DEFAULT_RULES_DIR } from "#default-rules-dir";
import ruleSchema from "../schema/rule.schema.json" with { type: "json" };
import { compileAggregate } from "./aggregate.ts";
import { compileCondition } from "./condition.ts";
import { createRuleCache, type RuleCache } from "./rule-cache.ts";
import { AigovError } from "./errors.ts";
import type { ChangeAction, Provider, Severity, SubjectType } from "./model.ts";
import { defaultPolicy, type Policy } from "./policy.ts";
import { createSchemaCheck } from "./schema-check.ts";
import { parseYamlSource, type YamlSource } from "./yaml-source.ts";

export interface RuleTest {
  readonly name: string;
  readonly subject?: Readonly<Record<string, unknown>>;
  /** Aggregate rules: the api-calls to feed, in log order. */
  readonly subjects?: readonly Readonly<Record<string, unknown>>[];
  readonly policy?: Readonly<Record<string, unknown>>;
  readonly now?: string;
  readonly expect: "violation" | "pass" | "unknown" | "waived" | "not-applicable";
}

export interface Rule {
  readonly id: string;
  readonly title: string;
  readonly severity: Severity;
  readonly description: string;
  readonly risk: string;
  readonly remediation: { readonly text: string; readonly terraform?: string; readonly cli?: string };
  readonly references: readonly string[];
  readonly frameworks: Readonly<Record<string, readonly string[]>>;
  readonly appliesTo: {
    readonly subject: SubjectType;
    readonly provider?: readonly Provider[];
    readonly kind?: readonly string[];
    readonly type?: readonly string[];
    readonly change?: readonly ChangeAction[];
  };
  /** The raw condition (compiled by the engine against a policy). */
  readonly condition: unknown;
  readonly unknown?: "violation" | "pass" | "unknown";
  readonly tests: readonly RuleTest[];
  /** The parsed file, for positions in later errors (parameters, tests). */
  readonly source: YamlSource;
  /** Everything the file holds, for features that extend the rule format. */
  readonly raw: Readonly<Record<string, unknown>>;
}

/** Rule files are small; anything larger is refused before parsing. */
const RULE_FILE_LIMITS = { maxBytes: 256 * 1024, maxAliases: 20 };

const checkRuleSchema = createSchemaCheck(ruleSchema, "rule");

/** The default rule pack: the repository's `rules/` directory, or a bundle's own copy (see default-rules-dir.ts). */
export function defaultRulesDir(): string {
  return DEFAULT_RULES_DIR;
}

export interface LoadRulesOptions {
  /** Extra rule directories or files on top of the default pack. */
  readonly dirs?: readonly string[];
  /** Load the default pack (default true). */
  readonly includeDefault?: boolean;
  /** Parameters are checked against this policy (default: the built-in default policy). */
  readonly policy?: Policy;
  /** Where checked rule files come from and are cached (default: the user's cache; see rule-cache.ts). */
  readonly cache?: RuleCache;
  /** The default pack checked in advance, whose files are then not read (default: a bundle's own; see built-rule-pack.ts). */
  readonly builtPack?: BuiltRulePack;
}

/**
 * Loads, checks and compiles every rule (each condition's parts built at its first use: compileCondition). Any defect
 * stops the load with an AigovError at file:line:column.
 */
export async function loadRules(options: LoadRulesOptions = {}): Promise<Rule[]> {
  const includeDefault = options.includeDefault !== false;
  const built = includeDefault ? (options.builtPack ?? builtRulePack()) : undefined;
  // The build wrote the pack's files as clean relative paths: joined to the (absolute, canonical) directory as text.
  // path.resolve, once per rule, made node:path's normalizer hot enough that V8 compiled it with its optimizing
  // compiler in every gate (CPU, and some 5 MB more of node's own code paged in).
  const builtFiles = built?.files.map((name) => `${defaultRulesDir()}${sep}${name.replaceAll("/", sep)}`) ?? [];
  const roots = [...(includeDefault && built === undefined ? [defaultRulesDir()] : []), ...(options.dirs ?? [])];
  const files: string[] = [];
  for (const root of roots) files.push(...ruleFiles(root));
  const policy = options.policy ?? defaultPolicy();
  const builtSet = new Set(builtFiles);
  const uniqueFiles = [...new Set(files)].filter((file) => !builtSet.has(file));
  // Listed and read synchronously: rule files are a few kilobytes, and round trips through the thread pool cost more.
  const texts = uniqueFiles.map((file) => readFileSync(file, "utf8"));
  const cache = options.cache ?? createRuleCache();
  const checked = uniqueFiles.length === 0 ? undefined : cache.read(uniqueFiles, texts);
  const rules: Rule[] = [];
  const seen = new Map<string, Rule>();
  const add = (rule: Rule): void => {
    const first = seen.get(rule.id);
    if (first !== undefined) {
      throw new AigovError("RULE_DUPLICATE_ID", `rule id '${rule.id}' is already defined in ${first.source.file}`, {
        position: rule.source.locate(["id"]),
        hint: "rule ids are unique; rename one of them (and its file)",
      });
    }
    compileCondition(rule.condition, rule.source, ["condition"], policy);
    compileAggregate(rule, policy);
    seen.set(rule.id, rule);
    rules.push(rule);
  };
  for (const [index, file] of builtFiles.entries()) {
    const raw = built!.raws[index]!;
    const rule = ruleFromRaw(
      raw,
      lazySource(() => readFileSync(file, "utf8"), file, raw),
    );
    // A bundle's pack keeps its tests in a file of their own (built-rule-pack.ts), read when they are asked for.
    if (!("tests" in raw))
      Object.defineProperty(rule, "tests", { get: () => builtRuleTests()[index] as RuleTest[], enumerable: true });
    add(rule);
  }
  for (const [index, file] of uniqueFiles.entries()) {
    const text = texts[index]!;
    const raw = checked?.[index];
    add(
      raw === undefined
        ? parseRule(text, file)
        : ruleFromRaw(
            raw,
            lazySource(() => text, file, raw),
          ),
    );
  }
  if (uniqueFiles.length > 0 && checked === undefined)
    cache.write(
      uniqueFiles,
      texts,
      rules.slice(builtFiles.length).map((rule) => rule.raw),
    );
  return rules;
}

/**
 * A checked rule's source (the built pack's, or the rule cache's): its file is read and parsed again only if an error
 * needs a position.
 */
function lazySource(text: () => string, file: string, value: unknown): YamlSource {
  let parsed: YamlSource | undefined;
  return {
    file,
    value,
    compiledBefore: true,
    locate(path, part) {
      parsed ??= parseYamlSource(text(), file, RULE_FILE_LIMITS);
      return parsed.locate(path, part);
    },
  };
}

/** The rule files of a rule directory (recursively) or a single rule file, sorted. */
export function ruleFiles(root: string): string[] {
  if (!existsSync(root)) {
    throw new AigovError("RULES_NOT_FOUND", `no such rule file or directory: ${root}`, { hint: "check --rules" });
  }
  if (statSync(root).isFile()) return [resolve(root)];
  const entries = readdirSync(root, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile() && [".yaml", ".yml"].includes(extname(entry.name)))
    .map((entry) => resolve(entry.parentPath, entry.name))
    .sort();
}

/** Parses and schema-checks one rule file. */
export function parseRule(text: string, file: string): Rule {
  const source = parseYamlSource(text, file, RULE_FILE_LIMITS);
  if (source.value === null || typeof source.value !== "object" || Array.isArray(source.value)) {
    throw new AigovError("RULE_INVALID", "a rule file must be a YAML mapping", {
      position: source.locate([]),
      hint: "see packages/core/schema/rule.schema.json",
    });
  }
  checkRuleSchema(source);
  const raw = source.value as Record<string, unknown>;
  const id = raw.id as string;
  const expectedName = basename(file, extname(file));
  if (expectedName !== id) {
    throw new AigovError("RULE_FILE_NAME", `rule '${id}' is in a file named '${basename(file)}'`, {
      position: source.locate(["id"]),
      hint: `name the file ${id}${extname(file)} so a finding's rule id leads to its file`,
    });
  }
  return ruleFromRaw(raw, source);
}

/** A Rule from a rule file's checked content. */
function ruleFromRaw(raw: Readonly<Record<string, unknown>>, source: YamlSource): Rule {
  const appliesTo = raw.applies_to as Record<string, unknown>;
  return {
    id: raw.id as string,
    title: raw.title as string,
    severity: raw.severity as Severity,
    description: raw.description as string,
    risk: raw.risk as string,
    remediation: raw.remediation as Rule["remediation"],
    references: (raw.references as string[] | undefined) ?? [],
    frameworks: (raw.frameworks as Rule["frameworks"] | undefined) ?? {},
    appliesTo: {
      subject: appliesTo.subject as SubjectType,
      ...(appliesTo.provider === undefined ? {} : { provider: appliesTo.provider as Provider[] }),
      ...(appliesTo.kind === undefined ? {} : { kind: appliesTo.kind as string[] }),
      ...(appliesTo.type === undefined ? {} : { type: appliesTo.type as string[] }),
      ...(appliesTo.change === undefined ? {} : { change: appliesTo.change as ChangeAction[] }),
    },
    condition: raw.condition,
    ...(raw.unknown === undefined ? {} : { unknown: raw.unknown as Rule["unknown"] }),
    tests: raw.tests as RuleTest[],
    source,
    raw,
  };
}
