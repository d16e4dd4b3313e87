import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Asset } from "@aigov/core";
import { describe, expect, it } from "vitest";
import { aiTypeInfo, normalizeResource, type PlannedSubject } from "../src/index.ts";
import { PLANS } from "./plan-fixture.ts";

const awscc = JSON.parse(readFileSync(join(PLANS, "../providers/awscc-ai-types.json"), "utf8")) as {
  types: { type: string; attributes: string[]; lists: string[] }[];
};

/** What rules read of a planned asset: kind and the normalized facts (not the type name, id or native values). */
function facts(subject: PlannedSubject | undefined): Record<string, unknown> {
  expect(subject?.subject).toBe("asset");
  const asset = subject as Asset;
  const { kind, name, tags, owner, public: isPublic, keyAuth, cmk, logging, models, guardrail } = asset;
  const { privateNetwork, rootAccess } = asset;
  return {
    kind,
    name,
    tags,
    owner,
    public: isPublic,
    keyAuth,
    cmk,
    logging,
    models,
    guardrail,
    privateNetwork,
    rootAccess,
  };
}

const normalized = (type: string, values: Record<string, unknown>, address = `${type}.x`) =>
  facts(normalizeResource({ type, address, values }));

describe("awscc types are judged like their aws twins", () => {
  // The same resource written for each provider: awscc nests single blocks as objects and names some attributes
  // after CloudFormation; aws nests them as one-element lists.
  const pairs: readonly [
    aws: string,
    awsValues: Record<string, unknown>,
    awscc: string,
    awsccValues: Record<string, unknown>,
  ][] = [
    [
      "aws_sagemaker_endpoint",
      { name: "bot", tags: { env: "dev" } },
      "awscc_sagemaker_endpoint",
      { endpoint_name: "bot", tags: [{ key: "env", value: "dev" }] },
    ],
    [
      "aws_sagemaker_notebook_instance",
      { name: "nb", direct_internet_access: "Enabled", root_access: "Enabled", tags: {} },
      "awscc_sagemaker_notebook_instance",
      { notebook_instance_name: "nb", direct_internet_access: "Enabled", root_access: "Enabled", tags: [] },
    ],
    [
      "aws_bedrockagent_agent",
      {
        agent_name: "helpdesk",
        foundation_model: "anthropic.claude-3-haiku-20240307-v1:0",
        customer_encryption_key_arn: "arn:aws:kms:us-east-1:111122223333:key/k",
        guardrail_configuration: [{ guardrail_identifier: "g1", guardrail_version: "1" }],
        tags: { owner: "support" },
      },
      "awscc_bedrock_agent",
      {
        agent_name: "helpdesk",
        foundation_model: "anthropic.claude-3-haiku-20240307-v1:0",
        customer_encryption_key_arn: "arn:aws:kms:us-east-1:111122223333:key/k",
        guardrail_configuration: { guardrail_identifier: "g1", guardrail_version: "1" },
        tags: { owner: "support" },
      },
    ],
    [
      "aws_sagemaker_model",
      {
        name: "m",
        primary_container: [{ image: "1.dkr.ecr/x:1" }],
        container: [{ image: "1.dkr.ecr/y:2" }],
        vpc_config: [{ subnets: ["s"] }],
      },
      "awscc_sagemaker_model",
      {
        model_name: "m",
        primary_container: { image: "1.dkr.ecr/x:1" },
        containers: [{ image: "1.dkr.ecr/y:2" }],
        vpc_config: { subnets: ["s"] },
      },
    ],
    [
      "aws_sagemaker_domain",
      { domain_name: "studio", app_network_access_type: "PublicInternetOnly", kms_key_id: "k" },
      "awscc_sagemaker_domain",
      { domain_name: "studio", app_network_access_type: "PublicInternetOnly", kms_key_id: "k" },
    ],
    [
      "aws_bedrockagent_knowledge_base",
      {
        name: "kb",
        knowledge_base_configuration: [
          {
            vector_knowledge_base_configuration: [
              { embedding_model_arn: "arn:aws:bedrock:us-east-1::foundation-model/amazon.titan-embed-text-v2:0" },
            ],
          },
        ],
      },
      "awscc_bedrock_knowledge_base",
      {
        name: "kb",
        knowledge_base_configuration: {
          vector_knowledge_base_configuration: {
            embedding_model_arn: "arn:aws:bedrock:us-east-1::foundation-model/amazon.titan-embed-text-v2:0",
          },
        },
      },
    ],
    [
      "aws_sagemaker_feature_group",
      { feature_group_name: "fg", online_store_config: [{ security_config: [{ kms_key_id: "k" }] }] },
      "awscc_sagemaker_feature_group",
      { feature_group_name: "fg", online_store_config: { security_config: { kms_key_id: "k" } } },
    ],
    [
      "aws_bedrock_inference_profile",
      {
        name: "p",
        model_source: [
          { copy_from: "arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-3-haiku-20240307-v1:0" },
        ],
      },
      "awscc_bedrock_application_inference_profile",
      {
        inference_profile_name: "p",
        model_source: {
          copy_from: "arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-3-haiku-20240307-v1:0",
        },
      },
    ],
    [
      "aws_bedrock_guardrail",
      { name: "g", kms_key_arn: "k" },
      "awscc_bedrock_guardrail",
      { name: "g", kms_key_arn: "k" },
    ],
    [
      "aws_comprehend_document_classifier",
      { name: "c", model_kms_key_id: "k", volume_kms_key_id: "k", vpc_config: [{ subnets: ["s"] }] },
      "awscc_comprehend_document_classifier",
      { document_classifier_name: "c", model_kms_key_id: "k", volume_kms_key_id: "k", vpc_config: { subnets: ["s"] } },
    ],
    [
      "aws_lexv2models_bot",
      { name: "b", tags: { owner: "cx" } },
      "awscc_lex_bot",
      { name: "b", bot_tags: [{ key: "owner", value: "cx" }] },
    ],
  ];

  for (const [aws, awsValues, twin, twinValues] of pairs) {
    it(`${twin} gives the facts of ${aws}`, () => {
      expect(aiTypeInfo(twin)?.twin?.type).toBe(aws);
      const expected = normalized(aws, awsValues);
      expect(normalized(twin, twinValues)).toEqual(expected);
      // Not vacuous: the pair differs from a resource that sets nothing.
      expect(expected).not.toEqual(normalized(aws, {}));
    });
  }

  it("every attribute an aws twin's normalizer reads exists, under the awscc name, in the awscc schema", () => {
    let checked = 0;
    for (const entry of awscc.types) {
      const info = aiTypeInfo(entry.type);
      if (info?.twin === undefined) continue;
      // The twin's normalizer over the awscc attributes renamed as the gate renames them, reads recorded.
      const renames = info.twin.renames;
      const renamedPath = (path: string) => {
        const [head, ...rest] = path.split(".");
        return [renames[head!] ?? head, ...rest].join(".");
      };
      const { values, read } = recordingValues(entry.attributes.map(renamedPath), entry.lists.map(renamedPath));
      normalizeResource({ type: info.twin.type, address: `${info.twin.type}.x`, values });
      const back = Object.fromEntries(Object.entries(renames).map(([from, to]) => [to, from]));
      const paths = [...read].map((path) => {
        const [head, ...rest] = path.split(".");
        return [back[head!] ?? head, ...rest].join(".");
      });
      // Attributes every resource is asked for (name, tags, region, arn …) may be absent from a given type.
      const specific = paths.filter((path) => !/^(name|display_name|tags|tags_all|region|arn)(\.|$)/.test(path));
      expect(
        specific.filter((path) => !entry.attributes.includes(path)),
        entry.type,
      ).toEqual([]);
      checked += specific.length;
    }
    expect(checked).toBeGreaterThan(20);
  });
});

/**
 * Planned values holding every attribute of an awscc schema (lists as one-element lists of objects), which record
 * the attribute paths a normalizer reads (indexes left out).
 */
function recordingValues(attributes: readonly string[], lists: readonly string[]) {
  const root: Record<string, unknown> = {};
  for (const path of attributes) {
    let node = root;
    const steps = path.split(".");
    steps.forEach((step, index) => {
      const here = steps.slice(0, index + 1).join(".");
      const last = index === steps.length - 1 && !attributes.some((other) => other.startsWith(`${here}.`));
      if (last) {
        node[step] ??= "x";
        return;
      }
      if (node[step] === undefined || typeof node[step] === "string") node[step] = lists.includes(here) ? [{}] : {};
      const child = node[step];
      node = (Array.isArray(child) ? child[0] : child) as Record<string, unknown>;
    });
  }
  const read = new Set<string>();
  const watch = (value: unknown, path: string[]): unknown => {
    if (typeof value !== "object" || value === null) return value;
    return new Proxy(value as object, {
      get(target, key, receiver) {
        const found = Reflect.get(target, key, receiver);
        // `$unknown` is how an Unknown value is told apart, not an attribute.
        if (typeof key !== "string" || key.startsWith("$") || (Array.isArray(target) && !/^\d+$/.test(key)))
          return found;
        const next = Array.isArray(target) ? path : [...path, key];
        if (!Array.isArray(target)) read.add(next.join("."));
        return watch(found, next);
      },
    });
  };
  return { values: watch(root, []) as Record<string, unknown>, read };
}

describe("azapi resources are judged like their azurerm twins", () => {
  const azapi = (type: string, body: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
    normalized("azapi_resource", { type: `${type}@2025-06-01`, name: "x", location: "westeurope", body, ...extra });
  const twin = (type: string, values: Record<string, unknown>) =>
    normalized(type, { name: "x", location: "westeurope", ...values });

  it("a private Azure OpenAI account with local auth off and a customer-managed key", () => {
    const expected = twin("azurerm_cognitive_account", {
      public_network_access_enabled: false,
      local_auth_enabled: false,
      customer_managed_key: [{ key_vault_key_id: "k" }],
      network_acls: [{ default_action: "Deny" }],
    });
    const actual = azapi("Microsoft.CognitiveServices/accounts", {
      kind: "OpenAI",
      properties: {
        publicNetworkAccess: "Disabled",
        disableLocalAuth: true,
        encryption: { keySource: "Microsoft.KeyVault" },
        networkAcls: { defaultAction: "Deny" },
      },
    });
    expect(actual).toEqual(expected);
    expect(expected).toMatchObject({
      kind: "ai-account",
      public: false,
      keyAuth: false,
      cmk: true,
      privateNetwork: true,
    });
  });

  it("a public account with the defaults (public access and key auth on)", () => {
    expect(azapi("Microsoft.CognitiveServices/accounts", { kind: "OpenAI", properties: {} })).toEqual(
      twin("azurerm_cognitive_account", {}),
    );
  });

  it("an Azure OpenAI deployment's model", () => {
    expect(
      azapi("Microsoft.CognitiveServices/accounts/deployments", {
        properties: { model: { format: "OpenAI", name: "gpt-4o" } },
      }),
    ).toEqual(twin("azurerm_cognitive_deployment", { model: [{ format: "OpenAI", name: "gpt-4o" }] }));
  });

  it("a machine learning workspace, and an AI Foundry hub (a workspace of kind Hub) with isolated outbound", () => {
    expect(
      azapi("Microsoft.MachineLearningServices/workspaces", { properties: { publicNetworkAccess: "Disabled" } }),
    ).toEqual(twin("azurerm_machine_learning_workspace", { public_network_access_enabled: false }));
    const hub = azapi("Microsoft.MachineLearningServices/workspaces", {
      kind: "Hub",
      properties: { publicNetworkAccess: "Enabled", managedNetwork: { isolationMode: "AllowOnlyApprovedOutbound" } },
    });
    expect(hub).toEqual(
      twin("azurerm_ai_foundry", {
        public_network_access: "Enabled",
        managed_network: [{ isolation_mode: "AllowOnlyApprovedOutbound" }],
      }),
    );
  });

  it("a compute instance with a public IP and local auth, and an AI Search service", () => {
    expect(
      azapi("Microsoft.MachineLearningServices/workspaces/computes", {
        properties: { computeType: "ComputeInstance", properties: {} },
      }),
    ).toEqual(twin("azurerm_machine_learning_compute_instance", {}));
    expect(
      azapi("Microsoft.Search/searchServices", {
        properties: { publicNetworkAccess: "disabled", disableLocalAuth: true },
      }),
    ).toEqual(
      twin("azurerm_search_service", { public_network_access_enabled: false, local_authentication_enabled: false }),
    );
  });
});
