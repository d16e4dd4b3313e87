import type { YamlPath } from "@aigov/core";
import { checkUnique, type WorldFail, type WorldSection } from "../../core/world-loader.ts";
import type { AzureResourceGroup, AzureWorld } from "./world.ts";
import { DEFAULT_AZURE_TENANT } from "./world.ts";
import schema from "./world.schema.json" with { type: "json" };

/** The lists of a resource group, the namespace their resources belong to, and the child lists of each. */
const RESOURCE_LISTS: Readonly<Record<string, { readonly namespace: string; readonly children: readonly string[] }>> = {
  cognitiveAccounts: { namespace: "microsoft.cognitiveservices", children: ["deployments", "raiPolicies", "projects"] },
  machineLearningWorkspaces: {
    namespace: "microsoft.machinelearningservices",
    children: ["onlineEndpoints", "computes"],
  },
  searchServices: { namespace: "microsoft.search", children: [] },
  webApps: { namespace: "microsoft.web", children: [] },
};

/** The world file's `azure:` section: its schema, and the references between its entries. */
export const azureWorldSection: WorldSection<AzureWorld> = {
  key: "azure",
  schema,
  checkReferences(azure, fail) {
    const tenants = new Set<string>();
    for (const [i, tenant] of (azure.tenants ?? []).entries()) {
      if (tenants.has(tenant.id.toLowerCase())) fail(["tenants", i, "id"], `duplicate tenant ${tenant.id}`);
      tenants.add(tenant.id.toLowerCase());
    }
    if (tenants.size === 0) tenants.add(DEFAULT_AZURE_TENANT);
    const tenantKnown = (path: YamlPath, id: string | undefined) => {
      if (id !== undefined && !tenants.has(id.toLowerCase()))
        fail(
          path,
          `no tenant ${id} in azure.tenants`,
          "declare it under azure.tenants, or leave it out for the first tenant",
        );
    };

    const principals = new Set<string>();
    for (const [i, principal] of (azure.principals ?? []).entries()) {
      const path: YamlPath = ["principals", i];
      if (principals.has(principal.clientId.toLowerCase()))
        fail([...path, "clientId"], `duplicate principal ${principal.clientId}`);
      principals.add(principal.clientId.toLowerCase());
      tenantKnown([...path, "tenant"], principal.tenant);
      if (principal.clientSecret === undefined && principal.federated !== true)
        fail(path, "a principal needs a clientSecret or federated: true to authenticate");
    }

    const groups = new Map<string, string | undefined>();
    for (const [i, group] of (azure.managementGroups ?? []).entries()) {
      if (groups.has(group.name.toLowerCase()) || tenants.has(group.name.toLowerCase()))
        fail(["managementGroups", i, "name"], `duplicate management group '${group.name}'`);
      groups.set(group.name.toLowerCase(), group.parent?.toLowerCase());
      tenantKnown(["managementGroups", i, "tenant"], group.tenant);
    }
    for (const [i, group] of (azure.managementGroups ?? []).entries()) {
      if (
        group.parent !== undefined &&
        !groups.has(group.parent.toLowerCase()) &&
        !tenants.has(group.parent.toLowerCase())
      )
        fail(
          ["managementGroups", i, "parent"],
          `no management group '${group.parent}'`,
          "name a group of azure.managementGroups, or a tenant id for its root group",
        );
      const seen = new Set<string>();
      for (let at: string | undefined = group.name.toLowerCase(); at !== undefined; at = groups.get(at)) {
        if (seen.has(at))
          fail(["managementGroups", i, "parent"], `management group '${group.name}' is its own ancestor`);
        seen.add(at);
      }
    }

    const subscriptions = new Set<string>();
    for (const [s, subscription] of azure.subscriptions.entries()) {
      const path: YamlPath = ["subscriptions", s];
      const id = subscription.id.toLowerCase();
      if (subscriptions.has(id)) fail([...path, "id"], `duplicate subscription ${subscription.id}`);
      subscriptions.add(id);
      tenantKnown([...path, "tenant"], subscription.tenant);
      const group = subscription.managementGroup?.toLowerCase();
      if (group !== undefined && !groups.has(group) && !tenants.has(group))
        fail([...path, "managementGroup"], `no management group '${subscription.managementGroup}'`);
      if (azure.principals !== undefined) {
        for (const [r, reader] of (subscription.readers ?? []).entries())
          if (!principals.has(reader.toLowerCase()))
            fail([...path, "readers", r], `no principal ${reader} in azure.principals`);
      }
      const unregistered = new Set((subscription.unregisteredProviders ?? []).map((n) => n.toLowerCase()));
      checkUnique(
        subscription.resourceGroups ?? [],
        (g) => g.name,
        { path: [...path, "resourceGroups"], nameField: "name", what: "resource group", ignoreCase: true },
        fail,
      );
      for (const [g, group] of (subscription.resourceGroups ?? []).entries())
        checkResourceGroup(group, [...path, "resourceGroups", g], unregistered, fail);
      for (const [e, event] of (subscription.activityLog ?? []).entries()) {
        const named = /^\/subscriptions\/([^/]+)/i.exec(event.resourceId)?.[1]?.toLowerCase();
        if (named !== id)
          fail(
            [...path, "activityLog", e, "resourceId"],
            `the event's resource is not in subscription ${subscription.id}`,
          );
      }
    }
  },
};

function checkResourceGroup(
  group: AzureResourceGroup,
  path: YamlPath,
  unregistered: ReadonlySet<string>,
  fail: WorldFail,
): void {
  for (const [list, { namespace, children }] of Object.entries(RESOURCE_LISTS)) {
    const resources = (group as unknown as Record<string, readonly Record<string, unknown>[] | undefined>)[list] ?? [];
    if (resources.length > 0 && unregistered.has(namespace))
      fail(
        [...path, list],
        `the subscription does not register ${namespace}, so it cannot hold these resources`,
        "remove the provider from unregisteredProviders, or the resources (a not-registered fault simulates a failure instead)",
      );
    checkUnique(
      resources,
      (r) => String(r.name),
      { path: [...path, list], nameField: "name", what: list, ignoreCase: true },
      fail,
    );
    for (const [r, resource] of resources.entries()) {
      for (const child of [...children, "diagnosticSettings"]) {
        const entries = resource[child];
        if (Array.isArray(entries))
          checkUnique(
            entries as Record<string, unknown>[],
            (c) => String(c.name),
            { path: [...path, list, r, child], nameField: "name", what: child, ignoreCase: true },
            fail,
          );
      }
    }
  }
}
