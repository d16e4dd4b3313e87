import { createHash } from "node:crypto";
import { canonicalAzureLocation } from "@aigov/core";
import { ARM_RESOURCE_TYPES, type ArmResourceType, namespaceOf } from "./resource-types.ts";
import {
  type ArmResource,
  type AzureActivityEvent,
  type AzurePrincipal,
  type AzureSubscription,
  type AzureSubscriptionState,
  type AzureWorld,
  type CognitiveAccount,
  DEFAULT_AZURE_TENANT,
  type MachineLearningWorkspace,
  type Tags,
  type WebApp,
} from "./world.ts";

export type Json = Record<string, unknown>;

export interface IndexedTenant {
  readonly id: string;
  readonly name: string;
  readonly domain: string;
}

export interface IndexedPrincipal {
  readonly clientId: string;
  readonly clientSecret?: string;
  readonly federated: boolean;
  readonly tenant: string;
  readonly objectId: string;
  readonly name: string;
}

export interface IndexedManagementGroup {
  readonly name: string;
  readonly displayName: string;
  /** The parent's name; undefined for a tenant root group. */
  readonly parent: string | undefined;
  readonly tenant: string;
}

export interface IndexedSubscription {
  /** Lower case, as ARM writes subscription ids. */
  readonly id: string;
  readonly name: string;
  readonly tenant: string;
  /** The name of the management group it sits in (the tenant root group's name is the tenant id). */
  readonly managementGroup: string;
  readonly state: AzureSubscriptionState;
  readonly tags: Tags;
  /** Lower-cased client ids allowed to read it; undefined: every principal. */
  readonly readers: ReadonlySet<string> | undefined;
  /** Lower-cased namespaces not registered. */
  readonly unregistered: ReadonlySet<string>;
  /** By lower-cased name. */
  readonly resourceGroups: ReadonlyMap<
    string,
    { readonly name: string; readonly location: string; readonly tags: Tags }
  >;
  /** Activity Log events in the REST shape, newest first. */
  readonly events: readonly Json[];
}

export interface IndexedResource {
  /** The id as ARM spells it. */
  readonly id: string;
  readonly type: ArmResourceType;
  readonly subscription: IndexedSubscription;
  readonly resourceGroup: string;
  /** Canonical location (its own, or its parent's for an untracked child). */
  readonly location: string;
  /** The body GET returns. */
  readonly body: Json;
  readonly diagnosticSettings: readonly Json[];
  /** Accounts_ListKeys' answer, for the accounts that have one in the world. */
  readonly keys?: { readonly key1: string; readonly key2: string };
  readonly appSettings?: Readonly<Record<string, string>>;
}

export interface AzureWorldIndex {
  /** By lower-cased id; the first is the default. */
  readonly tenants: ReadonlyMap<string, IndexedTenant>;
  readonly defaultTenant: string;
  /** By lower-cased client id; undefined: any client gets a token. */
  readonly principals: ReadonlyMap<string, IndexedPrincipal> | undefined;
  /** By lower-cased name, tenant root groups (named by their tenant id) included. */
  readonly managementGroups: ReadonlyMap<string, IndexedManagementGroup>;
  /** By lower-cased id. */
  readonly subscriptions: ReadonlyMap<string, IndexedSubscription>;
  /** By lower-cased id. */
  readonly resources: ReadonlyMap<string, IndexedResource>;
  /** Top-level resources by `subscription|type` (lower case). */
  readonly bySubscription: ReadonlyMap<string, readonly IndexedResource[]>;
  /** Top-level resources by `subscription|resource group|type` (lower case). */
  readonly byResourceGroup: ReadonlyMap<string, readonly IndexedResource[]>;
  /** Children by `parent id|child type` (lower case). */
  readonly children: ReadonlyMap<string, readonly IndexedResource[]>;
}

/** Keys of a world resource the simulator reads, never part of an ARM body. */
const SIMULATOR_KEYS = new Set([
  "deployments",
  "raiPolicies",
  "projects",
  "onlineEndpoints",
  "computes",
  "keys",
  "appSettings",
  "diagnosticSettings",
]);

/** A stable GUID from a name, for ids the world leaves out (object ids, event ids, workspace ids). */
export function guidFrom(text: string): string {
  const hex = createHash("sha256").update(text).digest("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

export function indexWorld(world: AzureWorld | undefined): AzureWorldIndex {
  const tenantList = world?.tenants ?? [{ id: DEFAULT_AZURE_TENANT, name: "aigovsim" }];
  const tenants = new Map<string, IndexedTenant>();
  for (const tenant of tenantList) {
    const name = tenant.name ?? `tenant-${tenant.id.slice(0, 8)}`;
    tenants.set(tenant.id.toLowerCase(), {
      id: tenant.id.toLowerCase(),
      name,
      domain: tenant.domain ?? `${name}.onmicrosoft.com`,
    });
  }
  const defaultTenant = tenantList[0]!.id.toLowerCase();
  const tenantOf = (id: string | undefined) => id?.toLowerCase() ?? defaultTenant;

  const principals =
    world?.principals === undefined
      ? undefined
      : new Map(world.principals.map((p) => [p.clientId.toLowerCase(), indexPrincipal(p, tenantOf(p.tenant))]));

  const managementGroups = new Map<string, IndexedManagementGroup>();
  for (const tenant of tenants.values())
    managementGroups.set(tenant.id, {
      name: tenant.id,
      displayName: "Tenant Root Group",
      parent: undefined,
      tenant: tenant.id,
    });
  for (const group of world?.managementGroups ?? []) {
    const tenant = tenantOf(group.tenant);
    managementGroups.set(group.name.toLowerCase(), {
      name: group.name,
      displayName: group.displayName ?? group.name,
      parent: group.parent ?? tenant,
      tenant,
    });
  }

  const subscriptions = new Map<string, IndexedSubscription>();
  const resources = new Map<string, IndexedResource>();
  const bySubscription = new Map<string, IndexedResource[]>();
  const byResourceGroup = new Map<string, IndexedResource[]>();
  const children = new Map<string, IndexedResource[]>();
  const push = (map: Map<string, IndexedResource[]>, key: string, resource: IndexedResource) => {
    const list = map.get(key);
    if (list === undefined) map.set(key, [resource]);
    else list.push(resource);
  };

  for (const entry of world?.subscriptions ?? []) {
    const id = entry.id.toLowerCase();
    const tenant = tenantOf(entry.tenant);
    const groups = new Map(
      (entry.resourceGroups ?? []).map((group) => [
        group.name.toLowerCase(),
        { name: group.name, location: canonicalAzureLocation(group.location), tags: group.tags ?? {} },
      ]),
    );
    const subscription: IndexedSubscription = {
      id,
      name: entry.name,
      tenant,
      managementGroup: entry.managementGroup ?? tenant,
      state: entry.state ?? "Enabled",
      tags: entry.tags ?? {},
      readers: entry.readers === undefined ? undefined : new Set(entry.readers.map((r) => r.toLowerCase())),
      unregistered: new Set((entry.unregisteredProviders ?? []).map((n) => n.toLowerCase())),
      resourceGroups: groups,
      events: activityEvents(entry, id, tenant),
    };
    subscriptions.set(id, subscription);

    const add = (
      typeName: string,
      world: ArmResource,
      group: { name: string; location: string },
      parent: IndexedResource | undefined,
      fill: (body: Json, resource: { id: string; location: string }) => void = () => undefined,
    ): IndexedResource => {
      const type = ARM_RESOURCE_TYPES.get(typeName.toLowerCase())!;
      const resourceId =
        parent === undefined
          ? `/subscriptions/${id}/resourceGroups/${group.name}/providers/${type.type}/${world.name}`
          : `${parent.id}/${type.type.slice(type.type.lastIndexOf("/") + 1)}/${world.name}`;
      const location = type.tracked
        ? canonicalAzureLocation(world.location ?? parent?.location ?? group.location)
        : (parent?.location ?? group.location);
      const body = armBody(resourceId, type, world, type.tracked ? location : undefined);
      fill(body, { id: resourceId, location });
      const resource: IndexedResource = {
        id: resourceId,
        type,
        subscription,
        resourceGroup: group.name,
        location,
        body,
        diagnosticSettings: (world.diagnosticSettings ?? []).map((setting) => diagnosticSetting(resourceId, setting)),
        ...("keys" in world && world.keys !== undefined ? { keys: world.keys as CognitiveAccount["keys"] } : {}),
        ...("appSettings" in world && world.appSettings !== undefined
          ? { appSettings: world.appSettings as WebApp["appSettings"] }
          : {}),
      };
      resources.set(resourceId.toLowerCase(), resource);
      if (parent === undefined) {
        push(bySubscription, `${id}|${type.type.toLowerCase()}`, resource);
        push(byResourceGroup, `${id}|${group.name.toLowerCase()}|${type.type.toLowerCase()}`, resource);
      } else {
        push(children, `${parent.id.toLowerCase()}|${type.type.toLowerCase()}`, resource);
      }
      return resource;
    };

    for (const worldGroup of entry.resourceGroups ?? []) {
      const group = groups.get(worldGroup.name.toLowerCase())!;
      for (const account of worldGroup.cognitiveAccounts ?? []) {
        const parent = add("Microsoft.CognitiveServices/accounts", account, group, undefined, fillAccount(account));
        for (const deployment of account.deployments ?? [])
          add("Microsoft.CognitiveServices/accounts/deployments", deployment, group, parent);
        for (const policy of account.raiPolicies ?? [])
          add("Microsoft.CognitiveServices/accounts/raiPolicies", policy, group, parent);
        for (const project of account.projects ?? [])
          add("Microsoft.CognitiveServices/accounts/projects", project, group, parent);
      }
      for (const workspace of worldGroup.machineLearningWorkspaces ?? []) {
        const parent = add("Microsoft.MachineLearningServices/workspaces", workspace, group, undefined, fillWorkspace);
        for (const endpoint of (workspace as MachineLearningWorkspace).onlineEndpoints ?? [])
          add("Microsoft.MachineLearningServices/workspaces/onlineEndpoints", endpoint, group, parent, fillEndpoint);
        for (const compute of workspace.computes ?? [])
          add("Microsoft.MachineLearningServices/workspaces/computes", compute, group, parent);
      }
      for (const service of worldGroup.searchServices ?? [])
        add("Microsoft.Search/searchServices", service, group, undefined, (body) => {
          body.sku ??= { name: "standard" };
        });
      for (const site of worldGroup.webApps ?? [])
        add("Microsoft.Web/sites", site, group, undefined, (body) => {
          body.kind ??= "app";
          properties(body).defaultHostName ??= `${site.name.toLowerCase()}.azurewebsites.net`;
        });
    }
  }
  return {
    tenants,
    defaultTenant,
    principals,
    managementGroups,
    subscriptions,
    resources,
    bySubscription,
    byResourceGroup,
    children,
  };
}

function indexPrincipal(principal: AzurePrincipal, tenant: string): IndexedPrincipal {
  return {
    clientId: principal.clientId.toLowerCase(),
    ...(principal.clientSecret === undefined ? {} : { clientSecret: principal.clientSecret }),
    federated: principal.federated === true,
    tenant,
    objectId: (principal.objectId ?? guidFrom(`sp:${principal.clientId.toLowerCase()}`)).toLowerCase(),
    name: principal.name ?? `app-${principal.clientId.slice(0, 8)}`,
  };
}

/** The ARM body: id, name, type and location first, as ARM orders them, then the world's fields. */
function armBody(id: string, type: ArmResourceType, world: ArmResource, location: string | undefined): Json {
  const body: Json = { id, name: world.name, type: type.type };
  if (location !== undefined) body.location = location;
  for (const [key, value] of Object.entries(world)) {
    if (SIMULATOR_KEYS.has(key) || key === "name" || key === "location") continue;
    body[key] = structuredClone(value);
  }
  properties(body).provisioningState ??= "Succeeded";
  return body;
}

function properties(body: Json): Json {
  body.properties ??= {};
  return body.properties as Json;
}

function fillAccount(account: CognitiveAccount) {
  return (body: Json, { location }: { location: string }) => {
    body.sku ??= { name: "S0" };
    const props = properties(body);
    const subdomain = props.customSubDomainName;
    props.endpoint ??=
      typeof subdomain === "string"
        ? `https://${subdomain}.${account.kind === "OpenAI" ? "openai.azure.com" : "cognitiveservices.azure.com"}/`
        : `https://${location}.api.cognitive.microsoft.com/`;
  };
}

function fillWorkspace(body: Json, { id }: { id: string }): void {
  body.kind ??= "Default";
  body.sku ??= { name: "Basic", tier: "Basic" };
  properties(body).workspaceId ??= guidFrom(id.toLowerCase());
}

function fillEndpoint(body: Json): void {
  const props = properties(body);
  props.authMode ??= "Key";
  props.publicNetworkAccess ??= "Enabled";
}

function diagnosticSetting(resourceId: string, setting: ArmResource): Json {
  const { name, ...rest } = setting;
  return {
    id: `${resourceId}/providers/microsoft.insights/diagnosticSettings/${name}`,
    type: "Microsoft.Insights/diagnosticSettings",
    name,
    ...structuredClone(rest),
  };
}

const localized = (value: unknown): unknown =>
  typeof value === "string" ? { value, localizedValue: value } : (value ?? undefined);

/**
 * Activity Log events in the REST shape (`{value, localizedValue}` names, ids, the subscription and tenant, the
 * resource group and provider the resource id names), newest first as the API returns them.
 */
function activityEvents(entry: AzureSubscription, subscription: string, tenant: string): readonly Json[] {
  const events = (entry.activityLog ?? []).map((event: AzureActivityEvent, index) => {
    const operation = typeof event.operationName === "string" ? event.operationName : event.operationName.value;
    const eventDataId = String(event.eventDataId ?? guidFrom(`${subscription}:event:${index}:${operation}`));
    const ticks = (Date.parse(event.eventTimestamp) * 10_000 + 621_355_968_000_000_000).toString();
    const segments = event.resourceId.split("/");
    const groupAt = segments.findIndex((s) => s.toLowerCase() === "resourcegroups");
    const providerAt = segments.findIndex((s) => s.toLowerCase() === "providers");
    const namespace = providerAt < 0 ? namespaceOf(`${operation}/`) : (segments[providerAt + 1] ?? "");
    const resourceType =
      providerAt < 0 ? "" : [namespace, ...segments.slice(providerAt + 2).filter((_, i) => i % 2 === 0)].join("/");
    const filled: Json = {
      authorization: { action: operation, scope: event.resourceId },
      caller: event.caller,
      channels: "Operation",
      claims: {},
      correlationId: guidFrom(`${eventDataId}:correlation`),
      description: "",
      eventDataId,
      eventName: localized("EndRequest"),
      category: localized("Administrative"),
      id: `${event.resourceId}/events/${eventDataId}/ticks/${ticks}`,
      level: "Informational",
      operationId: guidFrom(`${eventDataId}:operation`),
      resourceGroupName: groupAt < 0 ? undefined : segments[groupAt + 1],
      resourceProviderName: localized(namespace),
      resourceType: localized(resourceType),
      subStatus: localized(""),
      submissionTimestamp: event.eventTimestamp,
      subscriptionId: subscription,
      tenantId: tenant,
      ...structuredClone(event),
    };
    for (const key of ["operationName", "status", "category", "eventName", "resourceProviderName", "resourceType"])
      filled[key] = localized(filled[key]);
    filled.status ??= localized("Succeeded");
    return filled;
  });
  return events.sort((a, b) => Date.parse(String(b.eventTimestamp)) - Date.parse(String(a.eventTimestamp)));
}
