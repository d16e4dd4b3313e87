import { isUnknown, type Maybe, type Tri, type Unknown } from "@aigov/core";
import { raiFilters, reachOfUrl } from "@aigov/normalize";
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
    // Only an explicit AzureServices bypass counts, as live (ARM's networkAcls.bypass).
    trustedServicesBypass: triAnd(
      aclDenies(v),
      triEquals(v.string(["network_acls", 0, "bypass"]), "AzureServices", "None"),
    ),
  };
}

/** A managed network that lets out only the approved outbound rules (the default, Disabled, lets out anything). */
function outboundIsolated(v: PlannedValues): Tri {
  return triEquals(v.string(["managed_network", 0, "isolation_mode"]), "AllowOnlyApprovedOutbound", "Disabled");
}

/** A Global… or DataZone… SKU: Azure may process the requests in any region of the world or of the data zone. */
function crossRegion(sku: string | Unknown | undefined): Tri {
  if (isUnknown(sku)) return sku;
  return sku !== undefined && /^(global|datazone)/i.test(sku);
}

function modelName(v: PlannedValues): Maybe<readonly string[]> {
  const name = v.string(["model", 0, "name"]);
  if (isUnknown(name)) return name;
  return name === undefined ? [] : [name];
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
    // As the ARM body's raiPolicyName: a content filter policy named, not the service's default.
    guardrail: v.present(["rai_policy_name"]),
    crossRegionProcessing: crossRegion(v.string(["sku", 0, "name"])),
    // Only OpenAI-format models have versions Azure upgrades; the provider's default option upgrades them.
    modelAutoUpgrade: triAnd(
      triEquals(v.string(["model", 0, "format"]), "OpenAI", ""),
      triNot(triEquals(v.string(["version_upgrade_option"]), "NoAutoUpgrade", "OnceNewDefaultVersionAvailable")),
    ),
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
    publicBehindPrivateNetwork: v.bool(["public_access_behind_virtual_network_enabled"], false),
    legacyMode: v.bool(["v1_legacy_mode_enabled"], false),
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
    // The provider's default minimum is 0: the cluster scales to zero.
    minNodes: v.number(["scale_settings", 0, "min_node_count"]) ?? 0,
  }),
  azurerm_search_service: (v) => ({
    public: publicAccess(v),
    keyAuth: v.bool(["local_authentication_enabled"], true),
    cmk: triEquals(v.string(["customer_managed_key_enforcement_enabled"]), "true", "false"),
  }),
};
