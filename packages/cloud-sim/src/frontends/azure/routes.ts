import { ARM_RESOURCE_TYPES, type ArmResourceType } from "./resource-types.ts";

/**
 * What a request asks for, from its method and path. ARM compares paths without regard to case, so routing is on
 * the lower-cased segments; names keep the case the client sent. `resourceId` is the path of the resource as sent.
 */
export type Route =
  | { readonly kind: "openid-configuration"; readonly tenant: string }
  | { readonly kind: "token"; readonly tenant: string }
  | { readonly kind: "instance-discovery" }
  | { readonly kind: "tenants" }
  | { readonly kind: "subscriptions" }
  | { readonly kind: "subscription"; readonly subscription: string }
  | { readonly kind: "management-groups" }
  | { readonly kind: "management-group"; readonly group: string }
  | { readonly kind: "descendants"; readonly group: string }
  | { readonly kind: "activity-log"; readonly subscription: string }
  | { readonly kind: "diagnostic-settings"; readonly subscription: string; readonly resourceId: string }
  | { readonly kind: "list-subscription"; readonly subscription: string; readonly type: ArmResourceType }
  | {
      readonly kind: "list-group";
      readonly subscription: string;
      readonly group: string;
      readonly type: ArmResourceType;
    }
  | {
      readonly kind: "list-children";
      readonly subscription: string;
      readonly parentId: string;
      readonly type: ArmResourceType;
    }
  | { readonly kind: "get"; readonly subscription: string; readonly resourceId: string; readonly type: ArmResourceType }
  | {
      readonly kind: "action";
      readonly subscription: string;
      readonly resourceId: string;
      readonly action: ResourceAction;
    };

/** POST actions on a resource the simulator knows: they read (or, regenerateKey, change) secrets. */
export type ResourceAction = "Accounts_ListKeys" | "Accounts_RegenerateKey" | "WebApps_ListApplicationSettings";

const ACTIONS: readonly { readonly type: string; readonly suffix: string; readonly action: ResourceAction }[] = [
  { type: "microsoft.cognitiveservices/accounts", suffix: "listkeys", action: "Accounts_ListKeys" },
  { type: "microsoft.cognitiveservices/accounts", suffix: "regeneratekey", action: "Accounts_RegenerateKey" },
  { type: "microsoft.web/sites", suffix: "config/appsettings/list", action: "WebApps_ListApplicationSettings" },
];

/** Whether a path is ARM's or Entra ID's (GCP also sends bearer tokens: the path, not the token, tells them apart). */
export function isAzurePath(path: string): boolean {
  // Clients that join an id starting with "/" to a path template send "//subscriptions/…", which ARM accepts.
  const lower = path.replace(/\/{2,}/g, "/").toLowerCase();
  return (
    lower === "/subscriptions" ||
    lower.startsWith("/subscriptions/") ||
    lower === "/tenants" ||
    lower.startsWith("/providers/microsoft.management/") ||
    lower.startsWith("/common/discovery/instance") ||
    /^\/[^/]+\/(oauth2\/v2\.0\/token|v2\.0\/\.well-known\/openid-configuration)$/.test(lower)
  );
}

export function findRoute(method: string, path: string): Route | undefined {
  const original = path
    .split("/")
    .filter((segment) => segment !== "")
    .map(decodeURIComponent);
  const s = original.map((segment) => segment.toLowerCase());
  const is = (...expected: string[]) =>
    expected.length === s.length && expected.every((e, i) => e === "*" || e === s[i]);

  if (method === "GET" && is("*", "v2.0", ".well-known", "openid-configuration"))
    return { kind: "openid-configuration", tenant: original[0]! };
  if (method === "POST" && is("*", "oauth2", "v2.0", "token")) return { kind: "token", tenant: original[0]! };
  if (method === "GET" && is("common", "discovery", "instance")) return { kind: "instance-discovery" };
  if (method !== "GET" && method !== "POST") return undefined;

  if (s[0] === "providers" && s[1] === "microsoft.management" && s[2] === "managementgroups" && method === "GET") {
    if (s.length === 3) return { kind: "management-groups" };
    if (s.length === 4) return { kind: "management-group", group: original[3]! };
    if (s.length === 5 && s[4] === "descendants") return { kind: "descendants", group: original[3]! };
    return undefined;
  }
  if (is("tenants") && method === "GET") return { kind: "tenants" };
  if (s[0] !== "subscriptions") return undefined;
  if (s.length === 1) return method === "GET" ? { kind: "subscriptions" } : undefined;
  const subscription = s[1]!;
  if (s.length === 2) return method === "GET" ? { kind: "subscription", subscription } : undefined;

  // Diagnostic settings are an extension resource: <resource id>/providers/Microsoft.Insights/diagnosticSettings.
  if (
    method === "GET" &&
    s.length > 5 &&
    s.at(-3) === "providers" &&
    s.at(-2) === "microsoft.insights" &&
    s.at(-1) === "diagnosticsettings"
  )
    return { kind: "diagnostic-settings", subscription, resourceId: `/${original.slice(0, -3).join("/")}` };

  if (s[2] === "providers") {
    if (
      method === "GET" &&
      is("subscriptions", "*", "providers", "microsoft.insights", "eventtypes", "management", "values")
    )
      return { kind: "activity-log", subscription };
    const type = s.length === 5 ? ARM_RESOURCE_TYPES.get(`${s[3]}/${s[4]}`) : undefined;
    return type?.listBySubscription !== undefined && method === "GET"
      ? { kind: "list-subscription", subscription, type }
      : undefined;
  }
  if (s[2] !== "resourcegroups" || s.length < 7 || s[4] !== "providers") return undefined;
  const group = original[3]!;
  const type = ARM_RESOURCE_TYPES.get(`${s[5]}/${s[6]}`);
  if (type === undefined) return undefined;
  if (s.length === 7) return method === "GET" ? { kind: "list-group", subscription, group, type } : undefined;
  const resourceId = `/${original.slice(0, 8).join("/")}`;
  if (s.length === 8) return method === "GET" ? { kind: "get", subscription, resourceId, type } : undefined;
  const rest = s.slice(8).join("/");
  if (method === "POST") {
    const action = ACTIONS.find((a) => a.type === type.type.toLowerCase() && a.suffix === rest)?.action;
    return action === undefined ? undefined : { kind: "action", subscription, resourceId, action };
  }
  const child = ARM_RESOURCE_TYPES.get(`${type.type.toLowerCase()}/${s[8]}`);
  if (child === undefined) return undefined;
  if (s.length === 9) return { kind: "list-children", subscription, parentId: resourceId, type: child };
  if (s.length === 10)
    return { kind: "get", subscription, resourceId: `/${original.slice(0, 10).join("/")}`, type: child };
  return undefined;
}
