import { type Asset, isUnknown, type Key } from "@aigov/core";
import { describe, expect, it } from "vitest";
import { normalizeResource, readPlanDocument } from "../src/index.ts";
import { plan, resourceChange } from "./plan-fixture.ts";

function asset(type: string, values: Record<string, unknown>, unknownPaths: Record<string, unknown> = {}): Asset {
  const subject = normalizeResource({ type, address: `${type}.x`, values, unknownPaths });
  expect(subject?.subject).toBe("asset");
  return subject as Asset;
}

describe("normalizeResource: facts rules share across clouds", () => {
  it("Azure cognitive account: provider defaults mean public and key auth on", () => {
    const account = asset("azurerm_cognitive_account", {
      name: "oai",
      kind: "OpenAI",
      location: "swedencentral",
      tags: { owner: "ml" },
    });
    expect(account).toMatchObject({
      provider: "azure",
      kind: "ai-account",
      region: "swedencentral",
      public: true,
      keyAuth: true,
      cmk: false,
      tags: { owner: "ml" },
    });
    // No configuration given: whether a diagnostic setting points at it is not known.
    expect(isUnknown(account.logging)).toBe(true);
  });

  it("Azure cognitive account behind network ACLs with local auth off", () => {
    const account = asset("azurerm_cognitive_account", {
      public_network_access_enabled: true,
      network_acls: [{ default_action: "Deny" }],
      local_auth_enabled: false,
      customer_managed_key: [{ key_vault_key_id: "https://kv/keys/k" }],
    });
    expect(account).toMatchObject({ public: false, keyAuth: false, cmk: true, privateNetwork: true });
  });

  it("azurerm_ai_services reads public_network_access and local_authentication_enabled", () => {
    expect(
      asset("azurerm_ai_services", { public_network_access: "Disabled", local_authentication_enabled: false }),
    ).toMatchObject({ public: false, keyAuth: false, kind: "ai-account" });
  });

  it("Azure OpenAI deployment: the model name is the model", () => {
    expect(
      asset("azurerm_cognitive_deployment", { model: [{ format: "OpenAI", name: "gpt-4o", version: "2024-08-06" }] })
        .models,
    ).toEqual(["gpt-4o"]);
  });

  it("Bedrock provisioned throughput and custom model: foundation-model ARNs become model ids", () => {
    expect(
      asset("aws_bedrock_provisioned_model_throughput", {
        model_arn: "arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-v2:1",
      }).models,
    ).toEqual(["anthropic.claude-v2:1"]);
    expect(asset("aws_bedrock_custom_model", { base_model_identifier: "amazon.titan-text-express-v1" }).models).toEqual(
      ["amazon.titan-text-express-v1"],
    );
  });

  it("SageMaker notebook: direct internet and root access default to Enabled", () => {
    expect(asset("aws_sagemaker_notebook_instance", {})).toMatchObject({
      public: true,
      rootAccess: true,
      cmk: false,
      privateNetwork: false,
    });
    expect(
      asset("aws_sagemaker_notebook_instance", {
        direct_internet_access: "Disabled",
        root_access: "Disabled",
        kms_key_id: "k",
        subnet_id: "s",
      }),
    ).toMatchObject({
      public: false,
      rootAccess: false,
      cmk: true,
      privateNetwork: true,
    });
  });

  it("Bedrock invocation logging configuration: logging is on only with a destination and a delivery", () => {
    expect(
      asset("aws_bedrock_model_invocation_logging_configuration", {
        logging_config: [{ text_data_delivery_enabled: true, s3_config: [{ bucket_name: "b" }] }],
      }).logging,
    ).toBe(true);
    expect(
      asset("aws_bedrock_model_invocation_logging_configuration", {
        logging_config: [
          {
            text_data_delivery_enabled: false,
            image_data_delivery_enabled: false,
            embedding_data_delivery_enabled: false,
            s3_config: [{ bucket_name: "b" }],
          },
        ],
      }).logging,
    ).toBe(false);
  });

  it("Vertex AI endpoint without a network is public; labels are its tags; project is the account", () => {
    const endpoint = asset("google_vertex_ai_endpoint", {
      project: "p1",
      location: "us-central1",
      labels: { owner: "genai" },
    });
    expect(endpoint).toMatchObject({
      provider: "gcp",
      account: "p1",
      region: "us-central1",
      public: true,
      tags: { owner: "genai" },
      cmk: false,
    });
  });

  it("Workbench instance: zone location becomes the region, root follows notebook-disable-root", () => {
    const workbench = asset("google_workbench_instance", {
      location: "europe-west4-a",
      gce_setup: [{ disable_public_ip: true, metadata: { "notebook-disable-root": "true" } }],
    });
    expect(workbench).toMatchObject({ region: "europe-west4", public: false, rootAccess: false, kind: "notebook" });
  });

  it("values known only after apply are Unknown, never absent", () => {
    const agent = asset(
      "aws_bedrockagent_agent",
      { agent_name: "a", foundation_model: null },
      { foundation_model: true, customer_encryption_key_arn: true, tags: true, tags_all: true },
    );
    expect(isUnknown(agent.models)).toBe(true);
    expect(isUnknown(agent.cmk)).toBe(true);
    expect(isUnknown(agent.tags)).toBe(true);
    expect(isUnknown(agent.owner)).toBe(true);
    expect(agent.native.customer_encryption_key_arn).toEqual({ $unknown: true, reason: "known after apply" });
  });

  it("a tag value known only after apply makes the tags Unknown", () => {
    expect(isUnknown(asset("aws_sagemaker_endpoint", { tags: { owner: null } }, { tags: { owner: true } }).tags)).toBe(
      true,
    );
  });
});

describe("conditional AI types", () => {
  it("an IAM service-specific credential is a Bedrock API key only for bedrock.amazonaws.com", () => {
    const key = normalizeResource({
      type: "aws_iam_service_specific_credential",
      address: "k",
      values: { service_name: "bedrock.amazonaws.com", user_name: "ci" },
    }) as Key;
    expect(key).toMatchObject({
      subject: "key",
      type: "bedrock-api-key",
      vendor: "aws-bedrock",
      location: "iam-user:ci",
      status: "active",
      expiresAt: null,
    });
    expect(
      normalizeResource({
        type: "aws_iam_service_specific_credential",
        address: "k",
        values: { service_name: "codecommit.amazonaws.com", user_name: "ci" },
      }),
    ).toBeUndefined();
  });

  it("a Google API key is AI when unrestricted or reaching an AI API", () => {
    const gemini = normalizeResource({
      type: "google_apikeys_key",
      address: "google_apikeys_key.g",
      values: { restrictions: [{ api_targets: [{ service: "generativelanguage.googleapis.com" }] }] },
    }) as Key;
    expect(gemini).toMatchObject({
      vendor: "google-gemini",
      unrestricted: false,
      apiTargets: ["generativelanguage.googleapis.com"],
    });
    const maps = normalizeResource({
      type: "google_apikeys_key",
      address: "m",
      values: { restrictions: [{ api_targets: [{ service: "maps-backend.googleapis.com" }] }] },
    });
    expect(maps).toBeUndefined();
    const open = normalizeResource({ type: "google_apikeys_key", address: "o", values: {} }) as Key;
    expect(open.unrestricted).toBe(true);
  });

  it("google_project_service is AI only for AI APIs", () => {
    expect(
      normalizeResource({
        type: "google_project_service",
        address: "s",
        values: { service: "aiplatform.googleapis.com" },
      }),
    ).toMatchObject({ kind: "enabled-api", name: "aiplatform.googleapis.com" });
    expect(
      normalizeResource({
        type: "google_project_service",
        address: "s",
        values: { service: "compute.googleapis.com" },
      }),
    ).toBeUndefined();
  });

  it("non-AI types are undefined", () => {
    expect(normalizeResource({ type: "aws_s3_bucket", address: "aws_s3_bucket.b", values: {} })).toBeUndefined();
  });
});

describe("plan addresses, actions and providers", () => {
  const read = (changes: Record<string, unknown>[], extra: Record<string, unknown> = {}) =>
    readPlanDocument(plan(changes, extra), "plan.json").subjects;

  it("keeps module, count and for_each addresses as ids and reads OpenTofu registry providers", () => {
    const subjects = read([
      resourceChange(
        'module.ai["eu"].module.oai.azurerm_cognitive_account.this[0]',
        "azurerm_cognitive_account",
        ["create"],
        { location: "westeurope" },
        { provider: "registry.opentofu.org/hashicorp/azurerm" },
      ),
      resourceChange(
        'google_vertex_ai_endpoint.e["chat"]',
        "google_vertex_ai_endpoint",
        ["create"],
        {},
        { provider: "registry.opentofu.org/hashicorp/google-beta" },
      ),
    ]);
    expect(subjects.map((subject) => subject.id)).toEqual([
      'module.ai["eu"].module.oai.azurerm_cognitive_account.this[0]',
      'google_vertex_ai_endpoint.e["chat"]',
    ]);
    expect(subjects.map((subject) => subject.name)).toEqual(["this[0]", 'e["chat"]']);
    expect(subjects[1]?.provider).toBe("gcp");
  });

  it("ignores data sources", () => {
    expect(
      read([
        resourceChange(
          "data.aws_bedrock_foundation_model.m",
          "aws_bedrock_foundation_model",
          ["read"],
          {},
          { mode: "data" },
        ),
      ]),
    ).toEqual([]);
  });

  it("maps terraform action lists to changes; import comes from change.importing", () => {
    const subjects = read([
      resourceChange("aws_sagemaker_endpoint.a", "aws_sagemaker_endpoint", ["create"], {}),
      resourceChange("aws_sagemaker_endpoint.b", "aws_sagemaker_endpoint", ["delete", "create"], {}, { before: {} }),
      resourceChange("aws_sagemaker_endpoint.c", "aws_sagemaker_endpoint", ["create", "delete"], {}, { before: {} }),
      resourceChange("aws_sagemaker_endpoint.d", "aws_sagemaker_endpoint", ["delete"], null, {
        before: { name: "old" },
      }),
      resourceChange("aws_sagemaker_endpoint.e", "aws_sagemaker_endpoint", ["no-op"], {}, { before: {} }),
      resourceChange(
        "aws_sagemaker_endpoint.f",
        "aws_sagemaker_endpoint",
        ["no-op"],
        {},
        { before: {}, importing: { id: "f" } },
      ),
      resourceChange(
        "aws_sagemaker_endpoint.g",
        "aws_sagemaker_endpoint",
        ["update"],
        { tags: { owner: "a" } },
        { before: { tags: {} } },
      ),
    ]);
    expect(subjects.map((subject) => subject.change?.action)).toEqual([
      "create",
      "replace",
      "replace",
      "delete",
      "no-op",
      "import",
      "update",
    ]);
    expect(subjects[3]?.name).toBe("old");
    // The raw attribute and the normalized fact rules read.
    expect(subjects[6]?.change?.changedAttributes).toEqual(["tags"]);
  });

  it("an update lists the attributes and the facts that change", () => {
    const [subject] = read([
      resourceChange(
        "azurerm_cognitive_account.a",
        "azurerm_cognitive_account",
        ["update"],
        { local_auth_enabled: true, public_network_access_enabled: false, tags: {} },
        { before: { local_auth_enabled: false, public_network_access_enabled: false, tags: {} } },
      ),
    ]);
    expect(subject?.change?.changedAttributes).toEqual(["local_auth_enabled", "keyAuth"]);
  });

  it("takes the AWS region from the provider configuration and diagnostic settings from configuration references", () => {
    const subjects = read(
      [
        resourceChange("aws_sagemaker_endpoint.a", "aws_sagemaker_endpoint", ["create"], {}),
        resourceChange("module.m.azurerm_cognitive_account.logged", "azurerm_cognitive_account", ["create"], {}),
        resourceChange("module.m.azurerm_cognitive_account.silent", "azurerm_cognitive_account", ["create"], {}),
      ],
      {
        configuration: {
          provider_config: { aws: { name: "aws", expressions: { region: { constant_value: "eu-west-3" } } } },
          root_module: {
            resources: [
              { address: "aws_sagemaker_endpoint.a", type: "aws_sagemaker_endpoint", provider_config_key: "aws" },
            ],
            module_calls: {
              m: {
                module: {
                  resources: [
                    { address: "azurerm_cognitive_account.logged", type: "azurerm_cognitive_account" },
                    { address: "azurerm_cognitive_account.silent", type: "azurerm_cognitive_account" },
                    {
                      address: "azurerm_monitor_diagnostic_setting.d",
                      type: "azurerm_monitor_diagnostic_setting",
                      expressions: {
                        target_resource_id: {
                          references: ["azurerm_cognitive_account.logged.id", "azurerm_cognitive_account.logged"],
                        },
                      },
                    },
                    {
                      address: "azurerm_cognitive_account_customer_managed_key.k",
                      type: "azurerm_cognitive_account_customer_managed_key",
                      expressions: {
                        cognitive_account_id: {
                          references: ["azurerm_cognitive_account.silent.id", "azurerm_cognitive_account.silent"],
                        },
                      },
                    },
                  ],
                },
              },
            },
          },
        },
      },
    ) as Asset[];
    expect(subjects[0]?.region).toBe("eu-west-3");
    expect(subjects[1]).toMatchObject({ logging: true, cmk: false });
    expect(subjects[2]).toMatchObject({ logging: false, cmk: true });
  });
});

describe("azapi and awscc resources", () => {
  it("an azapi_resource for an Azure OpenAI account is judged as the ARM resource, body as native", () => {
    const account = normalizeResource({
      type: "azapi_resource",
      address: "azapi_resource.oai",
      values: {
        type: "Microsoft.CognitiveServices/accounts@2024-10-01",
        name: "oai",
        location: "eastus2",
        tags: { owner: "ml" },
        body: {
          kind: "OpenAI",
          sku: { name: "S0" },
          properties: { publicNetworkAccess: "Enabled", disableLocalAuth: false, customSubDomainName: "oai" },
        },
      },
    }) as Asset;
    expect(account).toMatchObject({
      type: "Microsoft.CognitiveServices/accounts",
      kind: "ai-account",
      region: "eastus2",
      public: true,
      keyAuth: true,
      cmk: false,
      tags: { owner: "ml" },
    });
    expect(account.native).toMatchObject({ properties: { customSubDomainName: "oai" } });
  });

  it("azapi v1 bodies are JSON strings; deployments give their model; non-AI ARM types are not AI", () => {
    const deployment = normalizeResource({
      type: "azapi_resource",
      address: "azapi_resource.d",
      values: {
        type: "Microsoft.CognitiveServices/accounts/deployments@2024-10-01",
        name: "gpt",
        body: JSON.stringify({ properties: { model: { format: "OpenAI", name: "gpt-4.1", version: "2025-04-14" } } }),
      },
    }) as Asset;
    expect(deployment).toMatchObject({ kind: "deployment", models: ["gpt-4.1"] });
    expect(
      normalizeResource({
        type: "azapi_resource",
        address: "azapi_resource.s",
        values: { type: "Microsoft.Storage/storageAccounts@2023-01-01", body: {} },
      }),
    ).toBeUndefined();
  });

  it("awscc resources are AWS AI, with their [{key, value}] tags read as a map", () => {
    const endpoint = normalizeResource({
      type: "awscc_sagemaker_endpoint",
      address: "awscc_sagemaker_endpoint.e",
      values: { tags: [{ key: "owner", value: "ml" }] },
    }) as Asset;
    expect(endpoint).toMatchObject({ provider: "aws", tags: { owner: "ml" } });
  });
});

describe("secrets in plans never leave the process", () => {
  it("values marked in after_sensitive, and secret-named attributes, are redacted in native", () => {
    const secret = "7c1f0e3bd2a94c55b1f0e9d8c7b6a5f4";
    const change = resourceChange(
      "azurerm_cognitive_account.a",
      "azurerm_cognitive_account",
      ["no-op"],
      { name: "a", primary_access_key: secret, tags: { owner: "x" } },
      { before: { name: "a", primary_access_key: secret, tags: { owner: "x" } } },
    );
    (change.change as Record<string, unknown>).after_sensitive = { primary_access_key: true };
    const [account] = readPlanDocument(plan([change]), "plan.json").subjects;
    expect(account?.native.primary_access_key).toBe("(sensitive value redacted)");
    expect(JSON.stringify(account)).not.toContain(secret);
    const key = normalizeResource({
      type: "google_apikeys_key",
      address: "k",
      values: { key_string: "AIzaSyA-not-a-real-key-0000000000000000", restrictions: [] },
    });
    expect(JSON.stringify(key)).not.toContain("AIzaSy");
  });
});
