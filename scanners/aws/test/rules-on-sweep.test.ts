import { createEngine, defaultPolicy, type Finding, loadRules } from "@aigov/core";
import { startCloudSim } from "@aigov/cloud-sim";
import { beforeAll, describe, expect, it } from "vitest";
import { createAwsScanner } from "../src/index.ts";
import { FAKE_CREDENTIALS, runSweep } from "./run-sweep.ts";

// The user-visible outcome of a sweep: the findings the default rule pack raises on what the scanner collected.
const NOW = new Date("2026-11-22T00:00:00Z");
let findings: Finding[] = [];
const has = (ruleId: string, name: string) =>
  findings.some((f) => f.ruleId === ruleId && f.subject.name === name && f.status === "open");

beforeAll(async () => {
  const sim = await startCloudSim({ world: new URL("./fixtures/org-world.yaml", import.meta.url).pathname });
  try {
    const scanner = createAwsScanner({ credentials: FAKE_CREDENTIALS, now: () => NOW });
    const result = await runSweep(scanner, {
      organization: true,
      regions: "all-enabled",
      endpoint: sim.url,
      readSsmParameterValues: true,
    });
    scanner.close();
    const policy = defaultPolicy();
    const engine = createEngine(await loadRules({ policy }), policy, { now: NOW });
    findings = [...result.assets, ...result.keys, ...result.calls].flatMap((subject) => engine.findings(subject));
  } finally {
    await sim.close();
  }
});

describe("default rules on a swept organization", () => {
  it("flags the SageMaker misconfigurations and passes the hardened resources", () => {
    expect(has("ai-notebook-root-access", "research")).toBe(true);
    expect(has("ai-notebook-root-access", "locked")).toBe(false);
    expect(has("aws-sagemaker-notebook-not-in-vpc", "research")).toBe(true);
    expect(has("aws-sagemaker-notebook-not-in-vpc", "locked")).toBe(false);
    expect(has("aws-sagemaker-endpoint-no-owner", "shadow")).toBe(true);
    expect(has("aws-sagemaker-endpoint-no-owner", "chat")).toBe(false);
    expect(has("aws-sagemaker-model-network-isolation-disabled", "llm-model")).toBe(true);
    expect(has("aws-sagemaker-model-network-isolation-disabled", "chat-model")).toBe(false);
    expect(has("aws-sagemaker-model-not-from-registry", "llm-model")).toBe(true);
    expect(has("aws-sagemaker-domain-iam-auth", "studio")).toBe(true);
    expect(has("aws-sagemaker-domain-iam-auth", "studio-sso")).toBe(false);
    expect(has("aws-sagemaker-notebook-imdsv1", "research")).toBe(true);
    expect(has("aws-sagemaker-notebook-imdsv1", "locked")).toBe(false);
    expect(has("aws-sagemaker-notebook-platform-deprecated", "research")).toBe(true);
    expect(has("aws-sagemaker-notebook-platform-deprecated", "locked")).toBe(false);
    expect(has("aws-sagemaker-data-capture-not-encrypted", "chat-cfg")).toBe(true);
    // Both production endpoints: chat runs ModelQuality and ModelBias schedules, shadow none.
    expect(has("aws-sagemaker-endpoint-no-model-monitoring", "shadow")).toBe(true);
    expect(has("aws-sagemaker-endpoint-no-model-monitoring", "chat")).toBe(false);
    expect(has("aws-sagemaker-endpoint-no-clarify-monitoring", "shadow")).toBe(true);
    expect(has("aws-sagemaker-endpoint-no-clarify-monitoring", "chat")).toBe(false);
    expect(has("aws-sagemaker-notebook-lifecycle-script-ai-key", "setup-openai:OnStart[0]")).toBe(true);
  });

  it("flags agents acting as administrators, AmazonBedrockFullAccess holders and administrators' Bedrock API keys", () => {
    expect(has("ai-agent-administrator-role", "unguarded")).toBe(true);
    expect(has("ai-agent-administrator-role", "scratch_agent")).toBe(true);
    expect(has("ai-agent-administrator-role", "helper")).toBe(false);
    expect(has("ai-agent-administrator-role", "support_agent")).toBe(false);
    for (const holder of ["ds-notebooks", "bob", "ml"])
      expect(has("aws-iam-bedrock-full-access-attached", holder)).toBe(true);
    const adminKeys = findings.filter((f) => f.ruleId === "aws-bedrock-api-key-user-administrator");
    expect(adminKeys.map((f) => f.subject.id).sort()).toEqual([
      "arn:aws:iam::222222222222:user/alice/service-specific-credential/ACCAALICEKEY0000001",
      "arn:aws:iam::222222222222:user/alice/service-specific-credential/ACCAALICEKEY0000002",
    ]);
  });

  it("flags a region where Bedrock is used without any guardrail", () => {
    expect(has("aws-bedrock-region-no-guardrail", "bedrock guardrails 111111111111 us-east-1")).toBe(true);
    expect(has("aws-bedrock-region-no-guardrail", "bedrock guardrails 222222222222 us-east-1")).toBe(false);
    expect(has("aws-bedrock-region-no-guardrail", "bedrock guardrails 222222222222 eu-west-1")).toBe(false);
  });

  it("flags agents of a region sharing one role", () => {
    expect(has("aws-bedrock-agent-role-shared", "unguarded")).toBe(true);
    expect(has("aws-bedrock-agent-role-shared", "third")).toBe(true);
    expect(has("aws-bedrock-agent-role-shared", "helper")).toBe(false);
  });

  it("judges an AgentCore runtime by the account's enforced guardrail in its region", () => {
    expect(has("ai-agent-no-guardrail", "support_agent")).toBe(true);
    expect(has("ai-agent-no-guardrail", "eu_agent")).toBe(false);
  });

  it("flags Bedrock guardrail, agent and logging gaps", () => {
    expect(has("ai-agent-no-guardrail", "unguarded")).toBe(true);
    expect(has("ai-agent-no-guardrail", "helper")).toBe(false);
    expect(has("aws-bedrock-guardrail-prompt-attack-filter-weak", "weak")).toBe(true);
    expect(has("aws-bedrock-guardrail-prompt-attack-filter-weak", "pii")).toBe(false);
    expect(has("aws-bedrock-guardrail-no-sensitive-information-filter", "weak")).toBe(true);
    // A custom model holds what it was tuned on: the data rule (medium) judges it, not the generic one (low).
    expect(has("ai-data-no-customer-managed-key", "my-titan")).toBe(true);
    expect(has("ai-no-customer-managed-key", "my-titan")).toBe(false);
    expect(has("ai-data-no-customer-managed-key", "my-claude")).toBe(false);
    expect(has("aws-bedrock-provisioned-throughput-no-commitment", "pt1")).toBe(true);
    const loggingOff = findings.filter(
      (f) =>
        f.ruleId === "ai-invocation-logging-disabled" &&
        f.subject.nativeType === "AWS::Bedrock::ModelInvocationLoggingConfiguration",
    );
    expect(loggingOff.map((f) => `${f.subject.account}/${f.subject.region}`).sort()).toEqual([
      "111111111111/us-east-1",
      "222222222222/eu-west-1",
    ]);
  });

  it("flags keys: never-expiring Bedrock API key, third-party keys in configuration, plaintext SSM parameters", () => {
    expect(
      findings.some(
        (f) => f.ruleId === "bedrock-api-key-never-expires" && f.subject.id.endsWith("ACCAALICEKEY0000001"),
      ),
    ).toBe(true);
    expect(
      findings.some(
        (f) => f.ruleId === "bedrock-api-key-never-expires" && f.subject.id.endsWith("ACCAALICEKEY0000002"),
      ),
    ).toBe(false);
    expect(
      findings.some(
        (f) => f.ruleId === "aws-bedrock-api-key-inactive-not-deleted" && f.subject.id.endsWith("ACCABOBKEY000000001"),
      ),
    ).toBe(true);
    // Seven in environments and parameters, one in a notebook lifecycle script.
    expect(findings.filter((f) => f.ruleId === "third-party-ai-key-in-configuration")).toHaveLength(8);
    expect(has("third-party-ai-key-in-configuration", "support_agent:env:ANTHROPIC_API_KEY")).toBe(true);
    expect(has("aws-ai-key-in-ssm-plaintext-parameter", "/app/gemini:value")).toBe(true);
    expect(has("aws-ai-key-in-sagemaker-container-environment", "llm-model:env:HUGGING_FACE_HUB_TOKEN")).toBe(true);
  });

  it("flags the ungoverned AgentCore gateway, its open tools and the stored third-party key; passes the governed ones", () => {
    expect(has("ai-resource-ungoverned", "tools")).toBe(true);
    expect(has("ai-resource-ungoverned", "internal-tools")).toBe(false);
    expect(has("ai-agent-gateway-no-authorizer", "tools")).toBe(true);
    expect(has("ai-agent-gateway-no-authorizer", "internal-tools")).toBe(false);
    // Targets are owned through their gateway, and judged for where they reach.
    expect(has("ai-resource-ungoverned", "tools/crm")).toBe(false);
    expect(has("ai-agent-tool-reaches-out-unauthenticated", "tools/crm")).toBe(true);
    expect(has("ai-agent-tool-reaches-out-unauthenticated", "tools/partner")).toBe(true);
    expect(has("ai-agent-tool-reaches-out-unauthenticated", "tools/lookup")).toBe(false);
    expect(has("ai-credential-provider-static-key", "crm-key")).toBe(true);
    expect(has("ai-credential-provider-static-key", "github")).toBe(false);
    expect(has("ai-resource-ungoverned", "scratch_agent")).toBe(true);
    expect(has("ai-resource-ungoverned", "support_agent")).toBe(false);
    expect(has("ai-resource-ungoverned", "support_agent/DEFAULT")).toBe(false);
    expect(has("ai-public-network-access", "scratch_agent")).toBe(true);
    expect(has("ai-resource-ungoverned", "shadow-assistant")).toBe(true);
    expect(has("ai-credential-provider-static-key", "company-assistant/jira")).toBe(true);
  });

  it("flags AI calls made with long-term IAM user keys", () => {
    const calls = findings.filter((f) => f.ruleId === "aws-bedrock-invoked-with-iam-user-credentials");
    expect(calls.map((f) => f.subject.name)).toEqual(["bedrock:InvokeModel"]);
    expect(findings.filter((f) => f.ruleId === "aws-sagemaker-endpoint-created-by-iam-user")).toHaveLength(1);
  });
});
