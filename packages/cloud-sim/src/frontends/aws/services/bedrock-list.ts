import { AwsError, epochSeconds, pick, toRestJson } from "../protocol.ts";
import type { ResourceTable, WorldEntry } from "../resource-table.ts";
import { DEFAULT_TIME } from "../world-index.ts";
import { renderOnce } from "../resource-table.ts";
import { type AwsCall, listPage } from "../service.ts";

/**
 * A List call of the restJson1 services that page with `maxResults` / `nextToken` (Bedrock, Bedrock Agents,
 * AgentCore, Q Business): one page of the entries' summaries (the named fields), each rendered once.
 */
export function bedrockList(
  service: string,
  call: AwsCall,
  items: readonly WorldEntry[],
  field: string,
  summary: readonly string[],
) {
  const page = listPage(items, {
    token: call.input.nextToken,
    maxResults: call.input.maxResults,
    pageSize: call.pageSize,
    scope: `${service}:${call.operation}`,
    invalidTokenCode: "ValidationException",
  });
  return {
    [field]: page.items.map((item) => renderOnce(item, field, () => toRestJson(pick(item, summary)))),
    nextToken: page.nextToken,
  };
}

/** A Get call's body: the whole entry, rendered once. */
export function restJsonEntry(entry: WorldEntry): unknown {
  return renderOnce(entry, "get", () => toRestJson(entry));
}

/** The entry a Get call names, or the service's 404 `ResourceNotFoundException`. */
export function findEntry<T>(table: ResourceTable<T> | undefined, id: unknown, what: string): T {
  const entry = table?.byName.get(String(id ?? ""));
  if (entry === undefined) throw new AwsError("ResourceNotFoundException", `${what} ${String(id)} is not found.`, 404);
  return entry;
}

/**
 * A resource's creation and update times (the world's ISO strings, or the default) as epoch seconds: restJson1's
 * default wire format, which AgentCore memories and credential providers and Q Business use where Bedrock sends
 * ISO date-times.
 */
export function epochTimes(entry: WorldEntry, created = "createdAt", updated = "updatedAt"): WorldEntry {
  const createdAt = String(entry[created] ?? DEFAULT_TIME);
  return { [created]: epochSeconds(createdAt), [updated]: epochSeconds(String(entry[updated] ?? createdAt)) };
}
