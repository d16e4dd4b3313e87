import type { NormalizeInput } from "./normalize.ts";
import { isRecord } from "./planned-values.ts";

/** Facts about a resource that other parts of the configuration establish. */
export interface ConfigurationFacts {
  forResource(address: string, type: string): Pick<NormalizeInput, "providerRegion" | "related">;
}

// Resources that give another resource a fact when they reference it (Azure keeps these outside the account).
const RELATION_ATTRIBUTES: Readonly<Record<string, readonly [attribute: string, fact: "logging" | "cmk"]>> = {
  azurerm_monitor_diagnostic_setting: ["target_resource_id", "logging"],
  azurerm_cognitive_account_customer_managed_key: ["cognitive_account_id", "cmk"],
};

/** `module.a["x"].aws_x.main[0]` → `module.a.aws_x.main`: the address in configuration. */
export function configAddress(address: string): string {
  return address.replace(/\["(?:[^"\\]|\\.)*"\]|\[\d+\]/g, "");
}

interface ConfigResource {
  readonly type: string;
  readonly providerKey?: string;
}

/**
 * Reads the plan's `configuration` block: the region of each provider configuration (AWS resources rarely
 * carry one) and the diagnostic settings / customer-managed-key resources that point at an AI resource.
 */
export function readConfiguration(configuration: unknown): ConfigurationFacts {
  const providerRegions = new Map<string, string>();
  const resources = new Map<string, ConfigResource>();
  const related = new Map<string, { logging?: boolean; cmk?: boolean }>();
  const present = isRecord(configuration);
  if (isRecord(configuration)) {
    if (isRecord(configuration.provider_config)) {
      for (const [key, provider] of Object.entries(configuration.provider_config)) {
        const region =
          isRecord(provider) && isRecord(provider.expressions) && isRecord(provider.expressions.region)
            ? provider.expressions.region.constant_value
            : undefined;
        if (typeof region === "string") providerRegions.set(key, region);
      }
    }
    walkModule(configuration.root_module, "", resources, related, 0);
  }
  // A resource whose configuration names no provider block uses its provider's only configured region, if one.
  const onlyRegion = new Map<string, string | undefined>();
  const onlyRegionOf = (providerName: string): string | undefined => {
    if (!onlyRegion.has(providerName)) {
      const candidates = [...providerRegions.entries()].filter(
        ([key]) => key === providerName || key.endsWith(`:${providerName}`),
      );
      onlyRegion.set(providerName, candidates.length === 1 ? candidates[0]![1] : undefined);
    }
    return onlyRegion.get(providerName);
  };
  return {
    forResource(address, type) {
      const inConfiguration = configAddress(address);
      const configured = resources.get(inConfiguration);
      const providerRegion =
        (configured?.providerKey === undefined ? undefined : providerRegions.get(configured.providerKey)) ??
        onlyRegionOf(type.split("_")[0]!);
      const facts = related.get(inConfiguration);
      return {
        ...(providerRegion === undefined ? {} : { providerRegion }),
        ...(present ? { related: { logging: facts?.logging === true, cmk: facts?.cmk === true } } : {}),
      };
    },
  };
}

function walkModule(
  module: unknown,
  prefix: string,
  resources: Map<string, ConfigResource>,
  related: Map<string, { logging?: boolean; cmk?: boolean }>,
  depth: number,
): void {
  if (!isRecord(module) || depth > 64) return;
  if (Array.isArray(module.resources)) {
    for (const resource of module.resources) {
      if (!isRecord(resource) || typeof resource.address !== "string" || typeof resource.type !== "string") continue;
      const providerKey = typeof resource.provider_config_key === "string" ? resource.provider_config_key : undefined;
      resources.set(prefix + resource.address, {
        type: resource.type,
        ...(providerKey === undefined ? {} : { providerKey }),
      });
      const relation = RELATION_ATTRIBUTES[resource.type];
      const expression =
        relation !== undefined && isRecord(resource.expressions) ? resource.expressions[relation[0]] : undefined;
      if (relation === undefined || !isRecord(expression) || !Array.isArray(expression.references)) continue;
      for (const reference of expression.references) {
        if (typeof reference !== "string") continue;
        const target = prefix + reference.split(".").slice(0, 2).join(".");
        related.set(target, { ...related.get(target), [relation[1]]: true });
      }
    }
  }
  if (isRecord(module.module_calls)) {
    for (const [name, call] of Object.entries(module.module_calls)) {
      if (isRecord(call)) walkModule(call.module, `${prefix}module.${name}.`, resources, related, depth + 1);
    }
  }
}
