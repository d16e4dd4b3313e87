import { ecsDocument, ecsDocumentId } from "../ecs.ts";
import {
  ECS_COMPONENT_TEMPLATE,
  ECS_COMPONENT_TEMPLATE_NAME,
  ecsIndexTemplate,
  ecsIndexTemplateName,
} from "../ecs-template.ts";
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
  const { auth } = config;
  const authorization =
    "apiKeyEnv" in auth
      ? `ApiKey ${secretFromEnv(env, auth.apiKeyEnv, config.name, config.position("api_key_env"))}`
      : `Basic ${Buffer.from(`${auth.username}:${secretFromEnv(env, auth.passwordEnv, config.name, config.position("password_env"))}`).toString("base64")}`;
  const base = config.url.replace(/\/+$/, "");
  const url = `${base}/${encodeURIComponent(config.dataStream)}/_bulk`;
  let templateInstalled = !config.installTemplate;
  async function installTemplate(signal?: AbortSignal) {
    const put = (path: string, body: unknown) =>
      httpRequest(`${base}/${path}`, {
        method: "PUT",
        headers: { Authorization: authorization, "Content-Type": "application/json" },
        body: JSON.stringify(body),
        timeoutMs: config.timeoutMs,
        ...(signal === undefined ? {} : { signal }),
      });
    await put(`_component_template/${encodeURIComponent(ECS_COMPONENT_TEMPLATE_NAME)}`, ECS_COMPONENT_TEMPLATE);
    await put(
      `_index_template/${encodeURIComponent(ecsIndexTemplateName(config.dataStream))}`,
      ecsIndexTemplate(config.dataStream),
    );
    templateInstalled = true;
  }
  return {
    name: config.name,
    type: "elastic",
    limits: config.limits,
    encode(record) {
      const action = { create: { _id: ecsDocumentId(record.finding.id, record.hash) } };
      return `${JSON.stringify(action)}\n${JSON.stringify(ecsDocument(record.finding, record.hash, record.change))}`;
    },
    async send(encoded, records, signal) {
      // Before the first document, so the data stream is created with aigov's mappings, never dynamic ones.
      if (!templateInstalled) await installTemplate(signal);
      const response = await httpRequest(url, {
        headers: { Authorization: authorization, "Content-Type": "application/x-ndjson" },
        body: `${encoded.join("\n")}\n`,
        timeoutMs: config.timeoutMs,
        ...(signal === undefined ? {} : { signal }),
      });
      const result = JSON.parse(response.text) as { errors?: boolean; items?: Record<string, BulkItem>[] };
      if (result.errors !== true) return;
      const items = (result.items ?? []).map((item) => Object.values(item)[0]);
      // 409: the document of this finding version is already there (a retried batch): delivered.
      const failed = items.flatMap((item, index) =>
        item !== undefined && item.status >= 300 && item.status !== 409 ? [{ item, index }] : [],
      );
      if (failed.length === 0) return;
      const first = failed[0]!.item;
      const summary = `${config.name}: ${failed.length} documents failed (${first.status} ${first.error?.type ?? ""}: ${first.error?.reason ?? ""})`;
      if (failed.some(({ item }) => item.status === 429 || item.status >= 500)) {
        throw new DeliveryError(summary, { retryable: true, status: first.status });
      }
      // Mapping or parsing errors: those documents will never be accepted; the rest of the batch was indexed.
      throw new DeliveryError(summary, {
        retryable: false,
        status: first.status,
        rejectedIds: failed.map(({ index }) => records[index]?.finding.id ?? ""),
      });
    },
    async close() {},
  };
}
