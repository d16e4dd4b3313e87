import { ecsDocument, ecsDocumentId } from "../ecs.ts";
import { httpRequest } from "./http.ts";
import { secretFromEnv } from "./secret-env.ts";
import type { ElasticSinkConfig } from "./sink-config.ts";
import { DeliveryError, type Sink } from "./sink.ts";

interface BulkItem {
  readonly status: number;
  readonly error?: { type?: string; reason?: string };
}

/**
 * Elasticsearch `_bulk` into a data stream: NDJSON with a `create` action per ECS document (data streams take
 * `create` only) and the final newline `_bulk` requires. The document `_id` is per finding version, so a
 * retried batch's duplicates come back as 409 conflicts, which count as delivered.
 */
export function elasticSink(config: ElasticSinkConfig, env: NodeJS.ProcessEnv): Sink {
  const authorization =
    config.apiKeyEnv !== undefined
      ? `ApiKey ${secretFromEnv(env, config.apiKeyEnv, config.name, config.position("api_key_env"))}`
      : `Basic ${Buffer.from(`${config.username}:${secretFromEnv(env, config.passwordEnv!, config.name, config.position("password_env"))}`).toString("base64")}`;
  const url = `${config.url.replace(/\/+$/, "")}/${encodeURIComponent(config.dataStream)}/_bulk`;
  return {
    name: config.name,
    type: "elastic",
    limits: config.limits,
    encode(record) {
      const action = { create: { _id: ecsDocumentId(record.finding.id, record.hash) } };
      return `${JSON.stringify(action)}\n${JSON.stringify(ecsDocument(record.finding, record.hash, record.change))}`;
    },
    async send(encoded, _records, signal) {
      const response = await httpRequest(url, {
        headers: { Authorization: authorization, "Content-Type": "application/x-ndjson" },
        body: `${encoded.join("\n")}\n`,
        timeoutMs: config.timeoutMs,
        ...(signal === undefined ? {} : { signal }),
      });
      const result = JSON.parse(response.text) as { errors?: boolean; items?: Record<string, BulkItem>[] };
      if (result.errors !== true) return;
      const failed = (result.items ?? []).map((item) => Object.values(item)[0]).filter((item): item is BulkItem => item !== undefined && item.status >= 300 && item.status !== 409);
      if (failed.length === 0) return;
      const retryable = failed.every((item) => item.status === 429 || item.status >= 500);
      const first = failed[0]!;
      throw new DeliveryError(`${config.name}: ${failed.length} documents rejected (${first.status} ${first.error?.type ?? ""}: ${first.error?.reason ?? ""})`, {
        retryable,
        status: first.status,
      });
    },
    async close() {},
  };
}
