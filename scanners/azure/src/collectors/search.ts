import { canonicalAzureLocation, type ScanItem } from "@aigov/core";
import { listing, subjects } from "@aigov/scanner-kit";
import { type AzureCollectContext, armAsset } from "../collect-context.ts";

/** Azure AI Search services (the retrieval side of most Azure RAG applications). */
export async function* collectSearch(ctx: AzureCollectContext): AsyncGenerator<ScanItem> {
  yield* listing(
    ctx,
    "search",
    "Services_ListBySubscription",
    ctx.armPages("Microsoft.Search", (options) => ctx.search().services.listBySubscription(options)),
    async (services) =>
      subjects(
        services
          .map((service) => ({ service, location: canonicalAzureLocation(String(service.location ?? "")) }))
          .filter(({ location }) => ctx.wants(location))
          .map(({ service, location }) => armAsset(ctx, "Microsoft.Search/searchServices", service, location)),
      ),
  );
}
