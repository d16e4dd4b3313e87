import { AigovError, type PlannedChange } from "@aigov/core";
import { aiTypeInfo } from "./ai-types.ts";
import { type PlannedSubject, normalizeResource } from "./normalize.ts";
import { type ParentReference, parentAttributeOf, withParentLocations } from "./parent-location.ts";
import { plannedWithKeys } from "./planned-keys.ts";
import { isRecord } from "./planned-values.ts";
import { templateLiteral } from "./terraform-config-expression.ts";
import { withProviderDefaults } from "./provider-defaults.ts";

/** What one synthesized stack holds besides its AI subjects. */
export interface StackReadResult {
  readonly subjects: readonly PlannedSubject[];
  readonly resources: number;
  readonly dataSources: number;
  /** Module calls: their resources are not in cdk.tf.json, so they were not judged. */
  readonly modules: readonly string[];
  readonly stack?: string;
  readonly cdktfVersion?: string;
}

// Terraform meta-arguments: not attributes of the resource.
export const META_ARGUMENTS = new Set([
  "//",
  "provider",
  "depends_on",
  "lifecycle",
  "count",
  "for_each",
  "provisioner",
  "connection",
]);

/** Configuration (a synth, HCL, a template) has no prior state: everything in it is what the deployment would create. */
export const CONFIGURATION_CHANGE: PlannedChange = {
  action: "create",
  actions: ["create"],
  changedAttributes: [],
  importing: false,
};

/** True for a document that looks like cdktf synth output (a Terraform JSON configuration). */
export function looksLikeTerraformJson(document: unknown): boolean {
  return (
    isRecord(document) &&
    !("format_version" in document) &&
    ("resource" in document || "terraform" in document || "//" in document)
  );
}

/**
 * Reads a `cdk.tf.json` (Terraform JSON configuration written by cdktf/cdktn synth). Interpolations
 * (`${aws_kms_key.main.arn}`) are resolved only at apply, so they read as Unknown.
 * `addressPrefix` keeps ids unique when an app has several stacks.
 */
export function readCdktfStack(raw: unknown, file: string, addressPrefix = ""): StackReadResult {
  if (!isRecord(raw)) throw new AigovError("CDKTF_SHAPE", "cdk.tf.json is not a JSON object", { position: { file } });
  // Provider default tags/labels count as a plan shows them (tags_all, effective_labels). Only a well-formed
  // resource block is merged; a malformed one reaches the shape checks below unchanged.
  const wellFormed =
    raw.resource === undefined || (isRecord(raw.resource) && Object.values(raw.resource).every(isRecord));
  const document = wellFormed ? withProviderDefaults(raw) : raw;
  const resourceBlock = document.resource ?? {};
  if (!isRecord(resourceBlock))
    throw new AigovError("CDKTF_SHAPE", "cdk.tf.json: `resource` is not an object", { position: { file } });
  const metadata = isRecord(document["//"]) && isRecord(document["//"].metadata) ? document["//"].metadata : {};
  const providerRegions = readProviderRegions(document.provider);
  const subjects: PlannedSubject[] = [];
  const parents = new Map<string, ParentReference>();
  let resources = 0;
  for (const [type, byName] of Object.entries(resourceBlock)) {
    if (!isRecord(byName))
      throw new AigovError("CDKTF_SHAPE", `cdk.tf.json: resource.${type} is not an object`, { position: { file } });
    for (const [name, body] of Object.entries(byName)) {
      resources++;
      if (!isRecord(body))
        throw new AigovError("CDKTF_SHAPE", `cdk.tf.json: resource.${type}.${name} is not an object`, {
          position: { file },
        });
      if (aiTypeInfo(type) === undefined) continue;
      const constructPath =
        isRecord(body["//"]) && isRecord(body["//"].metadata) && typeof body["//"].metadata.path === "string"
          ? body["//"].metadata.path
          : undefined;
      const values: Record<string, unknown> = {};
      for (const [key, value] of Object.entries(body)) if (!META_ARGUMENTS.has(key)) values[key] = value;
      const { known, marks } = splitInterpolations(blocksAsLists(values));
      const providerKey = typeof body.provider === "string" ? body.provider : type.split("_")[0]!;
      const providerRegion = providerRegions.get(providerKey);
      const address = `${addressPrefix}${type}.${name}`;
      const parent = interpolatedParent(values);
      if (parent !== undefined) parents.set(address, parent);
      const subject = normalizeResource({
        type,
        address,
        values: known as Record<string, unknown>,
        unknownPaths: marks as Record<string, unknown>,
        change: CONFIGURATION_CHANGE,
        source: { file, path: constructPath ?? `${type}.${name}` },
        ...(providerRegion === undefined ? {} : { providerRegion }),
      });
      if (subject !== undefined) subjects.push(...plannedWithKeys(subject));
    }
  }
  const data = isRecord(document.data)
    ? Object.values(document.data).reduce<number>(
        (sum, byName) => sum + (isRecord(byName) ? Object.keys(byName).length : 0),
        0,
      )
    : 0;
  const modules = isRecord(document.module) ? Object.keys(document.module) : [];
  return {
    subjects: withParentLocations(subjects, (subject) => parents.get(subject.id)),
    resources,
    dataSources: data,
    modules,
    ...(typeof metadata.stackName === "string" ? { stack: metadata.stackName } : {}),
    ...(typeof metadata.version === "string" ? { cdktfVersion: metadata.version } : {}),
  };
}

/** The parent a child names through an interpolation (`${azurerm_cognitive_account.openai.id}`), relative to its stack. */
function interpolatedParent(values: Readonly<Record<string, unknown>>): ParentReference | undefined {
  const attribute = parentAttributeOf(values);
  if (attribute === undefined) return undefined;
  const value = values[attribute];
  const reference = typeof value === "string" ? /^\$\{([a-z0-9_]+\.[a-zA-Z0-9_-]+)\.[a-z_]+\}$/.exec(value) : null;
  return reference === null || reference[1]!.startsWith("data.")
    ? { attribute }
    : { attribute, address: reference[1]! };
}

/** `provider.aws = [{region: "eu-west-1"}, {alias: "us", region: "us-east-1"}]` → aws → eu-west-1, aws.us → us-east-1. */
function readProviderRegions(providers: unknown): Map<string, string> {
  const regions = new Map<string, string>();
  if (!isRecord(providers)) return regions;
  for (const [name, configs] of Object.entries(providers)) {
    for (const config of Array.isArray(configs) ? configs : [configs]) {
      if (!isRecord(config) || typeof config.region !== "string" || config.region.includes("${")) continue;
      regions.set(typeof config.alias === "string" ? `${name}.${config.alias}` : name, config.region);
    }
  }
  return regions;
}

// Map-typed attributes: in Terraform JSON an object is either one of these or a nested block.
const MAP_ATTRIBUTES = new Set([
  "tags",
  "tags_all",
  "labels",
  "effective_labels",
  "terraform_labels",
  "user_labels",
  "metadata",
  "annotations",
  "environment",
  "variables",
  "parameters",
  "properties",
  "settings",
  "app_settings",
  "default_tags",
]);

/**
 * cdktf writes a single nested block as an object; `terraform show -json` always as a list. Rules read native
 * blocks the plan way (`native.model.0.name`), so blocks become one-element lists; map attributes stay maps.
 */
export function blocksAsLists(values: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(values)) {
    if (MAP_ATTRIBUTES.has(key) || !isRecord(value))
      out[key] = Array.isArray(value)
        ? value.map((element) => (isRecord(element) ? blocksAsLists(element) : element))
        : value;
    else out[key] = [blocksAsLists(value)];
  }
  return out;
}

/**
 * Splits values into what synth knows and an after_unknown-shaped tree marking `${…}` interpolations and `%{…}`
 * directives. Terraform JSON's escapes (`$${`, `%%{`) are literal text, which is known.
 */
export function splitInterpolations(value: unknown): { known: unknown; marks: unknown } {
  if (typeof value === "string") {
    const literal = templateLiteral(value);
    return literal === undefined ? { known: null, marks: true } : { known: literal, marks: false };
  }
  if (Array.isArray(value)) {
    const parts = value.map(splitInterpolations);
    return { known: parts.map((part) => part.known), marks: parts.map((part) => part.marks) };
  }
  if (isRecord(value)) {
    const known: Record<string, unknown> = {};
    const marks: Record<string, unknown> = {};
    for (const [key, entry] of Object.entries(value)) {
      const part = splitInterpolations(entry);
      known[key] = part.known;
      if (part.marks !== false) marks[key] = part.marks;
    }
    return { known, marks };
  }
  return { known: value, marks: false };
}
