import { createHmac } from "node:crypto";
import { parsePolicy } from "@aigov/core";
import { Outbox, openStore } from "@aigov/store";
import { afterEach, describe, expect, it } from "vitest";
import { createSink, exportDirect, exportWithOutbox, parseSinks, type SinkConfig } from "../src/index.ts";
import { findingFor, manyFindings, openaiAccount } from "./finding-fixtures.ts";
import { json, startRecorder } from "./http-recorder.ts";

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

async function recorder(...args: Parameters<typeof startRecorder>) {
  const server = await startRecorder(...args);
  closers.push(server.close);
  return server;
}

/** The sink as a user declares it in aigov.yaml. */
function sinkFromYaml(yaml: string): SinkConfig {
  const [config] = parseSinks(parsePolicy(`sinks:\n${yaml}`, "aigov.yaml"));
  return config!;
}

const noWait = { sleep: async () => {} };
const retry = { attempts: 5, baseMs: 1, maxMs: 2, maxRetryAfterMs: 10 };

describe("Splunk HEC sink", () => {
  it("posts batches of concatenated events with the Splunk token, within the batch limit", async () => {
    const server = await recorder((_request, response) => json(response, 200, { text: "Success", code: 0 }));
    const config = sinkFromYaml(
      `  - { name: splunk, type: splunk-hec, url: "${server.url}", token_env: HEC_TOKEN, index: security, batch: { max_records: 100 } }`,
    );
    const sink = createSink(config, { HEC_TOKEN: "tok-123" });
    const findings = manyFindings(250, { frameworks: {} });
    const report = await exportDirect(sink, findings, { retry });
    expect(report).toMatchObject({ delivered: 250, batches: 3 });
    expect(server.requests.map((request) => [request.method, request.url])).toEqual([
      ["POST", "/services/collector/event"],
      ["POST", "/services/collector/event"],
      ["POST", "/services/collector/event"],
    ]);
    expect(server.requests[0]!.headers.authorization).toBe("Splunk tok-123");
    expect(server.requests[0]!.headers["content-type"]).toBe("application/json");
    // Concatenated JSON objects, one per event (no array).
    const events = server.requests.flatMap((request) =>
      request.body.split("\n").map((line) => JSON.parse(line) as Record<string, unknown>),
    );
    expect(
      events.map((event) => event.event && (event.event as { finding_info: { uid: string } }).finding_info.uid),
    ).toEqual(findings.map((finding) => finding.id));
    expect(server.requests.map((request) => request.body.split("\n").length)).toEqual([100, 100, 50]);
    expect(events[0]).toMatchObject({
      time: Date.parse(findings[0]!.observedAt) / 1000,
      source: "aigov",
      sourcetype: "aigov:ocsf",
      index: "security",
      fields: { finding_id: findings[0]!.id },
      event: { class_uid: 2004 },
    });
  });

  it("keeps every request under max_bytes", async () => {
    const server = await recorder((_request, response) => json(response, 200, { text: "Success", code: 0 }));
    const config = sinkFromYaml(
      `  - { name: splunk, type: splunk-hec, url: "${server.url}", token_env: HEC_TOKEN, batch: { max_bytes: 8000 } }`,
    );
    const findings = manyFindings(12);
    const report = await exportDirect(createSink(config, { HEC_TOKEN: "t" }), findings, { retry });
    expect(server.requests.length).toBeGreaterThan(2);
    expect(report.batches).toBe(server.requests.length);
    for (const request of server.requests) expect(Buffer.byteLength(request.body)).toBeLessThanOrEqual(8000);
    expect(server.requests.reduce((sum, request) => sum + request.body.split("\n").length, 0)).toBe(
      findings.length * 2,
    );
  });

  it("with ack, waits for the indexer to acknowledge before a batch counts as delivered", async () => {
    let polls = 0;
    const server = await recorder((request, response) => {
      if (request.url.startsWith("/services/collector/event"))
        return json(response, 200, { text: "Success", code: 0, ackId: 7 });
      polls += 1;
      json(response, 200, { acks: { "7": polls >= 3 } });
    });
    const config = sinkFromYaml(
      `  - { name: splunk, type: splunk-hec, url: "${server.url}", token_env: HEC_TOKEN, ack: true }`,
    );
    const outbox = new Outbox(openStore(":memory:"));
    const report = await exportWithOutbox(outbox, createSink(config, { HEC_TOKEN: "t" }), [findingFor(openaiAccount)], {
      retry,
    });
    expect(report.delivered).toBe(1);
    const channel = server.requests[0]!.headers["x-splunk-request-channel"];
    expect(channel).toMatch(/^[0-9a-f-]{36}$/);
    const acks = server.requests.slice(1);
    expect(acks).toHaveLength(3);
    for (const ack of acks) {
      expect(ack.url).toBe(`/services/collector/ack?channel=${channel}`);
      expect(ack.headers["x-splunk-request-channel"]).toBe(channel);
      expect(JSON.parse(ack.body)).toEqual({ acks: [7] });
    }
    expect(outbox.pendingCount("splunk")).toBe(0);
  });

  it("an ack that never comes fails the batch, which stays in the outbox", async () => {
    const server = await recorder((request, response) => {
      if (request.url.startsWith("/services/collector/event"))
        return json(response, 200, { text: "Success", code: 0, ackId: 1 });
      json(response, 200, { acks: { "1": false } });
    });
    const config = sinkFromYaml(
      `  - { name: splunk, type: splunk-hec, url: "${server.url}", token_env: HEC_TOKEN, ack: true, ack_timeout_ms: 300 }`,
    );
    const outbox = new Outbox(openStore(":memory:"));
    await expect(
      exportWithOutbox(outbox, createSink(config, { HEC_TOKEN: "t" }), [findingFor(openaiAccount)], {
        retry: { ...retry, attempts: 2 },
        hooks: noWait,
      }),
    ).rejects.toThrow(/did not acknowledge/);
    expect(server.requests.filter((request) => request.url === "/services/collector/event")).toHaveLength(2);
    expect(outbox.pendingCount("splunk")).toBe(1);
  });

  it("honours 503 + Retry-After, then delivers; a 403 is final and leaves the findings in the outbox", async () => {
    const server = await recorder((_request, response, index) => {
      if (index < 2) return json(response, 503, { text: "Server is busy", code: 9 }, { "Retry-After": "7" });
      json(response, 200, { text: "Success", code: 0 });
    });
    const config = sinkFromYaml(`  - { name: splunk, type: splunk-hec, url: "${server.url}", token_env: HEC_TOKEN }`);
    const delays: number[] = [];
    const retryAfter = { ...retry, maxRetryAfterMs: 60_000 };
    await exportDirect(createSink(config, { HEC_TOKEN: "t" }), [findingFor(openaiAccount)], {
      retry: retryAfter,
      hooks: { sleep: async (ms) => void delays.push(ms) },
    });
    expect(delays).toEqual([7000, 7000]);
    expect(server.requests).toHaveLength(3);

    const refusing = await recorder((_request, response) => json(response, 403, { text: "Invalid token", code: 4 }));
    const outbox = new Outbox(openStore(":memory:"));
    const bad = sinkFromYaml(`  - { name: splunk, type: splunk-hec, url: "${refusing.url}", token_env: HEC_TOKEN }`);
    await expect(
      exportWithOutbox(outbox, createSink(bad, { HEC_TOKEN: "wrong" }), [findingFor(openaiAccount)], {
        retry,
        hooks: noWait,
      }),
    ).rejects.toMatchObject({
      code: "EXPORT_DELIVERY_FAILED",
    });
    expect(refusing.requests).toHaveLength(1);
    expect(outbox.pending("splunk", 10)[0]).toMatchObject({
      attempts: 1,
      lastError: expect.stringContaining("HTTP 403"),
    });
  });
});

describe("Elastic _bulk sink", () => {
  it("sends NDJSON create actions into the data stream with a final newline; 409 duplicates count as delivered", async () => {
    const server = await recorder((request, response) => {
      const lines = request.body.trimEnd().split("\n");
      const items = lines
        .filter((_, index) => index % 2 === 0)
        .map((_, index) => ({ create: { status: index === 0 ? 409 : 201 } }));
      json(response, 200, { errors: true, items });
    });
    const config = sinkFromYaml(
      `  - { name: elastic, type: elastic, url: "${server.url}/", api_key_env: ES_KEY, batch: { max_records: 2 } }`,
    );
    const findings = manyFindings(3);
    const report = await exportDirect(createSink(config, { ES_KEY: "a2V5" }), findings, { retry });
    expect(report).toMatchObject({ delivered: 3, batches: 2 });
    const [first] = server.requests;
    expect(first!.url).toBe("/logs-aigov.findings-default/_bulk");
    expect(first!.headers["content-type"]).toBe("application/x-ndjson");
    expect(first!.headers.authorization).toBe("ApiKey a2V5");
    expect(first!.body.endsWith("}\n")).toBe(true);
    const lines = first!.body
      .slice(0, -1)
      .split("\n")
      .map((line) => JSON.parse(line) as Record<string, Record<string, unknown>>);
    expect(lines).toHaveLength(4);
    expect(Object.keys(lines[0]!)).toEqual(["create"]);
    expect(lines[0]!.create!._id).toBe(lines[1]!.event!.id);
    expect(lines[1]).toMatchObject({
      event: { kind: "state", category: ["configuration"] },
      aigov: { finding: { id: findings[0]!.id } },
    });
  });

  it("keeps a document Elasticsearch refuses to map out of further retries, and delivers the rest", async () => {
    const server = await recorder((_request, response) =>
      json(response, 200, {
        errors: true,
        items: [
          { create: { status: 201 } },
          {
            create: {
              status: 400,
              error: { type: "document_parsing_exception", reason: "failed to parse field [rule.category]" },
            },
          },
        ],
      }),
    );
    const config = sinkFromYaml(`  - { name: elastic, type: elastic, url: "${server.url}", api_key_env: ES_KEY }`);
    const findings = manyFindings(2);
    const report = await exportDirect(createSink(config, { ES_KEY: "k" }), findings, { retry, hooks: noWait });
    expect(report).toMatchObject({
      delivered: 1,
      rejected: 1,
      rejections: [expect.stringContaining("document_parsing_exception")],
    });
    expect(server.requests).toHaveLength(1);
  });

  it("retries a batch whose items were throttled (429)", async () => {
    const server = await recorder((_request, response, index) =>
      json(
        response,
        200,
        index === 0
          ? { errors: true, items: [{ create: { status: 429, error: { type: "es_rejected_execution_exception" } } }] }
          : { errors: false, items: [{ create: { status: 201 } }] },
      ),
    );
    const config = sinkFromYaml(
      `  - { name: elastic, type: elastic, url: "${server.url}", username: aigov, password_env: ES_PASSWORD, data_stream: logs-ai-default }`,
    );
    await exportDirect(createSink(config, { ES_PASSWORD: "pw" }), [findingFor(openaiAccount)], {
      retry,
      hooks: noWait,
    });
    expect(server.requests).toHaveLength(2);
    expect(server.requests[1]!.url).toBe("/logs-ai-default/_bulk");
    expect(server.requests[1]!.headers.authorization).toBe(`Basic ${Buffer.from("aigov:pw").toString("base64")}`);
  });
});

describe("Microsoft Sentinel (Logs Ingestion API) sink", () => {
  it("gets an Entra client-credentials token once and posts JSON arrays to the DCR stream within the byte limit", async () => {
    const server = await recorder((request, response) => {
      if (request.url === "/tenant-1/oauth2/v2.0/token")
        return json(response, 200, { token_type: "Bearer", expires_in: 3599, access_token: "entra-token" });
      response.writeHead(204).end();
    });
    const config = sinkFromYaml(
      `  - name: sentinel\n    type: sentinel\n    endpoint: ${server.url}\n    dcr_immutable_id: dcr-0123abcd\n    stream: Custom-AigovFindings_CL\n` +
        `    tenant_id: tenant-1\n    client_id: app-1\n    client_secret_env: AZ_SECRET\n    token_endpoint: ${server.url}/tenant-1/oauth2/v2.0/token\n    batch: { max_bytes: 10000 }`,
    );
    const findings = manyFindings(20);
    const report = await exportDirect(createSink(config, { AZ_SECRET: "s3cret" }), findings, { retry });
    const [token, ...posts] = server.requests;
    expect(token!.headers["content-type"]).toBe("application/x-www-form-urlencoded");
    expect(Object.fromEntries(new URLSearchParams(token!.body))).toEqual({
      client_id: "app-1",
      client_secret: "s3cret",
      grant_type: "client_credentials",
      scope: "https://monitor.azure.com/.default",
    });
    expect(posts.length).toBeGreaterThan(1);
    expect(report.batches).toBe(posts.length);
    const rows = posts.flatMap((post) => {
      expect(post.url).toBe("/dataCollectionRules/dcr-0123abcd/streams/Custom-AigovFindings_CL?api-version=2023-01-01");
      expect(post.headers.authorization).toBe("Bearer entra-token");
      expect(Buffer.byteLength(post.body)).toBeLessThanOrEqual(10_000);
      return JSON.parse(post.body) as { FindingId: string; TimeGenerated: string }[];
    });
    expect(rows.map((row) => row.FindingId)).toEqual(findings.map((finding) => finding.id));
    expect(rows[0]!.TimeGenerated).toBe(findings[0]!.observedAt);
  });
});

describe("Microsoft Sentinel token expiry", () => {
  it("fetches a new token when ingestion answers 401, and retries", async () => {
    let tokens = 0;
    const server = await recorder((request, response) => {
      if (request.url.endsWith("/token")) {
        tokens += 1;
        return json(response, 200, { expires_in: 3599, access_token: `token-${tokens}` });
      }
      if (request.headers.authorization === "Bearer token-1")
        return json(response, 401, { error: { code: "InvalidToken" } });
      response.writeHead(204).end();
    });
    const config = sinkFromYaml(
      `  - { name: s, type: sentinel, endpoint: "${server.url}", dcr_immutable_id: dcr-0a, stream: Custom-T_CL, tenant_id: t, client_id: c, client_secret_env: S, token_endpoint: "${server.url}/token" }`,
    );
    await exportDirect(createSink(config, { S: "x" }), [findingFor(openaiAccount)], { retry, hooks: noWait });
    expect(server.requests.map((request) => [request.url.split("?")[0], request.headers.authorization ?? ""])).toEqual([
      ["/token", ""],
      ["/dataCollectionRules/dcr-0a/streams/Custom-T_CL", "Bearer token-1"],
      ["/token", ""],
      ["/dataCollectionRules/dcr-0a/streams/Custom-T_CL", "Bearer token-2"],
    ]);
  });
});

describe("webhook sink", () => {
  it("signs the exact body with HMAC-SHA256", async () => {
    const server = await recorder((_request, response) => response.writeHead(202).end());
    const config = sinkFromYaml(
      `  - { name: hook, type: webhook, url: "${server.url}/aigov/findings", secret_env: HOOK_SECRET }`,
    );
    const findings = manyFindings(2);
    await exportDirect(createSink(config, { HOOK_SECRET: "shh" }), findings, { retry });
    const [request] = server.requests;
    expect(request!.url).toBe("/aigov/findings");
    const expected = `sha256=${createHmac("sha256", "shh").update(request!.body).digest("hex")}`;
    expect(request!.headers["x-aigov-signature"]).toBe(expected);
    expect(request!.headers["x-aigov-delivery"]).toMatch(/^[0-9a-f]{32}$/);
    const body = JSON.parse(request!.body) as {
      source: string;
      format: string;
      records: { finding_info: { uid: string }; class_uid: number }[];
    };
    expect(body.format).toBe("ocsf");
    // Two OCSF events per finding: Detection (2004) and Compliance (2003).
    expect(body.records.map((record) => [record.class_uid, record.finding_info.uid])).toEqual([
      [2004, findings[0]!.id],
      [2003, findings[0]!.id],
      [2004, findings[1]!.id],
      [2003, findings[1]!.id],
    ]);
  });
});
