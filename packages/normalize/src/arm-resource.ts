import {
  type AssetKind,
  type GuardrailFilters,
  isUnknown,
  type Key,
  type Maybe,
  type ToolReach,
  type Tri,
  type Unknown,
  unknown,
} from "@aigov/core";
import { isObject } from "./record-fields.ts";
import { triAnd, triNot, triOr } from "./tri.ts";

/**
 * An ARM resource body as ARM returns it (and as the azapi provider sends it): `kind`, `sku`, `identity`, `tags`,
 * `properties` … A planned body may be Unknown as a whole or in parts (known after apply).
 */
export type ArmBody = Readonly<Record<string, unknown>> | Unknown;

/** The normalized facts an ARM body establishes; a fact the type does not have is left out. */
export interface ArmFacts {
  readonly public?: Tri;
  readonly keyAuth?: Tri;
  readonly cmk?: Tri;
  readonly privateNetwork?: Tri;
  readonly models?: Maybe<readonly string[]>;
  readonly guardrail?: Tri;
  readonly outboundRestricted?: Tri;
  readonly customSubdomain?: Tri;
  readonly managedIdentity?: Tri;
  readonly publicSsh?: Tri;
  readonly capacity?: Maybe<number>;
  readonly crossRegionProcessing?: Tri;
  readonly modelAutoUpgrade?: Tri;
  readonly minNodes?: Maybe<number>;
  readonly publicBehindPrivateNetwork?: Tri;
  readonly legacyMode?: Tri;
  readonly trustedServicesBypass?: Tri;
  readonly filters?: Maybe<GuardrailFilters>;
  readonly reach?: Maybe<ToolReach>;
}

interface ArmType {
  readonly kind: AssetKind;
  /** A part of another resource (a deployment inside an account) that carries no owner of its own. */
  readonly part?: true;
  readonly facts?: (body: ArmBody) => ArmFacts;
}

/**
 * The Azure AI resource types read from ARM bodies, by lower-cased type name (ARM type names ignore case): the
 * kind of asset each is and the facts its body establishes. The Azure scanner collects these live; the gate
 * judges a planned `azapi_resource` of the same type with the same facts.
 */
const ARM_TYPES: Readonly<Record<string, ArmType>> = {
  "microsoft.cognitiveservices/accounts": { kind: "ai-account", facts: accountFacts },
  "microsoft.cognitiveservices/accounts/deployments": { kind: "deployment", part: true, facts: deploymentFacts },
  "microsoft.cognitiveservices/accounts/projects": { kind: "workspace" },
  "microsoft.cognitiveservices/accounts/raipolicies": { kind: "guardrail", facts: raiPolicyFacts },
  // Connections to other services; the key-based ones hold a third-party API key.
  "microsoft.cognitiveservices/accounts/connections": {
    kind: "credential-provider",
    part: true,
    facts: connectionFacts,
  },
  "microsoft.cognitiveservices/accounts/projects/connections": {
    kind: "credential-provider",
    part: true,
    facts: connectionFacts,
  },
  "microsoft.machinelearningservices/workspaces/connections": {
    kind: "credential-provider",
    part: true,
    facts: connectionFacts,
  },
  // Foundry agents, created in a project's data plane.
  "microsoft.foundry/agents": { kind: "agent", facts: foundryAgentFacts },
  "microsoft.machinelearningservices/workspaces": { kind: "workspace", facts: workspaceFacts },
  "microsoft.machinelearningservices/workspaces/onlineendpoints": { kind: "endpoint", facts: onlineEndpointFacts },
  "microsoft.machinelearningservices/workspaces/computes": { kind: "compute", facts: computeFacts },
  "microsoft.search/searchservices": { kind: "search", facts: searchFacts },
};

/** The kind of asset an ARM type is, or undefined for a type this table does not read. */
export function armKind(type: string): AssetKind | undefined {
  return ARM_TYPES[type.toLowerCase()]?.kind;
}

/** An ARM type whose resources are parts of another, so ownership rules judge the parent instead. */
export function armPart(type: string): boolean {
  return ARM_TYPES[type.toLowerCase()]?.part === true;
}

/** The normalized facts of an ARM body of this type ({} for a type without facts of its own). */
export function armFacts(type: string, body: ArmBody): ArmFacts {
  return ARM_TYPES[type.toLowerCase()]?.facts?.(body) ?? {};
}

/** Cognitive Services account kinds that serve generative models (Azure OpenAI, Azure AI Foundry / AI Services). */
const GENERATIVE_ACCOUNT_KINDS = new Set(["openai", "aiservices"]);

export function isGenerativeAiAccount(kind: unknown): boolean {
  return typeof kind === "string" && GENERATIVE_ACCOUNT_KINDS.has(kind.toLowerCase());
}

/** The value at a path of a body; Unknown where the body (or a part on the way) is. */
export function armValue(body: ArmBody, ...path: string[]): unknown {
  let current: unknown = body;
  for (const step of path) {
    if (isUnknown(current)) return current;
    current = isObject(current) ? current[step] : undefined;
  }
  return current;
}

/** A fact from one property; absent takes the service's default, as the property's documentation says. */
function fact(value: unknown, test: (value: unknown) => boolean): Tri {
  return isUnknown(value) ? value : test(value);
}

const equalsIgnoringCase = (expected: string) => (value: unknown) =>
  typeof value === "string" && value.toLowerCase() === expected.toLowerCase();
const present = (value: unknown) => value !== undefined && value !== null && value !== "";

/** `publicNetworkAccess`: Enabled (the default) or Disabled; Azure AI Search writes them in lower case. */
function publicAccess(body: ArmBody): Tri {
  return fact(armValue(body, "properties", "publicNetworkAccess"), (value) => !equalsIgnoringCase("Disabled")(value));
}

function accountFacts(body: ArmBody): ArmFacts {
  const aclDenies = fact(armValue(body, "properties", "networkAcls", "defaultAction"), equalsIgnoringCase("Deny"));
  return {
    public: triAnd(publicAccess(body), triNot(aclDenies)),
    keyAuth: fact(armValue(body, "properties", "disableLocalAuth"), (value) => value !== true),
    cmk: fact(armValue(body, "properties", "encryption", "keySource"), equalsIgnoringCase("Microsoft.KeyVault")),
    privateNetwork: triOr(triNot(publicAccess(body)), aclDenies),
    outboundRestricted: fact(armValue(body, "properties", "restrictOutboundNetworkAccess"), (value) => value === true),
    customSubdomain: fact(armValue(body, "properties", "customSubDomainName"), present),
    managedIdentity: managedIdentity(body),
    // Only an explicit AzureServices bypass counts, as planned (azurerm's network_acls.bypass).
    trustedServicesBypass: triAnd(
      aclDenies,
      fact(armValue(body, "properties", "networkAcls", "bypass"), equalsIgnoringCase("AzureServices")),
    ),
  };
}

/** A managed identity of type SystemAssigned, UserAssigned or both; None is none. */
function managedIdentity(body: ArmBody): Tri {
  return fact(armValue(body, "identity", "type"), (value) => present(value) && !equalsIgnoringCase("None")(value));
}

function deploymentFacts(body: ArmBody): ArmFacts {
  const model = armValue(body, "properties", "model", "name");
  const capacity = armValue(body, "sku", "capacity");
  return {
    models: isUnknown(model) ? model : typeof model === "string" ? [model] : [],
    capacity:
      isUnknown(capacity) || typeof capacity === "number" ? capacity : unknown("the deployment names no sku capacity"),
    // Global… and DataZone… SKUs let Azure process the requests in any region of the world or of the data zone.
    crossRegionProcessing: fact(
      armValue(body, "sku", "name"),
      (value) => typeof value === "string" && /^(global|datazone)/i.test(value),
    ),
    // Only OpenAI-format models have versions Azure upgrades; absent, the option is the upgrading default.
    modelAutoUpgrade: triAnd(
      fact(armValue(body, "properties", "model", "format"), equalsIgnoringCase("OpenAI")),
      fact(
        armValue(body, "properties", "versionUpgradeOption"),
        (value) => !equalsIgnoringCase("NoAutoUpgrade")(value),
      ),
    ),
    // Without a policy named, the service applies its current default filter, which nobody here chose.
    guardrail: fact(armValue(body, "properties", "raiPolicyName"), present),
  };
}

/** An ML workspace, an AI Foundry hub (kind Hub) or project (kind Project). */
function workspaceFacts(body: ArmBody): ArmFacts {
  const hub = fact(armValue(body, "kind"), equalsIgnoringCase("Hub"));
  const isolated = fact(
    armValue(body, "properties", "managedNetwork", "isolationMode"),
    equalsIgnoringCase("AllowOnlyApprovedOutbound"),
  );
  // A Foundry project has no network of its own: it goes out through its hub's, which is judged.
  const project = fact(armValue(body, "kind"), equalsIgnoringCase("Project"));
  return {
    public: publicAccess(body),
    cmk: fact(armValue(body, "properties", "encryption", "keyVaultProperties", "keyIdentifier"), present),
    privateNetwork: isUnknown(hub) ? hub : hub ? isolated : triNot(publicAccess(body)),
    ...(project === true ? {} : { outboundRestricted: isUnknown(project) ? project : isolated }),
    publicBehindPrivateNetwork: fact(
      armValue(body, "properties", "allowPublicAccessWhenBehindVnet"),
      (value) => value === true,
    ),
    legacyMode: fact(armValue(body, "properties", "v1LegacyMode"), (value) => value === true),
  };
}

function onlineEndpointFacts(body: ArmBody): ArmFacts {
  return {
    public: publicAccess(body),
    // Key (the default) accepts static keys; AMLToken and AADToken need an identity.
    keyAuth: fact(
      armValue(body, "properties", "authMode"),
      (value) => value === undefined || equalsIgnoringCase("Key")(value),
    ),
  };
}

function computeFacts(body: ArmBody): ArmFacts {
  const subnet = fact(armValue(body, "properties", "properties", "subnet", "id"), present);
  const ssh = publicSsh(body, subnet);
  return {
    public: fact(armValue(body, "properties", "properties", "enableNodePublicIp"), (value) => value !== false),
    keyAuth: fact(armValue(body, "properties", "disableLocalAuth"), (value) => value !== true),
    privateNetwork: subnet,
    ...(ssh === undefined ? {} : { publicSsh: ssh }),
    ...clusterNodes(body),
  };
}

/** A cluster's (AmlCompute) minimum node count, 0 by default; other compute types have no scale settings. */
function clusterNodes(body: ArmBody): { minNodes?: Maybe<number> } {
  const computeType = armValue(body, "properties", "computeType");
  if (isUnknown(computeType)) return { minNodes: computeType };
  if (!equalsIgnoringCase("AmlCompute")(computeType)) return {};
  const min = armValue(body, "properties", "properties", "scaleSettings", "minNodeCount");
  return { minNodes: isUnknown(min) || typeof min === "number" ? min : 0 };
}

/**
 * A compute instance opens SSH when `sshSettings.sshPublicAccess` is Enabled (default Disabled). A cluster's
 * (AmlCompute) `remoteLoginPortPublicAccess` is Enabled, Disabled, or NotSpecified (the default): open unless the
 * cluster is in a VNet. Other compute types (attached Kubernetes, Synapse …) have no SSH of their own: undefined.
 */
function publicSsh(body: ArmBody, inSubnet: Tri): Tri | undefined {
  const computeType = armValue(body, "properties", "computeType");
  if (isUnknown(computeType)) return computeType;
  if (equalsIgnoringCase("ComputeInstance")(computeType))
    return fact(
      armValue(body, "properties", "properties", "sshSettings", "sshPublicAccess"),
      equalsIgnoringCase("Enabled"),
    );
  if (!equalsIgnoringCase("AmlCompute")(computeType)) return undefined;
  const access = armValue(body, "properties", "properties", "remoteLoginPortPublicAccess");
  if (isUnknown(access)) return access;
  if (equalsIgnoringCase("Enabled")(access)) return true;
  if (equalsIgnoringCase("Disabled")(access)) return false;
  return triNot(inSubnet);
}

function searchFacts(body: ArmBody): ArmFacts {
  return {
    public: publicAccess(body),
    keyAuth: fact(armValue(body, "properties", "disableLocalAuth"), (value) => value !== true),
    cmk: fact(armValue(body, "properties", "encryptionWithCmk", "enforcement"), equalsIgnoringCase("Enabled")),
  };
}

/** A deployment's or agent's model name as a list of models (none named: none). */
function modelsOf(name: unknown): Maybe<readonly string[]> {
  return isUnknown(name) ? name : typeof name === "string" ? [name] : [];
}

/** An RAI policy (a content filter): `properties.contentFilters` [{ name, enabled, blocking, source, … }]. */
function raiPolicyFacts(body: ArmBody): ArmFacts {
  const filters = armValue(body, "properties", "contentFilters");
  return {
    guardrail: true,
    filters: raiFilters(
      isUnknown(filters)
        ? filters
        : (Array.isArray(filters) ? filters : []).map((filter: unknown) => {
            const entry = isObject(filter) ? filter : {};
            const name = armValue(entry, "name");
            return {
              name: isUnknown(name) || typeof name === "string" ? name : undefined,
              enabled: fact(armValue(entry, "enabled"), (value) => value === true),
              blocking: fact(armValue(entry, "blocking"), (value) => value === true),
            };
          }),
    ),
  };
}

/** An agent of a Foundry project (data plane): the model its definition (or, older, the agent itself) names. */
function foundryAgentFacts(body: ArmBody): ArmFacts {
  const definition = armValue(body, "definition");
  return {
    models: modelsOf(
      isObject(definition) || isUnknown(definition) ? armValue(body, "definition", "model") : armValue(body, "model"),
    ),
  };
}

// Connection auth types that store a static secret (an API key, account key, token or password) in the connection.
const KEY_AUTH_TYPES = new Set(["apikey", "customkeys", "accesskey", "accountkey", "pat", "sas", "usernamepassword"]);

/** A connection of an AI account, project or ML workspace to another service. */
function connectionFacts(body: ArmBody): ArmFacts {
  return {
    keyAuth: fact(
      armValue(body, "properties", "authType"),
      (value) => typeof value === "string" && KEY_AUTH_TYPES.has(value.toLowerCase()),
    ),
    reach: reachOfUrl(armValue(body, "properties", "target")),
  };
}

const AZURE_HOSTS = [".azure.com", ".azure.net", ".windows.net", ".azureml.ms", ".microsoft.com", ".azure-api.net"];

/** Where a URL points: an Azure service (within the tenant's reach) or anything else on the internet. */
export function reachOfUrl(target: unknown): Maybe<ToolReach> | undefined {
  if (isUnknown(target)) return target;
  if (typeof target !== "string" || target === "") return undefined;
  const host = /^[a-z][a-z0-9+.-]*:\/\/([^/:?#]+)/i.exec(target)?.[1]?.toLowerCase();
  if (host === undefined) return "account";
  return AZURE_HOSTS.some((suffix) => host.endsWith(suffix)) ? "account" : "internet";
}

/** One content filter of an Azure RAI policy, from azurerm's `content_filter` block or the ARM `contentFilters`. */
export interface RaiContentFilter {
  readonly name: string | Unknown | undefined;
  readonly enabled: Tri;
  readonly blocking: Tri;
}

const RAI_HARMFUL: Readonly<Record<string, string>> = {
  hate: "hate",
  sexual: "sexual",
  violence: "violence",
  selfharm: "self-harm",
};

/**
 * An Azure RAI policy's filters as guardrail facts: the harm categories it blocks (on prompts or completions), and a
 * jailbreak filter that blocks as a prompt-attack filter (Azure grades it on or off, so on is "high").
 */
export function raiFilters(filters: readonly RaiContentFilter[] | Unknown): Maybe<GuardrailFilters> {
  if (isUnknown(filters)) return filters;
  const harmful = new Set<string>();
  let promptAttack: GuardrailFilters["promptAttack"] = "none";
  for (const filter of filters) {
    if (isUnknown(filter.name)) return filter.name;
    const on = triAnd(filter.enabled, filter.blocking);
    const key = filter.name?.toLowerCase().replace(/[\s_-]/g, "");
    if (key === "jailbreak") promptAttack = isUnknown(on) ? on : on ? "high" : "none";
    const category = key === undefined ? undefined : RAI_HARMFUL[key];
    if (category !== undefined && on === true) harmful.add(category);
  }
  return { harmfulContent: [...harmful].sort(), promptAttack, sensitiveInformation: false, grounding: false };
}

/**
 * The key subject of an AI account that accepts its account keys (local auth on): the keys exist and work, and
 * whoever can list them can call the models with no identity. Its value is never read (listKeys is never called),
 * so the subject has no redacted form or fingerprint. Undefined when local auth is off.
 */
export function azureAccountKey(account: {
  readonly id: string;
  readonly name: string;
  readonly subscription: string;
  readonly location: string;
  readonly body: Readonly<Record<string, unknown>>;
  readonly tags: Readonly<Record<string, string>>;
}): Key | undefined {
  const facts = accountFacts(account.body);
  if (facts.keyAuth !== true) return undefined;
  return {
    subject: "key",
    provider: "azure",
    account: account.subscription,
    region: account.location,
    kind: "key",
    type: "azure-ai-account-key",
    vendor: "azure-ai",
    id: `${account.id}/keys`,
    name: `${account.name} account keys`,
    location: `azure-ai-account:${account.id}`,
    status: "active",
    tags: account.tags,
    native: {
      accountId: account.id,
      // The keys work from wherever the account is reachable.
      reachableFromInternet: facts.public ?? false,
      accountKind: account.body.kind,
      endpoint: armValue(account.body, "properties", "endpoint"),
      disableLocalAuth: armValue(account.body, "properties", "disableLocalAuth") ?? false,
    },
  };
}
