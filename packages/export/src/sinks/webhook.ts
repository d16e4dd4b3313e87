import { createHash, createHmac } from "node:crypto";
import { formatRecordLines } from "../record-format.ts";
import { httpRequest } from "./http.ts";
import { secretFromEnv } from "./secret-env.ts";
import type { WebhookSinkConfig } from "./sink-config.ts";
import type { Sink } from "./sink.ts";

export const SIGNATURE_HEADER = "X-Aigov-Signature";

/** `sha256=<hex HMAC-SHA256 of the exact body bytes>`, the form GitHub-style webhook receivers verify. */
export function webhookSignature(secret: string, body: string): string {
  return `sha256=${createHmac("sha256", secret).update(body, "utf8").digest("hex")}`;
}

/**
 * A generic webhook: a JSON body `{"source":"aigov","format":…,"records":[…]}` signed with HMAC-SHA256 over
 * the body in X-Aigov-Signature; X-Aigov-Delivery identifies the batch (equal on a retry of the same batch).
 */
export function webhookSink(config: WebhookSinkConfig, env: NodeJS.ProcessEnv): Sink {
  const secret = secretFromEnv(env, config.secretEnv, config.name, config.position("secret_env"));
  return {
    name: config.name,
    type: "webhook",
    limits: config.limits,
    encode: (record) =>
      formatRecordLines(config.format, record, {
        ...(config.accountId === undefined ? {} : { accountId: config.accountId }),
        ...(config.region === undefined ? {} : { region: config.region }),
      }).join(","),
    async send(encoded, records, signal) {
      const body = `{"source":"aigov","format":${JSON.stringify(config.format)},"records":[${encoded.join(",")}]}`;
      const delivery = createHash("sha256")
        .update(records.map((record) => `${record.finding.id}:${record.hash}`).join("\n"))
        .digest("hex")
        .slice(0, 32);
      await httpRequest(config.url, {
        headers: {
          "Content-Type": "application/json",
          [SIGNATURE_HEADER]: webhookSignature(secret, body),
          "X-Aigov-Delivery": delivery,
        },
        body,
        timeoutMs: config.timeoutMs,
        ...(signal === undefined ? {} : { signal }),
      });
    },
    async close() {},
  };
}
