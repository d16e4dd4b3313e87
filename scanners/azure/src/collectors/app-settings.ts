import { canonicalAzureLocation, findAiKeys, type Key, type ScanItem } from "@aigov/core";
import { eachItem, listing, subjects } from "@aigov/scanner-kit";
import { type AzureCollectContext, resourceGroupOf } from "../collect-context.ts";

/**
 * Third-party AI keys (OpenAI, Anthropic, Hugging Face …) in App Service and Functions app settings: an opt-in
 * (`readAppSettings`), since WebApps_ListApplicationSettings needs Microsoft.Web/sites/config/list/action and
 * returns every setting in clear. Each value passes the AI key detector and is dropped; only a key's redacted form
 * and fingerprint leave this function.
 */
export async function* collectAppSettings(ctx: AzureCollectContext): AsyncGenerator<ScanItem> {
  // The App Service client is TypeSpec-generated: its pages are read as its models (id, name, location, tags).
  yield* listing(ctx, "web", "WebApps_List", (await ctx.web()).webApps.list().byPage(), (sites) =>
    eachItem(sites, (site) => siteKeys(ctx, site)),
  );
}

/** What the App Service model of a site says that the key subjects need. */
interface SiteFields {
  readonly id?: string;
  readonly name?: string;
  readonly type?: string;
  readonly location: string;
  readonly tags?: Readonly<Record<string, string>>;
}

async function siteKeys(ctx: AzureCollectContext, site: SiteFields): Promise<ScanItem[]> {
  const id = String(site.id);
  const name = String(site.name);
  const location = canonicalAzureLocation(String(site.location ?? ""));
  if (!ctx.wants(location)) return [];
  const read = await ctx.attempt("web", "WebApps_ListApplicationSettings", async () =>
    (await ctx.web()).webApps
      .listApplicationSettings(resourceGroupOf(id), name)
      .then((settings) => settings.properties ?? {}),
  );
  if (!read.ok) return [];
  const keys: Key[] = Object.entries(read.value).flatMap(([setting, value]) =>
    findAiKeys(value).map(
      (match, index): Key => ({
        subject: "key",
        provider: "azure",
        account: ctx.subscription,
        region: location,
        kind: "key",
        type: "third-party-ai-key",
        vendor: match.vendor,
        id: `${id}/config/appsettings#${setting}${index === 0 ? "" : `#${index + 1}`}`,
        name: `${name}:${setting}`,
        redacted: match.redacted,
        fingerprint: match.fingerprint,
        location: `app-service:${name}:app-setting:${setting}`,
        tags: site.tags ?? {},
        native: { pattern: match.patternId, source: "app-service", resourceId: id, resourceType: site.type, setting },
      }),
    ),
  );
  return subjects(keys);
}
