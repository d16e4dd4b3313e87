import { describe, expect, it } from "vitest";
import { apiCallFromCloudTrailEvent } from "../src/index.ts";

const SOURCE = { file: "trail.json", line: 1 };

function event(fields: Record<string, unknown>): Record<string, unknown> {
  return {
    eventVersion: "1.09",
    eventID: "e-1",
    eventTime: "2025-01-21T09:00:00Z",
    eventSource: "bedrock.amazonaws.com",
    eventName: "InvokeModel",
    awsRegion: "us-east-1",
    recipientAccountId: "111122223333",
    sourceIPAddress: "198.51.100.23",
    userAgent: "Boto3/1.35.36",
    userIdentity: {
      type: "AssumedRole",
      arn: "arn:aws:sts::111122223333:assumed-role/chat-app/worker-1",
      accountId: "111122223333",
      accessKeyId: "ASIAEXAMPLEKEYID0001",
    },
    requestParameters: { modelId: "anthropic.claude-3-haiku-20240307-v1:0" },
    ...fields,
  };
}

const call = (fields: Record<string, unknown>, origin?: { account?: string; region?: string }) =>
  apiCallFromCloudTrailEvent(event(fields), SOURCE, origin);

describe("CloudTrail event → ApiCall", () => {
  it("reads the call: when, where, who, what, how it ended", () => {
    expect(call({ errorCode: "ThrottlingException" })).toMatchObject({
      subject: "api-call",
      provider: "aws",
      account: "111122223333",
      region: "us-east-1",
      time: "2025-01-21T09:00:00.000Z",
      service: "bedrock",
      operation: "InvokeModel",
      principal: "arn:aws:sts::111122223333:assumed-role/chat-app/worker-1",
      sourceIp: "198.51.100.23",
      userAgent: "Boto3/1.35.36",
      model: "anthropic.claude-3-haiku-20240307-v1:0",
      authType: "iam",
      outcome: "failure",
      errorCode: "ThrottlingException",
      eventId: "e-1",
      source: SOURCE,
    });
  });

  it("is null for a service that is not AI", () => {
    expect(call({ eventSource: "ec2.amazonaws.com", eventName: "DescribeInstances" })).toBeNull();
  });

  it("an API key call (callWithBearerToken, short- or long-term key) is auth type key, wherever the mark is", () => {
    expect(call({ additionalEventData: { callWithBearerToken: true } })?.authType).toBe("key");
    expect(
      call({
        eventSource: "bedrock-mantle.amazonaws.com",
        eventName: "CreateChatCompletion",
        requestParameters: { model: "openai.gpt-oss-120b-1:0", callWithBearerToken: true },
      }),
    ).toMatchObject({ service: "bedrock-mantle", authType: "key", model: "openai.gpt-oss-120b-1:0" });
    // CloudTrail Lake and Athena rows carry it as a string.
    expect(call({ additionalEventData: { callWithBearerToken: "true" } })?.authType).toBe("key");
    expect(call({ requestParameters: { callWithBearerToken: false } })?.authType).toBe("iam");
    expect(call({ userIdentity: { type: "BedrockAPIKey", arn: "arn:aws:iam::111122223333:user/k" } })?.authType).toBe(
      "key",
    );
  });

  it("a bearer token STS issued for IAM credentials (ABIA…) is auth type bearer; no identity is unknown", () => {
    expect(
      call({
        userIdentity: {
          type: "AssumedRole",
          arn: "arn:aws:sts::111122223333:assumed-role/r/s",
          accessKeyId: "ABIAEXAMPLE0001",
        },
        additionalEventData: { callWithBearerToken: true },
      })?.authType,
    ).toBe("bearer");
    expect(call({ userIdentity: undefined })).toMatchObject({
      authType: "unknown",
      principal: { $unknown: true },
    });
  });

  it("names the model by its provider id, never by a SageMaker endpoint or model name", () => {
    expect(
      call({
        requestParameters: { modelId: "arn:aws:bedrock:us-east-1::foundation-model/amazon.titan-text-express-v1" },
      })?.model,
    ).toBe("amazon.titan-text-express-v1");
    const invoke = call({
      eventSource: "sagemaker.amazonaws.com",
      eventName: "InvokeEndpoint",
      requestParameters: { endpointName: "fraud-scorer" },
    });
    expect(invoke?.model).toEqual({
      $unknown: true,
      reason: "SageMaker endpoint fraud-scorer: the log names the endpoint, not its model",
    });
    expect(
      call({
        eventSource: "sagemaker.amazonaws.com",
        eventName: "CreateModel",
        requestParameters: { modelName: "fraud" },
      }),
    ).not.toHaveProperty("model");
  });

  it("takes the account and Region the event was looked up in when the event leaves them out", () => {
    expect(
      call({ recipientAccountId: undefined, awsRegion: undefined }, { account: "444455556666", region: "eu-west-1" }),
    ).toMatchObject({ account: "444455556666", region: "eu-west-1" });
    expect(call({ recipientAccountId: undefined, awsRegion: undefined })).toMatchObject({
      account: "111122223333",
      region: { $unknown: true },
    });
  });

  it("gives a record without an event id a stable id of its content", () => {
    const first = call({ eventID: undefined });
    expect(first?.eventId).toMatch(/^[0-9a-f]{32}$/);
    expect(call({ eventID: undefined })?.eventId).toBe(first?.eventId);
  });

  it("classifies the caller: AWS acting for the account is a cloud service, people are human, roles workloads", () => {
    // AWS Config recording SageMaker with its service-linked role (the shape Config's calls have in a trail).
    const config = call({
      eventSource: "sagemaker.amazonaws.com",
      eventName: "ListTags",
      sourceIPAddress: "config.amazonaws.com",
      userAgent: "config.amazonaws.com",
      requestParameters: { resourceArn: "arn:aws:sagemaker:us-east-1:111122223333:endpoint/fraud-scorer" },
      userIdentity: {
        type: "AssumedRole",
        principalId: "AROAEXAMPLEID00000001:AWSConfig-Describe",
        arn: "arn:aws:sts::111122223333:assumed-role/AWSServiceRoleForConfig/AWSConfig-Describe",
        accountId: "111122223333",
        accessKeyId: "ASIAEXAMPLEKEYID0002",
        sessionContext: {
          sessionIssuer: {
            type: "Role",
            principalId: "AROAEXAMPLEID00000001",
            arn: "arn:aws:iam::111122223333:role/aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig",
            accountId: "111122223333",
            userName: "AWSServiceRoleForConfig",
          },
          attributes: { creationDate: "2025-01-21T08:59:00Z", mfaAuthenticated: "false" },
        },
        invokedBy: "config.amazonaws.com",
      },
    });
    expect(config).toMatchObject({ actor: "cloud-service", usage: false });
    const actor = (userIdentity: Record<string, unknown>) => call({ userIdentity })?.actor;
    expect(actor({ type: "AWSService", invokedBy: "bedrock.amazonaws.com" })).toBe("cloud-service");
    // A service-linked role seen only through its session ARN (a flat CloudTrail Lake or Athena row).
    expect(
      actor({
        type: "AssumedRole",
        arn: "arn:aws:sts::111122223333:assumed-role/AWSServiceRoleForAmazonSageMakerNotebooks/s",
      }),
    ).toBe("cloud-service");
    expect(actor({ type: "IAMUser", arn: "arn:aws:iam::111122223333:user/alice" })).toBe("human");
    expect(actor({ type: "Root", arn: "arn:aws:iam::111122223333:root" })).toBe("human");
    expect(
      actor({
        type: "AssumedRole",
        arn: "arn:aws:sts::111122223333:assumed-role/AWSReservedSSO_DataScientist_0123456789abcdef/alice@example.com",
      }),
    ).toBe("human");
    expect(actor({ type: "AssumedRole", arn: "arn:aws:sts::111122223333:assumed-role/chat-app/worker-1" })).toBe(
      "workload",
    );
    expect(
      actor({ type: "WebIdentityUser", principalId: "token.actions.githubusercontent.com:sts.amazonaws.com" }),
    ).toBe("workload");
    expect(actor({ type: "AWSAccount", principalId: "AIDAEXAMPLE", accountId: "444455556666" })).toBe("unidentified");
  });

  it("an invocation is usage; discovery reads and control-plane calls are not", () => {
    expect(call({})?.usage).toBe(true);
    expect(call({ eventName: "Converse" })?.usage).toBe(true);
    expect(call({ eventName: "GetFoundationModelAvailability" })?.usage).toBe(false);
    expect(call({ eventName: "ListFoundationModels", requestParameters: {} })?.usage).toBe(false);
    expect(call({ eventName: "DeleteGuardrail", requestParameters: {} })?.usage).toBe(false);
    expect(
      call({ eventSource: "runtime.sagemaker.amazonaws.com", eventName: "InvokeEndpoint", requestParameters: {} })
        ?.usage,
    ).toBe(true);
  });
});
