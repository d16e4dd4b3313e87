import { pick, toRestJson } from "../protocol.ts";
import type { WorldEntry } from "../resource-table.ts";
import { renderOnce } from "../resource-table.ts";
import { type AwsCall, listPage } from "../service.ts";

/**
 * A List call of Bedrock and Bedrock Agents (restJson1, `maxResults` / `nextToken`): one page of the entries'
 * summaries (the named fields), each rendered once.
 */
export function bedrockList(
  service: "bedrock" | "bedrock-agent",
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
