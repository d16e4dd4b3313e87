import { randomUUID } from "node:crypto";
import { json, type RecordedRequest, startRecorder } from "./http-recorder.ts";
import { securityHubRefusal } from "./asff-validator.ts";

/** A finding as the fake Security Hub holds it, keyed by ProductArn and Id. */
export interface StoredAsff {
  readonly finding: Record<string, unknown>;
  workflow: string;
  note?: { Text: string; UpdatedBy: string };
}

/**
 * A local Security Hub that behaves as the service does for what aigov sends: BatchImportFindings
 * (POST /findings/import; ≤100 findings, each ASFF-valid, ≤240 KB, from the account in its AwsAccountId through
 * that account's default product ARN, else in FailedFindings; Workflow and Note ignored on a finding that exists),
 * BatchUpdateFindings (PATCH /findings/batchupdate; ≤100, only findings of the caller's account), and STS
 * AssumeRole (POST /) for the roles it knows. The caller's account is the one its access key belongs to.
 */
export async function startFakeSecurityHub(options: {
  /** access key id → account, for the credentials aigov starts with. */
  readonly keys: Record<string, string>;
  /** Role ARNs AssumeRole grants. */
  readonly roles?: readonly string[];
}) {
  const keys = new Map(Object.entries(options.keys));
  const findings = new Map<string, StoredAsff>();
  const calls: { operation: string; account: string; count: number }[] = [];
  const server = await startRecorder((request, response) => {
    const credential = /Credential=([^/]+)\/\d{8}\/([^/]+)\//.exec(request.headers.authorization ?? "");
    const account = credential === null ? undefined : keys.get(credential[1]!);
    const region = credential?.[2] ?? "";
    if (account === undefined) return error(response, 403, "UnrecognizedClientException", "unknown access key");
    if (request.url === "/" && request.body.includes("Action=AssumeRole")) return assumeRole(request, response);
    if (request.method === "POST" && request.url === "/findings/import")
      return importFindings(request, response, account, region);
    if (request.method === "PATCH" && request.url === "/findings/batchupdate")
      return updateFindings(request, response, account);
    error(response, 404, "ResourceNotFoundException", `${request.method} ${request.url}`);
  });

  function assumeRole(request: RecordedRequest, response: Parameters<Parameters<typeof startRecorder>[0]>[1]) {
    const role = new URLSearchParams(request.body).get("RoleArn") ?? "";
    if (!(options.roles ?? []).includes(role)) {
      response.writeHead(403, { "Content-Type": "text/xml" });
      response.end(
        `<ErrorResponse><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>not authorized to assume ${role}</Message></Error><RequestId>1</RequestId></ErrorResponse>`,
      );
      return;
    }
    const roleAccount = role.split(":")[4]!;
    const keyId = `ASIA${roleAccount}${randomUUID().slice(0, 4).toUpperCase()}`;
    keys.set(keyId, roleAccount);
    response.writeHead(200, { "Content-Type": "text/xml" });
    response.end(
      `<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><AssumeRoleResult><Credentials>` +
        `<AccessKeyId>${keyId}</AccessKeyId><SecretAccessKey>secret</SecretAccessKey><SessionToken>token</SessionToken>` +
        `<Expiration>2099-01-01T00:00:00Z</Expiration></Credentials><AssumedRoleUser><Arn>${role}/aigov</Arn>` +
        `<AssumedRoleUserId>AROA:aigov</AssumedRoleUserId></AssumedRoleUser></AssumeRoleResult>` +
        `<ResponseMetadata><RequestId>1</RequestId></ResponseMetadata></AssumeRoleResponse>`,
    );
  }

  function importFindings(
    request: RecordedRequest,
    response: Parameters<Parameters<typeof startRecorder>[0]>[1],
    account: string,
    region: string,
  ) {
    const batch = (JSON.parse(request.body) as { Findings: Record<string, unknown>[] }).Findings;
    if (batch.length < 1 || batch.length > 100)
      return error(response, 400, "InvalidInputException", `${batch.length} findings: 1 to 100 per request`);
    calls.push({ operation: "BatchImportFindings", account, count: batch.length });
    const failed: { Id: string; ErrorCode: string; ErrorMessage: string }[] = [];
    for (const finding of batch) {
      const refusal = securityHubRefusal(finding, { account, region });
      if (refusal !== undefined) {
        failed.push({ Id: String(finding.Id), ErrorCode: refusal.code, ErrorMessage: refusal.message });
        continue;
      }
      const key = `${String(finding.ProductArn)}|${String(finding.Id)}`;
      const existing = findings.get(key);
      if (existing === undefined) {
        const workflow = (finding.Workflow as { Status?: string } | undefined)?.Status ?? "NEW";
        findings.set(key, { finding, workflow });
      } else {
        // BatchImportFindings cannot change what customers manage on an existing finding.
        const { Workflow: _workflow, Note: _note, ...rest } = finding;
        findings.set(key, { ...existing, finding: { ...existing.finding, ...rest } });
      }
    }
    json(response, 200, {
      FailedCount: failed.length,
      SuccessCount: batch.length - failed.length,
      FailedFindings: failed,
    });
  }

  function updateFindings(
    request: RecordedRequest,
    response: Parameters<Parameters<typeof startRecorder>[0]>[1],
    account: string,
  ) {
    const body = JSON.parse(request.body) as {
      FindingIdentifiers: { Id: string; ProductArn: string }[];
      Workflow?: { Status: string };
      Note?: { Text: string; UpdatedBy: string };
    };
    if (body.FindingIdentifiers.length < 1 || body.FindingIdentifiers.length > 100)
      return error(response, 400, "InvalidInputException", "1 to 100 finding identifiers per request");
    calls.push({ operation: "BatchUpdateFindings", account, count: body.FindingIdentifiers.length });
    const processed: unknown[] = [];
    const unprocessed: unknown[] = [];
    for (const identifier of body.FindingIdentifiers) {
      const stored = findings.get(`${identifier.ProductArn}|${identifier.Id}`);
      if (stored === undefined || stored.finding.AwsAccountId !== account) {
        unprocessed.push({ FindingIdentifier: identifier, ErrorCode: "FindingNotFound", ErrorMessage: "not found" });
        continue;
      }
      if (body.Workflow !== undefined) stored.workflow = body.Workflow.Status;
      if (body.Note !== undefined) stored.note = body.Note;
      processed.push(identifier);
    }
    json(response, 200, { ProcessedFindings: processed, UnprocessedFindings: unprocessed });
  }

  return { ...server, findings, calls };
}

function error(
  response: Parameters<Parameters<typeof startRecorder>[0]>[1],
  status: number,
  type: string,
  message: string,
) {
  json(response, status, { message }, { "x-amzn-ErrorType": type });
}
