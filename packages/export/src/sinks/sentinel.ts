import type { Finding } from "@aigov/core";
import type { ExportChange } from "../change.ts";
import { known } from "../known.ts";
import { ocsfDetectionFinding } from "../ocsf.ts";
import { httpRequest } from "./http.ts";
import { secretFromEnv } from "./secret-env.ts";
import type { SentinelSinkConfig } from "./sink-config.ts";
import { DeliveryError, type Sink } from "./sink.ts";

export const SENTINEL_SCOPE = "https://monitor.azure.com/.default";
const API_VERSION = "2023-01-01";

/** One row of the custom table (`…_CL`) the DCR's stream declares; `Ocsf` keeps the full event for hunting queries. */
export function sentinelRow(finding: Finding, change: ExportChange): Record<string, unknown> {
  return {
    TimeGenerated: finding.observedAt,
    FindingId: finding.id,
    RuleId: finding.ruleId,
    Title: finding.title,
    Severity: finding.severity,
    Status: finding.status,
    Change: change,
    Message: finding.message,
    Provider: finding.subject.provider,
    Account: known(finding.subject.account) ?? "",
    Region: known(finding.subject.region) ?? "",
    ResourceId: finding.subject.id,
    ResourceName: finding.subject.name,
    ResourceType: finding.subject.nativeType,
    Frameworks: finding.frameworks,
    Remediation: finding.remediation.text,
    References: finding.references,
    Ocsf: ocsfDetectionFinding(finding, change),
  };
}

/**
 * Microsoft Sentinel through the Azure Monitor Logs Ingestion API: an Entra client-credentials token for
 * monitor.azure.com, then a JSON array of rows POSTed to the DCE's
 * /dataCollectionRules/{immutable id}/streams/{stream}. The token is reused until a minute before it expires.
 */
export function sentinelSink(config: SentinelSinkConfig, env: NodeJS.ProcessEnv): Sink {
  const secret = secretFromEnv(env, config.clientSecretEnv, config.name, config.position("client_secret_env"));
  const url = `${config.endpoint.replace(/\/+$/, "")}/dataCollectionRules/${encodeURIComponent(config.dcrImmutableId)}/streams/${encodeURIComponent(config.stream)}?api-version=${API_VERSION}`;
  let token: { value: string; expiresAt: number } | undefined;

  async function accessToken(signal?: AbortSignal): Promise<string> {
    if (token !== undefined && token.expiresAt > Date.now()) return token.value;
    const response = await httpRequest(config.tokenEndpoint, {
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        client_id: config.clientId,
        client_secret: secret,
        grant_type: "client_credentials",
        scope: SENTINEL_SCOPE,
      }).toString(),
      timeoutMs: config.timeoutMs,
      ...(signal === undefined ? {} : { signal }),
    });
    const body = JSON.parse(response.text) as { access_token?: unknown; expires_in?: unknown };
    if (typeof body.access_token !== "string")
      throw new DeliveryError(`${config.name}: the token endpoint returned no access_token`, { retryable: false });
    const lifetime = typeof body.expires_in === "number" ? body.expires_in : Number(body.expires_in ?? 3600);
    token = { value: body.access_token, expiresAt: Date.now() + Math.max(0, lifetime - 60) * 1000 };
    return token.value;
  }

  return {
    name: config.name,
    type: "sentinel",
    limits: config.limits,
    encode: (record) => JSON.stringify(sentinelRow(record.finding, record.change)),
    async send(encoded, _records, signal) {
      const bearer = await accessToken(signal);
      try {
        await httpRequest(url, {
          headers: { Authorization: `Bearer ${bearer}`, "Content-Type": "application/json" },
          body: `[${encoded.join(",")}]`,
          timeoutMs: config.timeoutMs,
          ...(signal === undefined ? {} : { signal }),
        });
      } catch (error) {
        // An expired or revoked token: fetch a new one on the retry.
        if (error instanceof DeliveryError && error.status === 401) {
          token = undefined;
          throw new DeliveryError(error.message, { retryable: true, status: 401, cause: error });
        }
        throw error;
      }
    },
    async close() {},
  };
}
