import {
  BedrockClient,
  GetCustomModelCommand,
  GetGuardrailCommand,
  GetModelInvocationLoggingConfigurationCommand,
  ListFoundationModelsCommand,
  ListTagsForResourceCommand,
  paginateListCustomModels,
  paginateListGuardrails,
  paginateListImportedModels,
  paginateListInferenceProfiles,
  paginateListMarketplaceModelEndpoints,
  paginateListProvisionedModelThroughputs,
} from "@aws-sdk/client-bedrock";
import {
  BedrockAgentClient,
  GetAgentCommand,
  GetDataSourceCommand,
  GetKnowledgeBaseCommand,
  paginateListAgents,
  paginateListDataSources,
  paginateListKnowledgeBases,
} from "@aws-sdk/client-bedrock-agent";
import { CloudTrailClient, LookupEventsCommand, paginateLookupEvents } from "@aws-sdk/client-cloudtrail";
import { DescribeTaskDefinitionCommand, ECSClient, paginateListTaskDefinitions } from "@aws-sdk/client-ecs";
import { LambdaClient, ListTagsCommand, paginateListFunctions } from "@aws-sdk/client-lambda";
import {
  DescribeDomainCommand,
  DescribeEndpointCommand,
  DescribeEndpointConfigCommand,
  DescribeModelCommand,
  DescribeInferenceComponentCommand,
  DescribeNotebookInstanceCommand,
  DescribeProcessingJobCommand,
  DescribeTrainingJobCommand,
  ListTagsCommand as SageMakerListTagsCommand,
  paginateListDomains,
  paginateListEndpoints,
  paginateListInferenceComponents,
  paginateListModelPackageGroups,
  paginateListModels,
  paginateListNotebookInstances,
  paginateListProcessingJobs,
  paginateListTrainingJobs,
  SageMakerClient,
} from "@aws-sdk/client-sagemaker";
import { GetParametersCommand, paginateDescribeParameters, SSMClient } from "@aws-sdk/client-ssm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CloudSim, startCloudSim } from "../src/index.ts";
import { clientConfig, collect, KEYS, WORLD_FILE } from "./sim-clients.ts";

let sim: CloudSim;
beforeAll(async () => {
  sim = await startCloudSim({ world: WORLD_FILE });
});
afterAll(async () => {
  await sim.close();
});

describe("SageMaker over awsJson1_1", () => {
  const client = () => new SageMakerClient(clientConfig(sim.url, KEYS.prod));

  it("pages through every endpoint, two at a time, with Date timestamps", async () => {
    sim.requests.clear();
    const endpoints = await collect(paginateListEndpoints({ client: client() }, {}), (p) => p.Endpoints);
    expect(endpoints.map((e) => e.EndpointName)).toEqual(["chat", "embed", "legacy"]);
    expect(endpoints[0]!.EndpointArn).toBe("arn:aws:sagemaker:us-east-1:222222222222:endpoint/chat");
    expect(endpoints[0]!.CreationTime).toEqual(new Date("2025-03-01T12:00:00Z"));
    expect(endpoints[2]!.EndpointStatus).toBe("Failed");
    expect(
      sim.requests.count({
        service: "sagemaker",
        operation: "ListEndpoints",
        account: "222222222222",
        region: "us-east-1",
      }),
    ).toBe(2);
  });

  it("describes an endpoint, its configuration (variants, KMS, data capture) and its model", async () => {
    const c = client();
    const endpoint = await c.send(new DescribeEndpointCommand({ EndpointName: "chat" }));
    expect(endpoint.EndpointConfigName).toBe("chat-cfg");
    expect(endpoint.ProductionVariants?.[0]).toMatchObject({ VariantName: "v1", CurrentInstanceCount: 2 });
    expect(endpoint.DataCaptureConfig).toMatchObject({
      EnableCapture: true,
      CaptureStatus: "Started",
      CurrentSamplingPercentage: 50,
    });
    const config = await c.send(new DescribeEndpointConfigCommand({ EndpointConfigName: "chat-cfg" }));
    expect(config.KmsKeyId).toBe("arn:aws:kms:us-east-1:222222222222:key/1234abcd");
    expect(config.ProductionVariants?.[0]).toMatchObject({ ModelName: "chat-model", InstanceType: "ml.g5.xlarge" });
    expect(config.DataCaptureConfig?.CaptureOptions).toEqual([{ CaptureMode: "Input" }]);
    const model = await c.send(new DescribeModelCommand({ ModelName: "chat-model" }));
    expect(model.EnableNetworkIsolation).toBe(true);
    expect(model.VpcConfig?.Subnets).toEqual(["subnet-1"]);
    expect(model.PrimaryContainer?.Environment).toEqual({ HF_MODEL_ID: "meta-llama/Llama-3-8B" });
    const plain = await c.send(new DescribeModelCommand({ ModelName: "embed-model" }));
    expect(plain.EnableNetworkIsolation).toBe(false);
    expect(plain.CreationTime).toBeInstanceOf(Date);
  });

  it("answers a missing endpoint with the ValidationException SageMaker sends", async () => {
    await expect(client().send(new DescribeEndpointCommand({ EndpointName: "nope" }))).rejects.toMatchObject({
      name: "ValidationException",
      $metadata: { httpStatusCode: 400 },
    });
  });

  it("lists models, notebooks (with their network and root settings), domains, jobs, components and registries", async () => {
    const c = client();
    expect((await collect(paginateListModels({ client: c }, {}), (p) => p.Models)).map((m) => m.ModelName)).toEqual([
      "chat-model",
      "embed-model",
      "old-model",
    ]);
    const notebooks = await collect(paginateListNotebookInstances({ client: c }, {}), (p) => p.NotebookInstances);
    expect(notebooks.map((n) => n.NotebookInstanceName)).toEqual(["research", "locked", "default"]);
    expect(notebooks[0]!.NotebookInstanceLifecycleConfigName).toBe("install-stuff");
    const locked = await c.send(new DescribeNotebookInstanceCommand({ NotebookInstanceName: "locked" }));
    expect(locked).toMatchObject({
      DirectInternetAccess: "Disabled",
      RootAccess: "Disabled",
      KmsKeyId: "arn:aws:kms:us-east-1:222222222222:key/nb",
      SubnetId: "subnet-9",
    });
    const defaults = await c.send(new DescribeNotebookInstanceCommand({ NotebookInstanceName: "default" }));
    expect(defaults).toMatchObject({ DirectInternetAccess: "Enabled", RootAccess: "Enabled" });
    expect(defaults.KmsKeyId).toBeUndefined();
    const domains = await collect(paginateListDomains({ client: c }, {}), (p) => p.Domains);
    expect(domains.map((d) => d.DomainName)).toEqual(["studio", "open", "third"]);
    const studio = await c.send(new DescribeDomainCommand({ DomainId: "d-studio00001" }));
    expect(studio).toMatchObject({ AuthMode: "SSO", AppNetworkAccessType: "VpcOnly", VpcId: "vpc-1" });
    const open = await c.send(new DescribeDomainCommand({ DomainId: domains[1]!.DomainId! }));
    expect(open).toMatchObject({ AuthMode: "IAM", AppNetworkAccessType: "PublicInternetOnly" });
    const recent = await collect(
      paginateListTrainingJobs({ client: c }, { CreationTimeAfter: new Date("2025-01-01T00:00:00Z") }),
      (p) => p.TrainingJobSummaries,
    );
    expect(recent.map((j) => j.TrainingJobName).sort()).toEqual(["tj-mid", "tj-new"]);
    const processing = await collect(paginateListProcessingJobs({ client: c }, {}), (p) => p.ProcessingJobSummaries);
    expect(processing.map((j) => [j.ProcessingJobName, j.ProcessingJobStatus])).toEqual([
      ["pj1", "Completed"],
      ["pj2", "Completed"],
      ["pj3", "Failed"],
    ]);
    const components = await collect(
      paginateListInferenceComponents({ client: c }, { EndpointNameEquals: "chat" }),
      (p) => p.InferenceComponents,
    );
    expect(components.map((x) => x.InferenceComponentName)).toEqual(["ic1", "ic2"]);
    const groups = await collect(
      paginateListModelPackageGroups({ client: c }, {}),
      (p) => p.ModelPackageGroupSummaryList,
    );
    expect(groups.map((g) => g.ModelPackageGroupName)).toEqual(["registry1", "registry2", "registry3"]);
  });

  it("describes a training job (network isolation, VPC, output KMS), a processing job and an inference component", async () => {
    const c = client();
    const job = await c.send(new DescribeTrainingJobCommand({ TrainingJobName: "tj-old" }));
    expect(job).toMatchObject({
      TrainingJobStatus: "Completed",
      EnableNetworkIsolation: true,
      VpcConfig: { Subnets: ["subnet-2"] },
    });
    expect(job.OutputDataConfig?.KmsKeyId).toBe("arn:aws:kms:us-east-1:222222222222:key/tj");
    expect(job.CreationTime).toEqual(new Date("2024-01-01T00:00:00Z"));
    // Hyperparameters are user data: a value that looks like a time stays the string it was.
    expect(job.HyperParameters).toEqual({ StartTime: "2024-01-01T00:00:00Z" });
    const processing = await c.send(new DescribeProcessingJobCommand({ ProcessingJobName: "pj3" }));
    expect(processing).toMatchObject({ ProcessingJobStatus: "Failed", FailureReason: "OOM" });
    const component = await c.send(new DescribeInferenceComponentCommand({ InferenceComponentName: "ic1" }));
    expect(component).toMatchObject({
      EndpointName: "chat",
      EndpointArn: "arn:aws:sagemaker:us-east-1:222222222222:endpoint/chat",
      Specification: { ModelName: "chat-model" },
    });
    await expect(c.send(new DescribeTrainingJobCommand({ TrainingJobName: "nope" }))).rejects.toMatchObject({
      name: "ResourceNotFound",
    });
  });

  it("returns tags by ARN from ListTags", async () => {
    const tags = await client().send(
      new SageMakerListTagsCommand({ ResourceArn: "arn:aws:sagemaker:us-east-1:222222222222:endpoint/chat" }),
    );
    expect(tags.Tags).toEqual([{ Key: "owner", Value: "ml-team" }]);
  });

  it("keeps regions apart", async () => {
    const eu = new SageMakerClient(clientConfig(sim.url, KEYS.prod, "eu-west-1"));
    const endpoints = await collect(paginateListEndpoints({ client: eu }, {}), (p) => p.Endpoints);
    expect(endpoints.map((e) => e.EndpointArn)).toEqual(["arn:aws:sagemaker:eu-west-1:222222222222:endpoint/eu-chat"]);
  });
});

describe("Bedrock and bedrock-agent over restJson1", () => {
  const client = () => new BedrockClient(clientConfig(sim.url, KEYS.prod));

  it("pages through custom, imported and provisioned models, guardrails, inference profiles and marketplace endpoints", async () => {
    sim.requests.clear();
    const c = client();
    const custom = await collect(paginateListCustomModels({ client: c }, {}), (p) => p.modelSummaries);
    expect(custom.map((m) => m.modelName)).toEqual(["tuned-1", "tuned-2", "tuned-3"]);
    expect(custom[0]!.creationTime).toBeInstanceOf(Date);
    expect(custom[0]!.baseModelArn).toBe("arn:aws:bedrock:us-east-1::foundation-model/amazon.titan-text-express-v1");
    expect(sim.requests.count({ service: "bedrock", operation: "ListCustomModels" })).toBe(2);
    expect((await collect(paginateListImportedModels({ client: c }, {}), (p) => p.modelSummaries)).length).toBe(3);
    const provisioned = await collect(
      paginateListProvisionedModelThroughputs({ client: c }, {}),
      (p) => p.provisionedModelSummaries,
    );
    expect(provisioned.map((p) => p.provisionedModelName)).toEqual(["pt1", "pt2", "pt3"]);
    expect(provisioned[0]).toMatchObject({ desiredModelUnits: 2, commitmentDuration: "OneMonth", status: "InService" });
    const guardrails = await collect(paginateListGuardrails({ client: c }, {}), (p) => p.guardrails);
    expect(guardrails.map((g) => g.name)).toEqual(["pii-filter", "topics", "words"]);
    expect(guardrails[0]!.id).toBe("gr0000pii1");
    const profiles = await collect(
      paginateListInferenceProfiles({ client: c }, { typeEquals: "APPLICATION" }),
      (p) => p.inferenceProfileSummaries,
    );
    expect(profiles.map((p) => p.inferenceProfileName)).toEqual(["app-profile", "second-app"]);
    expect(profiles[0]!.models).toEqual([
      { modelArn: "arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-3-haiku-20240307-v1:0" },
    ]);
    const marketplace = await collect(
      paginateListMarketplaceModelEndpoints({ client: c }, {}),
      (p) => p.marketplaceModelEndpoints,
    );
    expect(marketplace[0]!.endpointArn).toBe("arn:aws:sagemaker:us-east-1:222222222222:endpoint/mp-rerank");
    expect(marketplace.length).toBe(3);
  });

  it("gets one custom model by name, a guardrail, tags, the foundation model catalogue and the logging configuration", async () => {
    const c = client();
    const model = await c.send(new GetCustomModelCommand({ modelIdentifier: "tuned-1" }));
    expect(model.modelKmsKeyArn).toBe("arn:aws:kms:us-east-1:222222222222:key/cm");
    const guardrail = await c.send(new GetGuardrailCommand({ guardrailIdentifier: "gr0000pii1" }));
    expect(guardrail).toMatchObject({ name: "pii-filter", guardrailId: "gr0000pii1", version: "1" });
    const tags = await c.send(new ListTagsForResourceCommand({ resourceARN: model.modelArn! }));
    expect(tags.tags).toEqual([{ key: "owner", value: "ml-team" }]);
    const foundation = await c.send(new ListFoundationModelsCommand({}));
    expect(foundation.modelSummaries?.map((m) => m.modelId)).toContain("anthropic.claude-3-haiku-20240307-v1:0");
    const logging = await c.send(new GetModelInvocationLoggingConfigurationCommand({}));
    expect(logging.loggingConfig).toMatchObject({
      textDataDeliveryEnabled: true,
      s3Config: { bucketName: "invocation-logs", keyPrefix: "bedrock/" },
    });
  });

  it("says nothing about logging where none is configured", async () => {
    const dev = new BedrockClient(clientConfig(sim.url, KEYS.dev, "us-west-2"));
    const logging = await dev.send(new GetModelInvocationLoggingConfigurationCommand({}));
    expect(logging.loggingConfig).toBeUndefined();
  });

  it("answers a missing custom model with a 404 ResourceNotFoundException", async () => {
    await expect(client().send(new GetCustomModelCommand({ modelIdentifier: "missing" }))).rejects.toMatchObject({
      name: "ResourceNotFoundException",
      $metadata: { httpStatusCode: 404 },
    });
  });

  it("lists agents with guardrail and model, and knowledge bases, page by page", async () => {
    sim.requests.clear();
    const c = new BedrockAgentClient(clientConfig(sim.url, KEYS.prod));
    const agents = await collect(paginateListAgents({ client: c }, {}), (p) => p.agentSummaries);
    expect(agents.map((a) => a.agentName)).toEqual(["helper", "unguarded", "third"]);
    expect(agents[0]!.guardrailConfiguration).toEqual({ guardrailIdentifier: "gr0000pii1", guardrailVersion: "1" });
    expect(agents[1]!.guardrailConfiguration).toBeUndefined();
    const agent = await c.send(new GetAgentCommand({ agentId: agents[1]!.agentId! }));
    expect(agent.agent).toMatchObject({
      agentName: "unguarded",
      foundationModel: "meta.llama3-8b-instruct-v1:0",
      agentStatus: "PREPARED",
    });
    expect(agent.agent?.createdAt).toBeInstanceOf(Date);
    const kbs = await collect(paginateListKnowledgeBases({ client: c }, {}), (p) => p.knowledgeBaseSummaries);
    expect(kbs.map((k) => k.name)).toEqual(["docs", "wiki", "tickets"]);
    const kb = await c.send(new GetKnowledgeBaseCommand({ knowledgeBaseId: kbs[0]!.knowledgeBaseId! }));
    expect(kb.knowledgeBase?.knowledgeBaseArn).toBe(
      `arn:aws:bedrock:us-east-1:222222222222:knowledge-base/${kbs[0]!.knowledgeBaseId}`,
    );
    expect(sim.requests.count({ service: "bedrock-agent", operation: "ListAgents" })).toBe(2);
    const sources = await collect(
      paginateListDataSources({ client: c }, { knowledgeBaseId: kbs[0]!.knowledgeBaseId! }),
      (p) => p.dataSourceSummaries,
    );
    expect(sources.map((d) => d.name)).toEqual(["docs-bucket", "confluence", "web"]);
    const confluence = await c.send(
      new GetDataSourceCommand({ knowledgeBaseId: kbs[0]!.knowledgeBaseId!, dataSourceId: sources[1]!.dataSourceId! }),
    );
    expect(confluence.dataSource?.dataSourceConfiguration?.type).toBe("CONFLUENCE");
    expect(kb.knowledgeBase).not.toHaveProperty("dataSources");
  });
});

describe("compute configuration: Lambda, ECS, SSM", () => {
  it("lists Lambda functions with their environment variables, two per page", async () => {
    sim.requests.clear();
    const c = new LambdaClient(clientConfig(sim.url, KEYS.prod));
    const functions = await collect(paginateListFunctions({ client: c }, {}), (p) => p.Functions);
    expect(functions.map((f) => f.FunctionName)).toEqual(["chatbot", "plain", "third"]);
    expect(functions[0]!.Environment?.Variables).toEqual({
      OPENAI_API_KEY: "sk-proj-testtesttesttesttesttest",
      LOG_LEVEL: "info",
    });
    expect(functions[2]!.LastModified).toBe("2026-01-02T03:04:05.000+0000");
    expect(sim.requests.count({ service: "lambda", operation: "ListFunctions" })).toBe(2);
    const tags = await c.send(new ListTagsCommand({ Resource: functions[0]!.FunctionArn! }));
    expect(tags.Tags).toEqual({ owner: "bots" });
  });

  it("lists active ECS task definitions and describes their container environments", async () => {
    const c = new ECSClient(clientConfig(sim.url, KEYS.prod));
    const arns = await collect(paginateListTaskDefinitions({ client: c }, {}), (p) => p.taskDefinitionArns);
    expect(arns).toEqual([
      "arn:aws:ecs:us-east-1:222222222222:task-definition/api:1",
      "arn:aws:ecs:us-east-1:222222222222:task-definition/worker:1",
      "arn:aws:ecs:us-east-1:222222222222:task-definition/worker:2",
    ]);
    const first = await c.send(new DescribeTaskDefinitionCommand({ taskDefinition: arns[1]! }));
    expect(first.taskDefinition?.containerDefinitions?.[0]?.environment).toEqual([
      { name: "HF_TOKEN", value: "hf_testtesttesttesttesttesttesttest" },
    ]);
    expect(first.taskDefinition?.registeredAt).toBeInstanceOf(Date);
    const latest = await c.send(new DescribeTaskDefinitionCommand({ taskDefinition: "worker", include: ["TAGS"] }));
    expect(latest.taskDefinition?.revision).toBe(2);
    expect(latest.tags).toEqual([{ key: "owner", value: "batch" }]);
  });

  it("describes SSM parameters and returns String values but never a SecureString's plaintext", async () => {
    const c = new SSMClient(clientConfig(sim.url, KEYS.prod));
    const all = await collect(paginateDescribeParameters({ client: c }, {}), (p) => p.Parameters);
    expect(all.map((p) => [p.Name, p.Type])).toEqual([
      ["/app/openai", "String"],
      ["/app/secret", "SecureString"],
      ["/app/list", "StringList"],
      ["/other/flag", "String"],
    ]);
    expect(all[1]!.KeyId).toBe("alias/aws/ssm");
    const strings = await collect(
      paginateDescribeParameters(
        { client: c },
        { ParameterFilters: [{ Key: "Type", Option: "Equals", Values: ["String"] }] },
      ),
      (p) => p.Parameters,
    );
    expect(strings.map((p) => p.Name)).toEqual(["/app/openai", "/other/flag"]);
    const got = await c.send(new GetParametersCommand({ Names: ["/app/openai", "/app/secret", "/missing"] }));
    expect(got.Parameters?.[0]?.Value).toBe("sk-proj-ssmssmssmssmssmssmssm");
    const secret = got.Parameters?.[1];
    expect(secret?.Type).toBe("SecureString");
    expect(secret?.Value).not.toContain("plaintext");
    expect(Buffer.from(secret!.Value!, "base64").toString("utf8")).not.toContain("plaintext-never-shown");
    expect(got.InvalidParameters).toEqual(["/missing"]);
  });
});

describe("CloudTrail LookupEvents", () => {
  const client = () => new CloudTrailClient(clientConfig(sim.url, KEYS.prod));

  it("finds Bedrock calls by event source, newest first, with the record as a JSON string", async () => {
    const events = await collect(
      paginateLookupEvents(
        { client: client() },
        { LookupAttributes: [{ AttributeKey: "EventSource", AttributeValue: "bedrock.amazonaws.com" }] },
      ),
      (p) => p.Events,
    );
    expect(events.map((e) => [e.EventName, e.Username])).toEqual([
      ["Converse", "session-1"],
      ["InvokeModel", "alice"],
      ["InvokeModel", "bob"],
    ]);
    expect(events[0]!.EventTime).toEqual(new Date("2026-11-20T11:00:00Z"));
    const record = JSON.parse(events[1]!.CloudTrailEvent!) as Record<string, unknown>;
    expect(record).toMatchObject({
      eventSource: "bedrock.amazonaws.com",
      eventName: "InvokeModel",
      awsRegion: "us-east-1",
      recipientAccountId: "222222222222",
      sourceIPAddress: "203.0.113.7",
      userAgent: "aws-sdk-js/3.0",
      requestParameters: { modelId: "anthropic.claude-3-haiku-20240307-v1:0" },
      additionalEventData: { inferenceRegion: "us-west-2" },
    });
    expect(JSON.parse(events[0]!.CloudTrailEvent!).additionalEventData).toEqual({ callWithBearerToken: true });
    expect(JSON.parse(events[2]!.CloudTrailEvent!).errorCode).toBe("AccessDenied");
    expect(events[1]!.AccessKeyId).toBe("AKIAALICE0000000000");
  });

  it("applies the time window and rejects more than 50 results per page", async () => {
    const window = await client().send(
      new LookupEventsCommand({
        StartTime: new Date("2026-11-19T00:00:00Z"),
        EndTime: new Date("2026-11-20T10:30:00Z"),
        MaxResults: 50,
      }),
    );
    expect(window.Events?.map((e) => e.EventName)).toEqual(["InvokeModel", "InvokeModel"]);
    await expect(client().send(new LookupEventsCommand({ MaxResults: 51 }))).rejects.toMatchObject({
      name: "InvalidMaxResultsException",
    });
  });
});
