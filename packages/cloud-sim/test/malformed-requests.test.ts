import { ListEndpointsCommand, SageMakerClient } from "@aws-sdk/client-sagemaker";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CloudSim, startCloudSim } from "../src/index.ts";
import { clientConfig, KEYS, WORLD_FILE } from "./sim-clients.ts";

let sim: CloudSim;
beforeAll(async () => {
  sim = await startCloudSim({ world: WORLD_FILE });
});
afterAll(async () => {
  await sim.close();
});

const services = [
  "sagemaker",
  "bedrock",
  "iam",
  "sts",
  "lambda",
  "ssm",
  "cloudtrail",
  "organizations",
  "ecs",
  "account",
  "nonsense",
];
const targets = [
  "SageMaker.ListEndpoints",
  "SageMaker.DescribeEndpoint",
  "AmazonSSM.GetParameters",
  "AmazonSSM.DescribeParameters",
  "CloudTrail_20131101.LookupEvents",
  "AWSOrganizationsV20161128.ListParents",
  "AmazonEC2ContainerServiceV20141113.DescribeTaskDefinition",
  "Bogus.Op",
  "",
];
const paths = [
  "/",
  "/custom-models",
  "/custom-models/%E0%A4%A",
  "/guardrails/x",
  "/agents/",
  "/knowledgebases/abc/datasources/",
  "/2015-03-31/functions/",
  "/listRegions",
  "/tags/arn%3Aaws",
];

describe("malformed and hostile requests", () => {
  it("always get an HTTP answer in the protocol's error shape, and never stop the server", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          method: fc.constantFrom("GET", "POST", "PUT", "DELETE"),
          path: fc.oneof(fc.constantFrom(...paths), fc.webPath()),
          service: fc.constantFrom(...services),
          region: fc.constantFrom("us-east-1", "eu-west-1", "xx-nowhere-9", ""),
          key: fc.constantFrom("AKIA222222222222TEST", "ASIA999999999999ZZZZ", "", "AKIA"),
          target: fc.option(fc.constantFrom(...targets), { nil: undefined }),
          form: fc.boolean(),
          body: fc.oneof(
            fc.constant(""),
            fc.json(),
            fc.string(),
            fc.constantFrom(
              '{"Names": 5}',
              '{"Filters": "x"}',
              '{"LookupAttributes": [{}, {}]}',
              "Action=AssumeRole&RoleArn=x",
              "{",
            ),
          ),
        }),
        async (r) => {
          const headers: Record<string, string> = {
            authorization: `AWS4-HMAC-SHA256 Credential=${r.key}/20261122/${r.region}/${r.service}/aws4_request, SignedHeaders=host, Signature=0`,
          };
          if (r.target !== undefined) headers["x-amz-target"] = r.target;
          if (r.form) headers["content-type"] = "application/x-www-form-urlencoded";
          const response = await fetch(`${sim.url}${r.path}`, {
            method: r.method,
            headers,
            ...(r.method === "GET" ? {} : { body: r.body }),
          });
          expect(response.status).toBeGreaterThanOrEqual(200);
          expect(response.status).toBeLessThan(600);
          const text = await response.text();
          if (response.status >= 400) {
            // Every error names its code where the protocol puts it: __type (awsJson), x-amzn-errortype (restJson), <Code> (awsQuery).
            const named =
              response.headers.get("x-amzn-errortype") !== null || text.includes('"__type"') || text.includes("<Code>");
            expect(named).toBe(true);
          }
        },
      ),
      { numRuns: 200, seed: 7 },
    );
    const badEscape = await fetch(`${sim.url}/custom-models/%E0%A4%A`, {
      headers: {
        authorization:
          "AWS4-HMAC-SHA256 Credential=AKIA222222222222TEST/20261122/us-east-1/bedrock/aws4_request, SignedHeaders=host, Signature=0",
      },
    });
    expect(badEscape.status).toBe(404);
    expect(badEscape.headers.get("x-amzn-errortype")).toBe("ResourceNotFoundException");
    const after = await new SageMakerClient(clientConfig(sim.url, KEYS.prod)).send(new ListEndpointsCommand({}));
    expect(after.Endpoints?.length).toBe(2);
  });
});
