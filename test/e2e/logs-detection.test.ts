import { writeFileSync } from "node:fs";
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REPO_ROOT, runCli } from "./run-cli.ts";

// Detection quality of `aigov logs` on trail files written as CloudTrail delivers them (issue 15): who made a call,
// one finding per pattern, inputs that hold no log.

const EXAMPLE_POLICY = join(REPO_ROOT, "docs/examples/aigov.yaml");
const ACCOUNT = "111122223333";

interface Finding {
  id: string;
  ruleId: string;
  severity: string;
  status: string;
  subject: { id: string };
  evidence: { field: string; value: unknown }[];
}

interface LogsJson {
  calls: { calls: number; usage: number; by: Record<string, Record<string, number>> };
  findings: Finding[];
  blocking: number;
}

/** A CloudTrail event with the fields a trail file holds. */
function cloudTrailEvent(index: number, fields: Record<string, unknown>): Record<string, unknown> {
  return {
    eventVersion: "1.09",
    eventTime: "2026-11-20T10:00:00Z",
    eventSource: "bedrock.amazonaws.com",
    eventName: "InvokeModel",
    awsRegion: "us-east-1",
    sourceIPAddress: "198.51.100.23",
    userAgent: "Boto3/1.35.36 md/Botocore#1.35.36 ua/2.0 os/linux#6.1 md/arch#x86_64 lang/python#3.12.7",
    requestID: `7b0c3c1e-0000-4000-8000-${String(index).padStart(12, "0")}`,
    eventID: `3f1e2d4c-0000-4000-8000-${String(index).padStart(12, "0")}`,
    readOnly: true,
    eventType: "AwsApiCall",
    managementEvent: false,
    recipientAccountId: ACCOUNT,
    eventCategory: "Data",
    ...fields,
  };
}

function roleIdentity(role: string, session: string): Record<string, unknown> {
  return {
    type: "AssumedRole",
    principalId: `AROAEXAMPLEROLEID0001:${session}`,
    arn: `arn:aws:sts::${ACCOUNT}:assumed-role/${role}/${session}`,
    accountId: ACCOUNT,
    accessKeyId: "ASIAEXAMPLEKEYID0001",
    sessionContext: {
      sessionIssuer: {
        type: "Role",
        principalId: "AROAEXAMPLEROLEID0001",
        arn: `arn:aws:iam::${ACCOUNT}:role/${role}`,
        accountId: ACCOUNT,
        userName: role,
      },
      attributes: { creationDate: "2026-11-20T09:55:00Z", mfaAuthenticated: "false" },
    },
  };
}

describe("aigov logs: detection on real log shapes", () => {
  let dir: string;
  const trail = (name: string, records: readonly Record<string, unknown>[]) => {
    const path = join(dir, `${ACCOUNT}_CloudTrail_us-east-1_20261120T1000Z_${name}.json.gz`);
    writeFileSync(path, gzipSync(JSON.stringify({ Records: records })));
    return path;
  };
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "aigov-logs-detection-"));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("AWS Config's service-linked role reading SageMaker is a cloud service: no shadow AI, no unapproved principal, exit 0", async () => {
    const config = cloudTrailEvent(1, {
      eventSource: "sagemaker.amazonaws.com",
      eventName: "ListTags",
      managementEvent: true,
      eventCategory: "Management",
      sourceIPAddress: "config.amazonaws.com",
      userAgent: "config.amazonaws.com",
      requestParameters: { resourceArn: `arn:aws:sagemaker:us-east-1:${ACCOUNT}:endpoint/fraud-scorer` },
      responseElements: null,
      userIdentity: {
        ...roleIdentity("AWSServiceRoleForConfig", "AWSConfig-Describe"),
        invokedBy: "config.amazonaws.com",
      },
    });
    const run = await runCli([
      "logs",
      "--no-state",
      "--format",
      "json",
      "--policy",
      EXAMPLE_POLICY,
      trail("config", [config]),
    ]);
    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout) as LogsJson;
    expect(result.calls).toMatchObject({
      calls: 1,
      usage: 0,
      by: expect.objectContaining({ actor: { "cloud-service": 1 } }),
    });
    expect(result.findings).toEqual([]);
  });

  it("5,000 InvokeModel calls by one unapproved role are one finding per rule, with the count, and the same id on every run", async () => {
    const calls = Array.from({ length: 5000 }, (_, index) =>
      cloudTrailEvent(index, {
        // 5,000 calls over 50 minutes of one day.
        eventTime: new Date(Date.parse("2026-11-20T10:00:00Z") + index * 600).toISOString(),
        requestParameters: { modelId: "anthropic.claude-3-haiku-20240307-v1:0" },
        additionalEventData: { inputTokens: 812, outputTokens: 256 },
        userIdentity: roleIdentity("intern-sandbox", "laptop"),
      }),
    );
    const input = trail("burst", calls);
    const runs = await Promise.all(
      [1, 2].map(() => runCli(["logs", "--no-state", "--format", "json", "--policy", EXAMPLE_POLICY, input])),
    );
    const [first, second] = runs.map((run) => {
      expect(run.code).toBe(1);
      return JSON.parse(run.stdout) as LogsJson;
    });
    expect(first!.calls).toMatchObject({ calls: 5000, usage: 5000 });
    const unapproved = first!.findings.filter((finding) => finding.ruleId === "ai-call-by-unapproved-principal");
    expect(unapproved).toHaveLength(1);
    expect(unapproved[0]).toMatchObject({
      severity: "high",
      subject: {
        id: `principal=arn:aws:sts::${ACCOUNT}:assumed-role/intern-sandbox/laptop,service=bedrock,model=anthropic.claude-3-haiku-20240307-v1:0,account=${ACCOUNT},region=us-east-1,window=2026-11-20`,
      },
    });
    const evidence = Object.fromEntries(unapproved[0]!.evidence.map((item) => [item.field, item.value]));
    expect(evidence).toMatchObject({
      count: 5000,
      firstSeen: "2026-11-20T10:00:00.000Z",
      lastSeen: "2026-11-20T10:49:59.400Z",
      operations: ["InvokeModel"],
    });
    expect(evidence.eventIds).toHaveLength(5);
    // Every finding of the run: one per rule (first use, region and spike aggregate already), none per call.
    expect(first!.findings.map((finding) => finding.ruleId).sort()).toEqual([
      "ai-call-by-unapproved-principal",
      "ai-log-first-use-in-account",
      "ai-log-region-not-approved",
      "ai-log-usage-spike",
    ]);
    expect(first!.blocking).toBe(1);
    expect(second!.findings.map((finding) => finding.id)).toEqual(first!.findings.map((finding) => finding.id));
    expect(runs[0]!.stdout.length).toBeLessThan(20_000);
  });

  it("a deleted guardrail is high and fails a run at the default threshold; a denied deletion is a finding too", async () => {
    const deleted = cloudTrailEvent(1, {
      eventName: "DeleteGuardrail",
      readOnly: false,
      managementEvent: true,
      eventCategory: "Management",
      requestParameters: { guardrailIdentifier: "a1b2c3d4e5f6" },
      userIdentity: roleIdentity("platform-admin", "bob"),
    });
    const denied = cloudTrailEvent(2, {
      eventName: "DeleteGuardrail",
      readOnly: false,
      managementEvent: true,
      eventCategory: "Management",
      errorCode: "AccessDenied",
      errorMessage: `User: arn:aws:sts::${ACCOUNT}:assumed-role/chat-app/worker-1 is not authorized to perform: bedrock:DeleteGuardrail`,
      requestParameters: { guardrailIdentifier: "a1b2c3d4e5f6" },
      userIdentity: roleIdentity("chat-app", "worker-1"),
    });
    const run = await runCli(["logs", "--no-state", "--format", "json", trail("guardrail", [deleted, denied])]);
    expect(run.code).toBe(1);
    const findings = (JSON.parse(run.stdout) as LogsJson).findings;
    expect(findings.filter((finding) => finding.ruleId === "aws-log-bedrock-guardrail-deleted")).toEqual([
      expect.objectContaining({ severity: "high", status: "open" }),
    ]);
    expect(findings.filter((finding) => finding.ruleId === "ai-log-sensitive-operation-denied")).toEqual([
      expect.objectContaining({
        severity: "medium",
        subject: expect.objectContaining({ id: expect.stringContaining("assumed-role/chat-app/worker-1") }),
      }),
    ]);
  });

  it("an Azure key regeneration in the resource-log form (Audit, RegenerateKey) by a caller the policy does not approve is high", async () => {
    const policy = join(dir, "aigov.yaml");
    writeFileSync(policy, "approved_principals:\n  azure: [ops@contoso.example]\n");
    const audit = join(dir, "PT1H.json");
    // A Cognitive Services Audit record as a diagnostic setting delivers it to a storage account (one per line).
    writeFileSync(
      audit,
      `${JSON.stringify({
        time: "2026-11-20T09:02:00.0000000Z",
        resourceId:
          "/SUBSCRIPTIONS/8C1A5F2E-1D2B-4C3D-9E4F-5A6B7C8D9E0F/RESOURCEGROUPS/RG-AI/PROVIDERS/MICROSOFT.COGNITIVESERVICES/ACCOUNTS/CONTOSO-AI",
        category: "Audit",
        operationName: "RegenerateKey",
        resultType: "Success",
        resultSignature: "200",
        callerIpAddress: "198.51.100.*",
        correlationId: "5d6e7f80-0000-4000-8000-000000000031",
        location: "eastus",
        properties: "{}",
      })}\n`,
    );
    const run = await runCli(["logs", "--no-state", "--format", "json", "--policy", policy, audit]);
    expect(run.code).toBe(1);
    const findings = (JSON.parse(run.stdout) as LogsJson).findings;
    expect(findings.filter((finding) => finding.ruleId.startsWith("azure-log-cognitive-services-list-keys"))).toEqual([
      expect.objectContaining({ ruleId: "azure-log-cognitive-services-list-keys-unapproved", severity: "high" }),
    ]);
  });

  it("an input that holds no log object exits 2 and says so: an empty directory, a directory of other files, an empty file", async () => {
    const empty = join(dir, "empty");
    await mkdir(empty);
    const notes = join(dir, "notes");
    await mkdir(notes);
    writeFileSync(join(notes, "README.md"), "# trail bucket notes\n");
    writeFileSync(join(notes, "digest.txt"), "not a log\n");
    const emptyFile = join(dir, "nothing.json");
    writeFileSync(emptyFile, "");
    for (const input of [empty, notes, emptyFile]) {
      const run = await runCli(["logs", "--no-state", input]);
      expect(run.code, input).toBe(2);
      expect(run.stderr).toContain(`no log record in ${input}`);
      expect(run.stdout).not.toContain("no findings");
    }
  });
});
