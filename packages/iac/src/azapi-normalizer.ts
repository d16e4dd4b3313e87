import { type AssetKind, isUnknown, type Maybe, type Tri, unknown } from "@aigov/core";
import type { PlannedFacts } from "./planned-facts.ts";
import { isRecord, type PlannedValues, triAnd, triNot } from "./planned-values.ts";

/**
 * ARM resource types that are AI, and their kinds. The azapi provider deploys them by ARM type name, so a planned
 * `azapi_resource` is judged as the live resource is: same type, same `native` shape (the ARM body).
 */
const ARM_AI_KINDS: Readonly<Record<string, AssetKind>> = {
  "microsoft.cognitiveservices/accounts": "ai-account",
  "microsoft.cognitiveservices/accounts/deployments": "deployment",
  "microsoft.cognitiveservices/accounts/projects": "workspace",
  "microsoft.cognitiveservices/accounts/raipolicies": "guardrail",
  "microsoft.machinelearningservices/workspaces": "workspace",
  "microsoft.machinelearningservices/workspaces/computes": "compute",
  "microsoft.machinelearningservices/workspaces/onlineendpoints": "endpoint",
  "microsoft.machinelearningservices/workspaces/serverlessendpoints": "endpoint",
  "microsoft.search/searchservices": "search",
};

/** `Microsoft.CognitiveServices/accounts@2024-10-01` → the ARM type and its AI kind, or undefined when not AI. */
export function armAiType(azapiType: string): { readonly armType: string; readonly kind: AssetKind } | undefined {
  const armType = azapiType.split("@")[0]!;
  const lower = armType.toLowerCase();
  const kind = ARM_AI_KINDS[lower];
  if (kind !== undefined) return { armType, kind };
  // Children not named above (connections, outbound rules …) are AI sub-resources.
  const parent = Object.keys(ARM_AI_KINDS).find((type) => lower.startsWith(`${type}/`));
  return parent === undefined ? undefined : { armType, kind: "other" };
}

/** azapi v1 takes `body` as a JSON string (jsonencode), v2 as an object. */
function armBody(values: PlannedValues): Record<string, unknown> | ReturnType<typeof unknown> {
  const body = values.get(["body"]);
  if (isUnknown(body)) return body;
  if (typeof body === "string") {
    try {
      const parsed: unknown = JSON.parse(body);
      return isRecord(parsed) ? parsed : {};
    } catch {
      return unknown("body is not JSON");
    }
  }
  return isRecord(body) ? body : {};
}

function read(body: Record<string, unknown> | ReturnType<typeof unknown>, ...path: string[]): unknown {
  if (isUnknown(body)) return body;
  let current: unknown = body;
  for (const step of path) {
    if (isUnknown(current)) return current;
    current = isRecord(current) ? current[step] : undefined;
  }
  return current;
}

function triOf(value: unknown, test: (value: unknown) => boolean): Tri {
  return isUnknown(value) ? value : test(value);
}

/** Facts of an azapi_resource from its ARM body; undefined when its ARM type is not AI. */
export function azapiFacts(
  values: PlannedValues,
): (PlannedFacts & { readonly armType: string; readonly native: Record<string, unknown> }) | undefined {
  const type = values.string(["type"]);
  if (isUnknown(type)) return { kind: "other", armType: "azapi_resource", native: {} };
  const ai = type === undefined ? undefined : armAiType(type);
  if (ai === undefined) return undefined;
  const body = armBody(values);
  const publicAccess = triOf(read(body, "properties", "publicNetworkAccess"), (value) => value !== "Disabled");
  const aclDeny = triOf(read(body, "properties", "networkAcls", "defaultAction"), (value) => value === "Deny");
  const facts: PlannedFacts = {
    kind: ai.kind,
    ...(ai.kind === "ai-account" || ai.kind === "workspace" || ai.kind === "search"
      ? {
          public: triAnd(publicAccess, triNot(aclDeny)),
          cmk: triOf(read(body, "properties", "encryption", "keySource"), (value) => value === "Microsoft.KeyVault"),
        }
      : {}),
    ...(ai.kind === "ai-account" || ai.kind === "search"
      ? { keyAuth: triOf(read(body, "properties", "disableLocalAuth"), (value) => value !== true) }
      : {}),
    ...(ai.kind === "deployment" ? { models: modelOf(read(body, "properties", "model", "name")) } : {}),
  };
  const native = isUnknown(body) ? { body } : body;
  return { ...facts, armType: ai.armType, native };
}

function modelOf(name: unknown): Maybe<readonly string[]> {
  if (isUnknown(name)) return name;
  return typeof name === "string" ? [name] : [];
}
