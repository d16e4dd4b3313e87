import { AigovError } from "@aigov/core";
import { parseStrictJson } from "../plan-text.ts";

/** The fields of a run task request aigov uses (payload_version 1). */
export interface RunTaskRequest {
  readonly payloadVersion: 1;
  readonly stage: string;
  readonly accessToken: string;
  readonly callbackUrl: string;
  readonly planJsonUrl?: string;
  readonly enforcementLevel?: string;
  readonly runId?: string;
  readonly organization?: string;
  readonly workspace?: string;
  /** HCP Terraform's connectivity check when a run task is created or edited: answer 200, judge nothing. */
  readonly verification: boolean;
}

/**
 * The placeholder token HCP Terraform sends in the request that checks a run task's URL when the task is
 * created; no run stands behind it, so there is no plan to fetch and no callback to call.
 */
export const VERIFICATION_TOKEN = "test-token";

/** RFC 6750 `b64token`: what an HCP Terraform run token is made of. */
const BEARER_TOKEN = /^[A-Za-z0-9\-._~+/]+=*$/;

/** Reads a run task request body; an AigovError (code RUN_TASK_BAD_PAYLOAD) says which field is wrong. */
export function parseRunTaskRequest(body: Uint8Array): RunTaskRequest {
  let raw: unknown;
  try {
    // The same strict reading as a plan's: a field twice (say two callback URLs) would be a guess at which counts.
    raw = parseStrictJson(Buffer.from(body).toString("utf8"), { file: "request", what: "the body" });
  } catch (error) {
    throw bad((error as Error).message);
  }
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) throw bad("the body is not a JSON object");
  const record = raw as Record<string, unknown>;
  if (record.payload_version !== 1) {
    throw bad(`payload_version ${JSON.stringify(record.payload_version)} is not supported (aigov reads version 1)`);
  }
  const accessToken = requiredString(record, "access_token");
  // The token goes into an Authorization header and must never reach a log: one that is not a bearer token
  // (CR/LF would break the header, and the header error would quote it) is refused without being repeated.
  if (!BEARER_TOKEN.test(accessToken)) throw bad("access_token is not a bearer token (RFC 6750 token characters)");
  const callbackUrl = requiredString(record, "task_result_callback_url");
  const stage = typeof record.stage === "string" ? record.stage : "";
  const verification = accessToken === VERIFICATION_TOKEN;
  // Each run is judged once per stage, remembered by its id: a run without one could be replayed unnoticed.
  if (!verification && (typeof record.run_id !== "string" || record.run_id === ""))
    throw bad("run_id is missing or not a string");
  return {
    payloadVersion: 1,
    stage,
    accessToken,
    callbackUrl,
    ...optional("planJsonUrl", record.plan_json_api_url),
    ...optional("enforcementLevel", record.task_result_enforcement_level),
    ...optional("runId", record.run_id),
    ...optional("organization", record.organization_name),
    ...optional("workspace", record.workspace_name),
    verification,
  };
}

function requiredString(record: Record<string, unknown>, field: string): string {
  const value = record[field];
  if (typeof value !== "string" || value === "") throw bad(`${field} is missing or not a string`);
  return value;
}

function optional<K extends string>(key: K, value: unknown): { [P in K]?: string } {
  return typeof value === "string" && value !== "" ? ({ [key]: value } as { [P in K]?: string }) : {};
}

function bad(message: string): AigovError {
  return new AigovError("RUN_TASK_BAD_PAYLOAD", `run task request: ${message}`);
}
