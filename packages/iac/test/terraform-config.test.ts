import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { type Asset, isAigovError, isUnknown } from "@aigov/core";
import { describe, expect, it } from "vitest";
import { readTerraformConfiguration } from "../src/index.ts";
import { readGateSource } from "../src/gate.ts";

/** A configuration directory with these files (paths relative to it). */
function configuration(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "aigov-config-"));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

const assets = (subjects: readonly unknown[]) => subjects as Asset[];
const ids = (subjects: readonly { id: string }[]) => subjects.map((subject) => subject.id).sort();

describe("count and for_each are expanded into instances with their keys", () => {
  it("count over the length of a known list, with count.index in the name", async () => {
    const dir = configuration({
      "main.tf": `
variable "models" {
  default = ["chat", "embed", "rank"]
}
resource "aws_sagemaker_endpoint" "serving" {
  count                = length(var.models)
  name                 = "serving-\${var.models[count.index]}-\${count.index}"
  endpoint_config_name = aws_sagemaker_endpoint_configuration.c.name
}
resource "aws_s3_bucket" "data" {
  count = 2
}
`,
    });
    const read = await readTerraformConfiguration(dir, "infra");
    expect(ids(read.subjects)).toEqual([
      "aws_sagemaker_endpoint.serving[0]",
      "aws_sagemaker_endpoint.serving[1]",
      "aws_sagemaker_endpoint.serving[2]",
    ]);
    expect(assets(read.subjects).map((asset) => asset.name)).toEqual([
      "serving-chat-0",
      "serving-embed-1",
      "serving-rank-2",
    ]);
    expect(read.resources).toBe(5);
    expect(read.notes).toEqual([]);
  });

  it("count = 0 (a feature flag off) introduces nothing; a conditional on a variable decides", async () => {
    const dir = configuration({
      "main.tf": `
variable "enable_notebook" {
  type    = bool
  default = false
}
resource "aws_sagemaker_notebook_instance" "nb" {
  count         = var.enable_notebook ? 1 : 0
  name          = "scratch"
  instance_type = "ml.t3.medium"
  role_arn      = "arn:aws:iam::123456789012:role/x"
}
`,
    });
    expect((await readTerraformConfiguration(dir, "infra")).subjects).toEqual([]);
    writeFileSync(join(dir, "terraform.tfvars"), "enable_notebook = true\n");
    expect(ids((await readTerraformConfiguration(dir, "infra")).subjects)).toEqual([
      "aws_sagemaker_notebook_instance.nb[0]",
    ]);
  });

  it("for_each over a map: keys in the address, each.key and each.value in the values", async () => {
    const dir = configuration({
      "main.tf": `
locals {
  deployments = {
    chat  = { model = "gpt-4o", version = "2024-08-06" }
    embed = { model = "text-embedding-3-large", version = "1" }
  }
}
resource "azurerm_cognitive_deployment" "this" {
  for_each             = local.deployments
  name                 = each.key
  cognitive_account_id = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/ai/providers/Microsoft.CognitiveServices/accounts/oai"
  model {
    format  = "OpenAI"
    name    = each.value.model
    version = each.value.version
  }
  sku {
    name = "Standard"
  }
}
`,
    });
    const read = await readTerraformConfiguration(dir, "infra");
    expect(ids(read.subjects)).toEqual([
      'azurerm_cognitive_deployment.this["chat"]',
      'azurerm_cognitive_deployment.this["embed"]',
    ]);
    const chat = assets(read.subjects).find((asset) => asset.id.endsWith('["chat"]'))!;
    expect(chat.native.model).toEqual([{ format: "OpenAI", name: "gpt-4o", version: "2024-08-06" }]);
    expect(chat.account).toBe("00000000-0000-0000-0000-000000000000");
  });

  it("for_each over a set (toset of a list variable); each.value is the element", async () => {
    const dir = configuration({
      "main.tf": `
variable "regions" {
  type    = list(string)
  default = ["us-central1", "europe-west4", "us-central1"]
}
resource "google_vertex_ai_endpoint" "regional" {
  for_each     = toset(var.regions)
  name         = "ep-\${each.value}"
  display_name = "endpoint"
  location     = each.value
  project      = "ml-prod"
}
`,
    });
    const read = await readTerraformConfiguration(dir, "infra");
    expect(ids(read.subjects)).toEqual([
      'google_vertex_ai_endpoint.regional["europe-west4"]',
      'google_vertex_ai_endpoint.regional["us-central1"]',
    ]);
    expect(assets(read.subjects).map((asset) => [asset.region, asset.account])).toEqual([
      ["us-central1", "ml-prod"],
      ["europe-west4", "ml-prod"],
    ]);
  });

  it("a count only a plan knows is judged as one instance, and the gate says so", async () => {
    const dir = configuration({
      "main.tf": `
resource "aws_sagemaker_endpoint" "e" {
  count                = length(data.aws_availability_zones.all.names)
  name                 = "e"
  endpoint_config_name = "c"
}
`,
    });
    const read = await readTerraformConfiguration(dir, "infra");
    expect(ids(read.subjects)).toEqual(["aws_sagemaker_endpoint.e"]);
    expect(read.notes).toEqual(["aws_sagemaker_endpoint.e: count is known only at plan; judged as one instance"]);
  });
});

describe("local modules", () => {
  const files = {
    "main.tf": `
variable "env" {
  default = "dev"
}
module "openai" {
  source   = "./modules/openai"
  for_each = toset(["team-a", "team-b"])
  name     = "oai-\${each.key}-\${var.env}"
  public   = each.key == "team-b"
}
module "vpc" {
  source  = "terraform-aws-modules/vpc/aws"
  version = "5.0.0"
}
`,
    "modules/openai/main.tf": `
variable "name" {}
variable "public" {
  default = false
}
variable "owner" {
  default = "platform"
}
resource "azurerm_cognitive_account" "this" {
  name                          = var.name
  kind                          = "OpenAI"
  sku_name                      = "S0"
  location                      = "East US"
  resource_group_name           = "ai"
  public_network_access_enabled = var.public
  tags = {
    owner = var.owner
  }
}
module "nested" {
  source = "../nested"
  count  = 1
}
`,
    "modules/nested/main.tf": `
resource "aws_bedrockagent_agent" "helper" {
  agent_name              = "helper"
  foundation_model        = "anthropic.claude-3-haiku-20240307-v1:0"
  agent_resource_role_arn = "arn:aws:iam::123456789012:role/agent"
}
`,
  };

  it("follows ./ sources with module.<name>[key]. prefixes and the caller's inputs; registry modules are listed as not read", async () => {
    const read = await readTerraformConfiguration(configuration(files), "infra");
    expect(ids(read.subjects)).toEqual([
      'module.openai["team-a"].azurerm_cognitive_account.this',
      'module.openai["team-a"].module.nested[0].aws_bedrockagent_agent.helper',
      'module.openai["team-b"].azurerm_cognitive_account.this',
      'module.openai["team-b"].module.nested[0].aws_bedrockagent_agent.helper',
    ]);
    const accounts = assets(read.subjects).filter((asset) => asset.type === "azurerm_cognitive_account");
    expect(accounts.map((asset) => [asset.name, asset.public, asset.tags, asset.region])).toEqual([
      ["oai-team-a-dev", false, { owner: "platform" }, "eastus"],
      ["oai-team-b-dev", true, { owner: "platform" }, "eastus"],
    ]);
    expect(read.modulesNotInspected).toEqual(["module.vpc"]);
    expect(read.files).toBe(3);
    expect(accounts[0]!.source).toMatchObject({ file: join("infra", "modules/openai/main.tf"), line: 9 });
  });
});

describe("variables, locals and providers", () => {
  it("terraform.tfvars, *.auto.tfvars and --var-file apply in terraform's order, over defaults", async () => {
    const dir = configuration({
      "main.tf": `
variable "owner" {
  default = "from-default"
}
variable "team" {
  default = "ml"
}
variable "cost" {}
resource "aws_sagemaker_domain" "d" {
  domain_name = "d"
  auth_mode   = "IAM"
  vpc_id      = "vpc-1"
  subnet_ids  = ["subnet-1"]
  default_user_settings {
    execution_role = "arn:aws:iam::123456789012:role/x"
  }
  tags = {
    owner = var.owner
    team  = var.team
    cost  = var.cost
  }
}
`,
      "terraform.tfvars": 'owner = "from-tfvars"\nteam = "from-tfvars"\n',
      "b.auto.tfvars": 'team = "from-auto"\n',
      "prod.tfvars": 'owner = "from-var-file"\n',
    });
    const plain = assets((await readTerraformConfiguration(dir, "infra")).subjects)[0]!;
    expect(plain.native.tags).toMatchObject({ owner: "from-tfvars", team: "from-auto" });
    // A variable with no value anywhere is known only when terraform is given one: unknown, not absent, so the
    // tag map as a whole is unknown to rules, as in a plan.
    expect(isUnknown((plain.native.tags as Record<string, unknown>).cost)).toBe(true);
    expect(isUnknown(plain.tags)).toBe(true);
    const withFile = assets(
      (await readTerraformConfiguration(dir, "infra", { varFiles: [join(dir, "prod.tfvars")] })).subjects,
    )[0]!;
    expect((withFile.native.tags as Record<string, unknown>).owner).toBe("from-var-file");
  });

  it("provider default_tags and region (from a variable) apply as in a plan; another resource's attribute stays unknown", async () => {
    const dir = configuration({
      "providers.tf": `
variable "region" {
  default = "eu-west-1"
}
locals {
  owner = "ml-platform"
}
provider "aws" {
  region = var.region
  default_tags {
    tags = {
      owner = local.owner
    }
  }
}
`,
      "ai.tf.json": JSON.stringify({
        resource: {
          aws_sagemaker_endpoint: {
            e: {
              name: "e",
              // biome-ignore lint/suspicious/noTemplateCurlyInString: terraform's interpolation in a .tf.json
              endpoint_config_name: "${aws_sagemaker_endpoint_configuration.c.name}",
              tags: { app: "bot" },
            },
          },
        },
      }),
    });
    const read = await readTerraformConfiguration(dir, "infra");
    const endpoint = assets(read.subjects)[0]!;
    expect(endpoint.region).toBe("eu-west-1");
    expect(endpoint.tags).toEqual({ owner: "ml-platform", app: "bot" });
    expect(isUnknown(endpoint.native.endpoint_config_name)).toBe(true);
    expect(endpoint.change).toMatchObject({ action: "create" });
    expect(read.files).toBe(2);
  });
});

describe("what the gate reads", () => {
  it("tells a configuration directory from a cdktf.out and says which it read", async () => {
    const dir = configuration({ "main.tf": 'resource "aws_s3_bucket" "b" {}\n' });
    const input = await readGateSource(dir);
    expect(input).toMatchObject({ source: "terraform-configuration", files: 1, resources: 1, subjects: [] });
    const file = await readGateSource(join(dir, "main.tf"));
    expect(file.source).toBe("terraform-configuration");
  });

  it("an empty .tf file declares nothing (terraform reads it so); a count from a variables file may be a string", async () => {
    const dir = configuration({
      "variables.tf": "",
      "main.tf": 'variable "n" {}\nresource "aws_sagemaker_endpoint" "e" {\n  count = var.n\n  name  = "e"\n}\n',
      "terraform.tfvars.json": JSON.stringify({ n: "2" }),
      "empty.auto.tfvars": "",
    });
    const read = await readTerraformConfiguration(dir, "infra");
    expect(ids(read.subjects)).toEqual(["aws_sagemaker_endpoint.e[0]", "aws_sagemaker_endpoint.e[1]"]);
    expect(read.files).toBe(2);
  });

  it("an HCL syntax error is refused at file:line:column", async () => {
    const dir = configuration({ "main.tf": 'resource "aws_s3_bucket" "b" {\n  bucket = \n}\n' });
    const error = await readGateSource(dir).catch((caught: unknown) => caught);
    expect(isAigovError(error)).toBe(true);
    expect((error as { format(): string }).format()).toMatch(
      new RegExp(
        `^${join(dir, "main.tf").replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}:2:12: HCL syntax error: Invalid expression`,
      ),
    );
  });

  it("a directory with neither a manifest nor .tf files names the inputs the gate reads", async () => {
    const dir = configuration({ "notes.txt": "hello" });
    await expect(readGateSource(dir)).rejects.toMatchObject({
      code: "GATE_INPUT_UNKNOWN",
      hint: expect.stringContaining("terraform configuration"),
    });
  });
});
