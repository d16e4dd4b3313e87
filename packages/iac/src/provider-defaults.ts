/**
 * Adds the tags and labels terraform merges in from the provider configuration (`default_tags` of aws,
 * `default_labels` of google) to each resource of a synthesized stack, in the attributes a plan shows them in
 * (`tags_all`, `effective_labels`): an owner tag set once on the provider then counts for every resource, at
 * synth as at plan. A `${…}` map stays an expression, which the reader treats as known only after apply.
 */
export function withProviderDefaults(document: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const providers = asRecord(document.provider);
  const resources = asRecord(document.resource);
  const merged: Record<string, unknown> = {};
  for (const [type, byName] of Object.entries(resources)) {
    const rule = type.startsWith("aws_") ? AWS : type.startsWith("google_") ? GOOGLE : undefined;
    if (rule === undefined) {
      merged[type] = byName;
      continue;
    }
    const bodies: Record<string, unknown> = {};
    for (const [name, body] of Object.entries(asRecord(byName))) {
      const attributes = asRecord(body);
      const defaults = rule.defaults(providerBlock(providers, rule.provider(type), attributes.provider));
      bodies[name] =
        defaults === undefined ? body : { ...attributes, ...mergedMaps(rule.targets, attributes[rule.own], defaults) };
    }
    merged[type] = bodies;
  }
  return { ...document, resource: merged };
}

interface DefaultsRule {
  readonly own: string;
  readonly targets: readonly string[];
  provider(type: string): string;
  defaults(block: Record<string, unknown> | undefined): unknown;
}

const AWS: DefaultsRule = {
  own: "tags",
  targets: ["tags_all"],
  provider: () => "aws",
  defaults: (block) =>
    firstBlock(firstBlock(block?.default_tags)?.tags) ?? stringOrUndefined(firstBlock(block?.default_tags)?.tags),
};

const GOOGLE: DefaultsRule = {
  own: "labels",
  targets: ["effective_labels", "terraform_labels"],
  provider: (type) => (type.startsWith("google_beta") ? "google-beta" : "google"),
  defaults: (block) => firstBlock(block?.default_labels) ?? stringOrUndefined(block?.default_labels),
};

function mergedMaps(targets: readonly string[], own: unknown, defaults: unknown): Record<string, unknown> {
  // A whole map written as one expression cannot be merged before apply: the result is that expression's unknown.
  const value =
    typeof own === "string"
      ? own
      : typeof defaults === "string"
        ? defaults
        : { ...asRecord(defaults), ...asRecord(own) };
  return Object.fromEntries(targets.map((target) => [target, value]));
}

/** The provider block a resource uses: the alias in its `provider` meta-argument, else the unaliased block. */
function providerBlock(
  providers: Record<string, unknown>,
  name: string,
  reference: unknown,
): Record<string, unknown> | undefined {
  const raw = providers[name];
  const blocks = (Array.isArray(raw) ? raw : raw === undefined ? [] : [raw]).map(asRecord);
  const alias =
    typeof reference === "string" && reference.includes(".") ? reference.slice(reference.indexOf(".") + 1) : undefined;
  return blocks.find((block) => (alias === undefined ? block.alias === undefined : block.alias === alias));
}

function firstBlock(value: unknown): Record<string, unknown> | undefined {
  const block = Array.isArray(value) ? value[0] : value;
  return typeof block === "object" && block !== null && !Array.isArray(block)
    ? (block as Record<string, unknown>)
    : undefined;
}

function stringOrUndefined(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}

function asRecord(value: unknown): Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}
