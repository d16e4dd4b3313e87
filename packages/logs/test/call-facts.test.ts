import { describe, expect, it } from "vitest";
import { recordCall } from "../src/index.ts";

// A call's actor and usage from the Google audit entries `aigov logs` reads (CloudTrail's are in
// packages/normalize/test/cloudtrail-event.test.ts).

function auditEntry(methodName: string, principalEmail: string): Record<string, unknown> {
  return {
    protoPayload: {
      "@type": "type.googleapis.com/google.cloud.audit.AuditLog",
      status: {},
      authenticationInfo: { principalEmail },
      requestMetadata: { callerIp: "203.0.113.7", callerSuppliedUserAgent: "google-cloud-sdk gcloud/502.0.0" },
      serviceName: "aiplatform.googleapis.com",
      methodName,
      resourceName: "projects/acme-ml-prod/locations/us-central1/publishers/google/models/gemini-2.0-flash-001",
    },
    insertId: "1a2b3c4d5e",
    resource: { type: "audited_resource", labels: { project_id: "acme-ml-prod", location: "us-central1" } },
    timestamp: "2026-11-20T11:00:00.123456Z",
    logName: "projects/acme-ml-prod/logs/cloudaudit.googleapis.com%2Fdata_access",
  };
}

const call = (methodName: string, principalEmail: string) => {
  const result = recordCall(auditEntry(methodName, principalEmail), { file: "audit.ndjson", line: 1 });
  return result.kind === "call" ? result.call : undefined;
};

describe("Google audit entries: actor and usage", () => {
  it("GenerateContent by a person is usage by a human; a service agent's read is the cloud's own, not usage", () => {
    expect(call("google.cloud.aiplatform.v1.PredictionService.GenerateContent", "alice@acme.example")).toMatchObject({
      actor: "human",
      usage: true,
    });
    expect(
      call(
        "google.cloud.aiplatform.v1.ModelGardenService.GetPublisherModel",
        "service-123456789012@gcp-sa-aiplatform.iam.gserviceaccount.com",
      ),
    ).toMatchObject({ actor: "cloud-service", usage: false });
    expect(
      call("google.cloud.aiplatform.v1.PredictionService.Predict", "rag-indexer@acme-ml-prod.iam.gserviceaccount.com"),
    ).toMatchObject({ actor: "workload", usage: true });
  });
});

describe("Azure records: actor and usage", () => {
  const record = (fields: Record<string, unknown>) => {
    const result = recordCall(
      {
        time: "2026-11-20T09:00:12.3456789Z",
        resourceId:
          "/SUBSCRIPTIONS/8C1A5F2E-1D2B-4C3D-9E4F-5A6B7C8D9E0F/RESOURCEGROUPS/RG-AI/PROVIDERS/MICROSOFT.COGNITIVESERVICES/ACCOUNTS/CONTOSO-OAI",
        resultType: "Success",
        resultSignature: "200",
        callerIpAddress: "203.0.113.*",
        correlationId: "5d6e7f80-0000-4000-8000-000000000001",
        location: "eastus",
        ...fields,
      },
      { file: "PT1H.json", line: 1 },
    );
    return result.kind === "call" ? result.call : undefined;
  };

  it("a chat completion is usage; a key listing by a user is a human's control-plane call; a first-party app is the cloud's", () => {
    expect(
      record({ category: "RequestResponse", operationName: "ChatCompletions_Create", properties: '{"objectId":""}' }),
    ).toMatchObject({ usage: true, actor: "unidentified" });
    expect(
      record({
        category: "Administrative",
        operationName: "MICROSOFT.COGNITIVESERVICES/ACCOUNTS/LISTKEYS/ACTION",
        identity: {
          claims: { "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/upn": "mallory@contoso.example" },
        },
      }),
    ).toMatchObject({ usage: false, actor: "human" });
    expect(
      record({
        category: "Administrative",
        operationName: "MICROSOFT.COGNITIVESERVICES/ACCOUNTS/READ",
        identity: {
          claims: {
            appid: "0f0e0d0c-0000-4000-8000-000000000001",
            idtyp: "app",
            "http://schemas.microsoft.com/identity/claims/identityprovider":
              "https://sts.windows.net/f8cdef31-a31e-4b4a-93e4-5f571e91255a/",
          },
        },
      }),
    ).toMatchObject({ usage: false, actor: "cloud-service" });
  });
});
