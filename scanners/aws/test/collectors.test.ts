import { readFileSync } from "node:fs";
import { ASSET_FACTS, isUnknown } from "@aigov/core";
import { type CloudSim, startCloudSim } from "@aigov/cloud-sim";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AwsScanConfig, createAwsScanner } from "../src/index.ts";
import { byName, runSweep, type SweepResult } from "./run-sweep.ts";

const WORLD = new URL("./fixtures/org-world.yaml", import.meta.url).pathname;
const NOW = new Date("2026-11-22T00:00:00Z");

// One sweep of the fixture organization with the real SDK clients over HTTP; the simulator answers one item per
// page so every paginator has to follow its tokens.
let sim: CloudSim;
let result: SweepResult;
let config: AwsScanConfig;
const savedEnv = { ...process.env };

beforeAll(async () => {
  // rateLimits: the simulator enforces CloudTrail's 2 requests/second and throttles a scanner that exceeds it.
  sim = await startCloudSim({ world: WORLD, pageSize: 1, rateLimits: true });
  // Base credentials come from the standard chain (here: environment variables), as in production.
  process.env.AWS_ACCESS_KEY_ID = "AKIAFAKEFAKEFAKEFAKE";
  process.env.AWS_SECRET_ACCESS_KEY = "not-a-secret";
  delete process.env.AWS_PROFILE;
  delete process.env.AWS_SESSION_TOKEN;
  const scanner = createAwsScanner({ now: () => NOW });
  config = {
    organization: true,
    regions: "all-enabled",
    endpoint: sim.url,
    concurrency: 8,
    roleName: "OrganizationAccountAccessRole",
    sessionName: "aigov-test",
    readSsmParameterValues: true,
  };
  result = await runSweep(scanner, config);
  scanner.close();
});

afterAll(async () => {
  process.env = savedEnv;
  await sim?.close();
});

describe("targets", () => {
  it("lists the organization's ACTIVE accounts × their enabled regions, plus one global target per account", () => {
    expect(result.targets.map((t) => t.key).sort()).toEqual([
      "aws:111111111111:global",
      "aws:111111111111:us-east-1",
      "aws:222222222222:eu-west-1",
      "aws:222222222222:global",
      "aws:222222222222:us-east-1",
    ]);
  });

  it("keeps the OU path, account tags and role in the target meta", () => {
    const target = result.targets.find((t) => t.key === "aws:222222222222:us-east-1")!;
    expect(target.label).toBe("ml-prod (222222222222) us-east-1");
    expect(target.meta).toEqual({
      scope: "region",
      roleArn: "arn:aws:iam::222222222222:role/OrganizationAccountAccessRole",
      accountName: "ml-prod",
      ouPath: "Root/Workloads/Prod",
      accountTags: { env: "prod", owner: "ml-team" },
    });
  });

  it("reports the account whose role cannot be assumed as a gap, and skips the suspended account", () => {
    expect(result.gaps.filter((g) => g.account === "333333333333")).toEqual([
      expect.objectContaining({
        account: "333333333333",
        service: "sts",
        operation: "AssumeRole",
        code: "AssumeRoleFailed",
        // Which role, and what usually fixes it.
        message: expect.stringContaining(
          "(role arn:aws:iam::333333333333:role/OrganizationAccountAccessRole: create it in the account with docs/permissions/aws/member-role-stackset.yaml",
        ),
      }),
    ]);
    expect(result.targets.some((t) => t.account === "444444444444")).toBe(false);
    expect(sim.requests.filter({ operation: "AssumeRole" }).length).toBeGreaterThan(0);
  });

  it("follows ListAccounts pages (one account per page)", () => {
    expect(sim.requests.count({ service: "organizations", operation: "ListAccounts" })).toBe(4);
  });
});

describe("SageMaker", () => {
  const assets = () => result.assets.filter((a) => a.account === "222222222222" && a.region === "us-east-1");

  it("normalizes endpoints with their configuration: CMK, data capture, models, owner", () => {
    const chat = byName(assets(), "AWS::SageMaker::Endpoint", "chat");
    expect(chat).toMatchObject({
      kind: "endpoint",
      id: "arn:aws:sagemaker:us-east-1:222222222222:endpoint/chat",
      cmk: true,
      logging: true,
      models: ["chat-model"],
      tags: { owner: "ml-team" },
      owner: "ml-team",
    });
    const shadow = byName(assets(), "AWS::SageMaker::Endpoint", "shadow");
    expect(shadow).toMatchObject({ cmk: false, logging: false, models: ["llm-model"], tags: {} });
    // What the endpoint's running monitoring schedules check (the stopped DataQuality schedule does not count),
    // from the region's one listing of its schedules (three pages at one schedule per page), not one listing per
    // endpoint.
    expect(chat.native.monitoringTypes).toEqual(["ModelBias", "ModelQuality"]);
    expect(shadow.native.monitoringTypes).toEqual([]);
    expect(
      sim.requests.count({ operation: "ListMonitoringSchedules", account: "222222222222", region: "us-east-1" }),
    ).toBe(3);
    expect(shadow.owner).toBeUndefined();
    expect(byName(assets(), "AWS::SageMaker::EndpointConfig", "chat-cfg")).toMatchObject({
      kind: "endpoint-config",
      cmk: true,
      logging: true,
    });
    expect(assets().filter((a) => a.type === "AWS::SageMaker::Endpoint")).toHaveLength(3);
    expect(
      sim.requests.count({ operation: "ListEndpoints", account: "222222222222", region: "us-east-1" }),
    ).toBeGreaterThanOrEqual(3);
  });

  it("normalizes models: network isolation and VPC", () => {
    expect(byName(assets(), "AWS::SageMaker::Model", "chat-model")).toMatchObject({
      privateNetwork: true,
      outboundRestricted: true,
      native: { EnableNetworkIsolation: true },
    });
    expect(byName(assets(), "AWS::SageMaker::Model", "llm-model")).toMatchObject({
      privateNetwork: false,
      outboundRestricted: false,
      native: {
        EnableNetworkIsolation: false,
        fromModelRegistry: false,
        containerImages: ["763104351884.dkr.ecr.us-east-1.amazonaws.com/huggingface-pytorch-tgi-inference:2.4"],
      },
    });
  });

  it("normalizes notebook instances: direct internet, root access, KMS, VPC, IMDS version, platform", () => {
    expect(byName(assets(), "AWS::SageMaker::NotebookInstance", "research")).toMatchObject({
      kind: "notebook",
      public: true,
      rootAccess: true,
      cmk: false,
      privateNetwork: false,
      imdsV1: true,
      platform: "notebook-al2-v2",
    });
    expect(byName(assets(), "AWS::SageMaker::NotebookInstance", "locked")).toMatchObject({
      public: false,
      rootAccess: false,
      cmk: true,
      privateNetwork: true,
      imdsV1: false,
      platform: "notebook-al2023-v1",
      owner: "ds-team",
    });
  });

  it("normalizes domains: auth mode and network access", () => {
    expect(byName(assets(), "AWS::SageMaker::Domain", "studio")).toMatchObject({
      kind: "workspace",
      public: true,
      privateNetwork: false,
      ssoAuth: false,
      native: { AuthMode: "IAM" },
    });
    expect(byName(assets(), "AWS::SageMaker::Domain", "studio-sso")).toMatchObject({
      public: false,
      privateNetwork: true,
      cmk: true,
      ssoAuth: true,
      native: { AuthMode: "SSO" },
    });
  });

  it("finds recent training and processing jobs (not older ones) with their isolation, encryption and network", () => {
    expect(byName(assets(), "AWS::SageMaker::TrainingJob", "tune-recent")).toMatchObject({
      kind: "training-job",
      cmk: true,
      privateNetwork: true,
      native: {
        EnableNetworkIsolation: false,
        EnableInterContainerTrafficEncryption: true,
        Environment: { WANDB_MODE: "[redacted]", OPENAI_API_KEY: "[redacted]" },
      },
    });
    expect(byName(assets(), "AWS::SageMaker::ProcessingJob", "prep-recent")).toMatchObject({
      kind: "training-job",
      cmk: false,
      privateNetwork: false,
      native: { EnableNetworkIsolation: true, EnableInterContainerTrafficEncryption: false },
    });
    expect(assets().some((a) => a.name === "tune-old")).toBe(false);
  });

  it("finds inference components and model package groups", () => {
    expect(byName(assets(), "AWS::SageMaker::InferenceComponent", "ic-chat")).toMatchObject({
      kind: "deployment",
      models: ["chat-model"],
    });
    expect(byName(assets(), "AWS::SageMaker::ModelPackageGroup", "approved-models").kind).toBe("model-registry");
  });
});

describe("SageMaker registry, HyperPod, monitoring, user profiles and spaces", () => {
  const assets = () => result.assets.filter((a) => a.account === "222222222222" && a.region === "us-east-1");

  it("lists a model package group's versions with their approval status, as parts of the group", () => {
    const versions = assets().filter((a) => a.type === "AWS::SageMaker::ModelPackage");
    expect(versions.map((v) => [v.name, v.native.ModelApprovalStatus, v.part])).toEqual([
      ["approved-models/1", "Approved", true],
      ["approved-models/2", "Rejected", true],
      ["approved-models/3", "PendingManualApproval", true],
    ]);
    expect(sim.requests.count({ operation: "ListModelPackages", account: "222222222222", region: "us-east-1" })).toBe(
      3,
    );
  });

  it("normalizes HyperPod clusters with their VPC, monitoring schedules, user profiles and spaces", () => {
    expect(byName(assets(), "AWS::SageMaker::Cluster", "hyperpod-train")).toMatchObject({
      kind: "compute",
      privateNetwork: true,
      owner: "ml-team",
    });
    expect(byName(assets(), "AWS::SageMaker::Cluster", "hyperpod-scratch")).toMatchObject({
      privateNetwork: false,
      tags: {},
    });
    expect(byName(assets(), "AWS::SageMaker::MonitoringSchedule", "chat-quality")).toMatchObject({
      kind: "training-job",
      native: { EndpointName: "chat", MonitoringType: "ModelQuality" },
    });
    const studio = byName(assets(), "AWS::SageMaker::Domain", "studio");
    const domainId = String(studio.native.DomainId);
    expect(byName(assets(), "AWS::SageMaker::UserProfile", "alice")).toMatchObject({
      kind: "workspace",
      id: `arn:aws:sagemaker:us-east-1:222222222222:user-profile/${domainId}/alice`,
      owner: "alice",
    });
    expect(byName(assets(), "AWS::SageMaker::Space", "shared-space")).toMatchObject({
      kind: "workspace",
      id: `arn:aws:sagemaker:us-east-1:222222222222:space/${domainId}/shared-space`,
      native: { SpaceSharingSettingsSummary: { SharingType: "Shared" } },
    });
  });
});

describe("Bedrock", () => {
  const assets = () => result.assets.filter((a) => a.account === "222222222222");

  it("normalizes custom, imported and provisioned models with their base model and CMK", () => {
    expect(byName(assets(), "AWS::Bedrock::CustomModel", "my-claude")).toMatchObject({
      kind: "model",
      cmk: true,
      models: ["anthropic.claude-3-haiku-20240307-v1:0"],
    });
    expect(byName(assets(), "AWS::Bedrock::CustomModel", "my-titan")).toMatchObject({
      cmk: false,
      models: ["amazon.titan-text-express-v1"],
    });
    expect(byName(assets(), "AWS::Bedrock::ImportedModel", "llama-import")).toMatchObject({ models: ["llama3"] });
    expect(byName(assets(), "AWS::Bedrock::ProvisionedModelThroughput", "pt1")).toMatchObject({
      kind: "provisioned-throughput",
      models: ["amazon.titan-text-express-v1"],
    });
  });

  it("reports the invocation logging configuration per region, on or off", () => {
    const logging = assets().filter((a) => a.type === "AWS::Bedrock::ModelInvocationLoggingConfiguration");
    expect(Object.fromEntries(logging.map((a) => [a.region, a.logging]))).toEqual({
      "us-east-1": true,
      "eu-west-1": false,
    });
  });

  it("normalizes guardrails with their prompt-attack and PII filters", () => {
    expect(byName(assets(), "AWS::Bedrock::Guardrail", "pii")).toMatchObject({
      native: { promptAttackInputStrength: "HIGH", sensitiveInformationFilter: true },
    });
    expect(byName(assets(), "AWS::Bedrock::Guardrail", "weak")).toMatchObject({
      native: { promptAttackInputStrength: "NONE", sensitiveInformationFilter: false },
    });
    expect(byName(assets(), "AWS::Bedrock::Guardrail", "eu-guard").region).toBe("eu-west-1");
  });

  it("lists the account's enforced guardrails as parts owned through their guardrail, following page tokens", () => {
    const enforced = assets().filter((a) => a.type === "AWS::Bedrock::EnforcedGuardrailConfiguration");
    expect(enforced).toHaveLength(2);
    const guardrailId = byName(assets(), "AWS::Bedrock::Guardrail", "eu-guard").id.split("/").pop();
    expect(enforced.find((a) => a.native.configId === "legacy")).toMatchObject({
      kind: "guardrail",
      region: "eu-west-1",
      part: true,
      guardrail: true,
      native: { guardrailId, guardrailVersion: "1" },
    });
    expect(enforced.find((a) => a.native.guardrailVersion === "2")?.native.modelEnforcement).toEqual({
      includedModels: ["ALL"],
      excludedModels: [],
    });
    expect(
      sim.requests.count({
        operation: "ListEnforcedGuardrailsConfiguration",
        account: "222222222222",
        region: "eu-west-1",
      }),
    ).toBe(2);
    // Read once per region although Bedrock and AgentCore both need it.
    expect(
      sim.requests.count({
        operation: "ListEnforcedGuardrailsConfiguration",
        account: "222222222222",
        region: "us-east-1",
      }),
    ).toBe(1);
  });

  it("reports the foundation models whose access agreement was accepted or is pending, and no others", () => {
    const agreements = assets().filter((a) => a.type === "AWS::Bedrock::FoundationModelAgreement");
    expect(agreements.map((a) => [a.region, a.models, a.native.agreementAvailability]).sort()).toEqual([
      ["eu-west-1", ["anthropic.claude-3-haiku-20240307-v1:0"], { status: "AVAILABLE" }],
      ["eu-west-1", ["cohere.command-r-v1:0"], { status: "PENDING" }],
    ]);
    expect(agreements[0]).toMatchObject({ kind: "setting", native: { authorizationStatus: "AUTHORIZED" } });
    expect(
      sim.requests.count({ operation: "GetFoundationModelAvailability", account: "222222222222", region: "eu-west-1" }),
    ).toBe(4);
  });

  it("says, for each region where Bedrock is in use, whether it has a guardrail", () => {
    const coverage = result.assets.filter((a) => a.type === "AWS::Bedrock::RegionGuardrailCoverage");
    expect(
      Object.fromEntries(coverage.map((a) => [`${a.account}:${a.region}`, [a.guardrail, a.native.guardrails]])),
    ).toEqual({
      // One imported model and nothing guarding it.
      "111111111111:us-east-1": [false, 0],
      "222222222222:us-east-1": [true, 2],
      // A guardrail and the two configurations enforcing it.
      "222222222222:eu-west-1": [true, 3],
    });
    expect(coverage.find((a) => a.account === "111111111111")?.native).toMatchObject({
      bedrockResources: 1,
      bedrockInvocations: 0,
    });
  });

  it("says, for each region where Bedrock is in use, whether a bedrock-runtime VPC endpoint is available there", () => {
    const access = result.assets.filter((a) => a.type === "AWS::Bedrock::RegionPrivateAccess");
    expect(Object.fromEntries(access.map((a) => [`${a.account}:${a.region}`, a.privateNetwork]))).toEqual({
      "111111111111:us-east-1": false,
      // One available endpoint; the pending one and the S3 gateway do not count.
      "222222222222:us-east-1": true,
      // Only an endpoint for agents (bedrock-agent-runtime).
      "222222222222:eu-west-1": false,
    });
    const vpcEndpoints = access.find((a) => a.account === "222222222222" && a.region === "us-east-1")?.native
      .vpcEndpoints as { vpcId: string; state: string }[];
    expect(vpcEndpoints.map((e) => `${e.vpcId} ${e.state}`).sort()).toEqual([
      "vpc-0a0000000000001 available",
      "vpc-0a0000000000002 pending",
    ]);
    // Filtered by service name and type on the server, one endpoint a page.
    expect(
      sim.requests.count({ operation: "DescribeVpcEndpoints", account: "222222222222", region: "us-east-1" }),
    ).toBe(2);
  });

  it("reads where invocation logs go and whether each destination encrypts with a customer-managed key", () => {
    const logging = result.assets.find(
      (a) =>
        a.type === "AWS::Bedrock::ModelInvocationLoggingConfiguration" &&
        a.account === "222222222222" &&
        a.region === "us-east-1",
    );
    expect(logging?.cmk).toBe(false);
    expect(logging?.native.destinations).toEqual([
      { kind: "s3", name: "bedrock-logs", algorithm: "AES256", cmk: false },
      {
        kind: "s3",
        name: "bedrock-large",
        algorithm: "aws:kms",
        kmsKeyId: "arn:aws:kms:us-east-1:222222222222:key/logs",
        cmk: true,
      },
      {
        kind: "cloudwatch-logs",
        name: "/aws/bedrock/invocations",
        kmsKeyId: "arn:aws:kms:us-east-1:222222222222:key/logs",
        cmk: true,
      },
    ]);
    // Logging off: no destination, no key to judge.
    const off = result.assets.find(
      (a) => a.type === "AWS::Bedrock::ModelInvocationLoggingConfiguration" && a.region === "eu-west-1",
    );
    expect(off?.cmk).toBeUndefined();
    // The prefix also matches the archive group, listed first: the paginator follows to the exact name.
    expect(sim.requests.count({ operation: "DescribeLogGroups", account: "222222222222", region: "us-east-1" })).toBe(
      2,
    );
    expect(sim.requests.count({ operation: "GetBucketEncryption", account: "222222222222" })).toBe(2);
  });

  it("finds application inference profiles and marketplace endpoints", () => {
    expect(byName(assets(), "AWS::Bedrock::ApplicationInferenceProfile", "app-profile")).toMatchObject({
      models: ["anthropic.claude-3-haiku-20240307-v1:0"],
    });
    const marketplace = assets().find((a) => a.type === "AWS::Bedrock::MarketplaceModelEndpoint");
    expect(marketplace?.models).toEqual([
      "arn:aws:sagemaker:us-east-1:aws:hub-content/SageMakerPublicHub/Model/cohere-rerank/1",
    ]);
  });

  it("normalizes agents with their guardrail and model, and knowledge bases", () => {
    expect(byName(assets(), "AWS::Bedrock::Agent", "helper")).toMatchObject({
      kind: "agent",
      guardrail: true,
      models: ["anthropic.claude-3-haiku-20240307-v1:0"],
    });
    expect(byName(assets(), "AWS::Bedrock::Agent", "unguarded")).toMatchObject({
      guardrail: false,
      models: ["anthropic.claude-3-5-sonnet-20240620-v1:0"],
    });
    expect(assets().filter((a) => a.type === "AWS::Bedrock::Agent")).toHaveLength(3);
    expect(byName(assets(), "AWS::Bedrock::KnowledgeBase", "docs")).toMatchObject({
      kind: "knowledge-base",
      cmk: true,
      models: ["amazon.titan-embed-text-v2:0"],
    });
    expect(byName(assets(), "AWS::Bedrock::KnowledgeBase", "scratch")).toMatchObject({ cmk: false });
  });
});

describe("Bedrock agents' tools, aliases and collaborators; flows and prompts", () => {
  const assets = () => result.assets.filter((a) => a.account === "222222222222" && a.region === "us-east-1");

  it("normalizes action groups as the agent's tools, each with where it reaches, owned through the agent", () => {
    const group = (name: string) => byName(assets(), "AWS::Bedrock::AgentActionGroup", `helper/${name}`);
    expect(group("orders")).toMatchObject({ kind: "tool", part: true, authorizer: "iam", reach: "account" });
    expect(group("partner-quotes")).toMatchObject({ reach: "other-account" });
    expect(group("ask-user")).toMatchObject({ reach: "client" });
    // Three action groups of one agent, one per page.
    expect(
      sim.requests.count({ operation: "ListAgentActionGroups", account: "222222222222", region: "us-east-1" }),
    ).toBeGreaterThanOrEqual(5);
  });

  it("lists aliases as parts of their agent, and the agents a supervisor delegates to", () => {
    expect(byName(assets(), "AWS::Bedrock::AgentAlias", "helper/live")).toMatchObject({ kind: "agent", part: true });
    expect(byName(assets(), "AWS::Bedrock::Agent", "helper").native.collaboratorAliasArns).toEqual([
      "arn:aws:bedrock:us-east-1:222222222222:agent-alias/BILLING001/LIVE000001",
    ]);
    expect(byName(assets(), "AWS::Bedrock::Agent", "third").native.collaboratorAliasArns).toEqual([]);
  });

  it("normalizes flows and prompts with their CMK, and a prompt's models", () => {
    expect(byName(assets(), "AWS::Bedrock::Flow", "triage-flow")).toMatchObject({
      kind: "agent",
      cmk: true,
      owner: "ml-team",
    });
    expect(byName(assets(), "AWS::Bedrock::Prompt", "summarize")).toMatchObject({
      kind: "prompt",
      cmk: false,
      models: ["anthropic.claude-3-haiku-20240307-v1:0"],
      tags: {},
    });
    expect(byName(assets(), "AWS::Bedrock::Prompt", "classify")).toMatchObject({ cmk: true, owner: "ml-team" });
  });
});

describe("Bedrock AgentCore", () => {
  const assets = () => result.assets.filter((a) => a.account === "222222222222" && a.region === "us-east-1");
  const arn = (resource: string) => `arn:aws:bedrock-agentcore:us-east-1:222222222222:${resource}`;

  it("normalizes agent runtimes: network mode, authorizer, owner; a runtime without tags is ungoverned", () => {
    const support = byName(assets(), "AWS::BedrockAgentCore::Runtime", "support_agent");
    expect(support).toMatchObject({
      kind: "agent",
      id: expect.stringMatching(
        /^arn:aws:bedrock-agentcore:us-east-1:222222222222:runtime\/support_agent-[0-9a-f]{10}$/,
      ),
      public: false,
      privateNetwork: true,
      authorizer: "jwt",
      owner: "support-team",
      native: { environmentVariables: { ANTHROPIC_API_KEY: "[redacted]", LOG_LEVEL: "[redacted]" } },
    });
    expect(byName(assets(), "AWS::BedrockAgentCore::Runtime", "scratch_agent")).toMatchObject({
      public: true,
      privateNetwork: false,
      authorizer: "iam",
      tags: {},
    });
    expect(byName(assets(), "AWS::BedrockAgentCore::Runtime", "scratch_agent").owner).toBeUndefined();
  });

  it("covers a runtime by a guardrail where the account enforces one in the region, and by none elsewhere", () => {
    expect(byName(assets(), "AWS::BedrockAgentCore::Runtime", "support_agent").guardrail).toBe(false);
    const eu = result.assets.filter((a) => a.account === "222222222222" && a.region === "eu-west-1");
    expect(byName(eu, "AWS::BedrockAgentCore::Runtime", "eu_agent").guardrail).toBe(true);
  });

  it("lists every runtime's endpoints: the DEFAULT one is a part of its runtime, an added one a resource", () => {
    expect(byName(assets(), "AWS::BedrockAgentCore::RuntimeEndpoint", "support_agent/DEFAULT")).toMatchObject({
      kind: "endpoint",
      part: true,
    });
    expect(byName(assets(), "AWS::BedrockAgentCore::RuntimeEndpoint", "support_agent/canary").part).toBeUndefined();
    expect(byName(assets(), "AWS::BedrockAgentCore::RuntimeEndpoint", "scratch_agent/DEFAULT").part).toBe(true);
    // One endpoint per page: support_agent's two endpoints took two pages.
    expect(
      sim.requests.count({ operation: "ListAgentRuntimeEndpoints", account: "222222222222", region: "us-east-1" }),
    ).toBe(3);
  });

  it("finds an AI key in a runtime's environment, redacted", () => {
    const key = result.keys.find((k) => k.location === "agentcore-runtime:support_agent:env:ANTHROPIC_API_KEY");
    expect(key).toMatchObject({ vendor: "anthropic", type: "third-party-ai-key" });
  });

  it("normalizes gateways with their authorizer, and each target with where its tool reaches", () => {
    const tools = byName(assets(), "AWS::BedrockAgentCore::Gateway", "tools");
    expect(tools).toMatchObject({ kind: "gateway", authorizer: "none", cmk: false, tags: {} });
    expect(tools.owner).toBeUndefined();
    expect(byName(assets(), "AWS::BedrockAgentCore::Gateway", "internal-tools")).toMatchObject({
      authorizer: "iam",
      cmk: true,
      owner: "platform",
    });
    const target = (name: string) => byName(assets(), "AWS::BedrockAgentCore::GatewayTarget", `tools/${name}`);
    expect(target("crm")).toMatchObject({ kind: "tool", part: true, authorizer: "none", reach: "internet" });
    expect(target("crm").id).toMatch(
      /^arn:aws:bedrock-agentcore:us-east-1:222222222222:gateway\/tools-[0-9a-f]{10}\/target\//,
    );
    expect(target("lookup")).toMatchObject({ reach: "account" });
    expect(target("partner")).toMatchObject({ reach: "other-account" });
    expect(
      sim.requests.count({ operation: "ListGatewayTargets", account: "222222222222", region: "us-east-1" }),
    ).toBeGreaterThanOrEqual(4);
  });

  it("normalizes memories, browsers and code interpreters", () => {
    expect(byName(assets(), "AWS::BedrockAgentCore::Memory", "support_memory")).toMatchObject({
      kind: "memory",
      cmk: true,
      owner: "support-team",
    });
    expect(byName(assets(), "AWS::BedrockAgentCore::Memory", "scratch_memory")).toMatchObject({ cmk: false });
    expect(byName(assets(), "AWS::BedrockAgentCore::BrowserCustom", "web_browser")).toMatchObject({
      kind: "tool",
      public: true,
      reach: "internet",
    });
    expect(byName(assets(), "AWS::BedrockAgentCore::CodeInterpreterCustom", "sandbox")).toMatchObject({
      kind: "tool",
      public: false,
      privateNetwork: false,
      reach: "account",
      id: expect.stringMatching(/^arn:aws:bedrock-agentcore:us-east-1:222222222222:code-interpreter\/sandbox-/),
    });
  });

  it("lists credential providers by name and vendor: an API-key provider holds a static third-party key", () => {
    expect(byName(assets(), "AWS::BedrockAgentCore::ApiKeyCredentialProvider", "crm-key")).toMatchObject({
      kind: "credential-provider",
      id: arn("token-vault/default/apikeycredentialprovider/crm-key"),
      keyAuth: true,
      reach: "internet",
    });
    expect(byName(assets(), "AWS::BedrockAgentCore::OAuth2CredentialProvider", "github")).toMatchObject({
      keyAuth: false,
      owner: "platform",
      native: { credentialProviderVendor: "GithubOauth2" },
    });
  });
});

describe("Amazon Q Business", () => {
  const assets = () => result.assets.filter((a) => a.account === "222222222222" && a.region === "us-east-1");

  it("normalizes applications with their CMK and owner, and their indexes, retrievers and plugins", () => {
    expect(byName(assets(), "AWS::QBusiness::Application", "company-assistant")).toMatchObject({
      kind: "application",
      id: expect.stringMatching(/^arn:aws:qbusiness:us-east-1:222222222222:application\/[0-9a-f-]{36}$/),
      cmk: true,
      owner: "it",
    });
    const shadow = byName(assets(), "AWS::QBusiness::Application", "shadow-assistant");
    expect(shadow).toMatchObject({ cmk: false, tags: {} });
    expect(shadow.owner).toBeUndefined();
    expect(byName(assets(), "AWS::QBusiness::Index", "company-assistant/main-index")).toMatchObject({
      kind: "index",
      owner: "it",
    });
    expect(byName(assets(), "AWS::QBusiness::Retriever", "company-assistant/main-retriever").kind).toBe("index");
    expect(byName(assets(), "AWS::QBusiness::Plugin", "company-assistant/jira")).toMatchObject({
      kind: "tool",
      reach: "internet",
      keyAuth: true,
      native: { serverUrl: "https://example.atlassian.net" },
    });
    expect(sim.requests.count({ operation: "ListApplications", account: "222222222222", region: "us-east-1" })).toBe(2);
  });
});

describe("IAM privileges", () => {
  const assets = () => result.assets.filter((a) => a.account === "222222222222");

  it("lists the users, groups and roles holding AmazonBedrockFullAccess as identities with their tags", () => {
    const holders = assets().filter((a) => a.kind === "identity");
    expect(holders.map((a) => a.id).sort()).toEqual([
      "arn:aws:iam::222222222222:group/ml",
      "arn:aws:iam::222222222222:role/ds-notebooks",
      "arn:aws:iam::222222222222:user/bob",
    ]);
    expect(holders.find((a) => a.name === "ds-notebooks")).toMatchObject({
      type: "AWS::IAM::Role",
      native: { bedrockFullAccess: true },
      tags: { owner: "data-science" },
      owner: "data-science",
    });
    expect(holders.find((a) => a.name === "bob")).toMatchObject({ type: "AWS::IAM::User", tags: {} });
    // Groups take no tags: owned through their members.
    expect(holders.find((a) => a.name === "ml")).toMatchObject({ type: "AWS::IAM::Group", part: true });
  });

  it("says which agents of a region act as the same role", () => {
    const unguarded = byName(assets(), "AWS::Bedrock::Agent", "unguarded");
    const third = byName(assets(), "AWS::Bedrock::Agent", "third");
    expect(unguarded.native).toMatchObject({ executionRoleShared: true, executionRoleSharedWith: [third.id] });
    expect(third.native).toMatchObject({ executionRoleShared: true, executionRoleSharedWith: [unguarded.id] });
    expect(byName(assets(), "AWS::Bedrock::Agent", "helper").native).toMatchObject({
      executionRoleShared: false,
      executionRoleSharedWith: [],
    });
    expect(byName(assets(), "AWS::BedrockAgentCore::Runtime", "support_agent").native.executionRoleShared).toBe(false);
  });

  it("marks agents whose execution role holds AdministratorAccess, reading each policy's holders once per account", () => {
    expect(byName(assets(), "AWS::Bedrock::Agent", "unguarded").administrator).toBe(true);
    expect(byName(assets(), "AWS::Bedrock::Agent", "helper").administrator).toBe(false);
    expect(byName(assets(), "AWS::BedrockAgentCore::Runtime", "scratch_agent").administrator).toBe(true);
    expect(byName(assets(), "AWS::BedrockAgentCore::Runtime", "support_agent").administrator).toBe(false);
    // Three holders of each policy at one per page, for the whole sweep of the account (two regions, global).
    expect(sim.requests.filter({ operation: "ListEntitiesForPolicy", account: "222222222222" }).length).toBe(6);
  });
});

describe("keys", () => {
  it("lists long-term Bedrock API keys of all users once per account, with status, age and expiry", () => {
    const keys = result.keys.filter((k) => k.type === "bedrock-api-key");
    expect(keys.map((k) => k.native.ServiceSpecificCredentialId).sort()).toEqual([
      "ACCAALICEKEY0000001",
      "ACCAALICEKEY0000002",
      "ACCABOBKEY000000001",
    ]);
    const never = keys.find((k) => k.native.ServiceSpecificCredentialId === "ACCAALICEKEY0000001")!;
    expect(never).toMatchObject({
      region: "global",
      status: "active",
      expiresAt: null,
      location: "iam-user:alice",
      native: { ageDays: 690, neverExpires: true },
    });
    expect(keys.find((k) => k.native.ServiceSpecificCredentialId === "ACCAALICEKEY0000002")).toMatchObject({
      expiresAt: "2026-12-01T00:00:00.000Z",
    });
    expect(keys.find((k) => k.native.ServiceSpecificCredentialId === "ACCABOBKEY000000001")).toMatchObject({
      status: "inactive",
    });
    // IAM is global: one listing per account, not per region (3 pages for 3 keys at one key per page).
    expect(sim.requests.filter({ operation: "ListServiceSpecificCredentials", account: "222222222222" })).toHaveLength(
      3,
    );
  });

  it("says whether a key's user holds AdministratorAccess, attached to the user or through a group", () => {
    const keys = result.keys.filter((k) => k.type === "bedrock-api-key");
    const byUser = Object.fromEntries(keys.map((k) => [k.location, k.native.userAdministrator]));
    // alice is in the admins group; bob holds AmazonBedrockFullAccess only.
    expect(byUser).toEqual({ "iam-user:alice": true, "iam-user:bob": false });
    // Each user's groups are read once per account, however many keys the user has (alice's two groups are two
    // pages at one item per page, bob's one).
    expect(sim.requests.count({ operation: "ListGroupsForUser", account: "222222222222" })).toBe(3);
  });

  it("finds third-party AI keys in Lambda, ECS (latest revision), SSM String parameters and SageMaker containers, redacted", () => {
    const keys = result.keys.filter((k) => k.type === "third-party-ai-key");
    expect(keys.map((k) => [k.location, k.vendor]).sort()).toEqual([
      ["agentcore-runtime:support_agent:env:ANTHROPIC_API_KEY", "anthropic"],
      ["ecs:worker:3/app:env:HF_TOKEN", "huggingface"],
      ["lambda:bot:env:OPENAI_API_KEY", "openai"],
      ["sagemaker-model:llm-model:env:HUGGING_FACE_HUB_TOKEN", "huggingface"],
      ["sagemaker-notebook-lifecycle:setup-openai:OnStart[0]", "openai"],
      ["sagemaker-training-job:tune-recent:env:OPENAI_API_KEY", "openai"],
      ["ssm:/app/gemini:value", "google-gemini"],
      ["ssm:/app/groq-list:value", "groq"],
    ]);
    const openai = keys.find((k) => k.vendor === "openai")!;
    expect(openai.redacted).toMatch(/^sk-proj-…[A-Za-z0-9]{4}$/);
    expect(openai.fingerprint).toMatch(/^[0-9a-f]{64}$/);
  });

  it("finds an AI key in a notebook lifecycle script, redacted, and none in a clean one", () => {
    const found = result.keys.filter((k) => k.native.source === "sagemaker-notebook-lifecycle");
    expect(found).toEqual([
      expect.objectContaining({
        type: "third-party-ai-key",
        vendor: "openai",
        location: "sagemaker-notebook-lifecycle:setup-openai:OnStart[0]",
        redacted: expect.stringMatching(/^sk-proj-…[A-Za-z0-9]{4}$/),
      }),
    ]);
    // Both configurations listed at one per page, each described once.
    expect(sim.requests.count({ operation: "DescribeNotebookInstanceLifecycleConfig", account: "222222222222" })).toBe(
      2,
    );
  });

  it("never carries a secret value in any result, and never reads the SecureString parameter", () => {
    const world = readFileSync(WORLD, "utf8");
    const secrets = [...world.matchAll(/(sk-proj-[\w-]+|sk-ant-api03-[\w-]+|hf_[A-Za-z]+|AIza[\w-]+|gsk_\w+)/g)].map(
      (m) => m[1]!,
    );
    expect(secrets.length).toBeGreaterThanOrEqual(5);
    const everything = JSON.stringify(result);
    for (const secret of secrets) expect(everything).not.toContain(secret.slice(0, 24));
    expect(result.keys.some((k) => k.location.includes("/app/secret"))).toBe(false);
  });
});

describe("CloudTrail", () => {
  it("normalizes AI API calls in the window to ApiCall: operation, model, principal, IP, user agent, API key use, outcome", () => {
    const calls = result.calls.filter((c) => c.account === "222222222222").sort((a, b) => a.time.localeCompare(b.time));
    // The SageMaker endpoint's name is not a model: CreateEndpoint names none.
    expect(calls.map((c) => [c.time, c.service, c.operation, c.model, c.authType, c.outcome])).toEqual([
      ["2026-11-21T09:00:00.000Z", "sagemaker", "CreateEndpoint", undefined, "iam", "success"],
      [
        "2026-11-21T10:00:00.000Z",
        "bedrock",
        "InvokeModel",
        "anthropic.claude-3-haiku-20240307-v1:0",
        "key",
        "success",
      ],
      ["2026-11-21T11:00:00.000Z", "bedrock", "Converse", "amazon.titan-text-express-v1", "iam", "success"],
      ["2026-11-21T12:00:00.000Z", "bedrock", "InvokeModel", "meta.llama3-70b-instruct-v1:0", "iam", "failure"],
    ]);
    expect(calls[1]).toMatchObject({
      principal: "arn:aws:iam::222222222222:user/alice",
      sourceIp: "203.0.113.7",
      userAgent: "aws-sdk-js/3",
      region: "us-east-1",
    });
    expect(calls[3]?.errorCode).toBe("AccessDeniedException");
    expect(calls.every((c) => c.eventId !== "")).toBe(true);
  });

  it("stays within 2 LookupEvents requests per second per account and region", () => {
    const lookups = sim.requests.filter({ operation: "LookupEvents", account: "222222222222", region: "us-east-1" });
    expect(lookups.length).toBeGreaterThanOrEqual(4);
    const times = lookups.map((r) => r.at).sort((a, b) => a - b);
    // Any three consecutive requests span at least one second (a little slack for timer rounding).
    for (let i = 2; i < times.length; i++) expect(times[i]! - times[i - 2]!).toBeGreaterThanOrEqual(990);
    // The simulator enforces the limit: not one LookupEvents was throttled.
    expect(sim.requests.filter({ operation: "LookupEvents" }).filter((r) => r.status !== 200)).toEqual([]);
  });
});

describe("coverage", () => {
  it("has no gaps besides the unassumable role, and no unknown facts, when everything is readable", () => {
    const unexpected = result.gaps.filter((g) => g.code !== "AssumeRoleFailed");
    expect(unexpected).toEqual([]);
    const unknownFacts = result.assets.flatMap((a) =>
      ([...ASSET_FACTS, "tags"] as const).filter((f) => isUnknown(a[f])).map((f) => `${a.type}:${a.name}.${f}`),
    );
    expect(unknownFacts).toEqual([]);
  });
});
