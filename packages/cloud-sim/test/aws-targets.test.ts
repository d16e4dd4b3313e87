import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CloudSim, startCloudSim } from "../src/index.ts";
import { WORLD_FILE } from "./sim-clients.ts";

let sim: CloudSim;
beforeAll(async () => {
  sim = await startCloudSim({ world: WORLD_FILE });
});
afterAll(async () => {
  await sim.close();
});

/**
 * The X-Amz-Target prefixes of the awsJson1_1 services, as the official SDKs send them: the JavaScript SDK v3 (and
 * the other Smithy-generated SDKs) the service shape's name (`serviceTarget` in each client's protocol settings),
 * botocore and so the AWS CLI the `targetPrefix` of the service model (`botocore/data/<service>/<version>/service-2.json`).
 */
const TARGETS = [
  { signing: "sagemaker", javascript: "SageMaker", botocore: "SageMaker", operation: "ListEndpoints" },
  {
    signing: "cloudtrail",
    javascript: "CloudTrail_20131101",
    botocore: "com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101",
    operation: "LookupEvents",
  },
  {
    signing: "organizations",
    javascript: "AWSOrganizationsV20161128",
    botocore: "AWSOrganizationsV20161128",
    operation: "DescribeOrganization",
  },
  {
    signing: "ecs",
    javascript: "AmazonEC2ContainerServiceV20141113",
    botocore: "AmazonEC2ContainerServiceV20141113",
    operation: "ListTaskDefinitions",
  },
  { signing: "ssm", javascript: "AmazonSSM", botocore: "AmazonSSM", operation: "DescribeParameters" },
];

function send(signing: string, target: string): Promise<Response> {
  return fetch(sim.url, {
    method: "POST",
    headers: {
      authorization: `AWS4-HMAC-SHA256 Credential=AKIA222222222222TEST/20261122/us-east-1/${signing}/aws4_request, SignedHeaders=host, Signature=00`,
      "x-amz-target": target,
      "content-type": "application/x-amz-json-1.1",
    },
    body: "{}",
  });
}

describe("X-Amz-Target", () => {
  it("accepts the form each official SDK sends, and records the same operation for both", async () => {
    sim.requests.clear();
    for (const { signing, javascript, botocore, operation } of TARGETS) {
      for (const prefix of new Set([javascript, botocore])) {
        const response = await send(signing, `${prefix}.${operation}`);
        expect([prefix, response.status]).toEqual([prefix, 200]);
      }
    }
    expect(sim.requests.operations()).toEqual([
      "cloudtrail:LookupEvents",
      "ecs:ListTaskDefinitions",
      "organizations:DescribeOrganization",
      "sagemaker:ListEndpoints",
      "ssm:DescribeParameters",
    ]);
    expect(sim.requests.filter({ operation: "LookupEvents" }).map((r) => [r.cloud, r.status])).toEqual([
      ["aws", 200],
      ["aws", 200],
    ]);
  });

  it("refuses a prefix no SDK sends, as an unknown operation", async () => {
    const response = await send("cloudtrail", "com.amazonaws.cloudtrail.CloudTrail.LookupEvents");
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ __type: "UnknownOperationException" });
  });
});
