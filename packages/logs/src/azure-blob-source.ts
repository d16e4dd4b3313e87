import { AigovError } from "@aigov/core";
import type { LogObject, SourceOptions } from "./log-source.ts";
import { bearerToken, httpBody, httpText } from "./object-http.ts";

const BLOB_API_VERSION = "2021-08-06";

/**
 * `https://<account>.blob.core.windows.net/<container>/<prefix>` through the Blob REST API (List Blobs, Get Blob), with an
 * Entra token for https://storage.azure.com/ from AZURE_STORAGE_TOKEN (e.g. `az account get-access-token --resource
 * https://storage.azure.com/`) or a SAS query string in the URL. AIGOV_AZURE_BLOB_ENDPOINT replaces the account's
 * endpoint (Azurite, a local fake).
 */
export function isAzureBlobUrl(input: string, env: NodeJS.ProcessEnv): boolean {
  if (/^https:\/\/[a-z0-9]+\.blob\.core\.windows\.net\//i.test(input)) return true;
  const endpoint = env.AIGOV_AZURE_BLOB_ENDPOINT;
  return endpoint !== undefined && endpoint !== "" && input.startsWith(endpoint);
}

export async function* azureBlobObjects(url: string, options: SourceOptions): AsyncIterable<LogObject> {
  const parsed = new URL(url);
  const endpoint = options.env.AIGOV_AZURE_BLOB_ENDPOINT;
  const base =
    endpoint !== undefined && endpoint !== "" && url.startsWith(endpoint) ? endpoint.replace(/\/$/, "") : parsed.origin;
  const rest = url.slice(base.length).replace(/^\//, "").split("?")[0] ?? "";
  const slash = rest.indexOf("/");
  const container = slash < 0 ? rest : rest.slice(0, slash);
  const prefix = slash < 0 ? "" : decodeURIComponent(rest.slice(slash + 1));
  if (container === "")
    throw new AigovError("LOGS_BAD_INPUT", `no container in '${url}'`, {
      hint: "write https://<account>.blob.core.windows.net/<container>/<prefix>",
    });
  const sas = parsed.search.replace(/^\?/, "");
  const token = bearerToken(options.env, ["AZURE_STORAGE_TOKEN"], url);
  const doFetch = options.fetch ?? fetch;
  const version = { "x-ms-version": BLOB_API_VERSION };
  let marker = "";
  do {
    const query = new URLSearchParams({ restype: "container", comp: "list", prefix });
    if (marker !== "") query.set("marker", marker);
    const listUrl = `${base}/${container}?${query}${sas === "" ? "" : `&${sas}`}`;
    const xml = await httpText(doFetch, listUrl, token, url, version);
    for (const blob of xml.matchAll(/<Blob>([\s\S]*?)<\/Blob>/g)) {
      const body = blob[1] ?? "";
      const name = xmlValue(body, "Name");
      if (name === undefined || name.endsWith("/")) continue;
      const size = xmlValue(body, "Content-Length");
      const etag = xmlValue(body, "Etag") ?? xmlValue(body, "Last-Modified") ?? "";
      const blobUrl = `${base}/${container}/${name.split("/").map(encodeURIComponent).join("/")}${sas === "" ? "" : `?${sas}`}`;
      const display = `${base}/${container}/${name}`;
      yield {
        name: display,
        stateKey: display,
        remote: true,
        ...(size === undefined ? {} : { size: Number(size) }),
        version: etag,
        open: () => httpBody(doFetch, blobUrl, token, display, version),
      };
    }
    marker = xmlValue(xml.replace(/<Blobs>[\s\S]*<\/Blobs>/, ""), "NextMarker") ?? "";
  } while (marker !== "");
}

function xmlValue(xml: string, tag: string): string | undefined {
  const match = new RegExp(`<${tag}>([^<]*)</${tag}>`).exec(xml);
  if (match?.[1] === undefined) return undefined;
  return match[1]
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, "&");
}
