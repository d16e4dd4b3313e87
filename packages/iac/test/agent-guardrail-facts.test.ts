import type { Asset } from "@aigov/core";
import { describe, expect, it } from "vitest";
import { normalizeResource, readPlanDocument } from "../src/index.ts";
import { plan, resourceChange } from "./plan-fixture.ts";

/**
 * Plan-time facts for guardrails (what a Bedrock guardrail, an Azure RAI policy or a Model Armor template filters,
 * and whether a deployment has a content filter) and for agents (network mode, authorizer, where a tool reaches), so
 * the guardrail and agent rules judge a plan as they judge the live resource.
 */
const asset = (type: string, values: Record<string, unknown>, unknownPaths?: Record<string, unknown>): Asset => {
  const subject = normalizeResource({ type, address: `${type}.x`, values, ...(unknownPaths ? { unknownPaths } : {}) });
  expect(subject?.subject).toBe("asset");
  return subject as Asset;
};

const strongGuardrail = {
  name: "strong",
  content_policy_config: [
    {
      filters_config: [
        { type: "HATE", input_strength: "HIGH", output_strength: "HIGH" },
        { type: "VIOLENCE", input_strength: "MEDIUM", output_strength: "NONE" },
        { type: "INSULTS", input_strength: "NONE", output_strength: "NONE" },
        { type: "PROMPT_ATTACK", input_strength: "HIGH", output_strength: "NONE" },
      ],
    },
  ],
  sensitive_information_policy_config: [{ pii_entities_config: [{ type: "EMAIL", action: "ANONYMIZE" }] }],
  contextual_grounding_policy_config: [{ filters_config: [{ type: "GROUNDING", threshold: 0.8 }] }],
};

describe("guardrail facts in a plan", () => {
  it("reads a Bedrock guardrail's filters: harmful categories filtered, prompt-attack strength, PII, grounding", () => {
    expect(asset("aws_bedrock_guardrail", strongGuardrail).filters).toEqual({
      harmfulContent: ["hate", "violence"],
      promptAttack: "high",
      sensitiveInformation: true,
      grounding: true,
    });
    expect(asset("aws_bedrock_guardrail", { name: "empty" }).filters).toEqual({
      harmfulContent: [],
      promptAttack: "none",
      sensitiveInformation: false,
      grounding: false,
    });
  });

  it("reads the same filters from an awscc guardrail (single blocks as objects)", () => {
    const awscc = asset("awscc_bedrock_guardrail", {
      name: "strong",
      content_policy_config: strongGuardrail.content_policy_config[0],
      sensitive_information_policy_config: strongGuardrail.sensitive_information_policy_config[0],
      contextual_grounding_policy_config: strongGuardrail.contextual_grounding_policy_config[0],
    });
    expect(awscc.filters).toEqual(asset("aws_bedrock_guardrail", strongGuardrail).filters);
  });

  it("says a filter list known only after apply is unknown, not absent", () => {
    const open = asset("aws_bedrock_guardrail", { name: "g" }, { content_policy_config: true });
    expect(open.filters).toMatchObject({ $unknown: true });
  });

  it("reads an Azure RAI policy's blocking filters, from azurerm and from the ARM body", () => {
    const azurerm = asset("azurerm_cognitive_account_rai_policy", {
      name: "weak",
      content_filter: [
        { name: "Hate", filter_enabled: true, block_enabled: true, severity_threshold: "High", source: "Prompt" },
        { name: "Violence", filter_enabled: true, block_enabled: false, severity_threshold: "High", source: "Prompt" },
        { name: "Jailbreak", filter_enabled: false, block_enabled: false, source: "Prompt" },
      ],
    });
    expect(azurerm).toMatchObject({ kind: "guardrail", guardrail: true });
    expect(azurerm.filters).toEqual({
      harmfulContent: ["hate"],
      promptAttack: "none",
      sensitiveInformation: false,
      grounding: false,
    });
    const [arm] = readPlanDocument(
      plan([
        resourceChange(
          "azapi_resource.rai",
          "azapi_resource",
          ["create"],
          {
            type: "Microsoft.CognitiveServices/accounts/raiPolicies@2025-06-01",
            name: "strict",
            body: {
              properties: {
                contentFilters: [
                  { name: "Hate", enabled: true, blocking: true, source: "Prompt" },
                  { name: "Selfharm", enabled: true, blocking: true, source: "Completion" },
                  { name: "Jailbreak", enabled: true, blocking: true, source: "Prompt" },
                ],
              },
            },
          },
          { provider: "registry.terraform.io/azure/azapi" },
        ),
      ]),
      "plan.json",
    ).subjects;
    expect(arm).toMatchObject({
      kind: "guardrail",
      filters: { harmfulContent: ["hate", "self-harm"], promptAttack: "high" },
    });
  });

  it("gives an Azure OpenAI deployment a guardrail only when it names a RAI policy (the service default is nobody's choice)", () => {
    expect(asset("azurerm_cognitive_deployment", { name: "gpt", model: [{ name: "gpt-4o" }] })).toMatchObject({
      guardrail: false,
      part: true,
    });
    expect(
      asset("azurerm_cognitive_deployment", { name: "gpt", model: [{ name: "gpt-4o" }], rai_policy_name: "strict" }),
    ).toMatchObject({ guardrail: true, part: true });
  });

  it("reads a Model Armor template's filters", () => {
    const template = asset("google_model_armor_template", {
      template_id: "t",
      filter_config: [
        {
          rai_settings: [{ rai_filters: [{ filter_type: "HATE_SPEECH", confidence_level: "MEDIUM_AND_ABOVE" }] }],
          pi_and_jailbreak_filter_settings: [{ filter_enforcement: "ENABLED", confidence_level: "MEDIUM_AND_ABOVE" }],
          sdp_settings: [{ basic_config: [{ filter_enforcement: "ENABLED" }] }],
        },
      ],
    });
    expect(template.filters).toEqual({
      harmfulContent: ["hate"],
      promptAttack: "medium",
      sensitiveInformation: true,
      grounding: false,
    });
  });
});

describe("agent facts in a plan", () => {
  it("reads an AgentCore runtime's network mode and authorizer", () => {
    const runtime = asset("aws_bedrockagentcore_agent_runtime", {
      agent_runtime_name: "helpdesk",
      network_configuration: [{ network_mode: "PUBLIC" }],
    });
    expect(runtime).toMatchObject({ kind: "agent", name: "helpdesk", public: true, authorizer: "iam" });
    expect(runtime.guardrail).toMatchObject({ $unknown: true });
    expect(
      asset("awscc_bedrockagentcore_runtime", {
        agent_runtime_name: "helpdesk",
        network_configuration: { network_mode: "VPC", network_mode_config: { subnets: ["s"] } },
        authorizer_configuration: { custom_jwt_authorizer: { discovery_url: "https://idp/.well-known" } },
      }),
    ).toMatchObject({ public: false, privateNetwork: true, authorizer: "jwt" });
  });

  it("reads a gateway's authorizer: none lets anyone who knows the URL call its tools", () => {
    expect(asset("aws_bedrockagentcore_gateway", { name: "tools", authorizer_type: "NONE" })).toMatchObject({
      kind: "gateway",
      authorizer: "none",
    });
    expect(asset("awscc_bedrockagentcore_gateway", { name: "tools", authorizer_type: "AWS_IAM" }).authorizer).toBe(
      "iam",
    );
  });

  it("gives a gateway target its gateway's authorizer from the configuration, and where its tool reaches", () => {
    const gateway = resourceChange("aws_bedrockagentcore_gateway.tools", "aws_bedrockagentcore_gateway", ["create"], {
      name: "tools",
      authorizer_type: "NONE",
    });
    const target = resourceChange(
      "aws_bedrockagentcore_gateway_target.crm",
      "aws_bedrockagentcore_gateway_target",
      ["create"],
      { name: "crm", target_configuration: [{ mcp: [{ mcp_server: [{ endpoint: "https://mcp.example.com/mcp" }] }] }] },
      { afterUnknown: { gateway_identifier: true } },
    );
    const configuration = {
      root_module: {
        resources: [
          {
            address: "aws_bedrockagentcore_gateway.tools",
            type: "aws_bedrockagentcore_gateway",
            expressions: { authorizer_type: { constant_value: "NONE" } },
          },
          {
            address: "aws_bedrockagentcore_gateway_target.crm",
            type: "aws_bedrockagentcore_gateway_target",
            expressions: {
              gateway_identifier: {
                references: ["aws_bedrockagentcore_gateway.tools.gateway_id", "aws_bedrockagentcore_gateway.tools"],
              },
            },
          },
        ],
      },
    };
    const subjects = readPlanDocument(plan([gateway, target], { configuration }), "plan.json").subjects;
    expect(subjects.find((subject) => subject.id.endsWith(".crm"))).toMatchObject({
      kind: "tool",
      part: true,
      reach: "internet",
      authorizer: "none",
    });
    // Without the configuration, the gateway's authorizer is not known from the target.
    const alone = readPlanDocument(plan([target]), "plan.json").subjects[0] as Asset;
    expect(alone.authorizer).toMatchObject({ $unknown: true });
  });

  it("says where an action group's tool reaches: a Lambda of the configuration, or the calling client", () => {
    expect(
      asset(
        "aws_bedrockagent_agent_action_group",
        { action_group_name: "orders", action_group_executor: [{ lambda: null }] },
        { action_group_executor: [{ lambda: true }] },
      ),
    ).toMatchObject({ kind: "tool", part: true, reach: "account", authorizer: "iam" });
    expect(
      asset("aws_bedrockagent_agent_action_group", {
        action_group_name: "ask",
        action_group_executor: [{ custom_control: "RETURN_CONTROL" }],
      }).reach,
    ).toBe("client");
    expect(
      asset("aws_bedrockagent_agent_action_group", {
        action_group_name: "other",
        action_group_executor: [{ lambda: "arn:aws:lambda:us-east-1:999999999999:function:x" }],
      }).reach,
    ).toMatchObject({ $unknown: true });
  });

  it("reads the browser's and code interpreter's network mode: PUBLIC reaches the internet", () => {
    expect(asset("aws_bedrockagentcore_code_interpreter", { name: "ci" })).toMatchObject({
      kind: "tool",
      public: true,
    });
    expect(
      asset("aws_bedrockagentcore_browser", { name: "b", network_configuration: [{ network_mode: "VPC" }] }),
    ).toMatchObject({ public: false, privateNetwork: true });
  });

  it("marks the credential providers and connections that hold a static third-party key", () => {
    expect(asset("aws_bedrockagentcore_api_key_credential_provider", { name: "openai" })).toMatchObject({
      kind: "credential-provider",
      keyAuth: true,
      reach: "internet",
    });
    expect(asset("aws_bedrockagentcore_oauth2_credential_provider", { name: "github" })).toMatchObject({
      keyAuth: false,
    });
    expect(
      asset("azurerm_cognitive_account_connection_api_key", {
        name: "openai",
        category: "OpenAI",
        target: "https://api.openai.com/v1",
        api_key: "(sensitive)",
      }),
    ).toMatchObject({ kind: "credential-provider", part: true, keyAuth: true, reach: "internet" });
    expect(
      asset("azurerm_cognitive_account_connection_entra_id", {
        name: "search",
        target: "https://search1.search.windows.net",
      }),
    ).toMatchObject({ keyAuth: false, reach: "account" });
  });
});
