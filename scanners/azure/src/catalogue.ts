import { type CatalogueEntry, createCatalogue } from "@aigov/scanner-kit";

export type AzureService =
  | "resources"
  | "management"
  | "cognitiveservices"
  | "machinelearningservices"
  | "search"
  | "insights"
  | "web";

/** The one identity an Azure sweep uses: a service principal or managed identity with the custom role on the scope. */
export type AzureHolder = "scanner";

export interface AzureCatalogueEntry extends CatalogueEntry<AzureService, AzureHolder> {
  /** The REST API spec's operation id (`Accounts_List`). */
  readonly operation: string;
  readonly method: "GET" | "POST";
  /** The path template as the REST API spec writes it; ARM compares paths without regard to case. */
  readonly path: string;
  /** The SDK call the sources make, as `<client>.<operation group>.<method>` (`cognitive.accounts.list`). */
  readonly sdkCall: string;
}

const read = (
  service: AzureService,
  operation: string,
  path: string,
  sdkCall: string,
  permissions: readonly string[],
  extra: Partial<Pick<AzureCatalogueEntry, "method" | "optIn">> = {},
): AzureCatalogueEntry => ({
  service,
  operation,
  kind: "read",
  returnsSecret: false,
  permissions,
  holder: "scanner",
  method: extra.method ?? "GET",
  path,
  sdkCall,
  ...(extra.optIn === undefined ? {} : { optIn: extra.optIn }),
});

const GROUP = "/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers";

/**
 * Every ARM call the Azure scanner can send, and nothing else: the transport refuses any other request before it is
 * signed (`AZURE_COMMAND_NOT_ALLOWED`), the custom role in docs/permissions/azure is generated from the
 * permissions, and test/read-only.test.ts proves every SDK call in the sources is here and a read. Never here:
 * `listKeys`, `regenerateKey`, `listAdminKeys`, `listSecrets` and the like, which return secrets.
 */
export const AZURE_CATALOGUE_ENTRIES: readonly AzureCatalogueEntry[] = [
  // Listing the subscriptions an identity can read needs no permission: it returns exactly those.
  read("resources", "Subscriptions_List", "/subscriptions", "subscriptions.subscriptions.list", []),
  read("resources", "Subscriptions_Get", "/subscriptions/{subscriptionId}", "subscriptions.subscriptions.get", [
    "Microsoft.Resources/subscriptions/read",
  ]),
  read(
    "management",
    "ManagementGroups_GetDescendants",
    "/providers/Microsoft.Management/managementGroups/{groupId}/descendants",
    "managementGroups.managementGroups.listDescendants",
    ["Microsoft.Management/managementGroups/descendants/read"],
  ),
  read(
    "cognitiveservices",
    "Accounts_List",
    "/subscriptions/{subscriptionId}/providers/Microsoft.CognitiveServices/accounts",
    "cognitive.accounts.list",
    ["Microsoft.CognitiveServices/accounts/read"],
  ),
  read(
    "cognitiveservices",
    "Deployments_List",
    `${GROUP}/Microsoft.CognitiveServices/accounts/{accountName}/deployments`,
    "cognitive.deployments.list",
    ["Microsoft.CognitiveServices/accounts/deployments/read"],
  ),
  read(
    "cognitiveservices",
    "Projects_List",
    `${GROUP}/Microsoft.CognitiveServices/accounts/{accountName}/projects`,
    "cognitive.projects.list",
    ["Microsoft.CognitiveServices/accounts/projects/read"],
  ),
  read(
    "machinelearningservices",
    "Workspaces_ListBySubscription",
    "/subscriptions/{subscriptionId}/providers/Microsoft.MachineLearningServices/workspaces",
    "machineLearning.workspaces.listBySubscription",
    ["Microsoft.MachineLearningServices/workspaces/read"],
  ),
  read(
    "machinelearningservices",
    "OnlineEndpoints_List",
    `${GROUP}/Microsoft.MachineLearningServices/workspaces/{workspaceName}/onlineEndpoints`,
    "machineLearning.onlineEndpoints.list",
    ["Microsoft.MachineLearningServices/workspaces/onlineEndpoints/read"],
  ),
  read(
    "machinelearningservices",
    "Compute_List",
    `${GROUP}/Microsoft.MachineLearningServices/workspaces/{workspaceName}/computes`,
    "machineLearning.computeOperations.list",
    ["Microsoft.MachineLearningServices/workspaces/computes/read"],
  ),
  read(
    "search",
    "Services_ListBySubscription",
    "/subscriptions/{subscriptionId}/providers/Microsoft.Search/searchServices",
    "search.services.listBySubscription",
    ["Microsoft.Search/searchServices/read"],
  ),
  read(
    "insights",
    "DiagnosticSettings_List",
    "/{resourceUri}/providers/Microsoft.Insights/diagnosticSettings",
    "monitor.diagnosticSettings.list",
    ["Microsoft.Insights/diagnosticSettings/read"],
  ),
  read(
    "insights",
    "ActivityLogs_List",
    "/subscriptions/{subscriptionId}/providers/Microsoft.Insights/eventtypes/management/values",
    "monitor.activityLogs.list",
    ["Microsoft.Insights/eventtypes/values/read"],
  ),
  read(
    "web",
    "WebApps_List",
    "/subscriptions/{subscriptionId}/providers/Microsoft.Web/sites",
    "web.webApps.list",
    ["Microsoft.Web/sites/read"],
    { optIn: "app-settings" },
  ),
  // A POST that changes nothing, but Reader does not include it: it returns every app setting in clear.
  read(
    "web",
    "WebApps_ListApplicationSettings",
    `${GROUP}/Microsoft.Web/sites/{name}/config/appsettings/list`,
    "web.webApps.listApplicationSettings",
    ["Microsoft.Web/sites/config/list/action"],
    { method: "POST", optIn: "app-settings" },
  ),
];

/** How the transport names a request: its method and path template. */
export const wireName = (entry: Pick<AzureCatalogueEntry, "method" | "path">) => `${entry.method} ${entry.path}`;

export const AZURE_OPT_INS = {
  "app-settings": { policyKey: "read_app_settings", flag: "azure-read-app-settings" },
} as const;

export const AZURE_CATALOGUE = createCatalogue("azure", AZURE_CATALOGUE_ENTRIES, {
  wireName,
  optIns: AZURE_OPT_INS,
});

/** A path template as a case-insensitive pattern: `{resourceUri}` spans segments, every other parameter one. */
function templatePattern(path: string): RegExp {
  const pattern = path
    .split(/(\{[^}]+\})/)
    .map((part) =>
      part === "{resourceUri}" ? ".+" : part.startsWith("{") ? "[^/]+" : part.replace(/[.*+?^$()|[\]\\]/g, "\\$&"),
    )
    .join("");
  return new RegExp(`^${pattern}$`, "i");
}

const PATTERNS = AZURE_CATALOGUE_ENTRIES.map((entry) => ({ entry, pattern: templatePattern(entry.path) }));

/**
 * The catalogue's name for a request (its method and path template), or undefined when no entry's template matches.
 * Clients that join an id starting with "/" to a template send "//subscriptions/…", which ARM reads as "/subscriptions/…".
 */
export function requestWireName(method: string, path: string): string | undefined {
  const clean = path.replace(/\/{2,}/g, "/");
  for (const { entry, pattern } of PATTERNS) if (entry.method === method && pattern.test(clean)) return wireName(entry);
  return undefined;
}
