import { type Authorizer, type Maybe, unknown } from "@aigov/core";
import { gatewayAuthorizer } from "./aws-normalizers.ts";
import type { NormalizeInput } from "./normalize.ts";
import { AZURE_PARENT_ATTRIBUTES, type ParentReference } from "./parent-location.ts";
import { isRecord } from "./planned-values.ts";

/** Facts about a resource that other parts of the configuration establish. */
export interface ConfigurationFacts {
  forResource(address: string, type: string): Pick<NormalizeInput, "providerRegion" | "related">;
  /** The parent an Azure child resource's configuration references (its location is the parent's). */
  parentOf(address: string): ParentReference | undefined;
}

// Resources that give another resource a fact when they reference it (Azure keeps these outside the account).
const RELATION_ATTRIBUTES: Readonly<Record<string, readonly [attribute: string, fact: "logging" | "cmk"]>> = {
  azurerm_monitor_diagnostic_setting: ["target_resource_id", "logging"],
  azurerm_cognitive_account_customer_managed_key: ["cognitive_account_id", "cmk"],
};

// An AgentCore gateway target is reached through its gateway: the gateway's authorizer decides who may call the
// target's tool, so the target takes it from the gateway its gateway_identifier references.
const GATEWAYS = new Set(["aws_bedrockagentcore_gateway", "awscc_bedrockagentcore_gateway"]);
const GATEWAY_TARGETS = new Set(["aws_bedrockagentcore_gateway_target", "awscc_bedrockagentcore_gateway_target"]);

/** What the configuration says of gateways and of the gateway each target references. */
interface GatewayLinks {
  /** Gateway address → its authorizer_type when written as a constant, null when it is an expression. */
  readonly authorizers: Map<string, string | null>;
  /** Target address → the address of the gateway it references. */
  readonly targets: Map<string, string>;
}

/** `module.a["x"].aws_x.main[0]` → `module.a.aws_x.main`: the address in configuration. */
export function configAddress(address: string): string {
  return address.replace(/\["(?:[^"\\]|\\.)*"\]|\[\d+\]/g, "");
}

interface ConfigResource {
  readonly type: string;
  readonly providerKey?: string;
  readonly parent?: ParentReference;
}

/**
 * Reads the plan's `configuration` block: the region of each provider configuration (AWS resources rarely
 * carry one) and the diagnostic settings / customer-managed-key resources that point at an AI resource.
 */
export function readConfiguration(configuration: unknown): ConfigurationFacts {
  const providerRegions = new Map<string, string>();
  const resources = new Map<string, ConfigResource>();
  const related = new Map<string, { logging?: boolean; cmk?: boolean }>();
  const links: GatewayLinks = { authorizers: new Map(), targets: new Map() };
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
    walkModule(configuration.root_module, "", resources, related, links, 0);
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
    parentOf(address) {
      return resources.get(configAddress(address))?.parent;
    },
    forResource(address, type) {
      const inConfiguration = configAddress(address);
      const configured = resources.get(inConfiguration);
      const providerRegion =
        (configured?.providerKey === undefined ? undefined : providerRegions.get(configured.providerKey)) ??
        onlyRegionOf(type.split("_")[0]!);
      const facts = related.get(inConfiguration);
      const authorizer = GATEWAY_TARGETS.has(type) ? gatewayOf(links, inConfiguration) : undefined;
      return {
        ...(providerRegion === undefined ? {} : { providerRegion }),
        ...(present
          ? {
              related: {
                logging: facts?.logging === true,
                cmk: facts?.cmk === true,
                ...(authorizer === undefined ? {} : { authorizer }),
              },
            }
          : {}),
      };
    },
  };
}

/** The resource an Azure child's parent attribute references, relative to the child's module. */
function parentReference(resource: Record<string, unknown>): ParentReference | undefined {
  if (typeof resource.type !== "string" || !resource.type.startsWith("az") || !isRecord(resource.expressions))
    return undefined;
  for (const attribute of AZURE_PARENT_ATTRIBUTES) {
    const expression = resource.expressions[attribute];
    if (!isRecord(expression)) continue;
    const references = Array.isArray(expression.references) ? expression.references : [];
    // `azurerm_cognitive_account.this.id` → `azurerm_cognitive_account.this`; a variable, local or module output names no resource.
    const resourceReference = references.find(
      (reference): reference is string =>
        typeof reference === "string" && !/^(var|local|module|data|each|count|path|terraform)\./.test(reference),
    );
    return {
      attribute,
      ...(resourceReference === undefined ? {} : { address: resourceReference.split(".").slice(0, 2).join(".") }),
    };
  }
  return undefined;
}

/** The authorizer of the gateway a target references, when the configuration says it. */
function gatewayOf(links: GatewayLinks, target: string): Maybe<Authorizer> | undefined {
  const gateway = links.targets.get(target);
  if (gateway === undefined || !links.authorizers.has(gateway)) return undefined;
  const type = links.authorizers.get(gateway);
  return type === null || type === undefined
    ? unknown("the gateway's authorizer_type is an expression")
    : gatewayAuthorizer(type);
}

function noteGatewayLinks(
  resource: Record<string, unknown>,
  address: string,
  prefix: string,
  links: GatewayLinks,
): void {
  const expressions = isRecord(resource.expressions) ? resource.expressions : {};
  if (GATEWAYS.has(resource.type as string)) {
    const authorizer = expressions.authorizer_type;
    const constant = isRecord(authorizer) ? authorizer.constant_value : undefined;
    links.authorizers.set(address, typeof constant === "string" ? constant : null);
  }
  if (GATEWAY_TARGETS.has(resource.type as string)) {
    const gateway = expressions.gateway_identifier;
    const reference = isRecord(gateway) && Array.isArray(gateway.references) ? gateway.references[0] : undefined;
    if (typeof reference === "string") links.targets.set(address, prefix + reference.split(".").slice(0, 2).join("."));
  }
}

function walkModule(
  module: unknown,
  prefix: string,
  resources: Map<string, ConfigResource>,
  related: Map<string, { logging?: boolean; cmk?: boolean }>,
  links: GatewayLinks,
  depth: number,
): void {
  if (!isRecord(module) || depth > 64) return;
  if (Array.isArray(module.resources)) {
    for (const resource of module.resources) {
      if (!isRecord(resource) || typeof resource.address !== "string" || typeof resource.type !== "string") continue;
      const providerKey = typeof resource.provider_config_key === "string" ? resource.provider_config_key : undefined;
      const parent = parentReference(resource);
      resources.set(prefix + resource.address, {
        type: resource.type,
        ...(providerKey === undefined ? {} : { providerKey }),
        ...(parent === undefined ? {} : { parent }),
      });
      noteGatewayLinks(resource, prefix + resource.address, prefix, links);
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
      if (isRecord(call)) walkModule(call.module, `${prefix}module.${name}.`, resources, related, links, depth + 1);
    }
  }
}
