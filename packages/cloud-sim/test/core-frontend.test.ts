import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CatalogueEntry, Frontend, Reply, SimRequest } from "../src/core/frontend.ts";
import { type SimServer, startSimServer } from "../src/core/server.ts";
import { servedCertificate } from "./sim-clients.ts";

/**
 * A made-up cloud shaped like Azure Resource Manager, to show what the core does for any frontend: Bearer tokens,
 * operation ids named `Accounts_ListKeys` (a POST that reads and returns secrets: no List/Get name pattern calls
 * it a read), errors as `{"error":{code,message}}` with Retry-After on throttling.
 */
const CATALOGUE: readonly CatalogueEntry[] = [
  { service: "accounts", operation: "Accounts_List", read: true, returnsSecret: false },
  { service: "accounts", operation: "Accounts_ListKeys", read: true, returnsSecret: true },
  { service: "accounts", operation: "Accounts_RegenerateKey", read: false, returnsSecret: true },
];
const ROUTES: Readonly<Record<string, string>> = {
  "GET /accounts": "Accounts_List",
  "POST /accounts/a1/listKeys": "Accounts_ListKeys",
  "POST /accounts/a1/regenerateKey": "Accounts_RegenerateKey",
};

function armReply(status: number, body: unknown, headers: Record<string, string> = {}): Reply {
  const code = (body as { error?: { code?: string } }).error?.code;
  return {
    status,
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
    ...(code === undefined ? {} : { errorCode: code }),
  };
}

const armLike: Frontend = {
  cloud: "arm-like",
  section: { key: "armLike", schema: {}, checkReferences: () => undefined },
  catalogue: CATALOGUE,
  hostnames: ["management.arm-like.example"],
  matches: (request) => request.headers.authorization?.startsWith("Bearer ") === true,
  resolve(request: SimRequest) {
    const identity = { account: "sub-1", region: "westeurope", principal: "token-subject" };
    const operation = ROUTES[`${request.method} ${request.path}`];
    const entry = CATALOGUE.find((e) => e.operation === operation);
    if (entry === undefined) {
      const error = { error: { code: "InvalidResourceType", message: "not simulated" } };
      return {
        kind: "refused",
        service: "accounts",
        operation: request.path,
        ...identity,
        reply: armReply(404, error),
      };
    }
    return {
      kind: "call",
      service: entry.service,
      operation: entry.operation,
      ...identity,
      entry,
      secret: entry.returnsSecret,
      regional: true,
      answer: () => armReply(200, entry.returnsSecret ? { key1: "secret-1" } : { value: [] }),
      fail: (kind) =>
        kind === "throttle"
          ? armReply(429, { error: { code: "TooManyRequests", message: "throttled" } }, { "retry-after": "1" })
          : armReply(500, { error: { code: "InternalServerError", message: kind } }),
    };
  },
  serve: () => undefined,
};

let server: SimServer;
beforeAll(async () => {
  server = await startSimServer({ frontends: [armLike] });
});
afterAll(async () => {
  await server.close();
});

function call(method: string, path: string, authorization = "Bearer t"): Promise<Response> {
  return fetch(`${server.url}${path}`, { method, headers: { authorization } });
}

describe("the core with any frontend", () => {
  it("records the frontend's cloud and, from its catalogue, which requests read and which return secrets", async () => {
    server.requests.clear();
    await call("GET", "/accounts");
    await call("POST", "/accounts/a1/listKeys");
    await call("POST", "/accounts/a1/regenerateKey");
    await call("GET", "/nothing-here");
    expect(
      server.requests.all().map((r) => [r.cloud, r.operation, r.readOnly, r.secret, r.status, r.errorCode ?? ""]),
    ).toEqual([
      ["arm-like", "Accounts_List", true, false, 200, ""],
      ["arm-like", "Accounts_ListKeys", true, true, 200, ""],
      ["arm-like", "Accounts_RegenerateKey", false, true, 200, ""],
      ["arm-like", "/nothing-here", false, false, 404, "InvalidResourceType"],
    ]);
    expect(server.requests.writes().map((r) => r.operation)).toEqual(["Accounts_RegenerateKey", "/nothing-here"]);
  });

  it("answers a fault in the frontend's wire shape, and only for the cloud the fault names", async () => {
    server.setFaults([{ kind: "throttle", cloud: "arm-like", operation: "Accounts_List" }]);
    const throttled = await call("GET", "/accounts");
    expect(throttled.status).toBe(429);
    expect(throttled.headers.get("retry-after")).toBe("1");
    expect(await throttled.json()).toEqual({ error: { code: "TooManyRequests", message: "throttled" } });
    server.setFaults([{ kind: "throttle", cloud: "aws" }]);
    expect((await call("GET", "/accounts")).status).toBe(200);
    server.setFaults([]);
  });

  it("refuses what no frontend recognises, and logs it", async () => {
    server.requests.clear();
    const response = await call("GET", "/accounts", "Basic dXNlcjpwYXNz");
    expect(response.status).toBe(400);
    expect(server.requests.all().map((r) => [r.cloud, r.operation, r.errorCode])).toEqual([
      ["", "GET /accounts", "UnrecognizedRequest"],
    ]);
  });

  it("serves HTTPS with a certificate for the host names the frontend asks for", async () => {
    const served = await servedCertificate(server.httpsPort, server.caCertificate, "management.arm-like.example");
    expect(served.checkHost("management.arm-like.example")).toBe("management.arm-like.example");
  });
});
