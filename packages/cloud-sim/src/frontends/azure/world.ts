/**
 * The world file's `azure:` section: what the simulated Azure estate contains (`world.schema.json` beside this file
 * checks it). Resources are written as ARM returns them (`name`, `kind`, `location`, `sku`, `identity`, `tags`,
 * `properties` with the resource provider's own field names and casing), so anything a real GET returns can be put
 * in the world and comes back unchanged; the simulator fills in `id`, `type`, canonical locations and provisioning
 * state. Keys the simulator itself reads are the lists of child resources (`deployments`, `onlineEndpoints` …) and
 * the few settings no ARM body carries (`readers`, `unregisteredProviders`, `keys`, `appSettings`).
 */

/** Any further ARM fields a resource carries, passed through to the responses unchanged. */
export interface ArmFields {
  readonly [field: string]: unknown;
}

export type Tags = Readonly<Record<string, string>>;

export interface AzureWorld {
  /** Entra ID tenants. Default: one tenant, `DEFAULT_AZURE_TENANT`. */
  readonly tenants?: readonly AzureTenant[];
  /**
   * App registrations that can get tokens (client credentials). Absent: any client id with any secret or
   * assertion gets a token in any tenant (convenient for generated worlds); present: only these.
   */
  readonly principals?: readonly AzurePrincipal[];
  readonly managementGroups?: readonly AzureManagementGroup[];
  readonly subscriptions: readonly AzureSubscription[];
}

export interface AzureTenant {
  /** A GUID. */
  readonly id: string;
  readonly name?: string;
  /** Default `<name>.onmicrosoft.com`. */
  readonly domain?: string;
}

export interface AzurePrincipal {
  readonly clientId: string;
  /** The client secret it authenticates with; absent: it authenticates only with a client assertion (workload identity). */
  readonly clientSecret?: string;
  /** Accepts a client assertion (a federated token, as workload identity sends) instead of a secret. */
  readonly federated?: boolean;
  /** The tenant it is registered in (default: the first tenant); a token for another tenant is refused. */
  readonly tenant?: string;
  /** Its service principal's object id (default: derived from the client id). */
  readonly objectId?: string;
  readonly name?: string;
}

export interface AzureManagementGroup {
  /** The group's name, its id's last segment (`contoso-ai`). */
  readonly name: string;
  readonly displayName?: string;
  /** The parent group's name; absent: the tenant root group (whose name is the tenant id). */
  readonly parent?: string;
  /** Default: the first tenant. */
  readonly tenant?: string;
}

export type AzureSubscriptionState = "Enabled" | "Disabled" | "Warned" | "PastDue" | "Deleted";

export interface AzureSubscription {
  /** A GUID. */
  readonly id: string;
  /** The display name. */
  readonly name: string;
  /** Default: the first tenant. */
  readonly tenant?: string;
  /** The management group it sits in (its name); absent: the tenant root group. */
  readonly managementGroup?: string;
  /** Default Enabled. A Deleted subscription is listed nowhere. */
  readonly state?: AzureSubscriptionState;
  readonly tags?: Tags;
  /**
   * Client ids of the principals holding a read role on it. Absent: every principal. A principal not listed does
   * not see it in Subscriptions_List and gets AuthorizationFailed on every call inside it.
   */
  readonly readers?: readonly string[];
  /** Resource provider namespaces not registered (`Microsoft.MachineLearningServices`): their calls answer MissingSubscriptionRegistration. */
  readonly unregisteredProviders?: readonly string[];
  readonly resourceGroups?: readonly AzureResourceGroup[];
  /** Activity log (administrative) events, in the REST shape; see AzureActivityEvent. */
  readonly activityLog?: readonly AzureActivityEvent[];
}

export interface AzureResourceGroup {
  readonly name: string;
  readonly location: string;
  readonly tags?: Tags;
  readonly cognitiveAccounts?: readonly CognitiveAccount[];
  readonly machineLearningWorkspaces?: readonly MachineLearningWorkspace[];
  readonly searchServices?: readonly ArmResource[];
  readonly webApps?: readonly WebApp[];
}

/** A resource as ARM returns it; `location` defaults to its resource group's. */
export interface ArmResource extends ArmFields {
  readonly name: string;
  readonly location?: string;
  readonly kind?: string;
  readonly tags?: Tags;
  readonly properties?: ArmFields;
  /** Diagnostic settings of the resource (Microsoft.Insights/diagnosticSettings, an extension resource). */
  readonly diagnosticSettings?: readonly ArmResource[];
}

export interface CognitiveAccount extends ArmResource {
  /** OpenAI, AIServices, CognitiveServices, TextAnalytics … */
  readonly kind: string;
  readonly deployments?: readonly ArmResource[];
  readonly raiPolicies?: readonly ArmResource[];
  readonly projects?: readonly ArmResource[];
  /** What Accounts_ListKeys returns (secret material: only a test that proves nobody asks for it should set it). */
  readonly keys?: { readonly key1: string; readonly key2: string };
}

export interface MachineLearningWorkspace extends ArmResource {
  readonly onlineEndpoints?: readonly ArmResource[];
  readonly computes?: readonly ArmResource[];
}

export interface WebApp extends ArmResource {
  /** What WebApps_ListApplicationSettings returns (POST …/config/appsettings/list). */
  readonly appSettings?: Readonly<Record<string, string>>;
}

/**
 * One Activity Log event as `GET …/eventtypes/management/values` returns it. `operationName`, `status`,
 * `category`, `eventName`, `resourceProviderName` and `resourceType` may be written as plain strings; the
 * simulator fills in `{value, localizedValue}`, ids, the subscription and tenant, and what the resource id implies.
 */
export interface AzureActivityEvent extends ArmFields {
  readonly operationName: string | { readonly value: string; readonly localizedValue?: string };
  /** ISO-8601 with a zone. */
  readonly eventTimestamp: string;
  /** The ARM id of the resource acted on. */
  readonly resourceId: string;
  /** The caller's UPN or object id. */
  readonly caller?: string;
  /** Default Succeeded. */
  readonly status?: string | { readonly value: string; readonly localizedValue?: string };
}

/** The tenant a world without `tenants` has. */
export const DEFAULT_AZURE_TENANT = "00000000-0000-4000-8000-00000000a1a1";
