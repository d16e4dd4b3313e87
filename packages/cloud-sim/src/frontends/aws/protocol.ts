import { randomUUID } from "node:crypto";
import type { Reply } from "../../core/frontend.ts";

/**
 * The AWS wire protocols the simulated services speak, and their error encodings: what a real SDK client sends and
 * what it can parse back. EC2's query protocol is awsQuery's request with its own reply shape; S3 speaks restXml.
 */
export type AwsProtocol = "awsJson1_1" | "restJson1" | "awsQuery" | "ec2Query" | "restXml";

/** An AWS error as a service raises it; the protocol layer encodes it. */
export class AwsError extends Error {
  readonly code: string;
  readonly status: number;
  /** awsQuery's <Type>: Sender for client errors, Receiver for server errors. */
  readonly sender: boolean;

  constructor(code: string, message: string, status = 400) {
    super(message);
    this.name = "AwsError";
    this.code = code;
    this.status = status;
    this.sender = status < 500;
  }
}

/** Request ids shaped like AWS's UUIDs: a random prefix per process and a counter (cheaper than a UUID per request). */
const REQUEST_ID_PREFIX = randomUUID().slice(0, 24);
let requestCounter = 0;

export function newRequestId(): string {
  requestCounter = (requestCounter + 1) % 0x1000000000000;
  return `${REQUEST_ID_PREFIX}${requestCounter.toString(16).padStart(12, "0")}`;
}

export function jsonReply(protocol: "awsJson1_1" | "restJson1", body: unknown, requestId: string, status = 200): Reply {
  return {
    status,
    headers: {
      "content-type": protocol === "awsJson1_1" ? "application/x-amz-json-1.1" : "application/json",
      "x-amzn-requestid": requestId,
    },
    body: JSON.stringify(body ?? {}),
  };
}

/** awsQuery success: `<OpResponse xmlns=…><OpResult>…</OpResult><ResponseMetadata>…` as IAM and STS answer. */
export function queryReply(operation: string, namespace: string, resultXml: string, requestId: string): Reply {
  const result = resultXml === "" ? "" : `<${operation}Result>${resultXml}</${operation}Result>`;
  return {
    status: 200,
    headers: { "content-type": "text/xml", "x-amzn-requestid": requestId },
    body: `<${operation}Response xmlns="${namespace}">${result}<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${operation}Response>`,
  };
}

/** ec2Query success: the result's elements directly under `<OpResponse>`, with a lower-case `requestId`. */
export function ec2Reply(operation: string, namespace: string, resultXml: string, requestId: string): Reply {
  return {
    status: 200,
    headers: { "content-type": "text/xml;charset=UTF-8", "x-amzn-requestid": requestId },
    body: `<${operation}Response xmlns="${namespace}"><requestId>${requestId}</requestId>${resultXml}</${operation}Response>`,
  };
}

/** restXml success: the operation writes the whole document (S3's root element differs per operation). */
export function xmlReply(document: string, requestId: string): Reply {
  return {
    status: 200,
    headers: { "content-type": "application/xml", "x-amz-request-id": requestId },
    body: `<?xml version="1.0" encoding="UTF-8"?>\n${document}`,
  };
}

export function errorReply(protocol: AwsProtocol, error: AwsError, requestId: string): Reply {
  switch (protocol) {
    case "awsJson1_1":
      return {
        errorCode: error.code,
        status: error.status,
        headers: { "content-type": "application/x-amz-json-1.1", "x-amzn-requestid": requestId },
        body: JSON.stringify({ __type: error.code, message: error.message }),
      };
    case "restJson1":
      return {
        errorCode: error.code,
        status: error.status,
        headers: { "content-type": "application/json", "x-amzn-requestid": requestId, "x-amzn-errortype": error.code },
        body: JSON.stringify({ message: error.message }),
      };
    case "awsQuery":
      return {
        errorCode: error.code,
        status: error.status,
        headers: { "content-type": "text/xml", "x-amzn-requestid": requestId },
        body: `<ErrorResponse><Error><Type>${error.sender ? "Sender" : "Receiver"}</Type><Code>${escapeXml(error.code)}</Code><Message>${escapeXml(error.message)}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`,
      };
    case "ec2Query":
      return {
        errorCode: error.code,
        status: error.status,
        headers: { "content-type": "text/xml;charset=UTF-8", "x-amzn-requestid": requestId },
        body: `<?xml version="1.0" encoding="UTF-8"?>\n<Response><Errors><Error><Code>${escapeXml(error.code)}</Code><Message>${escapeXml(error.message)}</Message></Error></Errors><RequestID>${requestId}</RequestID></Response>`,
      };
    case "restXml":
      return {
        errorCode: error.code,
        status: error.status,
        headers: { "content-type": "application/xml", "x-amz-request-id": requestId },
        body: `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${escapeXml(error.code)}</Code><Message>${escapeXml(error.message)}</Message><RequestId>${requestId}</RequestId></Error>`,
      };
  }
}

export function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) =>
    c === "<" ? "&lt;" : c === ">" ? "&gt;" : c === "&" ? "&amp;" : c === '"' ? "&quot;" : "&apos;",
  );
}

/**
 * An awsQuery result body from a plain value: objects become elements, arrays become `<member>` lists,
 * undefined/null fields are left out, booleans and numbers are written as text.
 */
export function toXml(value: unknown): string {
  if (value === undefined || value === null) return "";
  if (Array.isArray(value)) return value.map((item) => `<member>${toXml(item)}</member>`).join("");
  if (typeof value === "object") {
    let out = "";
    for (const [key, field] of Object.entries(value as Record<string, unknown>)) {
      if (field === undefined || field === null) continue;
      out += `<${key}>${toXml(field)}</${key}>`;
    }
    return out;
  }
  return escapeXml(String(value));
}

/** Timestamps as awsJson1_1 sends them: epoch seconds (fractions allowed). */
export function epochSeconds(iso: string): number {
  return Date.parse(iso) / 1000;
}

/** Timestamps as restJson1 and awsQuery send them: ISO-8601 in UTC. */
export function isoTime(iso: string): string {
  return new Date(Date.parse(iso)).toISOString();
}

const TIME_FIELD = /(Time|Date|Timestamp|registeredAt|deregisteredAt)$/;

/**
 * A world value ready for an awsJson1_1 reply: ISO strings in timestamp fields (by the AWS naming convention:
 * …Time, …Date, …Timestamp) become epoch seconds, and the simulator's own lower-case `tags` key is dropped.
 */
export function toAwsJson(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(toAwsJson);
  if (value === null || typeof value !== "object") return value;
  const out: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(value as Record<string, unknown>)) {
    if (key === "tags" || field === undefined) continue;
    if (FREE_MAPS.has(key)) out[key] = field;
    else
      out[key] =
        typeof field === "string" && TIME_FIELD.test(key) && !Number.isNaN(Date.parse(field))
          ? epochSeconds(field)
          : toAwsJson(field);
  }
  return out;
}

/** User-named maps (environment variables, hyperparameters): their keys are data, never AWS field names. */
const FREE_MAPS = new Set(["Environment", "HyperParameters", "Variables"]);

/** A world value ready for a restJson1 reply: timestamps stay ISO-8601 strings; `tags` is dropped. */
export function toRestJson(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(toRestJson);
  if (value === null || typeof value !== "object") return value;
  const out: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(value as Record<string, unknown>)) {
    if (key === "tags" || field === undefined) continue;
    out[key] = toRestJson(field);
  }
  return out;
}

/** Only the named fields of an entry (a List call's summary of what Describe returns in full). */
export function pick(entry: Readonly<Record<string, unknown>>, fields: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const field of fields) if (entry[field] !== undefined) out[field] = entry[field];
  return out;
}
