import { AigovError } from "@aigov/core";

/** Plain HTTPS access to object stores (GCS JSON API, Azure Blob REST) with a bearer token, shared by both readers. */
export function bearerToken(env: NodeJS.ProcessEnv, names: readonly string[], url: string): string | undefined {
  for (const name of names) {
    const value = env[name];
    if (value !== undefined && value !== "") return value;
  }
  if (url.includes("?")) return undefined; // a SAS URL carries its own authorization
  throw new AigovError("LOGS_NO_TOKEN", `reading ${url} needs an access token`, { hint: `set ${names.join(" or ")}` });
}

function headers(token: string | undefined, extra: Record<string, string>): Record<string, string> {
  return token === undefined ? extra : { ...extra, authorization: `Bearer ${token}` };
}

async function request(
  doFetch: typeof fetch,
  url: string,
  token: string | undefined,
  what: string,
  extra: Record<string, string>,
): Promise<Response> {
  let response: Response;
  try {
    response = await doFetch(url, { headers: headers(token, extra) });
  } catch (error) {
    throw new AigovError("LOGS_HTTP", `cannot reach ${what}: ${(error as Error).message}`, { cause: error });
  }
  if (!response.ok) {
    const body = (await response.text()).slice(0, 300);
    throw new AigovError("LOGS_HTTP", `${what}: HTTP ${response.status} ${body}`, {
      hint:
        response.status === 401 || response.status === 403
          ? "the token is missing, expired or not allowed to read this bucket/container"
          : undefined,
    });
  }
  return response;
}

export async function httpJson(
  doFetch: typeof fetch,
  url: string,
  token: string | undefined,
  what: string,
): Promise<unknown> {
  return (await request(doFetch, url, token, what, { accept: "application/json" })).json();
}

export async function httpText(
  doFetch: typeof fetch,
  url: string,
  token: string | undefined,
  what: string,
  extra: Record<string, string>,
): Promise<string> {
  return (await request(doFetch, url, token, what, extra)).text();
}

export async function httpBody(
  doFetch: typeof fetch,
  url: string,
  token: string | undefined,
  what: string,
  extra: Record<string, string> = {},
): Promise<AsyncIterable<Uint8Array>> {
  const response = await request(doFetch, url, token, what, extra);
  if (response.body === null) throw new AigovError("LOGS_HTTP", `${what}: empty response body`);
  return response.body as unknown as AsyncIterable<Uint8Array>;
}
