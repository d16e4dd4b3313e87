/**
 * One page of a list. The token is opaque to clients (base64 of an offset bound to the listing it came from), and a
 * page holds at most the server's page size, or the client's own maximum when that is smaller, so a small server
 * page size makes every SDK paginator go round several times.
 */
export interface Page<T> {
  readonly items: T[];
  readonly nextToken: string | undefined;
}

export interface PageRequest {
  /** The token the client sent back (absent: the first page). */
  readonly token: unknown;
  /** The client's page size (MaxResults, MaxItems, maxResults, $top …), as a number or a query-string number. */
  readonly maxResults: unknown;
  readonly pageSize: number;
  /** What the listing is (operation and filters): a token from another listing is refused. */
  readonly scope: string;
  /** The error the cloud answers a token it did not issue with. */
  readonly invalidToken: () => Error;
}

export function paginate<T>(items: readonly T[], request: PageRequest): Page<T> {
  const start = decodeToken(request);
  const max =
    typeof request.maxResults === "number" && request.maxResults > 0
      ? request.maxResults
      : typeof request.maxResults === "string" && Number(request.maxResults) > 0
        ? Number(request.maxResults)
        : Number.POSITIVE_INFINITY;
  const size = Math.max(1, Math.min(request.pageSize, max));
  const end = Math.min(items.length, start + size);
  return {
    items: items.slice(start, end),
    nextToken: end < items.length ? encodeToken(end, request.scope) : undefined,
  };
}

function encodeToken(offset: number, scope: string): string {
  return Buffer.from(`${scope}:${offset}`).toString("base64");
}

function decodeToken({ token, scope, invalidToken }: PageRequest): number {
  if (token === undefined || token === null || token === "") return 0;
  const text = Buffer.from(String(token), "base64").toString("utf8");
  const colon = text.lastIndexOf(":");
  const offset = Number(text.slice(colon + 1));
  if (colon < 0 || text.slice(0, colon) !== scope || !Number.isInteger(offset) || offset < 0) throw invalidToken();
  return offset;
}
