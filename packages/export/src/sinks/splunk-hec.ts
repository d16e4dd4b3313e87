import { randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { ecsDocument } from "../ecs.ts";
import { ocsfEvents } from "../ocsf.ts";
import { httpRequest } from "./http.ts";
import { secretFromEnv } from "./secret-env.ts";
import type { SplunkHecSinkConfig } from "./sink-config.ts";
import { DeliveryError, type Sink, type SinkRecord } from "./sink.ts";

/** How often to ask the indexer whether a batch is safely indexed. */
const ACK_POLL_MS = 250;

function joinUrl(base: string, path: string): string {
  return `${base.replace(/\/+$/, "")}${path}`;
}

/**
 * Splunk HTTP Event Collector: batches of concatenated event objects to /services/collector/event with
 * `Authorization: Splunk <token>`. With `ack`, requests carry a channel and a batch counts as delivered only
 * when /services/collector/ack says the indexer has it (HEC's own at-least-once contract).
 */
export function splunkHecSink(config: SplunkHecSinkConfig, env: NodeJS.ProcessEnv): Sink {
  const token = secretFromEnv(env, config.tokenEnv, config.name, config.position("token_env"));
  const channel = randomUUID();
  const headers: Record<string, string> = {
    Authorization: `Splunk ${token}`,
    "Content-Type": "application/json",
    ...(config.ack ? { "X-Splunk-Request-Channel": channel } : {}),
  };

  const wrap = (record: SinkRecord, event: Record<string, unknown>): string =>
    JSON.stringify({
      time: Date.parse(record.finding.observedAt) / 1000,
      ...(config.host === undefined ? {} : { host: config.host }),
      source: config.source,
      sourcetype: config.sourcetype,
      ...(config.index === undefined ? {} : { index: config.index }),
      event,
      // Indexed fields: searchable without parsing the event, and the stable id SIEM-side dedup keys on.
      fields: { finding_id: record.finding.id, rule_id: record.finding.ruleId, severity: record.finding.severity },
    });

  async function waitForAck(ackId: number, signal?: AbortSignal): Promise<void> {
    const deadline = Date.now() + config.ackTimeoutMs;
    while (Date.now() < deadline) {
      const response = await httpRequest(joinUrl(config.url, `/services/collector/ack?channel=${channel}`), {
        headers,
        body: JSON.stringify({ acks: [ackId] }),
        timeoutMs: config.timeoutMs,
        ...(signal === undefined ? {} : { signal }),
      });
      const status = (JSON.parse(response.text) as { acks?: Record<string, boolean> }).acks?.[String(ackId)];
      if (status === true) return;
      await sleep(ACK_POLL_MS, undefined, signal === undefined ? {} : { signal });
    }
    throw new DeliveryError(
      `${config.name}: the indexer did not acknowledge ack id ${ackId} within ${config.ackTimeoutMs} ms`,
      { retryable: true },
    );
  }

  return {
    name: config.name,
    type: "splunk-hec",
    limits: config.limits,
    encode(record) {
      const events =
        config.format === "ecs"
          ? [ecsDocument(record.finding, record.hash, record.change)]
          : ocsfEvents(record.finding, record.change);
      return events.map((event) => wrap(record, event)).join("\n");
    },
    async send(encoded, _records, signal) {
      const response = await httpRequest(joinUrl(config.url, "/services/collector/event"), {
        headers,
        body: encoded.join("\n"),
        timeoutMs: config.timeoutMs,
        ...(signal === undefined ? {} : { signal }),
      });
      if (!config.ack) return;
      const ackId = (JSON.parse(response.text) as { ackId?: unknown }).ackId;
      if (typeof ackId !== "number") {
        throw new DeliveryError(
          `${config.name}: ack is on but HEC returned no ackId (is indexer acknowledgement enabled on the token?)`,
          {
            retryable: false,
          },
        );
      }
      await waitForAck(ackId, signal);
    },
    async close() {},
  };
}
