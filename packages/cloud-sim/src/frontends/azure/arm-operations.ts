import { createHmac } from "node:crypto";
import type { CatalogueEntry } from "../../core/frontend.ts";
import { paginate } from "../../core/pagination.ts";
import { filterEvents, selectFields } from "./activity-log.ts";
import { ArmError, nextLink, skipToken } from "./arm-protocol.ts";
import type { TokenClaims } from "./entra.ts";
import { ARM_RESOURCE_TYPES, namespaceOf } from "./resource-types.ts";
import type { Route } from "./routes.ts";
import type { AzureWorldIndex, IndexedResource, IndexedSubscription, Json } from "./world-index.ts";

type ArmRoute = Exclude<Route, { kind: "openid-configuration" | "token" | "instance-discovery" }>;

/** The request a route answers, as an operation sees it. */
export interface ArmCallContext {
  readonly world: AzureWorldIndex;
  readonly claims: TokenClaims;
  readonly query: URLSearchParams;
  readonly secure: boolean;
  readonly host: string;
  readonly path: string;
  readonly pageSize: number;
}

const read = (service: string, operation: string, returnsSecret = false): CatalogueEntry => ({
  service,
  operation,
  read: true,
  returnsSecret,
});

/** Every simulated ARM and Entra ID operation. */
export const AZURE_CATALOGUE: readonly CatalogueEntry[] = [
  read("entra", "OpenIdConfiguration"),
  read("entra", "InstanceDiscovery"),
  // A token is a credential: issuing one is not a read (as AWS STS AssumeRole is not).
  { service: "entra", operation: "Token", read: false, returnsSecret: true },
  read("resources", "Tenants_List"),
  read("resources", "Subscriptions_List"),
  read("resources", "Subscriptions_Get"),
  read("management", "ManagementGroups_List"),
  read("management", "ManagementGroups_Get"),
  read("management", "ManagementGroups_GetDescendants"),
  read("insights", "ActivityLogs_List"),
  read("insights", "DiagnosticSettings_List"),
  ...[...ARM_RESOURCE_TYPES.values()].flatMap((type) =>
    [type.listBySubscription, type.list, type.get]
      .filter((operation) => operation !== undefined)
      .map((operation) => read(type.service, operation)),
  ),
  // Reads by ARM's definition (a POST that changes nothing), but what they return is secret.
  read("cognitiveservices", "Accounts_ListKeys", true),
  read("web", "WebApps_ListApplicationSettings", true),
  { service: "cognitiveservices", operation: "Accounts_RegenerateKey", read: false, returnsSecret: true },
];

/** The catalogue entry of an ARM route. */
export function operationOf(route: ArmRoute): { readonly service: string; readonly operation: string } {
  switch (route.kind) {
    case "tenants":
      return { service: "resources", operation: "Tenants_List" };
    case "subscriptions":
      return { service: "resources", operation: "Subscriptions_List" };
    case "subscription":
      return { service: "resources", operation: "Subscriptions_Get" };
    case "management-groups":
      return { service: "management", operation: "ManagementGroups_List" };
    case "management-group":
      return { service: "management", operation: "ManagementGroups_Get" };
    case "descendants":
      return { service: "management", operation: "ManagementGroups_GetDescendants" };
    case "activity-log":
      return { service: "insights", operation: "ActivityLogs_List" };
    case "diagnostic-settings":
      return { service: "insights", operation: "DiagnosticSettings_List" };
    case "list-subscription":
      return { service: route.type.service, operation: route.type.listBySubscription! };
    case "list-group":
    case "list-children":
      return { service: route.type.service, operation: route.type.list };
    case "get":
      return { service: route.type.service, operation: route.type.get };
    case "action":
      return { service: route.action.startsWith("WebApps") ? "web" : "cognitiveservices", operation: route.action };
  }
}

/** The RBAC action a route needs, and the namespace it calls (a subscription must have registered it). */
function permissionOf(route: ArmRoute): { readonly action: string; readonly namespace?: string } {
  switch (route.kind) {
    case "activity-log":
      return { action: "Microsoft.Insights/eventtypes/values/read" };
    case "diagnostic-settings":
      return { action: "Microsoft.Insights/diagnosticSettings/read" };
    case "list-subscription":
    case "list-group":
    case "list-children":
    case "get":
      return { action: `${route.type.type}/read`, namespace: namespaceOf(route.type.type) };
    case "action":
      return route.action === "WebApps_ListApplicationSettings"
        ? { action: "Microsoft.Web/sites/config/list/action", namespace: "Microsoft.Web" }
        : {
            action: `Microsoft.CognitiveServices/accounts/${route.action === "Accounts_ListKeys" ? "listKeys" : "regenerateKey"}/action`,
            namespace: "Microsoft.CognitiveServices",
          };
    default:
      return { action: "Microsoft.Resources/subscriptions/read" };
  }
}

/** The resource a route names, for the request log's region; undefined for lists and missing resources. */
export function resourceOf(world: AzureWorldIndex, route: ArmRoute): IndexedResource | undefined {
  const id =
    route.kind === "get" || route.kind === "action" || route.kind === "diagnostic-settings"
      ? route.resourceId
      : route.kind === "list-children"
        ? route.parentId
        : undefined;
  return id === undefined ? undefined : world.resources.get(id.toLowerCase());
}

/** The answer to an ARM route, or the ArmError ARM answers it with. */
export function answerArm(route: ArmRoute, ctx: ArmCallContext): unknown {
  const { world, claims } = ctx;
  switch (route.kind) {
    case "tenants": {
      const tenant = world.tenants.get(claims.tid)!;
      return page(ctx, "tenants", [
        {
          id: `/tenants/${tenant.id}`,
          tenantId: tenant.id,
          tenantCategory: "Home",
          displayName: tenant.name,
          defaultDomain: tenant.domain,
          domains: [tenant.domain],
        },
      ]);
    }
    case "subscriptions":
      return page(
        ctx,
        "subscriptions",
        [...world.subscriptions.values()]
          .filter((s) => s.state !== "Deleted" && s.tenant === claims.tid && canRead(s, claims))
          .map(subscriptionBody),
      );
    case "subscription":
      return subscriptionBody(subscriptionFor(route, ctx));
    case "management-groups":
      return page(
        ctx,
        "management-groups",
        [...world.managementGroups.values()]
          .filter((g) => g.tenant === claims.tid)
          .map((g) => ({
            id: groupId(g.name),
            type: "Microsoft.Management/managementGroups",
            name: g.name,
            properties: { tenantId: g.tenant, displayName: g.displayName },
          })),
      );
    case "management-group": {
      const group = managementGroup(ctx, route.group);
      const parent = group.parent === undefined ? undefined : world.managementGroups.get(group.parent.toLowerCase());
      return {
        id: groupId(group.name),
        type: "Microsoft.Management/managementGroups",
        name: group.name,
        properties: {
          tenantId: group.tenant,
          displayName: group.displayName,
          details: {
            version: 1,
            updatedTime: "2025-01-01T00:00:00Z",
            ...(parent === undefined
              ? {}
              : { parent: { id: groupId(parent.name), name: parent.name, displayName: parent.displayName } }),
          },
        },
      };
    }
    case "descendants":
      return page(ctx, `descendants:${route.group.toLowerCase()}`, descendants(ctx, managementGroup(ctx, route.group)));
    case "activity-log": {
      const subscription = subscriptionFor(route, ctx);
      const events = filterEvents(subscription.events, ctx.query.get("$filter"));
      return page(ctx, `activity:${ctx.query.get("$filter") ?? ""}`, selectFields(events, ctx.query.get("$select")));
    }
    case "diagnostic-settings":
      // Not pageable in the API: the whole collection in `value`.
      return { value: resourceFor(route, ctx, route.resourceId).diagnosticSettings };
    case "list-subscription": {
      const subscription = subscriptionFor(route, ctx);
      const listed = world.bySubscription.get(`${subscription.id}|${route.type.type.toLowerCase()}`) ?? [];
      return page(
        ctx,
        route.type.type,
        listed.map((r) => r.body),
      );
    }
    case "list-group": {
      const subscription = subscriptionFor(route, ctx);
      if (!subscription.resourceGroups.has(route.group.toLowerCase()))
        throw new ArmError("ResourceGroupNotFound", `Resource group '${route.group}' could not be found.`, 404);
      const key = `${subscription.id}|${route.group.toLowerCase()}|${route.type.type.toLowerCase()}`;
      return page(
        ctx,
        key,
        (world.byResourceGroup.get(key) ?? []).map((r) => r.body),
      );
    }
    case "list-children": {
      const parent = resourceFor(route, ctx, route.parentId);
      const listed = world.children.get(`${parent.id.toLowerCase()}|${route.type.type.toLowerCase()}`) ?? [];
      return page(
        ctx,
        `${parent.id.toLowerCase()}|${route.type.type}`,
        listed.map((r) => r.body),
      );
    }
    case "get":
      return resourceFor(route, ctx, route.resourceId).body;
    case "action": {
      const resource = resourceFor(route, ctx, route.resourceId);
      if (route.action === "WebApps_ListApplicationSettings")
        return {
          id: `${resource.id}/config/appsettings`,
          name: "appsettings",
          type: "Microsoft.Web/sites/config",
          properties: resource.appSettings ?? {},
        };
      return resource.keys ?? { key1: standInKey(resource.id, 1), key2: standInKey(resource.id, 2) };
    }
  }
}

/** A key-shaped value for an account whose world gives none (32 hex digits, as Azure AI keys are). */
function standInKey(id: string, n: number): string {
  return createHmac("sha256", "cloud-sim").update(`${id.toLowerCase()}:${n}`).digest("hex").slice(0, 32);
}

function page(ctx: ArmCallContext, scope: string, items: readonly unknown[]): Json {
  const { items: value, nextToken } = paginate(items, {
    token: skipToken(ctx.query),
    maxResults: ctx.query.get("$top") ?? undefined,
    pageSize: ctx.pageSize,
    scope,
    invalidToken: () => new ArmError("InvalidSkipToken", "The $skipToken is not valid for this request.", 400),
  });
  return nextToken === undefined
    ? { value }
    : { value, nextLink: nextLink(ctx.secure, ctx.host, ctx.path, ctx.query, nextToken) };
}

function canRead(subscription: IndexedSubscription, claims: TokenClaims): boolean {
  return subscription.readers === undefined || subscription.readers.has(claims.appid.toLowerCase());
}

/**
 * The subscription a route is in, after ARM's checks in ARM's order: it exists, the token is from its tenant, the
 * caller holds a role that allows the action, the resource provider called is registered.
 */
function subscriptionFor(
  route: ArmRoute & { readonly subscription: string },
  ctx: ArmCallContext,
): IndexedSubscription {
  const subscription = ctx.world.subscriptions.get(route.subscription);
  if (subscription === undefined || subscription.state === "Deleted")
    throw new ArmError("SubscriptionNotFound", `The subscription '${route.subscription}' could not be found.`, 404);
  if (subscription.tenant !== ctx.claims.tid)
    throw new ArmError(
      "InvalidAuthenticationTokenTenant",
      `The access token is from the wrong issuer 'https://sts.windows.net/${ctx.claims.tid}/'. It must match the tenant 'https://sts.windows.net/${subscription.tenant}/' associated with this subscription. Please use the authority (URL) 'https://login.windows.net/${subscription.tenant}' to get the token.`,
      401,
    );
  const { action, namespace } = permissionOf(route);
  if (!canRead(subscription, ctx.claims))
    throw authorizationFailed(ctx.claims, action, `/subscriptions/${subscription.id}`);
  if (namespace !== undefined && subscription.unregistered.has(namespace.toLowerCase()))
    throw missingRegistration(namespace);
  return subscription;
}

function resourceFor(
  route: ArmRoute & { readonly subscription: string },
  ctx: ArmCallContext,
  id: string,
): IndexedResource {
  const subscription = subscriptionFor(route, ctx);
  const resource = ctx.world.resources.get(id.toLowerCase());
  if (resource !== undefined) return resource;
  const segments = id.split("/");
  const group = segments[4] ?? "";
  if (!subscription.resourceGroups.has(group.toLowerCase()))
    throw new ArmError("ResourceGroupNotFound", `Resource group '${group}' could not be found.`, 404);
  const typed = segments.slice(6);
  const name = typed.filter((_, i) => i % 2 === 1).join("/");
  const type = [segments[6], ...typed.slice(1).filter((_, i) => i % 2 === 0)].join("/");
  throw new ArmError(
    "ResourceNotFound",
    `The Resource '${type}/${name}' under resource group '${group}' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix`,
    404,
  );
}

export function authorizationFailed(claims: TokenClaims, action: string, scope: string): ArmError {
  return new ArmError(
    "AuthorizationFailed",
    `The client '${claims.oid}' with object id '${claims.oid}' does not have authorization to perform action '${action}' over scope '${scope}' or the scope is invalid. If access was recently granted, please refresh your credentials.`,
    403,
  );
}

export function missingRegistration(namespace: string): ArmError {
  const message = `The subscription is not registered to use namespace '${namespace}'. See https://aka.ms/rps-not-found for how to register subscriptions.`;
  return new ArmError("MissingSubscriptionRegistration", message, 409, {}, [
    { code: "MissingSubscriptionRegistration", target: namespace, message },
  ]);
}

/** The action and scope of a route, for an injected access-denied fault. */
export function deniedFor(route: ArmRoute, claims: TokenClaims): ArmError {
  const scope =
    "resourceId" in route
      ? route.resourceId
      : "subscription" in route
        ? `/subscriptions/${route.subscription}`
        : "group" in route
          ? groupId(route.group)
          : "/";
  return authorizationFailed(claims, permissionOf(route).action, scope);
}

/** The namespace a route calls, for an injected not-registered fault. */
export function namespaceCalled(route: ArmRoute): string {
  return permissionOf(route).namespace ?? "Microsoft.Resources";
}

function subscriptionBody(subscription: IndexedSubscription): Json {
  return {
    id: `/subscriptions/${subscription.id}`,
    authorizationSource: "RoleBased",
    managedByTenants: [],
    tags: subscription.tags,
    subscriptionId: subscription.id,
    tenantId: subscription.tenant,
    displayName: subscription.name,
    state: subscription.state,
    subscriptionPolicies: {
      locationPlacementId: "Public_2014-09-01",
      quotaId: "EnterpriseAgreement_2014-09-01",
      spendingLimit: "Off",
    },
  };
}

const groupId = (name: string) => `/providers/Microsoft.Management/managementGroups/${name}`;

function managementGroup(ctx: ArmCallContext, name: string) {
  const group = ctx.world.managementGroups.get(name.toLowerCase());
  if (group === undefined || group.tenant !== ctx.claims.tid)
    throw authorizationFailed(ctx.claims, "Microsoft.Management/managementGroups/read", groupId(name));
  return group;
}

/** Every group and subscription under a group, depth first, each naming its parent. */
function descendants(ctx: ArmCallContext, root: { readonly name: string }): Json[] {
  const out: Json[] = [];
  const walk = (parent: string) => {
    for (const group of ctx.world.managementGroups.values()) {
      if (group.parent?.toLowerCase() !== parent.toLowerCase()) continue;
      out.push({
        id: groupId(group.name),
        type: "Microsoft.Management/managementGroups",
        name: group.name,
        properties: { displayName: group.displayName, parent: { id: groupId(parent) } },
      });
      walk(group.name);
    }
    for (const subscription of ctx.world.subscriptions.values()) {
      if (subscription.managementGroup.toLowerCase() !== parent.toLowerCase() || subscription.state === "Deleted")
        continue;
      out.push({
        id: `/subscriptions/${subscription.id}`,
        // The API names a subscription descendant's type "/subscriptions".
        type: "/subscriptions",
        name: subscription.id,
        properties: { displayName: subscription.name, parent: { id: groupId(parent) } },
      });
    }
  };
  walk(root.name);
  return out;
}
