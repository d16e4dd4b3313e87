import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/** Tiny local stand-ins for S3 (ListObjectsV2 + GetObject, path style), the GCS JSON API and Azure Blob REST, on 127.0.0.1. */
export interface FakeObjectStore {
  readonly url: string;
  readonly requests: { method: string; path: string; authorization?: string; version?: string }[];
  /** The most requests this store was answering at once (each waits `latencyMs` before its answer). */
  readonly maxInFlight: number;
  close(): Promise<void>;
}

/** How the fake behaves like a store across a network: every answer waits this long. */
export interface FakeStoreOptions {
  readonly latencyMs?: number;
}

export type Objects = Readonly<Record<string, Buffer>>;

const PAGE = 2;

async function serve(
  handler: (request: IncomingMessage, url: URL) => { status?: number; type?: string; body: string | Buffer },
  options: FakeStoreOptions = {},
): Promise<FakeObjectStore> {
  const requests: FakeObjectStore["requests"] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const server: Server = createServer((request, response) => {
    inFlight += 1;
    maxInFlight = Math.max(maxInFlight, inFlight);
    const url = new URL(request.url ?? "/", "http://127.0.0.1");
    requests.push({
      method: request.method ?? "GET",
      path: `${url.pathname}${url.search}`,
      ...(request.headers.authorization === undefined ? {} : { authorization: request.headers.authorization }),
      ...(request.headers["x-ms-version"] === undefined ? {} : { version: String(request.headers["x-ms-version"]) }),
    });
    const reply = handler(request, url);
    setTimeout(() => {
      inFlight -= 1;
      response.writeHead(reply.status ?? 200, { "content-type": reply.type ?? "application/octet-stream" });
      response.end(reply.body);
    }, options.latencyMs ?? 0);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    get maxInFlight() {
      return maxInFlight;
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

function page(objects: Objects, prefix: string, token: string | null): { keys: string[]; next?: string } {
  const keys = Object.keys(objects)
    .filter((key) => key.startsWith(prefix))
    .sort();
  const start = token === null ? 0 : Number(token);
  const slice = keys.slice(start, start + PAGE);
  return start + PAGE < keys.length ? { keys: slice, next: String(start + PAGE) } : { keys: slice };
}

/** `gone`: keys listed whose GET answers NoSuchKey (deleted by a lifecycle rule between the listing and the read). */
export function fakeS3(
  bucket: string,
  objects: Objects,
  options: FakeStoreOptions & { readonly gone?: readonly string[] } = {},
): Promise<FakeObjectStore> {
  return serve((_request, url) => {
    const [, name, ...rest] = url.pathname.split("/");
    if (name !== bucket)
      return {
        status: 404,
        type: "application/xml",
        body: "<Error><Code>NoSuchBucket</Code><Message>no bucket</Message></Error>",
      };
    if (rest.length === 0 || rest.join("/") === "") {
      const listed = page(objects, url.searchParams.get("prefix") ?? "", url.searchParams.get("continuation-token"));
      const contents = listed.keys
        .map(
          (key) =>
            `<Contents><Key>${key}</Key><LastModified>2026-11-20T10:20:00.000Z</LastModified><ETag>"etag-${key.length}"</ETag><Size>${objects[key]!.length}</Size><StorageClass>STANDARD</StorageClass></Contents>`,
        )
        .join("");
      const body = `<?xml version="1.0" encoding="UTF-8"?><ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>${bucket}</Name><Prefix>${url.searchParams.get("prefix") ?? ""}</Prefix><KeyCount>${listed.keys.length}</KeyCount><MaxKeys>1000</MaxKeys><IsTruncated>${listed.next !== undefined}</IsTruncated>${listed.next === undefined ? "" : `<NextContinuationToken>${listed.next}</NextContinuationToken>`}${contents}</ListBucketResult>`;
      return { type: "application/xml", body };
    }
    const key = decodeURIComponent(rest.join("/"));
    const object = options.gone?.includes(key) === true ? undefined : objects[key];
    return object === undefined
      ? { status: 404, type: "application/xml", body: "<Error><Code>NoSuchKey</Code><Message>no key</Message></Error>" }
      : { body: object };
  }, options);
}

export function fakeGcs(
  bucket: string,
  objects: Objects,
  token: string,
  options: FakeStoreOptions = {},
): Promise<FakeObjectStore> {
  return serve((request, url) => {
    if (request.headers.authorization !== `Bearer ${token}`)
      return { status: 401, type: "application/json", body: '{"error":{"code":401,"message":"Invalid Credentials"}}' };
    const base = `/storage/v1/b/${bucket}/o`;
    if (url.pathname === base) {
      const listed = page(objects, url.searchParams.get("prefix") ?? "", url.searchParams.get("pageToken"));
      const items = listed.keys.map((name) => ({
        kind: "storage#object",
        name,
        bucket,
        size: String(objects[name]!.length),
        generation: `16${name.length}`,
        etag: `E${name.length}`,
      }));
      return {
        type: "application/json",
        body: JSON.stringify({
          kind: "storage#objects",
          items,
          ...(listed.next === undefined ? {} : { nextPageToken: listed.next }),
        }),
      };
    }
    if (url.pathname.startsWith(`${base}/`) && url.searchParams.get("alt") === "media") {
      const object = objects[decodeURIComponent(url.pathname.slice(base.length + 1))];
      return object === undefined ? { status: 404, body: "not found" } : { body: object };
    }
    return { status: 404, body: "not found" };
  }, options);
}

export function fakeAzureBlob(
  container: string,
  objects: Objects,
  token: string,
  options: FakeStoreOptions = {},
): Promise<FakeObjectStore> {
  return serve((request, url) => {
    if (request.headers.authorization !== `Bearer ${token}`)
      return { status: 403, type: "application/xml", body: "<Error><Code>AuthenticationFailed</Code></Error>" };
    if (url.pathname === `/${container}` && url.searchParams.get("comp") === "list") {
      const listed = page(objects, url.searchParams.get("prefix") ?? "", url.searchParams.get("marker"));
      const blobs = listed.keys
        .map(
          (name) =>
            `<Blob><Name>${name}</Name><Properties><Last-Modified>Fri, 20 Nov 2026 10:20:00 GMT</Last-Modified><Etag>0x8DC${name.length}</Etag><Content-Length>${objects[name]!.length}</Content-Length><Content-Type>application/json</Content-Type><BlobType>BlockBlob</BlobType></Properties></Blob>`,
        )
        .join("");
      const body = `<?xml version="1.0" encoding="utf-8"?><EnumerationResults ServiceEndpoint="${url.origin}/" ContainerName="${container}"><Prefix>${url.searchParams.get("prefix") ?? ""}</Prefix><Blobs>${blobs}</Blobs><NextMarker>${listed.next ?? ""}</NextMarker></EnumerationResults>`;
      return { type: "application/xml", body };
    }
    const object = objects[decodeURIComponent(url.pathname.slice(container.length + 2))];
    return object === undefined ? { status: 404, body: "<Error><Code>BlobNotFound</Code></Error>" } : { body: object };
  }, options);
}
