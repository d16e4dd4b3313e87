import { type GuardrailFilters, type Maybe, type ToolReach, type Tri, type Unknown, isUnknown } from "@aigov/core";
import type { AssetNormalizer } from "./planned-facts.ts";
import { type PlannedValues, triAnd, triEquals, triNot, triOr } from "./planned-values.ts";

/** Network ACLs whose default action is Deny restrict an otherwise public endpoint to listed networks. */
function aclDenies(v: PlannedValues): Tri {
  return triEquals(v.string(["network_acls", 0, "default_action"]), "Deny", "Allow");
}

/** `public_network_access_enabled = bool` (older resources) or `public_network_access = "Enabled"|"Disabled"`. */
function publicAccess(v: PlannedValues): Tri {
  const flag = v.get(["public_network_access_enabled"]);
  if (flag !== undefined) return v.bool(["public_network_access_enabled"], true);
  return triEquals(v.string(["public_network_access"]), "Enabled", "Enabled");
}

/** What an Azure AI services / OpenAI account (azurerm_cognitive_account, azurerm_ai_services) says alike. */
function aiAccountFacts(v: PlannedValues) {
  return {
    public: triAnd(publicAccess(v), triNot(aclDenies(v))),
    cmk: v.present(["customer_managed_key"]),
    privateNetwork: triOr(triNot(publicAccess(v)), aclDenies(v)),
    outboundRestricted: v.bool(["outbound_network_access_restricted"], false),
    customSubdomain: v.present(["custom_subdomain_name"]),
    managedIdentity: v.present(["identity", 0, "type"]),
  };
}

/** A managed network that lets out only the approved outbound rules (the default, Disabled, lets out anything). */
function outboundIsolated(v: PlannedValues): Tri {
  return triEquals(v.string(["managed_network", 0, "isolation_mode"]), "AllowOnlyApprovedOutbound", "Disabled");
}

function modelName(v: PlannedValues): Maybe<readonly string[]> {
  const name = v.string(["model", 0, "name"]);
  if (isUnknown(name)) return name;
  return name === undefined ? [] : [name];
}

/** Where a URL points: an Azure service (within the tenant's reach) or anything else on the internet. */
export function reachOfUrl(target: unknown): Maybe<ToolReach> | undefined {
  if (isUnknown(target)) return target;
  if (typeof target !== "string" || target === "") return undefined;
  const host = /^[a-z][a-z0-9+.-]*:\/\/([^/:?#]+)/i.exec(target)?.[1]?.toLowerCase();
  if (host === undefined) return "account";
  return AZURE_HOSTS.some((suffix) => host.endsWith(suffix)) ? "account" : "internet";
}

const AZURE_HOSTS = [".azure.com", ".azure.net", ".windows.net", ".azureml.ms", ".microsoft.com", ".azure-api.net"];

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

function keyConnection(v: PlannedValues): ReturnType<AssetNormalizer> {
  return { keyAuth: true, reach: reachOfUrl(v.string(["target"])) };
}

export const AZURE_ASSET_NORMALIZERS: Readonly<Record<string, AssetNormalizer>> = {
  azurerm_cognitive_account: (v) => ({
    ...aiAccountFacts(v),
    keyAuth: v.bool(["local_auth_enabled"], true),
  }),
  azurerm_ai_services: (v) => ({
    ...aiAccountFacts(v),
    keyAuth: v.bool(["local_authentication_enabled"], true),
  }),
  azurerm_cognitive_deployment: (v) => ({
    models: modelName(v),
    // The provider's default capacity is 1 (thousand tokens per minute).
    capacity: v.number(["sku", 0, "capacity"]) ?? 1,
    // Without rai_policy_name the deployment gets Azure's default content filter; a named policy is judged itself.
    guardrail: true,
  }),
  azurerm_cognitive_account_rai_policy: (v) => {
    const blocks = v.list(["content_filter"]);
    return {
      guardrail: true,
      filters: raiFilters(
        isUnknown(blocks)
          ? blocks
          : blocks.map((block) => ({
              name: block.string(["name"]),
              enabled: block.bool(["filter_enabled"], false),
              blocking: block.bool(["block_enabled"], false),
            })),
      ),
    };
  },
  // Connections that store a key for the service they reach; the identity-based ones store none.
  azurerm_cognitive_account_connection_api_key: keyConnection,
  azurerm_cognitive_account_connection_custom_keys: keyConnection,
  azurerm_cognitive_account_connection_account_key: keyConnection,
  azurerm_cognitive_account_connection_account_managed_identity: (v) => ({
    keyAuth: false,
    reach: reachOfUrl(v.string(["target"])),
  }),
  azurerm_cognitive_account_connection_entra_id: (v) => ({ keyAuth: false, reach: reachOfUrl(v.string(["target"])) }),
  azurerm_ai_foundry: (v) => ({
    public: publicAccess(v),
    cmk: v.present(["encryption", 0, "key_id"]),
    privateNetwork: outboundIsolated(v),
    outboundRestricted: outboundIsolated(v),
  }),
  azurerm_ai_foundry_project: () => ({}),
  azurerm_cognitive_account_project: () => ({}),
  azurerm_machine_learning_workspace: (v) => ({
    public: publicAccess(v),
    cmk: v.present(["encryption", 0, "key_id"]),
    privateNetwork: triNot(publicAccess(v)),
    outboundRestricted: outboundIsolated(v),
  }),
  azurerm_machine_learning_compute_instance: (v) => ({
    public: v.bool(["node_public_ip_enabled"], true),
    keyAuth: v.bool(["local_auth_enabled"], true),
    privateNetwork: v.present(["subnet_resource_id"]),
    // The provider opens the SSH port exactly when an ssh block (an admin public key) is given.
    publicSsh: v.present(["ssh"]),
  }),
  azurerm_machine_learning_compute_cluster: (v) => ({
    public: v.bool(["node_public_ip_enabled"], true),
    keyAuth: v.bool(["local_auth_enabled"], true),
    privateNetwork: v.present(["subnet_resource_id"]),
    publicSsh: v.bool(["ssh_public_access_enabled"], false),
  }),
  azurerm_search_service: (v) => ({
    public: publicAccess(v),
    keyAuth: v.bool(["local_authentication_enabled"], true),
    cmk: triEquals(v.string(["customer_managed_key_enforcement_enabled"]), "true", "false"),
  }),
};
