import { type AssetKind, isUnknown, unknown } from "@aigov/core";
import { type ArmBody, armFacts, armValue } from "@aigov/normalize";
import { aiTypeInfo } from "./ai-types.ts";
import type { PlannedFacts } from "./planned-facts.ts";
import { isRecord, type PlannedValues } from "./planned-values.ts";

/** What one ARM type is: its azurerm twin (same kind, the same facts read from the ARM body), or a kind of its own. */
interface ArmAiType {
  readonly twin?: string;
  readonly kind?: AssetKind;
  readonly primary?: boolean;
  /** Its body establishes facts of its own (`armFacts` of @aigov/normalize reads them, live and planned alike). */
  readonly facts?: true;
}

/**
 * ARM resource types of Azure's AI resource providers, lower-cased (ARM type names are case-insensitive). The azapi
 * provider deploys them by name, so a planned `azapi_resource` is judged as the live resource is: same type, same
 * `native` shape (the ARM body), and the kind and facts of its azurerm twin. Types of these providers not named here
 * are judged as owned AI of kind "unclassified"; test/fixtures/providers/azure-arm-ai-types.json lists them all.
 */
const ARM_AI_TYPES: Readonly<Record<string, ArmAiType>> = {
  "microsoft.cognitiveservices/accounts": { twin: "azurerm_cognitive_account", facts: true },
  "microsoft.cognitiveservices/accounts/capabilityhosts": { kind: "other" },
  "microsoft.cognitiveservices/accounts/commitmentplans": { kind: "other" },
  "microsoft.cognitiveservices/accounts/computes": { kind: "compute", primary: true },
  // Connections to other services; the key-based ones hold a third-party API key.
  "microsoft.cognitiveservices/accounts/connections": { kind: "credential-provider", facts: true },
  "microsoft.cognitiveservices/accounts/defenderforaisettings": { kind: "other" },
  "microsoft.cognitiveservices/accounts/deployments": { twin: "azurerm_cognitive_deployment", facts: true },
  "microsoft.cognitiveservices/accounts/encryptionscopes": { kind: "other" },
  "microsoft.cognitiveservices/accounts/managedcomputedeployments": { kind: "deployment" },
  "microsoft.cognitiveservices/accounts/managednetworks": { kind: "other" },
  "microsoft.cognitiveservices/accounts/managednetworks/outboundrules": { kind: "other" },
  "microsoft.cognitiveservices/accounts/privateendpointconnections": { kind: "other" },
  "microsoft.cognitiveservices/accounts/projects": { twin: "azurerm_cognitive_account_project" },
  // Foundry agent applications and their deployments.
  "microsoft.cognitiveservices/accounts/projects/applications": { kind: "agent", primary: true },
  "microsoft.cognitiveservices/accounts/projects/applications/agentdeployments": { kind: "deployment" },
  "microsoft.cognitiveservices/accounts/projects/capabilityhosts": { kind: "other" },
  "microsoft.cognitiveservices/accounts/projects/workbenches": { kind: "notebook" },
  "microsoft.cognitiveservices/accounts/projects/connections": { kind: "credential-provider", facts: true },
  "microsoft.cognitiveservices/accounts/raiblocklists": { twin: "azurerm_cognitive_account_rai_blocklist" },
  "microsoft.cognitiveservices/accounts/raiblocklists/raiblocklistitems": { kind: "guardrail" },
  "microsoft.cognitiveservices/accounts/raipolicies": {
    twin: "azurerm_cognitive_account_rai_policy",
    facts: true,
  },
  "microsoft.cognitiveservices/accounts/raitoollabels": { kind: "guardrail" },
  "microsoft.cognitiveservices/accounts/raitopics": { kind: "guardrail" },
  "microsoft.cognitiveservices/accounts/testraiexternalsafetyprovider": { kind: "guardrail" },
  "microsoft.cognitiveservices/commitmentplans": { kind: "other" },
  "microsoft.cognitiveservices/commitmentplans/accountassociations": { kind: "other" },
  "microsoft.cognitiveservices/quotatiers": { kind: "other" },
  "microsoft.cognitiveservices/raiexternalsafetyproviders": { kind: "guardrail" },
  "microsoft.cognitiveservices/raipolicy": { kind: "guardrail" },
  "microsoft.machinelearningservices/workspaces": { twin: "azurerm_machine_learning_workspace", facts: true },
  "microsoft.machinelearningservices/workspaces/batchendpoints": { kind: "endpoint", primary: true },
  "microsoft.machinelearningservices/workspaces/batchendpoints/deployments": { kind: "deployment" },
  "microsoft.machinelearningservices/workspaces/capabilityhosts": { kind: "other" },
  "microsoft.machinelearningservices/workspaces/codes": { kind: "other" },
  "microsoft.machinelearningservices/workspaces/codes/versions": { kind: "other" },
  "microsoft.machinelearningservices/workspaces/components": { kind: "other" },
  "microsoft.machinelearningservices/workspaces/components/versions": { kind: "other" },
  "microsoft.machinelearningservices/workspaces/computes": {
    twin: "azurerm_machine_learning_compute_instance",
    facts: true,
  },
  "microsoft.machinelearningservices/workspaces/connections": { kind: "credential-provider", facts: true },
  "microsoft.machinelearningservices/workspaces/connections/deployments": { kind: "deployment" },
  "microsoft.machinelearningservices/workspaces/connections/raiblocklists": { kind: "guardrail" },
  "microsoft.machinelearningservices/workspaces/connections/raiblocklists/raiblocklistitems": { kind: "guardrail" },
  "microsoft.machinelearningservices/workspaces/connections/raipolicies": { kind: "guardrail" },
  "microsoft.machinelearningservices/workspaces/data": { kind: "dataset" },
  "microsoft.machinelearningservices/workspaces/data/versions": { kind: "dataset" },
  "microsoft.machinelearningservices/workspaces/datasets": { kind: "dataset" },
  "microsoft.machinelearningservices/workspaces/datastores": { twin: "azurerm_machine_learning_datastore_blobstorage" },
  "microsoft.machinelearningservices/workspaces/endpoints": { kind: "endpoint" },
  "microsoft.machinelearningservices/workspaces/endpoints/deployments": { kind: "deployment" },
  "microsoft.machinelearningservices/workspaces/endpoints/raipolicies": { kind: "guardrail" },
  "microsoft.machinelearningservices/workspaces/environments": { kind: "other" },
  "microsoft.machinelearningservices/workspaces/environments/versions": { kind: "other" },
  "microsoft.machinelearningservices/workspaces/featuresets": { kind: "feature-store" },
  "microsoft.machinelearningservices/workspaces/featuresets/versions": { kind: "feature-store" },
  "microsoft.machinelearningservices/workspaces/featurestoreentities": { kind: "feature-store" },
  "microsoft.machinelearningservices/workspaces/featurestoreentities/versions": { kind: "feature-store" },
  "microsoft.machinelearningservices/workspaces/inferencepools": { kind: "compute", primary: true },
  "microsoft.machinelearningservices/workspaces/inferencepools/endpoints": { kind: "endpoint" },
  "microsoft.machinelearningservices/workspaces/inferencepools/groups": { kind: "other" },
  "microsoft.machinelearningservices/workspaces/jobs": { kind: "training-job", primary: true },
  "microsoft.machinelearningservices/workspaces/labelingjobs": { kind: "training-job" },
  "microsoft.machinelearningservices/workspaces/linkedservices": { kind: "other" },
  "microsoft.machinelearningservices/workspaces/linkedworkspaces": { kind: "other" },
  "microsoft.machinelearningservices/workspaces/managednetworks": { kind: "other" },
  "microsoft.machinelearningservices/workspaces/managednetworks/outboundrules": { kind: "other" },
  "microsoft.machinelearningservices/workspaces/marketplacesubscriptions": { kind: "other" },
  "microsoft.machinelearningservices/workspaces/models": { kind: "model" },
  "microsoft.machinelearningservices/workspaces/models/versions": { kind: "model" },
  "microsoft.machinelearningservices/workspaces/onlineendpoints": { kind: "endpoint", primary: true, facts: true },
  "microsoft.machinelearningservices/workspaces/onlineendpoints/deployments": { kind: "deployment" },
  "microsoft.machinelearningservices/workspaces/outboundrules": {
    twin: "azurerm_machine_learning_workspace_network_outbound_rule_fqdn",
  },
  "microsoft.machinelearningservices/workspaces/privateendpointconnections": { kind: "other" },
  "microsoft.machinelearningservices/workspaces/schedules": { kind: "other" },
  "microsoft.machinelearningservices/workspaces/serverlessendpoints": { kind: "endpoint", primary: true },
  "microsoft.machinelearningservices/workspaces/services": { kind: "other" },
  "microsoft.machinelearningservices/registries": { kind: "model-registry", primary: true },
  "microsoft.machinelearningservices/registries/codes": { kind: "other" },
  "microsoft.machinelearningservices/registries/codes/versions": { kind: "other" },
  "microsoft.machinelearningservices/registries/components": { kind: "other" },
  "microsoft.machinelearningservices/registries/components/versions": { kind: "other" },
  "microsoft.machinelearningservices/registries/data": { kind: "dataset" },
  "microsoft.machinelearningservices/registries/data/versions": { kind: "dataset" },
  "microsoft.machinelearningservices/registries/environments": { kind: "other" },
  "microsoft.machinelearningservices/registries/environments/versions": { kind: "other" },
  "microsoft.machinelearningservices/registries/models": { kind: "model" },
  "microsoft.machinelearningservices/registries/models/versions": { kind: "model" },
  "microsoft.machinelearningservices/capacityreserverationgroups": { kind: "other" },
  "microsoft.search/searchservices": { twin: "azurerm_search_service", facts: true },
  "microsoft.search/searchservices/privateendpointconnections": { kind: "other" },
  "microsoft.search/searchservices/sharedprivatelinkresources": {
    twin: "azurerm_search_shared_private_link_service",
  },
  "microsoft.botservice/botservices": { twin: "azurerm_bot_service_azure_bot" },
  "microsoft.botservice/botservices/channels": { kind: "other" },
  "microsoft.botservice/botservices/connections": { kind: "other" },
  "microsoft.botservice/botservices/privateendpointconnections": { kind: "other" },
  "microsoft.botservice/enterprisechannels": { kind: "other" },
  "microsoft.healthbot/healthbots": { twin: "azurerm_healthbot" },
  "microsoft.videoindexer/accounts": { twin: "azurerm_video_indexer_account" },
  // Foundry agents, created in a project's data plane (azapi_data_plane_resource).
  "microsoft.foundry/agents": { kind: "agent", primary: true, facts: true },
};

/** Resource providers whose every type is AI; one this table does not name is owned AI of kind "unclassified". */
const ARM_AI_NAMESPACES = [
  "microsoft.cognitiveservices/",
  "microsoft.machinelearningservices/",
  "microsoft.search/",
  "microsoft.botservice/",
  "microsoft.healthbot/",
  "microsoft.videoindexer/",
  "microsoft.foundry/",
];

/** An ARM type's name, kind and azurerm twin (for the facts that other resources establish, like logging). */
export interface ArmAi {
  readonly armType: string;
  readonly kind: AssetKind;
  /** A resource a team owns, not a part of another (a deployment inside an account). */
  readonly primary: boolean;
  readonly twin?: string;
}

/** `Microsoft.CognitiveServices/accounts@2024-10-01` → the ARM type and its AI kind, or undefined when not AI. */
export function armAiType(azapiType: string): ArmAi | undefined {
  const armType = azapiType.split("@")[0]!;
  const lower = armType.toLowerCase();
  const known = ARM_AI_TYPES[lower];
  if (known === undefined) {
    return ARM_AI_NAMESPACES.some((namespace) => lower.startsWith(namespace))
      ? { armType, kind: "unclassified", primary: true }
      : undefined;
  }
  if (known.twin === undefined) return { armType, kind: known.kind!, primary: known.primary === true };
  const twin = aiTypeInfo(known.twin);
  if (twin === undefined) throw new Error(`azapi: twin ${known.twin} of ${armType} is not in the AI type catalog`);
  return { armType, kind: twin.kind, primary: twin.primary, twin: known.twin };
}

/** The resource providers (lower-cased, with a trailing slash) whose every ARM type is AI. */
export function armAiNamespaces(): readonly string[] {
  return ARM_AI_NAMESPACES;
}

/** Every ARM type the table names, with the azurerm twin it is judged like (for tests and documentation). */
export function knownArmAiTypes(): readonly { readonly armType: string; readonly twin?: string }[] {
  return Object.entries(ARM_AI_TYPES).map(([armType, { twin }]) => ({
    armType,
    ...(twin === undefined ? {} : { twin }),
  }));
}

/**
 * The ARM body as ARM would return it. azapi v1 takes `body` as a JSON string (jsonencode), v2 as an object; the
 * managed identity is an azapi attribute of its own (`identity { type = … }`), which ARM returns in the body.
 */
function armBody(values: PlannedValues): ArmBody {
  const raw = values.get(["body"]);
  if (isUnknown(raw)) return raw;
  let body: Record<string, unknown> = {};
  if (typeof raw === "string") {
    try {
      const parsed: unknown = JSON.parse(raw);
      if (isRecord(parsed)) body = parsed;
    } catch {
      return unknown("body is not JSON");
    }
  } else if (isRecord(raw)) body = raw;
  const identity = values.string(["identity", 0, "type"]);
  return identity === undefined || body.identity !== undefined ? body : { ...body, identity: { type: identity } };
}

/** Facts of an azapi_resource from its ARM body; undefined when its ARM type is not AI. */
export function azapiFacts(
  values: PlannedValues,
  update = false,
): (PlannedFacts & ArmAi & { readonly native: Record<string, unknown> }) | undefined {
  const type = values.string(["type"]);
  // A type known only after apply may be AI: it is judged as AI aigov cannot classify, not skipped.
  if (isUnknown(type)) return { kind: "unclassified", primary: !update, armType: "azapi_resource", native: {} };
  const ai = type === undefined ? undefined : armAiType(type);
  if (ai === undefined) return undefined;
  const body = armBody(values);
  const all: PlannedFacts = ARM_AI_TYPES[ai.armType.toLowerCase()]?.facts === true ? armFacts(ai.armType, body) : {};
  const native = isUnknown(body) ? { body } : body;
  // An update sets only what its body names; every other property keeps its value, which the plan does not show. It
  // is a change to a resource owned elsewhere, so ownership rules do not judge it.
  const facts = update ? onlyNamed(all, body) : all;
  return { ...facts, ...ai, ...(update ? { primary: false } : {}), native };
}

// The ARM properties each fact is read from, for an update that names only some of them.
const FACT_PROPERTIES: Readonly<Record<string, readonly (readonly string[])[]>> = {
  public: [
    ["properties", "publicNetworkAccess"],
    ["properties", "networkAcls"],
  ],
  privateNetwork: [
    ["properties", "publicNetworkAccess"],
    ["properties", "networkAcls"],
  ],
  keyAuth: [["properties", "disableLocalAuth"]],
  cmk: [
    ["properties", "encryption"],
    ["properties", "encryptionWithCmk"],
  ],
};

function onlyNamed(facts: PlannedFacts, body: ArmBody): PlannedFacts {
  if (isUnknown(body)) return facts;
  const kept: Record<string, unknown> = {};
  for (const [fact, value] of Object.entries(facts)) {
    const properties = FACT_PROPERTIES[fact];
    if (properties === undefined || properties.some((path) => armValue(body, ...path) !== undefined))
      kept[fact] = value;
  }
  return kept as PlannedFacts;
}
