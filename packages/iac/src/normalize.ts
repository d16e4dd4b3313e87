import {
  canonicalAzureLocation,
  type Asset,
  type Authorizer,
  type Key,
  type Maybe,
  type PlannedChange,
  type Provider,
  type SourceLocation,
  isUnknown,
  unknown,
} from "@aigov/core";
import { type AiTypeInfo, aiTypeInfo } from "./ai-types.ts";
import { AWS_ASSET_NORMALIZERS, AWS_KEY_NORMALIZERS } from "./aws-normalizers.ts";
import { AZURE_ASSET_NORMALIZERS } from "./azure-normalizers.ts";
import { azapiFacts } from "./azapi-normalizer.ts";
import { GCP_ASSET_NORMALIZERS, GCP_KEY_NORMALIZERS } from "./gcp-normalizers.ts";
import type { AssetNormalizer, KeyNormalizer, PlannedFacts } from "./planned-facts.ts";
import { KNOWN_AFTER_APPLY, PlannedValues, isRecord } from "./planned-values.ts";

/** One planned resource as terraform (or cdktf) describes it. */
export interface NormalizeInput {
  readonly type: string;
  /** Terraform address (`module.ai.azurerm_cognitive_account.this["x"]`); the planned subject's id. */
  readonly address: string;
  /** `registry.terraform.io/hashicorp/aws`, `registry.opentofu.org/hashicorp/google-beta`, or `aws` (0.12). */
  readonly providerName?: string;
  /** The planned attribute values (terraform's `change.after`, or `before` for a delete). */
  readonly values: Readonly<Record<string, unknown>>;
  /** Terraform's `after_unknown` tree: `true` where a value is known only after apply. */
  readonly unknownPaths?: Readonly<Record<string, unknown>>;
  readonly change?: PlannedChange;
  readonly source?: SourceLocation;
  /** The region of the resource's provider configuration, when the plan says it (AWS resources rarely carry one). */
  readonly providerRegion?: string;
  /**
   * Facts other resources of the same configuration establish (Azure keeps diagnostic settings and
   * customer-managed keys in separate resources). Absent: not known, so those facts are Unknown.
   */
  readonly related?: {
    readonly logging?: boolean;
    readonly cmk?: boolean;
    readonly authorizer?: Maybe<Authorizer>;
    /** The configuration attaches AdministratorAccess to the role an agent references. */
    readonly administrator?: true;
  };
  /** Terraform's `after_sensitive` tree: `true` where a value is sensitive. Those values never leave the process. */
  readonly sensitivePaths?: unknown;
}

// Azure resources whose invocation/diagnostic logging lives in a separate azurerm_monitor_diagnostic_setting.
const AZURE_DIAGNOSTIC_TYPES = new Set([
  "azurerm_cognitive_account",
  "azurerm_ai_services",
  "azurerm_ai_foundry",
  "azurerm_machine_learning_workspace",
  "azurerm_search_service",
]);

// azapi resources judged by the ARM type they name: a resource, a data-plane resource (Foundry agents), and an update
// of an existing resource's properties (which a plan can use to turn on key auth or public access of an AI account).
const AZAPI_TYPES = new Set(["azapi_resource", "azapi_data_plane_resource", "azapi_update_resource"]);

/** A planned AI resource or AI credential. */
export type PlannedSubject = Asset | Key;

const ASSET_NORMALIZERS: Readonly<Record<string, AssetNormalizer>> = {
  ...AWS_ASSET_NORMALIZERS,
  ...AZURE_ASSET_NORMALIZERS,
  ...GCP_ASSET_NORMALIZERS,
};
const KEY_NORMALIZERS: Readonly<Record<string, KeyNormalizer>> = { ...AWS_KEY_NORMALIZERS, ...GCP_KEY_NORMALIZERS };

/** Types whose normalizer reads facts beyond identity and tags (the governance-relevant ones). */
export function normalizedTypes(): readonly string[] {
  return [...Object.keys(ASSET_NORMALIZERS), ...Object.keys(KEY_NORMALIZERS)].sort();
}

/**
 * Turns one planned resource into the model the rules judge: an Asset, a Key, or undefined when it is not AI.
 * Values known only after apply become `unknown("known after apply")`, never absent.
 */
export function normalizeResource(input: NormalizeInput): Asset | Key | undefined {
  const info = aiTypeInfo(input.type);
  if (info === undefined) return undefined;
  // A twin's attribute names (awscc → aws) apply to everything read here; `native` keeps the type's own names.
  const renames = info.twin?.renames ?? {};
  const values = new PlannedValues(renamed(input.values, renames), renamed(input.unknownPaths ?? {}, renames));
  const keyNormalizer = KEY_NORMALIZERS[input.type];
  if (keyNormalizer !== undefined) {
    const facts = keyNormalizer(values);
    if (facts === undefined) return undefined;
    const key: Key = {
      subject: "key",
      provider: info.provider,
      account: accountOf(info.provider, values),
      region: regionOf(info.provider, values, input.providerRegion),
      kind: "key",
      id: input.address,
      tags: tagsOf(info.provider, values) ?? {},
      native: nativeOf(input.values, input.unknownPaths, input.sensitivePaths),
      ...facts,
      location: facts.location === "" ? input.address : facts.location,
      name: facts.name ?? resourceName(input.address),
      ...(input.change === undefined ? {} : { change: input.change }),
      ...(input.source === undefined ? {} : { source: input.source }),
    };
    return key;
  }
  const byArmType = AZAPI_TYPES.has(input.type);
  const azapi = byArmType ? azapiFacts(values, input.type === "azapi_update_resource") : undefined;
  if (byArmType && azapi === undefined) return undefined;
  const facts: PlannedFacts | undefined = azapi ?? assetFacts(input.type, info, values);
  if (facts === undefined) return undefined;
  const primary = azapi?.primary ?? info.primary;
  const tags = tagsOf(info.provider, values) ?? {};
  const { kind, name, region, account, ...shared } = withRelated(
    input,
    input.type === "azapi_update_resource" ? input.type : (azapi?.twin ?? input.type),
    factsOf(facts),
  );
  const asset: Asset = {
    subject: "asset",
    provider: info.provider,
    account: account ?? accountOf(info.provider, values),
    region: region ?? regionOf(info.provider, values, input.providerRegion),
    kind: kind ?? info.kind,
    // An azapi resource is judged by its ARM type, as the live resource is.
    type: azapi?.armType ?? input.type,
    id: input.address,
    name: nameOf(name, values, input.address),
    tags,
    ...(isUnknown(tags) ? { owner: tags } : {}),
    ...(primary ? {} : { part: true }),
    ...shared,
    native: redact(
      azapi?.native ?? nativeOf(input.values, input.unknownPaths, input.sensitivePaths),
      undefined,
    ) as Record<string, unknown>,
    ...(input.change === undefined ? {} : { change: input.change }),
    ...(input.source === undefined ? {} : { source: input.source }),
  };
  return withoutUndefined(asset);
}

/** The type's own normalizer, or its twin's (awscc → aws), over values already in the twin's attribute names. */
function assetFacts(type: string, info: AiTypeInfo, values: PlannedValues): PlannedFacts | undefined {
  const normalizer =
    ASSET_NORMALIZERS[type] ?? (info.twin === undefined ? undefined : ASSET_NORMALIZERS[info.twin.type]);
  return normalizer === undefined ? {} : normalizer(values);
}

function renamed(
  record: Readonly<Record<string, unknown>>,
  renames: Readonly<Record<string, string>>,
): Readonly<Record<string, unknown>> {
  const names = Object.keys(renames);
  if (names.length === 0 || !names.some((name) => name in record)) return record;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(record)) out[renames[key] ?? key] = value;
  return out;
}

/** Facts a normalizer could not apply are left out, not set to undefined (rules read "absent" the same way). */
function withoutUndefined(asset: Asset): Asset {
  const kept: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(asset)) if (value !== undefined) kept[key] = value;
  return kept as unknown as Asset;
}

/** The facts alone, without what azapiFacts adds about the ARM type (its name, twin and body). */
function factsOf(facts: PlannedFacts & { armType?: unknown; twin?: unknown; native?: unknown }): PlannedFacts {
  const { armType: _armType, twin: _twin, native: _native, ...only } = facts;
  return only;
}

/** `type` is the type whose facts these are: the resource's own, or for azapi its ARM type's azurerm twin. */
function withRelated(input: NormalizeInput, type: string, given: PlannedFacts): PlannedFacts {
  const facts = input.related?.administrator === true ? { ...given, administrator: true } : given;
  const authorizer = input.related?.authorizer;
  if (authorizer !== undefined) return { ...facts, authorizer };
  if (!AZURE_DIAGNOSTIC_TYPES.has(type)) return facts;
  const logging =
    input.related === undefined
      ? unknown("diagnostic settings are separate resources")
      : input.related.logging === true;
  const cmk = input.related?.cmk === true ? true : facts.cmk;
  return { ...facts, logging, ...(cmk === undefined ? {} : { cmk }) };
}

/** Tags (AWS, Azure) or labels (GCP): the map a team puts its owner and approval on. */
function tagsOf(provider: Provider, values: PlannedValues): Maybe<Readonly<Record<string, string>>> | undefined {
  if (provider === "gcp") {
    // effective_labels (google provider 5+) adds the provider's default_labels to the resource's own labels, as
    // terraform_labels does; both are computed, so fall back to labels when neither is known.
    for (const merged of ["effective_labels", "terraform_labels"]) {
      const labels = values.stringMap([merged]);
      if (labels !== undefined && !isUnknown(labels)) return labels;
    }
    return values.stringMap(["labels"]);
  }
  const list = values.get(["tags"]);
  if (Array.isArray(list)) {
    // AWS Cloud Control (awscc) writes tags as [{key, value}].
    const pairs = values.list(["tags"]);
    if (isUnknown(pairs)) return pairs;
    const map: Record<string, string> = {};
    for (const pair of pairs) {
      const key = pair.string(["key"]);
      const value = pair.string(["value"]);
      if (isUnknown(key) || isUnknown(value)) return unknown(KNOWN_AFTER_APPLY);
      if (key !== undefined) map[key] = value ?? "";
    }
    return map;
  }
  if (provider === "aws") {
    // tags_all adds the provider's default_tags; it is computed, so fall back to tags when it is unknown.
    const all = values.stringMap(["tags_all"]);
    if (all !== undefined && !isUnknown(all)) return all;
    const own = values.stringMap(["tags"]);
    return own ?? all;
  }
  return values.stringMap(["tags"]);
}

function accountOf(provider: Provider, values: PlannedValues): Maybe<string> {
  if (provider === "gcp") {
    const project = values.string(["project"]);
    return project ?? unknown("project comes from the provider configuration");
  }
  if (provider === "azure") {
    for (const attribute of [
      "resource_group_id",
      "cognitive_account_id",
      "machine_learning_workspace_id",
      "ai_services_hub_id",
      "id",
    ]) {
      const id = values.string([attribute]);
      const match = typeof id === "string" ? /^\/subscriptions\/([^/]+)/i.exec(id) : undefined;
      if (match?.[1] !== undefined) return match[1];
    }
    return unknown("subscription comes from the provider configuration");
  }
  const arn = values.string(["arn"]);
  const match = typeof arn === "string" ? /^arn:aws[\w-]*:[^:]*:[^:]*:(\d{12}):/.exec(arn) : undefined;
  return match?.[1] ?? unknown("account comes from the provider credentials");
}

/** Why a resource that names no region of its own has none: its provider configuration (or, on Azure, its parent) has it. */
export const REGION_FROM_PROVIDER = "region comes from the provider configuration";

function regionOf(provider: Provider, values: PlannedValues, providerRegion: string | undefined): Maybe<string> {
  const own =
    provider === "azure"
      ? azureLocation(values.string(["location"]))
      : provider === "gcp"
        ? (values.string(["region"]) ?? zoneRegion(values.string(["location"]) ?? values.string(["zone"])))
        : values.string(["region"]);
  return own ?? providerRegion ?? unknown(REGION_FROM_PROVIDER);
}

/** Azure locations as ARM spells them (`East US` → `eastus`), so a planned and a live resource compare alike. */
function azureLocation(location: Maybe<string> | undefined): Maybe<string> | undefined {
  return typeof location === "string" ? canonicalAzureLocation(location) : location;
}

function zoneRegion(zone: Maybe<string> | undefined): Maybe<string> | undefined {
  if (typeof zone !== "string") return zone;
  // `europe-west4-a` (a zone, where notebooks and Workbench live) → `europe-west4`; regions pass through.
  return zone.replace(/^([a-z]+-[a-z]+\d+)-[a-z]$/, "$1");
}

function nameOf(name: Maybe<string> | undefined, values: PlannedValues, address: string): string {
  for (const candidate of [name, values.string(["name"]), values.string(["display_name"])]) {
    if (typeof candidate === "string") return candidate;
  }
  return resourceName(address);
}

/** `module.a.aws_x.main["k"]` → `main["k"]`. */
export function resourceName(address: string): string {
  const withoutModules = address.replace(/^(module\.[^.[]+(\[[^\]]*\])?\.)+/, "");
  const dot = withoutModules.indexOf(".");
  return dot === -1 ? withoutModules : withoutModules.slice(dot + 1);
}

/** The provider's own values, with every known-after-apply leaf spelled as Unknown so native rules see it. */
function nativeOf(
  values: Readonly<Record<string, unknown>>,
  unknownPaths: Readonly<Record<string, unknown>> | undefined,
  sensitivePaths: unknown,
): Record<string, unknown> {
  const merged =
    unknownPaths === undefined || Object.keys(unknownPaths).length === 0 ? values : mergeUnknown(values, unknownPaths);
  return redact(merged, sensitivePaths) as Record<string, unknown>;
}

export const REDACTED = "(sensitive value redacted)";

// Secret-bearing attributes, redacted even when no after_sensitive tree says so (cdktf synth, hand-made input).
const SECRET_NAME =
  /(^|_)(access_key|secret|secret_key|password|key_string|token|connection_string|private_key|service_password)$/i;

/**
 * Plan JSON carries sensitive values in clear text (marked only in after_sensitive): account keys of existing
 * Azure AI accounts, API key strings. Native values reach JSON output and SIEMs, so they are replaced here.
 */
function redact(value: unknown, sensitive: unknown, name?: string): unknown {
  if (sensitive === true) return value === null || value === undefined || isUnknown(value) ? value : REDACTED;
  if (typeof value === "string" && value !== "" && name !== undefined && SECRET_NAME.test(name)) return REDACTED;
  if (Array.isArray(value))
    return value.map((element, index) =>
      redact(element, Array.isArray(sensitive) ? sensitive[index] : undefined, name),
    );
  if (isRecord(value) && !isUnknown(value)) {
    const out: Record<string, unknown> = {};
    const marks = isRecord(sensitive) ? sensitive : undefined;
    for (const key of Object.keys(value)) out[key] = redact(value[key], marks?.[key], key);
    return out;
  }
  return value;
}

function mergeUnknown(value: unknown, marks: unknown): unknown {
  if (marks === true) return unknown(KNOWN_AFTER_APPLY);
  if (Array.isArray(marks)) {
    const list = Array.isArray(value) ? [...value] : [];
    marks.forEach((mark, index) => {
      if (mark !== false && mark !== null && mark !== undefined) list[index] = mergeUnknown(list[index], mark);
    });
    return list;
  }
  if (isRecord(marks)) {
    const record: Record<string, unknown> = isRecord(value) ? { ...value } : {};
    for (const [key, mark] of Object.entries(marks)) {
      if (mark === false || mark === null || mark === undefined) continue;
      if (isRecord(mark) && Object.keys(mark).length === 0) continue;
      if (Array.isArray(mark) && mark.length === 0) continue;
      record[key] = mergeUnknown(record[key], mark);
    }
    return record;
  }
  return value;
}
