import { existsSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import policyCoreSchema from "../schema/policy-core.schema.json" with { type: "json" };
import { canonicalAzureLocation } from "./azure-location.ts";
import { AigovError, fileErrorReason, type Position } from "./errors.ts";
import type { Provider, Severity } from "./model.ts";
import { createSchemaCheck } from "./schema-check.ts";
import { waiverEndsAt } from "./waiver.ts";
import { parseYamlSource, sourceAt, type YamlPath, type YamlSource } from "./yaml-source.ts";

/** Globs per provider. A policy file may give one list for every provider or a list per provider. */
export type PerProvider = Readonly<Record<Provider, readonly string[]>>;

export interface Waiver {
  readonly rule: string;
  readonly subject: string;
  readonly reason: string;
  readonly approver: string;
  /** A date (in force through that day, UTC) or a time with its zone (see waiver.ts); absent = never expires. */
  readonly expires?: string;
  /** Where the waiver is written, for messages. */
  readonly position?: Position;
}

export interface Policy {
  /** The file it came from; undefined for the built-in default. */
  readonly file?: string;
  readonly approvedModels: PerProvider;
  readonly approvedRegions: PerProvider;
  /** AWS account ids, Azure subscription ids, GCP project ids where AI may run. */
  readonly approvedAccounts: PerProvider;
  readonly approvedPrincipals: PerProvider;
  readonly requiredTags: readonly string[];
  readonly ownerTags: readonly string[];
  readonly registry: { readonly assets: readonly string[]; readonly tags: Readonly<Record<string, string>> };
  readonly waivers: readonly Waiver[];
  readonly gate: { readonly failOn: Severity; readonly unknown: "block" | "warn" };
  readonly unknown: "violation" | "pass" | "unknown";
  /** Organization parameters rules read as `$policy.<name>`. */
  readonly parameters: Readonly<Record<string, unknown>>;
  /** Position of a value (or with `"key"`, of its key) in the policy file, for error messages. */
  locate(path: YamlPath, part?: "key" | "value"): Position | undefined;
  /**
   * The value at `path` (`["sinks"]`, `["targets", "aws"]`) with its positions: the sections other packages own
   * (`targets`, `sinks`, `store`) are read through this and checked by their owner against its own schema (see
   * `createSectionCheck`). Undefined when the policy has no such value.
   */
  section(path: YamlPath): YamlSource | undefined;
}

export const DEFAULT_POLICY_FILE = "aigov.yaml";

const everywhere = (globs: readonly string[]): PerProvider => ({ aws: globs, azure: globs, gcp: globs });

/** Parameters the default rule pack reads; a policy file overrides them one by one. */
const DEFAULT_PARAMETERS: Readonly<Record<string, unknown>> = {
  key_max_age: "90d",
  key_unused_for: "90d",
  require_iam_auth: true,
  /** Azure OpenAI deployment capacity (thousands of tokens per minute) above which a deployment is flagged. */
  max_deployment_capacity: 1000,
};

/**
 * The policy when no aigov.yaml exists: every model and region is allowed, but every AI resource must have an owner
 * (an owner tag/label) or an entry in the registry, and findings of high severity or more block.
 */
export function defaultPolicy(): Policy {
  return {
    approvedModels: everywhere(["*"]),
    approvedRegions: everywhere(["*"]),
    approvedAccounts: everywhere(["*"]),
    approvedPrincipals: everywhere(["*"]),
    requiredTags: [],
    ownerTags: ["owner", "Owner", "OWNER", "aigov-owner", "team", "Team"],
    registry: { assets: [], tags: {} },
    waivers: [],
    gate: { failOn: "high", unknown: "block" },
    unknown: "unknown",
    parameters: DEFAULT_PARAMETERS,
    locate: () => undefined,
    section: () => undefined,
  };
}

/** The JSON Schema of the keys core reads (the sections other packages own are only of the right kind here). */
export const POLICY_CORE_SCHEMA = policyCoreSchema;

const checkPolicySchema = createSchemaCheck<PolicyDocument>(policyCoreSchema, "policy");

/**
 * Loads the policy: the given file, else ./aigov.yaml when it exists, else the built-in default.
 * Every defect is an AigovError at file:line:column.
 */
export async function loadPolicy(file?: string, cwd: string = process.cwd()): Promise<Policy> {
  const path = file ?? resolve(cwd, DEFAULT_POLICY_FILE);
  if (file === undefined && !existsSync(path)) return defaultPolicy();
  let text: string;
  try {
    // Synchronous: a command that reads no other file asynchronously then never starts libuv's thread pool.
    text = readFileSync(path, "utf8");
  } catch (error) {
    throw new AigovError("POLICY_UNREADABLE", `cannot read policy file: ${fileErrorReason(error)}`, {
      position: { file: path },
      hint: "check --policy, or remove it to use the built-in default policy",
    });
  }
  return parsePolicy(text, path);
}

export function parsePolicy(text: string, file: string): Policy {
  const source = parseYamlSource(text, file);
  return policyFromSource(source);
}

/** Globs for every provider, or per provider, as a policy file writes them. */
type GlobsDocument = readonly string[] | { readonly [P in Provider]?: readonly string[] };

/** A policy file's mapping, in the shape policy-core.schema.json lets it be written. */
interface PolicyDocument {
  readonly approved_models?: GlobsDocument;
  readonly approved_regions?: GlobsDocument;
  readonly approved_accounts?: GlobsDocument;
  readonly approved_principals?: GlobsDocument;
  readonly required_tags?: readonly string[];
  readonly owner_tags?: readonly string[];
  readonly registry?: { readonly assets?: readonly string[]; readonly tags?: Readonly<Record<string, string>> };
  readonly waivers?: readonly {
    readonly rule: string;
    readonly subject: string;
    readonly reason: string;
    readonly approver: string;
    readonly expires?: string;
  }[];
  readonly gate?: { readonly fail_on?: Severity; readonly unknown?: "block" | "warn" };
  readonly unknown?: Policy["unknown"];
  readonly parameters?: Readonly<Record<string, unknown>>;
}

/** A policy from an already parsed YAML value (a whole file, or a rule test's `policy:`), on top of the default. */
export function policyFromSource(source: YamlSource, base: Policy = defaultPolicy()): Policy {
  if (source.value === null || source.value === undefined)
    return { ...base, file: source.file, locate: source.locate, section: () => undefined };
  const raw = checkPolicySchema(source);
  const perProvider = (value: GlobsDocument | undefined, fallback: PerProvider): PerProvider => {
    if (value === undefined) return fallback;
    if (isGlobList(value)) return everywhere(value);
    return { aws: value.aws ?? [], azure: value.azure ?? [], gcp: value.gcp ?? [] };
  };
  const waivers = (raw.waivers ?? []).map((waiver, index): Waiver => {
    if (waiver.expires !== undefined && waiverEndsAt(waiver.expires) === undefined) {
      throw new AigovError(
        "POLICY_INVALID",
        `waiver expiry '${waiver.expires}' is not a date (or a time with its zone)`,
        {
          position: source.locate(["waivers", index, "expires"]),
          hint: "write a date, YYYY-MM-DD (in force through that day, UTC), or a time with its zone, YYYY-MM-DDTHH:MM:SSZ",
        },
      );
    }
    return {
      rule: waiver.rule,
      subject: waiver.subject,
      reason: waiver.reason,
      approver: waiver.approver,
      ...(waiver.expires === undefined ? {} : { expires: waiver.expires }),
      position: source.locate(["waivers", index]),
    };
  });
  const { registry, gate } = raw;
  return {
    file: source.file,
    approvedModels: perProvider(raw.approved_models, base.approvedModels),
    approvedRegions: withCanonicalAzureLocations(perProvider(raw.approved_regions, base.approvedRegions)),
    approvedAccounts: perProvider(raw.approved_accounts, base.approvedAccounts),
    approvedPrincipals: perProvider(raw.approved_principals, base.approvedPrincipals),
    requiredTags: raw.required_tags ?? base.requiredTags,
    ownerTags: raw.owner_tags ?? base.ownerTags,
    registry: { assets: registry?.assets ?? base.registry.assets, tags: registry?.tags ?? base.registry.tags },
    waivers: raw.waivers === undefined ? base.waivers : waivers,
    gate: { failOn: gate?.fail_on ?? base.gate.failOn, unknown: gate?.unknown ?? base.gate.unknown },
    unknown: raw.unknown ?? base.unknown,
    parameters: { ...base.parameters, ...raw.parameters },
    locate: (path, part) => source.locate(path, part),
    section: (path) => sourceAt(source, path),
  };
}

/** Azure regions are compared in their canonical form (`East US` approves `eastus`), as assets carry them. */
function withCanonicalAzureLocations(regions: PerProvider): PerProvider {
  return { ...regions, azure: regions.azure.map(canonicalAzureLocation) };
}

function isGlobList(value: GlobsDocument): value is readonly string[] {
  return Array.isArray(value);
}

/** The policy fields rules may read as `$policy.<name>`, resolved per provider where the policy has one list per provider. */
export function policyParameter(
  policy: Policy,
  name: string,
): { perProvider: PerProvider } | { value: unknown } | undefined {
  switch (name) {
    case "approved_models":
      return { perProvider: policy.approvedModels };
    case "approved_regions":
      return { perProvider: policy.approvedRegions };
    case "approved_accounts":
      return { perProvider: policy.approvedAccounts };
    case "approved_principals":
      return { perProvider: policy.approvedPrincipals };
    case "required_tags":
      return { value: policy.requiredTags };
    case "owner_tags":
      return { value: policy.ownerTags };
    case "registry_tags":
      return { value: policy.registry.tags };
  }
  return Object.hasOwn(policy.parameters, name) ? { value: policy.parameters[name] } : undefined;
}
