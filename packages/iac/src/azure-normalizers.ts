import { type Maybe, type Tri, isUnknown } from "@aigov/core";
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

function modelName(v: PlannedValues): Maybe<readonly string[]> {
  const name = v.string(["model", 0, "name"]);
  if (isUnknown(name)) return name;
  return name === undefined ? [] : [name];
}

export const AZURE_ASSET_NORMALIZERS: Readonly<Record<string, AssetNormalizer>> = {
  azurerm_cognitive_account: (v) => ({
    public: triAnd(publicAccess(v), triNot(aclDenies(v))),
    keyAuth: v.bool(["local_auth_enabled"], true),
    cmk: v.present(["customer_managed_key"]),
    privateNetwork: triOr(triNot(publicAccess(v)), aclDenies(v)),
  }),
  azurerm_ai_services: (v) => ({
    public: triAnd(publicAccess(v), triNot(aclDenies(v))),
    keyAuth: v.bool(["local_authentication_enabled"], true),
    cmk: v.present(["customer_managed_key"]),
    privateNetwork: triOr(triNot(publicAccess(v)), aclDenies(v)),
  }),
  azurerm_cognitive_deployment: (v) => ({
    models: modelName(v),
  }),
  azurerm_ai_foundry: (v) => ({
    public: publicAccess(v),
    cmk: v.present(["encryption", 0, "key_id"]),
    privateNetwork: triEquals(
      v.string(["managed_network", 0, "isolation_mode"]),
      "AllowOnlyApprovedOutbound",
      "Disabled",
    ),
  }),
  azurerm_ai_foundry_project: () => ({}),
  azurerm_cognitive_account_project: () => ({}),
  azurerm_machine_learning_workspace: (v) => ({
    public: publicAccess(v),
    cmk: v.present(["encryption", 0, "key_id"]),
    privateNetwork: triNot(publicAccess(v)),
  }),
  azurerm_machine_learning_compute_instance: (v) => ({
    public: v.bool(["node_public_ip_enabled"], true),
    keyAuth: v.bool(["local_auth_enabled"], true),
    privateNetwork: v.present(["subnet_resource_id"]),
  }),
  azurerm_machine_learning_compute_cluster: (v) => ({
    public: v.bool(["node_public_ip_enabled"], true),
    keyAuth: v.bool(["local_auth_enabled"], true),
    privateNetwork: v.present(["subnet_resource_id"]),
  }),
  azurerm_search_service: (v) => ({
    public: publicAccess(v),
    keyAuth: v.bool(["local_authentication_enabled"], true),
    cmk: triEquals(v.string(["customer_managed_key_enforcement_enabled"]), "true", "false"),
  }),
};
