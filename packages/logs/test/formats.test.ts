import { join } from "node:path";
import type { ApiCall } from "@aigov/core";
import { describe, expect, it } from "vitest";
import { emptyStats, readLogs, recordCall } from "../src/index.ts";
import { FIXTURES } from "./corpus-paths.ts";

async function calls(input: string): Promise<ApiCall[]> {
  const out: ApiCall[] = [];
  for await (const event of readLogs([input], { env: {} }, emptyStats()))
    if (event.type === "call") out.push(event.call);
  return out;
}

const fixture = (path: string) => join(FIXTURES, path);

describe("CloudTrail formats", () => {
  it("S3 delivery (.json.gz with Records) and NDJSON give the same AI calls, EC2 dropped", async () => {
    const delivered = await calls(
      fixture("cloudtrail/111122223333_CloudTrail_us-east-1_20261120T1015Z_bedrock.json.gz"),
    );
    const ndjson = await calls(fixture("cloudtrail/bedrock-activity.ndjson"));
    expect(delivered.map((call) => call.eventId)).toEqual(ndjson.map((call) => call.eventId));
    expect(delivered).toHaveLength(11);
    expect(delivered.some((call) => call.operation === "DescribeInstances")).toBe(false);
  });

  it("normalizes Bedrock: model from requestParameters.modelId (ARN shortened), API key (callWithBearerToken), failure, inference region", async () => {
    const byId = new Map(
      (await calls(fixture("cloudtrail/bedrock-activity.ndjson"))).map((call) => [call.eventId, call]),
    );
    expect(byId.get("ok-1")).toMatchObject({
      provider: "aws",
      service: "bedrock",
      operation: "InvokeModel",
      model: "amazon.titan-text-express-v1",
      authType: "iam",
      outcome: "success",
    });
    expect(byId.get("bearer-1")).toMatchObject({
      authType: "key",
      principal: "arn:aws:iam::111122223333:user/bob",
      model: "us.anthropic.claude-3-5-haiku-20241022-v1:0",
    });
    expect((byId.get("bearer-1")!.native.additionalEventData as Record<string, unknown>).inferenceRegion).toBe(
      "us-west-2",
    );
    expect(byId.get("mantle-1")).toMatchObject({
      service: "bedrock-mantle",
      operation: "CreateChatCompletion",
      authType: "key",
      model: "openai.gpt-oss-120b-1:0",
    });
    expect(byId.get("sm-1")).toMatchObject({
      service: "sagemaker",
      operation: "InvokeEndpoint",
      model: { $unknown: true },
    });
    expect((byId.get("sm-1")!.model as { reason: string }).reason).toContain("fraud-scorer");
    expect(byId.get("llm-7")).toMatchObject({
      outcome: "failure",
      errorCode: "AccessDeniedException",
      region: "us-east-1",
    });
    expect(byId.get("llm-6")).toMatchObject({ region: "eu-west-1", account: "111122223333", sourceIp: "203.0.113.10" });
  });

  it("reads LookupEvents output (the event is a JSON string in CloudTrailEvent)", async () => {
    const lookup = await calls(fixture("cloudtrail/lookup-events.json"));
    expect(lookup.map((call) => call.eventId)).toEqual(["llm-6", "ok-1", "bearer-1"]);
    expect(lookup[2]!.authType).toBe("key");
  });

  it("reads a CloudTrail Lake result file and an Athena UNLOAD file back into the same calls", async () => {
    const reference = (await calls(fixture("cloudtrail/bedrock-activity.ndjson"))).map(
      ({ eventId, operation, principal, model, authType, outcome, region }) => ({
        eventId,
        operation,
        principal,
        model,
        authType,
        outcome,
        region,
      }),
    );
    for (const file of [
      "query-results/cloudtrail-lake-get-query-results.json",
      "query-results/athena-unload-20261121_080000_00001.gz",
    ]) {
      const read = (await calls(fixture(file))).map(
        ({ eventId, operation, principal, model, authType, outcome, region }) => ({
          eventId,
          operation,
          principal,
          model,
          authType,
          outcome,
          region,
        }),
      );
      expect(read, file).toEqual(reference);
    }
  });
});

describe("push-down rows carry what the CloudTrail normaliser reads", () => {
  const row = (fields: Record<string, unknown>) => {
    const result = recordCall(
      {
        eventid: "r-1",
        eventtime: "2026-11-20 10:00:00.000",
        eventsource: "bedrock-mantle.amazonaws.com",
        eventname: "CreateChatCompletion",
        awsregion: "us-east-1",
        recipientaccountid: "111122223333",
        useridentityarn: "arn:aws:iam::111122223333:user/BedrockAPIKey-4f2a",
        useridentitytype: "IAMUser",
        ...fields,
      },
      { file: "rows.json" },
    );
    return result.kind === "call" ? result.call : undefined;
  };

  it("a bedrock-mantle API key call (its mark from requestParameters, coalesced by the query) is auth type key", () => {
    expect(row({ modelid: "openai.gpt-oss-120b-1:0", callwithbearertoken: "true" })).toMatchObject({
      authType: "key",
      model: "openai.gpt-oss-120b-1:0",
    });
  });

  it("an STS bearer token (access key id ABIA…) is auth type bearer", () => {
    expect(row({ callwithbearertoken: "true", useridentityaccesskeyid: "ABIAEXAMPLE0001" })?.authType).toBe("bearer");
  });
});

describe("Azure formats", () => {
  it("diagnostic logs: properties as a JSON string or an object; key auth without objectId; other providers dropped", async () => {
    const read = await calls(fixture("azure/PT1H.json"));
    expect(read).toHaveLength(4);
    expect(read[0]).toMatchObject({
      provider: "azure",
      account: "8c1a5f2e-1d2b-4c3d-9e4f-5a6b7c8d9e0f",
      region: "eastus",
      service: "azure-openai",
      operation: "ChatCompletions_Create",
      model: "gpt-35-turbo",
      authType: "key",
      time: "2026-11-20T09:00:12.345Z",
    });
    expect(read[1]).toMatchObject({
      authType: "iam",
      principal: "7f8e9d0c-1111-4222-8333-944455566677",
      model: "gpt-4o",
    });
    expect(read[2]).toMatchObject({ model: "gpt-4o", authType: "iam" });
    expect((read[2]!.native.properties as Record<string, unknown>).totalTokens).toBe(1045);
  });

  it("Activity Log export and REST shapes give the listKeys call with the caller", async () => {
    const exported = await calls(fixture("azure/activity-log.ndjson"));
    expect(exported.map((call) => call.operation)).toEqual([
      "MICROSOFT.COGNITIVESERVICES/ACCOUNTS/LISTKEYS/ACTION",
      "MICROSOFT.COGNITIVESERVICES/ACCOUNTS/RAIPOLICIES/DELETE",
    ]);
    expect(exported[0]).toMatchObject({
      principal: "mallory@contoso.example",
      sourceIp: "198.51.100.23",
      authType: "iam",
    });
    const rest = await calls(fixture("azure/activity-log-rest.json"));
    expect(rest).toEqual([
      expect.objectContaining({
        operation: "Microsoft.CognitiveServices/accounts/listKeys/action",
        principal: "mallory@contoso.example",
        outcome: "success",
      }),
    ]);
  });

  it("reads a Log Analytics query result (az monitor log-analytics query -o json)", async () => {
    const read = await calls(fixture("query-results/log-analytics-query.json"));
    expect(read.map((call) => [call.service, call.operation, call.authType])).toEqual([
      ["azure-openai", "ChatCompletions_Create", "key"],
      ["azure-ai-services", "MICROSOFT.COGNITIVESERVICES/ACCOUNTS/LISTKEYS/ACTION", "iam"],
    ]);
  });
});

describe("GCP formats", () => {
  it("Cloud Audit Logs NDJSON: Vertex AI and Gemini API calls, storage dropped", async () => {
    const read = await calls(fixture("gcp/data-access.ndjson"));
    expect(
      read.map((call) => [call.service, call.operation, call.account, call.model ?? null, call.authType, call.outcome]),
    ).toEqual([
      ["vertex-ai", "GenerateContent", "acme-ml-prod", "gemini-2.0-flash-001", "iam", "success"],
      ["vertex-ai", "Predict", "acme-ml-prod", null, "iam", "success"],
      ["gemini", "GenerateContent", "acme-marketing", "gemini-1.5-flash", "key", "success"],
      ["vertex-ai", "GenerateContent", "acme-ml-prod", "gemini-2.0-flash-001", "iam", "failure"],
    ]);
    expect(read[1]!.region).toBe("europe-west4");
  });

  it("reads gcloud logging read and BigQuery (protopayload_auditlog) exports back into the same calls", async () => {
    const reference = (await calls(fixture("gcp/data-access.ndjson"))).map(
      ({ eventId, operation, principal, time, outcome }) => ({ eventId, operation, principal, time, outcome }),
    );
    for (const file of ["query-results/cloud-logging-read.json", "query-results/bigquery-query.json"]) {
      const read = (await calls(fixture(file))).map(({ eventId, operation, principal, time, outcome }) => ({
        eventId,
        operation,
        principal,
        time,
        outcome,
      }));
      expect(read, file).toEqual(reference);
    }
  });
});
