import { canonicalAzureLocation, type ScanItem } from "@aigov/core";
import { eachItem, listing, subjects } from "@aigov/scanner-kit";
import { type ArmJson, type AzureCollectContext, armAsset, resourceGroupOf } from "../collect-context.ts";

const NAMESPACE = "Microsoft.MachineLearningServices";

/**
 * Azure Machine Learning workspaces, AI Foundry hubs and projects among them (kind Hub / Project), with their
 * online endpoints and compute.
 */
export async function* collectMachineLearning(ctx: AzureCollectContext): AsyncGenerator<ScanItem> {
  yield* listing(
    ctx,
    "machinelearningservices",
    "Workspaces_ListBySubscription",
    ctx.armPages(NAMESPACE, (options) => ctx.machineLearning().workspaces.listBySubscription(options)),
    (workspaces) =>
      eachItem(
        workspaces.filter((workspace) => ctx.wants(canonicalAzureLocation(String(workspace.location ?? "")))),
        (workspace) => workspaceItems(ctx, workspace),
      ),
  );
}

async function workspaceItems(ctx: AzureCollectContext, workspace: ArmJson): Promise<ScanItem[]> {
  const id = String(workspace.id);
  const name = String(workspace.name);
  const group = resourceGroupOf(id);
  const location = canonicalAzureLocation(String(workspace.location ?? ""));
  const [endpoints, computes] = await Promise.all([
    ctx.children("machinelearningservices", "OnlineEndpoints_List", NAMESPACE, (options) =>
      ctx.machineLearning().onlineEndpoints.list(group, name, options),
    ),
    ctx.children("machinelearningservices", "Compute_List", NAMESPACE, (options) =>
      ctx.machineLearning().computeOperations.list(group, name, options),
    ),
  ]);
  const owned = { workspaceId: id, workspaceName: name, workspaceKind: workspace.kind };
  const child = (type: string, body: ArmJson) =>
    armAsset(ctx, type, body, canonicalAzureLocation(String(body.location ?? location)), {
      native: { ...body, workspace: owned },
    });
  return subjects([
    armAsset(ctx, "Microsoft.MachineLearningServices/workspaces", workspace, location),
    ...(endpoints.ok ? endpoints.value : []).map((e) =>
      child("Microsoft.MachineLearningServices/workspaces/onlineEndpoints", e),
    ),
    ...(computes.ok ? computes.value : []).map((c) =>
      child("Microsoft.MachineLearningServices/workspaces/computes", c),
    ),
  ]);
}
