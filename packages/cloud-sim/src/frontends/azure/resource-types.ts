/**
 * The ARM resource types the simulator serves, by their lower-cased type name (ARM compares type names, like
 * ids, without regard to case): the type as ARM spells it, the service the request log names, and the operation
 * ids of the REST API specs for listing them (across the subscription, in a resource group, under their parent)
 * and getting one.
 */
export interface ArmResourceType {
  /** `Microsoft.CognitiveServices/accounts/deployments`, as ARM returns it in `type`. */
  readonly type: string;
  readonly service: string;
  /** List across the subscription (top-level types only). */
  readonly listBySubscription?: string;
  /** List in a resource group (top-level types), or under the parent (child types). */
  readonly list: string;
  readonly get: string;
  /** A tracked resource has a location of its own; an untracked child (a deployment) has its parent's. */
  readonly tracked: boolean;
}

const TYPES: readonly ArmResourceType[] = [
  {
    type: "Microsoft.CognitiveServices/accounts",
    tracked: true,
    service: "cognitiveservices",
    listBySubscription: "Accounts_List",
    list: "Accounts_ListByResourceGroup",
    get: "Accounts_Get",
  },
  {
    type: "Microsoft.CognitiveServices/accounts/deployments",
    tracked: false,
    service: "cognitiveservices",
    list: "Deployments_List",
    get: "Deployments_Get",
  },
  {
    type: "Microsoft.CognitiveServices/accounts/raiPolicies",
    tracked: false,
    service: "cognitiveservices",
    list: "RaiPolicies_List",
    get: "RaiPolicies_Get",
  },
  {
    type: "Microsoft.CognitiveServices/accounts/projects",
    tracked: true,
    service: "cognitiveservices",
    list: "Projects_List",
    get: "Projects_Get",
  },
  {
    type: "Microsoft.MachineLearningServices/workspaces",
    tracked: true,
    service: "machinelearningservices",
    listBySubscription: "Workspaces_ListBySubscription",
    list: "Workspaces_ListByResourceGroup",
    get: "Workspaces_Get",
  },
  {
    type: "Microsoft.MachineLearningServices/workspaces/onlineEndpoints",
    tracked: true,
    service: "machinelearningservices",
    list: "OnlineEndpoints_List",
    get: "OnlineEndpoints_Get",
  },
  {
    type: "Microsoft.MachineLearningServices/workspaces/computes",
    tracked: true,
    service: "machinelearningservices",
    list: "Compute_List",
    get: "Compute_Get",
  },
  {
    type: "Microsoft.Search/searchServices",
    tracked: true,
    service: "search",
    listBySubscription: "Services_ListBySubscription",
    list: "Services_ListByResourceGroup",
    get: "Services_Get",
  },
  {
    type: "Microsoft.Web/sites",
    tracked: true,
    service: "web",
    listBySubscription: "WebApps_List",
    list: "WebApps_ListByResourceGroup",
    get: "WebApps_Get",
  },
];

export const ARM_RESOURCE_TYPES: ReadonlyMap<string, ArmResourceType> = new Map(
  TYPES.map((type) => [type.type.toLowerCase(), type]),
);

/** The provider namespace of a type or id segment (`Microsoft.CognitiveServices`). */
export function namespaceOf(type: string): string {
  return type.slice(0, type.indexOf("/"));
}
