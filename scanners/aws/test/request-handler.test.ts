import { Agent as HttpAgent, createServer, type IncomingMessage, type Server } from "node:http";
import { Agent as HttpsAgent } from "node:https";
import type { AddressInfo } from "node:net";
import { NodeHttpHandler } from "@smithy/node-http-handler";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SweepRequestHandler } from "../src/request-handler.ts";

// A loopback server that records what arrives and answers each path its own way: /hang never answers, /reset drops
// the connection, /cut drops it in the middle of the answer, anything else gets a JSON answer with a repeated header.
let server: Server;
let port: number;
const received: { method: string; url: string; headers: IncomingMessage["headers"]; body: string }[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = "";
    req.on("data", (chunk) => (body += chunk));
    req.on("end", () => {
      received.push({ method: req.method ?? "", url: req.url ?? "", headers: req.headers, body });
      if (req.url?.startsWith("/hang")) return;
      if (req.url?.startsWith("/reset")) return void req.socket.destroy();
      if (req.url?.startsWith("/cut")) {
        // Promises 100 bytes, sends 10, drops the connection.
        res.writeHead(200, { "content-type": "application/json", "content-length": "100" });
        res.write('{"Models":');
        return void setTimeout(() => req.socket.destroy(), 20);
      }
      res.writeHead(200, "OK", [
        ["content-type", "application/json"],
        ["x-amz-multi", "a"],
        ["x-amz-multi", "b"],
      ]);
      res.end('{"ok":true}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.address() as AddressInfo).port;
});

afterAll(() => {
  server.closeAllConnections();
  server.close();
});

function handler(requestTimeoutMs = 30_000) {
  return new SweepRequestHandler({
    httpAgent: new HttpAgent({ keepAlive: true }),
    httpsAgent: new HttpsAgent({ keepAlive: true }),
    requestTimeoutMs,
    connectionTimeoutMs: 5_000,
  });
}

function sdkRequest(path: string, extra: Record<string, unknown> = {}) {
  return {
    protocol: "http:",
    hostname: "127.0.0.1",
    port,
    method: "POST",
    path,
    query: { "b key": ["x y", "(1)*!'"], a: "", flag: null as unknown as string },
    headers: { "content-type": "application/x-amz-json-1.1", "x-amz-target": "SageMaker.ListModels" },
    body: '{"MaxResults":100}',
    ...extra,
  };
}

// The SDK's handler hands back the answer as a stream; ours reads it whole (the SDK takes either).
async function bodyOf(response: { body: IncomingMessage | Uint8Array }): Promise<string> {
  if (response.body instanceof Uint8Array) return Buffer.from(response.body).toString();
  let text = "";
  for await (const chunk of response.body) text += chunk;
  return text;
}

describe("SweepRequestHandler", () => {
  it("sends what the SDK's NodeHttpHandler sends (path, escaped query, headers, body) and hands back the answer alike", async () => {
    const sdk = new NodeHttpHandler({ httpAgent: new HttpAgent({ keepAlive: true }) });
    const ours = handler();
    const answers = [];
    for (const send of [sdk, ours]) {
      // biome-ignore lint/suspicious/noExplicitAny: both handlers take the SDK's HttpRequest shape
      const { response } = await send.handle(sdkRequest("/models") as any);
      answers.push({
        statusCode: response.statusCode,
        reason: response.reason,
        headers: response.headers,
        body: await bodyOf(response as { body: IncomingMessage | Uint8Array }),
      });
    }
    expect(answers[1]).toEqual(answers[0]);
    expect(answers[1]).toMatchObject({ statusCode: 200, body: '{"ok":true}', headers: { "x-amz-multi": "a, b" } });
    const [bySdk, byOurs] = received.slice(-2);
    const { connection: _a, ...sdkHeaders } = bySdk!.headers;
    const { connection: _b, ...ourHeaders } = byOurs!.headers;
    expect({ ...byOurs, headers: ourHeaders }).toEqual({ ...bySdk, headers: sdkHeaders });
    expect(byOurs!.url).toBe("/models?a=&b%20key=x%20y&b%20key=%281%29%2A%21%27&flag");
    sdk.destroy();
  });

  it("fails a request left unanswered past the request timeout with the SDK's TimeoutError", async () => {
    const started = Date.now();
    await expect(handler(400).handle(sdkRequest("/hang"))).rejects.toMatchObject({
      name: "TimeoutError",
      code: "ETIMEDOUT",
    });
    expect(Date.now() - started).toBeGreaterThanOrEqual(400);
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it("names a dropped connection TimeoutError, as the SDK does, so that it is retried", async () => {
    await expect(handler().handle(sdkRequest("/reset"))).rejects.toMatchObject({ name: "TimeoutError" });
  });

  it("names a connection dropped in the middle of an answer TimeoutError, so that it is retried", async () => {
    await expect(handler().handle(sdkRequest("/cut"))).rejects.toMatchObject({ name: "TimeoutError" });
  });

  it("stops a request when its abort signal fires", async () => {
    const abort = new AbortController();
    const pending = handler().handle(sdkRequest("/hang"), { abortSignal: abort.signal });
    setTimeout(() => abort.abort(), 50);
    await expect(pending).rejects.toMatchObject({ name: "AbortError" });
  });
});
