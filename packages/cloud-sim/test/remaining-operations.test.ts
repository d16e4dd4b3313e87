import {
  BedrockClient,
  GetImportedModelCommand,
  GetInferenceProfileCommand,
  GetMarketplaceModelEndpointCommand,
  GetProvisionedModelThroughputCommand,
  ListImportedModelsCommand,
  ListInferenceProfilesCommand,
  ListMarketplaceModelEndpointsCommand,
  ListProvisionedModelThroughputsCommand,
} from "@aws-sdk/client-bedrock";
import {
  BedrockAgentClient,
  ListAgentsCommand,
  ListTagsForResourceCommand as ListAgentTagsCommand,
  GetAgentCommand,
} from "@aws-sdk/client-bedrock-agent";
import { IAMClient, ListUserTagsCommand } from "@aws-sdk/client-iam";
import { GetFunctionConfigurationCommand, LambdaClient } from "@aws-sdk/client-lambda";
import {
  DescribeAccountCommand,
  OrganizationsClient,
  paginateListAccountsForParent,
} from "@aws-sdk/client-organizations";
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

describe("Get/Describe calls by id or ARN", () => {
  it("gets an imported model, a provisioned throughput, an inference profile and a marketplace endpoint (ARN in the path)", async () => {
    const c = new BedrockClient(clientConfig(sim.url, KEYS.prod));
    const imported = (await c.send(new ListImportedModelsCommand({}))).modelSummaries![0]!;
    expect((await c.send(new GetImportedModelCommand({ modelIdentifier: imported.modelArn! }))).modelName).toBe(
      "llama-import-1",
    );
    const provisioned = (await c.send(new ListProvisionedModelThroughputsCommand({}))).provisionedModelSummaries![0]!;
    const throughput = await c.send(
      new GetProvisionedModelThroughputCommand({ provisionedModelId: provisioned.provisionedModelArn! }),
    );
    expect(throughput).toMatchObject({ provisionedModelName: "pt1", desiredModelUnits: 2 });
    expect(throughput.creationTime).toBeInstanceOf(Date);
    const profile = (await c.send(new ListInferenceProfilesCommand({}))).inferenceProfileSummaries![0]!;
    expect(
      (await c.send(new GetInferenceProfileCommand({ inferenceProfileIdentifier: profile.inferenceProfileArn! })))
        .inferenceProfileName,
    ).toBe("app-profile");
    const endpoint = (await c.send(new ListMarketplaceModelEndpointsCommand({}))).marketplaceModelEndpoints![0]!;
    const detail = await c.send(new GetMarketplaceModelEndpointCommand({ endpointArn: endpoint.endpointArn! }));
    expect(detail.marketplaceModelEndpoint).toMatchObject({
      endpointArn: endpoint.endpointArn,
      status: "REGISTERED",
      endpointStatus: "InService",
    });
    expect(detail.marketplaceModelEndpoint?.endpointConfig?.sageMaker?.instanceType).toBe("ml.g5.2xlarge");
  });

  it("lists an agent's tags by ARN", async () => {
    const c = new BedrockAgentClient(clientConfig(sim.url, KEYS.prod));
    const helper = (await c.send(new ListAgentsCommand({}))).agentSummaries![0]!;
    const agent = await c.send(new GetAgentCommand({ agentId: helper.agentId! }));
    expect((await c.send(new ListAgentTagsCommand({ resourceArn: agent.agent!.agentArn! }))).tags).toEqual({
      owner: "support",
    });
  });

  it("gets one Lambda function's configuration with its environment", async () => {
    const fn = await new LambdaClient(clientConfig(sim.url, KEYS.prod)).send(
      new GetFunctionConfigurationCommand({ FunctionName: "chatbot" }),
    );
    expect(fn.Environment?.Variables?.OPENAI_API_KEY).toBe("sk-proj-testtesttesttesttesttest");
    expect(fn.FunctionArn).toBe("arn:aws:lambda:us-east-1:222222222222:function:chatbot");
  });

  it("lists the accounts of one OU and describes one account", async () => {
    const c = new OrganizationsClient(clientConfig(sim.url, KEYS.management));
    const prod = [];
    for await (const page of paginateListAccountsForParent({ client: c }, { ParentId: "ou-t3st-prod0001" }))
      prod.push(...(page.Accounts ?? []));
    expect(prod.map((a) => a.Id)).toEqual(["222222222222"]);
    const described = await c.send(new DescribeAccountCommand({ AccountId: "444444444444" }));
    expect(described.Account).toMatchObject({ Name: "closed", Status: "SUSPENDED" });
    expect(described.Account?.Paths?.[0]).toMatch(/^o-testorg0001\/r-t3st\/ou-t3st-[0-9a-f]{8}\/444444444444\/$/);
  });

  it("lists an IAM user's tags", async () => {
    const tags = await new IAMClient(clientConfig(sim.url, KEYS.prod)).send(
      new ListUserTagsCommand({ UserName: "alice" }),
    );
    expect(tags.Tags).toEqual([{ Key: "team", Value: "ml" }]);
    await expect(
      new IAMClient(clientConfig(sim.url, KEYS.prod)).send(new ListUserTagsCommand({ UserName: "nobody" })),
    ).rejects.toMatchObject({ name: "NoSuchEntityException" });
  });
});
