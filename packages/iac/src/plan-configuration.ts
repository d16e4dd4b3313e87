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

// An agent acts with its role's permissions. The attribute naming the role of each agent type:
export const AGENT_ROLE_ATTRIBUTES: Readonly<Record<string, string>> = {
  aws_bedrockagent_agent: "agent_resource_role_arn",
  awscc_bedrock_agent: "agent_resource_role_arn",
  aws_bedrockagentcore_agent_runtime: "role_arn",
  awscc_bedrockagentcore_runtime: "role_arn",
};
const ROLE_TYPES = new Set(["aws_iam_role", "awscc_iam_role"]);

// IAM resources that attach managed policies to roles: the attribute referencing the role(s) (none: the role itself)
// and the attribute naming the policies.
const ROLE_POLICY_GRANTS: Readonly<Record<string, readonly [roles: string | undefined, policies: string]>> = {
  aws_iam_role: [undefined, "managed_policy_arns"],
  awscc_iam_role: [undefined, "managed_policy_arns"],
  aws_iam_role_policy_attachment: ["role", "policy_arn"],
  aws_iam_policy_attachment: ["roles", "policy_arn"],
  aws_iam_role_policy_attachments_exclusive: ["role_name", "policy_arns"],
};

/**
 * The AWS managed AdministratorAccess policy, in any partition (a template writes `${AWS::Partition}`): what the
 * sweep's administrator fact reads too.
 */
export function isAdministratorAccess(arn: unknown): boolean {
  return (
    typeof arn === "string" && /^arn:(aws[a-z-]*|\$\{AWS::Partition\}):iam::aws:policy\/AdministratorAccess$/.test(arn)
  );
}

/** What the configuration says of gateways and agents and what they reference. */
interface ConfigurationLinks {
  /** Gateway address → its authorizer_type when written as a constant, null when it is an expression. */
  readonly authorizers: Map<string, string | null>;
  /** Target address → the address of the gateway it references. */
  readonly targets: Map<string, string>;
  /** Agent address → the address of the IAM role it references. */
  readonly agentRoles: Map<string, string>;
  /** Roles the configuration attaches AdministratorAccess to. */
  readonly administratorRoles: Set<string>;
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
  const links: ConfigurationLinks = {
    authorizers: new Map(),
    targets: new Map(),
    agentRoles: new Map(),
    administratorRoles: new Set(),
  };
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
      // Only a grant the configuration shows is known: a role may also hold policies attached outside it.
      const role = links.agentRoles.get(inConfiguration);
      const administrator = role !== undefined && links.administratorRoles.has(role);
      return {
        ...(providerRegion === undefined ? {} : { providerRegion }),
        ...(present
          ? {
              related: {
                logging: facts?.logging === true,
                cmk: facts?.cmk === true,
                ...(authorizer === undefined ? {} : { authorizer }),
                ...(administrator ? { administrator } : {}),
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
function gatewayOf(links: ConfigurationLinks, target: string): Maybe<Authorizer> | undefined {
  const gateway = links.targets.get(target);
  if (gateway === undefined || !links.authorizers.has(gateway)) return undefined;
  const type = links.authorizers.get(gateway);
  return type === null || type === undefined
    ? unknown("the gateway's authorizer_type is an expression")
    : gatewayAuthorizer(type);
}

/** One resource of the configuration block, as the notes below read it. */
interface ConfiguredResource {
  readonly type: string;
  /** Its address with its module's prefix. */
  readonly address: string;
  /** Its module's prefix (`module.a.`): the resources its expressions reference are in that module. */
  readonly prefix: string;
  readonly expressions: Record<string, unknown>;
}

/** The resources an attribute references, as addresses with the referencing resource's module prefix. */
function referencedResources(resource: ConfiguredResource, attribute: string): string[] {
  const expression = resource.expressions[attribute];
  if (!isRecord(expression) || !Array.isArray(expression.references)) return [];
  return expression.references
    .filter((reference): reference is string => typeof reference === "string")
    .map((reference) => resource.prefix + reference.split(".").slice(0, 2).join("."));
}

/** An attribute written as a constant ARN or list of ARNs names AdministratorAccess. */
function namesAdministratorAccess(expression: unknown): boolean {
  const constant = isRecord(expression) ? expression.constant_value : undefined;
  const arns = Array.isArray(constant) ? constant : [constant];
  return arns.some(isAdministratorAccess);
}

function noteAgentRoleLinks(resource: ConfiguredResource, links: ConfigurationLinks): void {
  const roleAttribute = AGENT_ROLE_ATTRIBUTES[resource.type];
  if (roleAttribute !== undefined) {
    const role = referencedResources(resource, roleAttribute).find((found) =>
      ROLE_TYPES.has(found.slice(resource.prefix.length).split(".")[0]!),
    );
    if (role !== undefined) links.agentRoles.set(resource.address, role);
  }
  const grant = ROLE_POLICY_GRANTS[resource.type];
  if (grant === undefined || !namesAdministratorAccess(resource.expressions[grant[1]])) return;
  const roles = grant[0] === undefined ? [resource.address] : referencedResources(resource, grant[0]);
  for (const role of roles) links.administratorRoles.add(role);
}

function noteGatewayLinks(resource: ConfiguredResource, links: ConfigurationLinks): void {
  if (GATEWAYS.has(resource.type)) {
    const authorizer = resource.expressions.authorizer_type;
    const constant = isRecord(authorizer) ? authorizer.constant_value : undefined;
    links.authorizers.set(resource.address, typeof constant === "string" ? constant : null);
  }
  if (GATEWAY_TARGETS.has(resource.type)) {
    const gateway = referencedResources(resource, "gateway_identifier")[0];
    if (gateway !== undefined) links.targets.set(resource.address, gateway);
  }
}

function walkModule(
  module: unknown,
  prefix: string,
  resources: Map<string, ConfigResource>,
  related: Map<string, { logging?: boolean; cmk?: boolean }>,
  links: ConfigurationLinks,
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
      const configured: ConfiguredResource = {
        type: resource.type,
        address: prefix + resource.address,
        prefix,
        expressions: isRecord(resource.expressions) ? resource.expressions : {},
      };
      noteGatewayLinks(configured, links);
      noteAgentRoleLinks(configured, links);
      const relation = RELATION_ATTRIBUTES[resource.type];
      if (relation === undefined) continue;
      for (const target of referencedResources(configured, relation[0]))
        related.set(target, { ...related.get(target), [relation[1]]: true });
    }
  }
  if (isRecord(module.module_calls)) {
    for (const [name, call] of Object.entries(module.module_calls)) {
      if (isRecord(call)) walkModule(call.module, `${prefix}module.${name}.`, resources, related, links, depth + 1);
    }
  }
}
