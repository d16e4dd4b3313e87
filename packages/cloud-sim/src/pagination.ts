import { AwsError } from "./aws-protocol.ts";

/**
 * One page of a list. The token is opaque to clients (base64 of an offset bound to the operation), and a page
 * holds at most the server's page size, or the client's MaxResults when that is smaller, so a small server page
 * size makes every SDK paginator go round several times.
 */
export interface Page<T> {
  readonly items: T[];
  readonly nextToken: string | undefined;
}

export function paginate<T>(
  items: readonly T[],
  options: { token: unknown; maxResults: unknown; pageSize: number; scope: string; invalidTokenCode?: string },
): Page<T> {
  const start = decodeToken(options.token, options.scope, options.invalidTokenCode ?? "InvalidNextToken");
  const max =
    typeof options.maxResults === "number" && options.maxResults > 0
      ? options.maxResults
      : typeof options.maxResults === "string" && Number(options.maxResults) > 0
        ? Number(options.maxResults)
        : Number.POSITIVE_INFINITY;
  const size = Math.max(1, Math.min(options.pageSize, max));
  const end = Math.min(items.length, start + size);
  return {
    items: items.slice(start, end),
    nextToken: end < items.length ? encodeToken(end, options.scope) : undefined,
  };
}

export function encodeToken(offset: number, scope: string): string {
  return Buffer.from(`${scope}:${offset}`).toString("base64");
}

function decodeToken(token: unknown, scope: string, code: string): number {
  if (token === undefined || token === null || token === "") return 0;
  const text = Buffer.from(String(token), "base64").toString("utf8");
  const colon = text.lastIndexOf(":");
  const offset = Number(text.slice(colon + 1));
  if (colon < 0 || text.slice(0, colon) !== scope || !Number.isInteger(offset) || offset < 0) {
    throw new AwsError(code, "The pagination token is invalid or belongs to another request.");
  }
  return offset;
}
