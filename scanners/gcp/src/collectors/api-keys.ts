import type { Key, ScanItem } from "@aigov/core";
import { googleApiKeyFacts } from "@aigov/normalize";
import { listing } from "@aigov/scanner-kit";
import { bodyOf, type GcpCollectContext, resourceId } from "../collect-context.ts";
import { PAGED } from "../gcp-clients.ts";

/**
 * The project's API keys (API Keys `keys.list`) that can reach an AI API: those without an API restriction, and
 * those whose API targets include one (the Gemini API, Vertex AI …). Only metadata is read: restrictions, targets,
 * times. The key string is returned by GetKeyString alone, which the catalogue refuses to send.
 */
export async function* collectApiKeys(ctx: GcpCollectContext): AsyncGenerator<ScanItem> {
  const client = await ctx.clients.apiKeys();
  const keys = client.listKeysAsync(ctx.paged({ parent: `projects/${ctx.account}/locations/global` }), PAGED);
  yield* listing(ctx, "apikeys", "keys.list", keys, async (message) => {
    const { body, fields } = bodyOf(message);
    const facts = googleApiKeyFacts(fields);
    if (facts === undefined) return [];
    const id = String(body.name ?? "");
    const key: Key = {
      subject: "key",
      provider: "gcp",
      account: ctx.account,
      region: "global",
      kind: "key",
      ...facts,
      id,
      name: facts.name ?? resourceId(id),
      location: `projects/${ctx.account}`,
      status: "active",
      ...(typeof body.createTime === "string" ? { createdAt: body.createTime } : {}),
      // Google API keys do not expire.
      expiresAt: null,
      tags: {},
      native: body,
    };
    return [{ type: "subject", subject: key }];
  });
}
