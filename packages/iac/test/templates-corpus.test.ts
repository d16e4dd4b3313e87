import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { type Asset, defaultPolicy, loadRules, type Rule } from "@aigov/core";
import { beforeAll, describe, expect, it } from "vitest";
import { judgePlanned } from "../src/index.ts";
import { readGateSource } from "../src/gate.ts";

// Real public templates (corpora/README.md names their sources and licences) and what the gate makes of them with
// the default rules and policy. Other rules of the pack may add findings; the ones named here must be there.

const CORPORA = join(dirname(fileURLToPath(import.meta.url)), "corpora");

let rules: Rule[];
const policy = defaultPolicy();
beforeAll(async () => {
  rules = await loadRules({ policy });
});

async function gate(file: string) {
  const input = await readGateSource(join(CORPORA, file));
  const result = judgePlanned(input.subjects, { rules, policy });
  const pairs = (blocking: boolean) =>
    result.entries
      .filter((entry) => entry.blocking === blocking)
      .map(({ finding }) => `${finding.ruleId} ${finding.subject.id}`);
  return { input, result, blocking: pairs(true), reported: pairs(false) };
}

const typesOf = (subjects: readonly { id: string; subject: string }[]) =>
  Object.fromEntries(subjects.map((subject) => [subject.id, (subject as Asset).type]));

describe("CloudFormation templates", () => {
  it("AWS docs' SageMaker endpoint (YAML): model, config and endpoint, each without an owner, block", async () => {
    const { input, result, blocking, reported } = await gate("cloudformation/sagemaker-endpoint.yaml");
    expect(input.source).toBe("cloudformation");
    expect(input.resources).toBe(4);
    expect(typesOf(input.subjects)).toEqual({
      Endpoint: "aws_sagemaker_endpoint",
      EndpointConfig: "aws_sagemaker_endpoint_configuration",
      Model: "aws_sagemaker_model",
    });
    expect(result.exitCode).toBe(1);
    expect(blocking).toEqual(
      expect.arrayContaining([
        "ai-resource-ungoverned Endpoint",
        "ai-resource-ungoverned EndpointConfig",
        "ai-resource-ungoverned Model",
      ]),
    );
    expect(reported).toEqual(
      expect.arrayContaining([
        "aws-sagemaker-model-network-isolation-disabled Model",
        "ai-invocation-logging-disabled EndpointConfig",
      ]),
    );
    // The image comes from !FindInMap keyed by AWS::Region: known only when the stack deploys.
    expect((input.subjects.find((subject) => subject.id === "Model") as Asset).models).toMatchObject({
      $unknown: true,
    });
    // The line the resource starts on, for the PR annotation.
    expect(input.subjects.find((subject) => subject.id === "Model")?.source).toMatchObject({ line: 35 });
  });

  it("the same template in JSON: the same findings", async () => {
    const yaml = await gate("cloudformation/sagemaker-endpoint.yaml");
    const json = await gate("cloudformation/sagemaker-endpoint.json");
    expect(json.blocking.sort()).toEqual(yaml.blocking.sort());
    expect(json.reported.sort()).toEqual(yaml.reported.sort());
  });

  it("AWS docs' notebook instance: internet access and root access by default block", async () => {
    const { result, blocking, reported } = await gate("cloudformation/sagemaker-notebook-instance.yaml");
    expect(result.exitCode).toBe(1);
    expect(blocking).toEqual(
      expect.arrayContaining([
        "ai-public-network-access BasicNotebookInstance",
        "ai-resource-ungoverned BasicNotebookInstance",
      ]),
    );
    expect(reported).toEqual(
      expect.arrayContaining([
        "ai-notebook-root-access BasicNotebookInstance",
        "aws-sagemaker-notebook-not-in-vpc BasicNotebookInstance",
      ]),
    );
  });

  it("a Bedrock agent and its alias: the agent blocks, the alias is a part", async () => {
    const { input, blocking, reported } = await gate("cloudformation/api-expert-agent.yaml");
    const agent = input.subjects.find((subject) => subject.id === "ApiExpertAgent") as Asset;
    expect(agent.type).toBe("aws_bedrockagent_agent");
    expect(agent.models).toEqual(["amazon.nova-pro-v1:0"]);
    // AgentName is !Sub "${AWS::StackName}-api-expert-agent": the stack's name is known when it deploys.
    expect(agent.name).toBe("ApiExpertAgent");
    const alias = input.subjects.find((subject) => subject.id === "ApiExpertAgentAlias") as Asset;
    expect(alias).toMatchObject({ part: true, name: "prod" });
    expect(blocking).toEqual(["ai-resource-ungoverned ApiExpertAgent"]);
    expect(reported).toEqual(expect.arrayContaining(["ai-agent-no-guardrail ApiExpertAgent"]));
  });

  it("a Bedrock knowledge base with OpenSearch Serverless: 18 resources, 3 AI, the knowledge base blocks", async () => {
    const { input, blocking } = await gate("cloudformation/bedrock-kb-aos.yaml");
    expect(input.resources).toBe(18);
    expect(typesOf(input.subjects)).toEqual({
      BedrockKnowledgeBase: "aws_bedrockagent_knowledge_base",
      BedrockKnowledgeBaseS3DataSource: "aws_bedrockagent_data_source",
      BedrockKnowledgeBaseDocsDataSource: "aws_bedrockagent_data_source",
    });
    expect(blocking).toEqual(["ai-resource-ungoverned BedrockKnowledgeBase"]);
  });

  it("a Bedrock flow blocks without an owner", async () => {
    const { blocking } = await gate("cloudformation/bedrock-flow.yaml");
    expect(blocking).toEqual(["ai-resource-ungoverned APIExpertFlow"]);
  });

  it("a Q Business application: its tags are read, none is an owner, so it blocks", async () => {
    const { input, blocking } = await gate("cloudformation/QBusinessApplication.yaml");
    const application = input.subjects[0] as Asset;
    expect(application).toMatchObject({
      id: "QBusinessApplication",
      kind: "application",
      name: "MyQBusinessApp",
      tags: { Environment: "Development", CostCenter: "IT" },
    });
    expect(blocking).toEqual(["ai-resource-ungoverned QBusinessApplication"]);
  });
});

describe("ARM templates", () => {
  it("Foundry getting started: a public, key-authenticated AI Services account blocks; the project has no owner", async () => {
    const { input, result, blocking, reported } = await gate("arm/foundry-getting-started.json");
    expect(input.source).toBe("arm");
    expect(input.resources).toBe(3);
    const account = "Microsoft.CognitiveServices/accounts/[parameters('foundryName')]";
    const deployment =
      "Microsoft.CognitiveServices/accounts/deployments/[format('{0}/{1}', parameters('foundryName'), parameters('modelDeploymentName'))]";
    expect(typesOf(input.subjects)).toEqual({
      [account]: "Microsoft.CognitiveServices/accounts",
      "Microsoft.CognitiveServices/accounts/projects/[format('{0}/{1}', parameters('foundryName'), parameters('projectName'))]":
        "Microsoft.CognitiveServices/accounts/projects",
      [deployment]: "Microsoft.CognitiveServices/accounts/deployments",
    });
    expect(input.subjects.find((subject) => subject.id === account)).toMatchObject({
      public: true,
      keyAuth: true,
      // location is [resourceGroup().location]: the resource group's region, known when the template deploys.
      region: { $unknown: true },
    });
    expect(input.subjects.find((subject) => subject.id === deployment)).toMatchObject({
      models: ["gpt-4.1-mini"],
      part: true,
    });
    expect(result.exitCode).toBe(1);
    expect(blocking).toEqual(
      expect.arrayContaining([`ai-public-network-access ${account}`, `ai-resource-ungoverned ${account}`]),
    );
    expect(reported).toEqual(
      expect.arrayContaining([
        `ai-key-auth-enabled ${account}`,
        `azure-ai-deployment-global-processing ${deployment}`,
        `azure-ai-deployment-no-content-filter ${deployment}`,
      ]),
    );
  });

  it("Azure OpenAI behind a private endpoint: not public; the copy loop's two deployments, their models unknown", async () => {
    const { input, blocking, reported } = await gate("arm/openai-private-endpoint.json");
    expect(input.resources).toBe(16);
    const account = "Microsoft.CognitiveServices/accounts/oai-private-demo";
    expect(input.subjects.find((subject) => subject.id === account)).toMatchObject({ public: false, keyAuth: true });
    // Two instances of `copy` (count: length(variables('deployments')) = 2); each model is a parameter without a
    // default, so the deployment names and models are known only when the template deploys.
    const deployments = input.subjects.filter((subject) => subject.kind === "deployment") as Asset[];
    expect(deployments.map((deployment) => deployment.id.slice(-3))).toEqual(["[0]", "[1]"]);
    expect(deployments.map((deployment) => deployment.models)).toEqual([
      { $unknown: true, reason: expect.stringContaining("embeddingsModelName") },
      { $unknown: true, reason: expect.stringContaining("chatGptModelName") },
    ]);
    expect(blocking).toEqual([`ai-resource-ungoverned ${account}`]);
    expect(reported).toEqual(expect.arrayContaining([`ai-key-auth-enabled ${account}`]));
    expect(reported.some((pair) => pair.startsWith("ai-public-network-access"))).toBe(false);
  });

  it("Azure ML workspace: its region from the parameter's default, public by default, blocks", async () => {
    const { input, blocking } = await gate("arm/machine-learning-workspace.json");
    expect(input.resources).toBe(5);
    const workspace = "Microsoft.MachineLearningServices/workspaces/[variables('workspaceName')]";
    expect(input.subjects.map((subject) => subject.id)).toEqual([workspace]);
    expect(input.subjects[0]).toMatchObject({ region: "eastus", kind: "workspace", public: true });
    expect(blocking).toEqual(
      expect.arrayContaining([`ai-public-network-access ${workspace}`, `ai-resource-ungoverned ${workspace}`]),
    );
  });
});
