// One rule, every shape: the same AI resources with the same facts, written as terraform configuration (HCL) and as
// the plan terraform makes of it, give the same findings. Each shape is one entry of SHAPES; CloudFormation and
// ARM templates join as entries of their own where their cloud applies.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { defaultPolicy, loadRules, type Rule } from "@aigov/core";
import { beforeAll, describe, expect, it } from "vitest";
import { judgePlanned, type PlannedSubject, readPlanDocument } from "../src/index.ts";
import { readGateSource } from "../src/gate.ts";
import { plan, resourceChange } from "./plan-fixture.ts";

const ACCOUNT_ID =
  "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/ai/providers/Microsoft.CognitiveServices/accounts/oai";

const HCL = `
provider "aws" {
  region = "us-east-1"
}

resource "aws_sagemaker_endpoint" "chat" {
  name                 = "chat"
  endpoint_config_name = aws_sagemaker_endpoint_configuration.chat.name
  tags = {
    team = "ml"
  }
}

resource "aws_sagemaker_endpoint_configuration" "chat" {
  name = "chat"
  production_variants {
    variant_name           = "primary"
    model_name             = aws_sagemaker_model.chat.name
    initial_instance_count = 1
    instance_type          = "ml.g5.xlarge"
  }
  data_capture_config {
    initial_sampling_percentage = 100
    destination_s3_uri          = "s3://captures/chat"
    capture_options {
      capture_mode = "Input"
    }
  }
}

resource "azurerm_cognitive_account" "oai" {
  name                          = "oai"
  kind                          = "OpenAI"
  sku_name                      = "S0"
  location                      = "eastus"
  resource_group_name           = "ai"
  public_network_access_enabled = true
  local_auth_enabled            = true
}

resource "azurerm_cognitive_deployment" "gpt" {
  name                 = "gpt"
  cognitive_account_id = "${ACCOUNT_ID}"
  model {
    format  = "OpenAI"
    name    = "gpt-4o"
    version = "2024-08-06"
  }
  sku {
    name = "GlobalStandard"
  }
}

resource "google_vertex_ai_endpoint" "predict" {
  name         = "predict"
  display_name = "predict"
  location     = "us-central1"
  project      = "ml-prod"
  labels = {
    owner = "ml-platform"
  }
}
`;

/** The plan terraform writes for the HCL above: literals as `after`, the reference as after_unknown. */
const PLAN = plan(
  [
    resourceChange(
      "aws_sagemaker_endpoint.chat",
      "aws_sagemaker_endpoint",
      ["create"],
      { name: "chat", tags: { team: "ml" }, tags_all: { team: "ml" } },
      { afterUnknown: { endpoint_config_name: true, arn: true, id: true } },
    ),
    resourceChange(
      "aws_sagemaker_endpoint_configuration.chat",
      "aws_sagemaker_endpoint_configuration",
      ["create"],
      {
        name: "chat",
        production_variants: [{ variant_name: "primary", initial_instance_count: 1, instance_type: "ml.g5.xlarge" }],
        data_capture_config: [
          {
            initial_sampling_percentage: 100,
            destination_s3_uri: "s3://captures/chat",
            capture_options: [{ capture_mode: "Input" }],
          },
        ],
      },
      { afterUnknown: { production_variants: [{ model_name: true }], arn: true, id: true } },
    ),
    resourceChange("azurerm_cognitive_account.oai", "azurerm_cognitive_account", ["create"], {
      name: "oai",
      kind: "OpenAI",
      sku_name: "S0",
      location: "eastus",
      resource_group_name: "ai",
      public_network_access_enabled: true,
      local_auth_enabled: true,
    }),
    resourceChange("azurerm_cognitive_deployment.gpt", "azurerm_cognitive_deployment", ["create"], {
      name: "gpt",
      cognitive_account_id: ACCOUNT_ID,
      model: [{ format: "OpenAI", name: "gpt-4o", version: "2024-08-06" }],
      sku: [{ name: "GlobalStandard" }],
    }),
    resourceChange("google_vertex_ai_endpoint.predict", "google_vertex_ai_endpoint", ["create"], {
      name: "predict",
      display_name: "predict",
      location: "us-central1",
      project: "ml-prod",
      labels: { owner: "ml-platform" },
      effective_labels: { owner: "ml-platform" },
    }),
  ],
  {
    configuration: {
      provider_config: { aws: { name: "aws", expressions: { region: { constant_value: "us-east-1" } } } },
      root_module: {
        resources: [
          { address: "aws_sagemaker_endpoint.chat", type: "aws_sagemaker_endpoint", provider_config_key: "aws" },
          {
            address: "azurerm_cognitive_account.oai",
            type: "azurerm_cognitive_account",
            provider_config_key: "azurerm",
          },
          {
            address: "azurerm_cognitive_deployment.gpt",
            type: "azurerm_cognitive_deployment",
            provider_config_key: "azurerm",
          },
          {
            address: "google_vertex_ai_endpoint.predict",
            type: "google_vertex_ai_endpoint",
            provider_config_key: "google",
          },
        ],
      },
    },
  },
);

/** Each shape's subjects, read as the gate reads that input. */
const SHAPES: Record<string, () => Promise<readonly PlannedSubject[]>> = {
  "terraform plan": async () => readPlanDocument(PLAN, "plan.json").subjects,
  "terraform configuration (HCL)": async () => {
    const dir = mkdtempSync(join(tmpdir(), "aigov-every-shape-"));
    writeFileSync(join(dir, "main.tf"), HCL);
    return (await readGateSource(dir)).subjects;
  },
};

let rules: Rule[];
const policy = defaultPolicy();
beforeAll(async () => {
  rules = await loadRules({ policy });
});

/** What a user reads of a finding: which rule, on what, its status and severity, and whether it blocks. */
async function findingsOf(shape: string): Promise<string[]> {
  const result = judgePlanned(await SHAPES[shape]!(), { rules, policy });
  return result.entries
    .map(
      ({ finding, blocking, role }) =>
        `${finding.ruleId} ${finding.subject.id} ${finding.status} ${finding.severity} ${role}${blocking ? " blocks" : ""}`,
    )
    .sort();
}

describe("one rule, every shape: the same facts give the same findings", () => {
  it("the plan finds what it should (the baseline the other shapes are held to)", async () => {
    const findings = await findingsOf("terraform plan");
    expect(findings).toEqual(
      expect.arrayContaining([
        "ai-public-network-access azurerm_cognitive_account.oai open high introduced blocks",
        "ai-public-network-access google_vertex_ai_endpoint.predict open high introduced blocks",
        "azure-ai-deployment-no-content-filter azurerm_cognitive_deployment.gpt open medium introduced",
      ]),
    );
    expect(findings.some((line) => line.includes("aws_sagemaker_endpoint_configuration.chat"))).toBe(true);
  });

  for (const shape of Object.keys(SHAPES).filter((name) => name !== "terraform plan")) {
    it(`${shape} gives the plan's findings`, async () => {
      expect(await findingsOf(shape)).toEqual(await findingsOf("terraform plan"));
    });
  }
});
