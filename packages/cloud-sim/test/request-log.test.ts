import { CreateEndpointCommand, ListEndpointsCommand, SageMakerClient } from "@aws-sdk/client-sagemaker";
import { GetParametersCommand, SSMClient } from "@aws-sdk/client-ssm";
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

const AUTH =
  "AWS4-HMAC-SHA256 Credential=AKIA222222222222TEST/20261122/us-east-1/sagemaker/aws4_request, SignedHeaders=host, Signature=00";

describe("the request log", () => {
  it("marks reads, and shows a write (which the simulator refuses as unknown) in writes()", async () => {
    sim.requests.clear();
    const client = new SageMakerClient(clientConfig(sim.url, KEYS.prod));
    await client.send(new ListEndpointsCommand({}));
    await expect(
      client.send(new CreateEndpointCommand({ EndpointName: "x", EndpointConfigName: "y" })),
    ).rejects.toMatchObject({ name: "UnknownOperationException" });
    expect(sim.requests.all().map((r) => [r.operation, r.readOnly])).toEqual([
      ["ListEndpoints", true],
      ["CreateEndpoint", false],
    ]);
    expect(sim.requests.writes().map((r) => `${r.service}:${r.operation}`)).toEqual(["sagemaker:CreateEndpoint"]);
    expect(sim.requests.operations()).toEqual(["sagemaker:CreateEndpoint", "sagemaker:ListEndpoints"]);
  });

  it("flags a request for decrypted secrets, and answers it with the plaintext as AWS would", async () => {
    sim.requests.clear();
    const ssm = new SSMClient(clientConfig(sim.url, KEYS.prod));
    await ssm.send(new GetParametersCommand({ Names: ["/app/openai"] }));
    const decrypted = await ssm.send(new GetParametersCommand({ Names: ["/app/secret"], WithDecryption: true }));
    expect(decrypted.Parameters?.[0]?.Value).toBe("plaintext-never-shown");
    expect(sim.requests.all().map((r) => r.secret)).toEqual([false, true]);
  });

  it("refuses unsigned requests and malformed JSON as AWS does", async () => {
    const unsigned = await fetch(sim.url, {
      method: "POST",
      headers: { "x-amz-target": "SageMaker.ListEndpoints", "content-type": "application/x-amz-json-1.1" },
      body: "{}",
    });
    expect(unsigned.status).toBe(403);
    expect(await unsigned.json()).toMatchObject({ __type: "MissingAuthenticationTokenException" });
    const malformed = await fetch(sim.url, {
      method: "POST",
      headers: {
        authorization: AUTH,
        "x-amz-target": "SageMaker.ListEndpoints",
        "content-type": "application/x-amz-json-1.1",
      },
      body: "{",
    });
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toMatchObject({ __type: "SerializationException" });
  });
});
