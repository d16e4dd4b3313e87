import type { ScanItem } from "@aigov/core";
import { isGoogleAiApi } from "@aigov/normalize";
import { asset } from "@aigov/scanner-kit";
import { type GcpCollectContext, resourceId, restJson } from "../collect-context.ts";
import { PAGED } from "../gcp-clients.ts";

export interface EnabledApis {
  readonly subjects: readonly ScanItem[];
  /** Every service enabled in the project; undefined when the listing failed (then nothing is skipped for it). */
  readonly enabled: ReadonlySet<string> | undefined;
}

/**
 * The APIs enabled in the project (Service Usage `services.list`, state ENABLED). Each AI API among them is an
 * `enabled-api` asset carrying the project's labels, so its owner is the project's: an enabled Gemini API in a
 * project nobody owns or registered is shadow AI. The whole set decides which other APIs are worth reading.
 */
export async function readEnabledApis(ctx: GcpCollectContext): Promise<EnabledApis> {
  const enabled = new Set<string>();
  const subjects: ScanItem[] = [];
  try {
    const client = await ctx.clients.serviceUsage();
    const request = ctx.paged({ parent: `projects/${ctx.account}`, filter: "state:ENABLED" });
    for await (const service of client.listServicesAsync(request, PAGED)) {
      const name = service.config?.name || resourceId(service.name ?? "");
      enabled.add(name);
      if (!isGoogleAiApi(name)) continue;
      const subject = asset(ctx, {
        kind: "enabled-api",
        type: "serviceusage.googleapis.com/Service",
        id: service.name ?? `projects/${ctx.project.projectNumber}/services/${name}`,
        name,
        tags: ctx.project.labels,
        native: restJson(service) as Record<string, unknown>,
      });
      subjects.push({ type: "subject", subject });
    }
  } catch (error) {
    ctx.recordGap(error, "serviceusage", "services.list");
    return { subjects, enabled: undefined };
  }
  return { subjects, enabled };
}
