import type { ScanItem } from "@aigov/core";
import { workbenchInstanceFacts } from "@aigov/normalize";
import { listing } from "@aigov/scanner-kit";
import { bodyOf, type GcpCollectContext, googleAsset } from "../collect-context.ts";
import { PAGED } from "../gcp-clients.ts";

/** Vertex AI Workbench instances (Notebooks API v2) of every zone in one listing (`locations/-`). */
export async function* collectWorkbench(ctx: GcpCollectContext): AsyncGenerator<ScanItem> {
  const client = await ctx.clients.workbench();
  const instances = client.listInstancesAsync(ctx.paged({ parent: `projects/${ctx.account}/locations/-` }), PAGED);
  yield* listing(ctx, "notebooks", "instances.list", instances, async (message) => {
    const { body, fields } = bodyOf(message);
    const zone = /\/locations\/([^/]+)\//.exec(String(body.name ?? ""))?.[1] ?? ctx.region;
    const subject = googleAsset(ctx.at(zone), {
      kind: "notebook",
      type: "notebooks.googleapis.com/Instance",
      body,
      facts: workbenchInstanceFacts(fields),
    });
    return [{ type: "subject", subject }];
  });
}
