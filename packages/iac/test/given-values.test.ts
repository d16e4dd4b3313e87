// Values for the input's own inputs, given as a pipeline gives them to terraform, CloudFormation or ARM: TF_VAR_
// environment variables, --var-file (tfvars, or a template's parameters file) and --var name=value.
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Asset, isAigovError, isUnknown } from "@aigov/core";
import { describe, expect, it } from "vitest";
import { commandLineValues, environmentValues, type GateReadOptions } from "../src/index.ts";
import { readGateSource } from "../src/gate.ts";

function files(entries: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "aigov-given-"));
  for (const [name, text] of Object.entries(entries)) writeFileSync(join(dir, name), text);
  return dir;
}

const onlyAsset = async (path: string, options: GateReadOptions = {}) => {
  const { subjects } = await readGateSource(path, undefined, options);
  expect(subjects).toHaveLength(1);
  return subjects[0] as Asset;
};

async function refusal(read: Promise<unknown>): Promise<string> {
  const error = await read.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  if (!isAigovError(error)) throw new Error(`expected an AigovError, got ${String(error)}`);
  return `${error.code}: ${error.message}`;
}

describe("terraform configuration: TF_VAR_, --var-file and --var in terraform's order", () => {
  const dir = files({
    "main.tf": `
variable "owner" {
  default = "from-default"
}
variable "team" {}
variable "models" {
  type = list(string)
}
variable "replicas" {
  type = number
}
resource "aws_sagemaker_endpoint" "serving" {
  count                = var.replicas
  name                 = "serving-\${count.index}"
  endpoint_config_name = "cfg"
  tags = {
    owner = var.owner
    team  = var.team
    model = var.models[0]
  }
}
`,
    "terraform.tfvars": 'team = "from-tfvars"\n',
    "prod.tfvars": 'owner = "from-var-file"\n',
  });
  const tags = (asset: Asset) => asset.native.tags as Record<string, unknown>;

  it("a TF_VAR_ variable is below terraform.tfvars; --var is above --var-file; typed by the declaration", async () => {
    const { subjects } = await readGateSource(dir, undefined, {
      environment: environmentValues({
        TF_VAR_team: "from-env",
        TF_VAR_owner: "from-env",
        TF_VAR_models: '["llama3", "mistral"]',
        TF_VAR_replicas: "2",
        TF_VAR_undeclared: "ignored",
      }),
      varFiles: [join(dir, "prod.tfvars")],
    });
    expect(subjects.map((subject) => subject.id)).toEqual([
      "aws_sagemaker_endpoint.serving[0]",
      "aws_sagemaker_endpoint.serving[1]",
    ]);
    expect(tags(subjects[0] as Asset)).toEqual({ owner: "from-var-file", team: "from-tfvars", model: "llama3" });
    const overridden = await readGateSource(dir, undefined, {
      varFiles: [join(dir, "prod.tfvars")],
      vars: commandLineValues(["owner=from-var", 'models=["phi"]', "replicas=1", "team=a=b"]),
    });
    expect(overridden.subjects).toHaveLength(1);
    expect(tags(overridden.subjects[0] as Asset)).toEqual({ owner: "from-var", team: "a=b", model: "phi" });
  });

  it("a variable given no value anywhere stays unknown, as in a plan that asks for it", async () => {
    const asset = await onlyAsset(dir, { vars: commandLineValues(["replicas=1"]) });
    expect(tags(asset).team).toBe("from-tfvars");
    expect(isUnknown(tags(asset).model)).toBe(true);
  });

  it("a given value is the text itself: an interpolation in it is not evaluated, as terraform reads -var", async () => {
    const asset = await onlyAsset(dir, {
      // biome-ignore lint/suspicious/noTemplateCurlyInString: the literal text a pipeline passes to -var
      vars: commandLineValues(["replicas=1", "owner=${team}", "team=%{ if x }y%{ endif }", 'models=["$${m}"]']),
    });
    // biome-ignore lint/suspicious/noTemplateCurlyInString: terraform's interpolation syntax, kept as text
    expect(tags(asset)).toEqual({ owner: "${team}", team: "%{ if x }y%{ endif }", model: "${m}" });
  });

  it("a value that is not of the declared type, or a --var without a name, is refused with its name", async () => {
    expect(await refusal(onlyAsset(dir, { vars: commandLineValues(["replicas=two"]) }))).toBe(
      'GATE_VAR: variable replicas is a number, not "two"',
    );
    expect(() => commandLineValues(["owner"])).toThrow("--var owner: give a name and a value, as name=value");
    expect(() => commandLineValues(["=x"])).toThrow("give a name and a value");
  });
});

const CLOUDFORMATION = `AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  Internet:
    Type: String
    Default: Enabled
  Owner:
    Type: String
Resources:
  Notebook:
    Type: AWS::SageMaker::NotebookInstance
    Properties:
      InstanceType: ml.t3.medium
      RoleArn: arn:aws:iam::123456789012:role/x
      DirectInternetAccess: !Ref Internet
      Tags:
        - Key: owner
          Value: !Ref Owner
`;

describe("CloudFormation: a parameters file and --var take the place of Default", () => {
  const dir = files({
    "notebook.yaml": CLOUDFORMATION,
    "cli.json": JSON.stringify([
      { ParameterKey: "Internet", ParameterValue: "Disabled" },
      { ParameterKey: "Owner", ParameterValue: "ml-platform" },
    ]),
    "pipeline.json": JSON.stringify({ Parameters: { Owner: "data-science" } }),
    "previous.json": JSON.stringify([{ ParameterKey: "Internet", UsePreviousValue: true }]),
    "typo.json": JSON.stringify([{ ParameterKey: "Ownr", ParameterValue: "x" }]),
  });
  const template = join(dir, "notebook.yaml");

  it("defaults alone: the notebook reaches the internet and its owner is unknown", async () => {
    const asset = await onlyAsset(template);
    expect(asset.public).toBe(true);
    expect(isUnknown(asset.tags)).toBe(true);
  });

  it("the AWS CLI's parameters list, CodePipeline's template configuration, then --var", async () => {
    const cli = await onlyAsset(template, { varFiles: [join(dir, "cli.json")] });
    expect(cli.public).toBe(false);
    expect(cli.tags).toEqual({ owner: "ml-platform" });
    const both = await onlyAsset(template, {
      varFiles: [join(dir, "cli.json"), join(dir, "pipeline.json")],
      vars: commandLineValues(["Internet=Enabled"]),
    });
    expect(both.tags).toEqual({ owner: "data-science" });
    expect(both.public).toBe(true);
  });

  it("UsePreviousValue is what the stack has, unknown here; a parameter the template does not declare is refused", async () => {
    const previous = await onlyAsset(template, { varFiles: [join(dir, "previous.json")] });
    expect(isUnknown(previous.public)).toBe(true);
    expect(await refusal(onlyAsset(template, { varFiles: [join(dir, "typo.json")] }))).toBe(
      "GATE_VAR: the template declares no parameter Ownr",
    );
    expect(await refusal(onlyAsset(template, { varFiles: [join(dir, "notebook.yaml")] }))).toBe(
      `GATE_VAR_FILE: ${join(dir, "notebook.yaml")}: a parameters file is JSON, and this is not`,
    );
  });
});

describe("ARM: a deployment parameters file and --var, typed by the parameter's declaration", () => {
  const SCHEMA = "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#";
  const dir = files({
    "azuredeploy.json": JSON.stringify({
      $schema: SCHEMA,
      contentVersion: "1.0.0.0",
      parameters: {
        Owner: { type: "string" },
        localAuth: { type: "bool", defaultValue: false },
        adminKey: { type: "securestring" },
      },
      resources: [
        {
          type: "Microsoft.CognitiveServices/accounts",
          apiVersion: "2024-10-01",
          name: "oai",
          location: "eastus",
          kind: "OpenAI",
          sku: { name: "S0" },
          tags: { owner: "[parameters('owner')]" },
          properties: { publicNetworkAccess: "Disabled", disableLocalAuth: "[not(parameters('localAuth'))]" },
        },
      ],
    }),
    "azuredeploy.parameters.json": JSON.stringify({
      $schema: "https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#",
      contentVersion: "1.0.0.0",
      parameters: {
        owner: { value: "[not an expression]" },
        adminKey: { reference: { keyVault: { id: "/subscriptions/x/vaults/kv" }, secretName: "k" } },
      },
    }),
  });
  const template = join(dir, "azuredeploy.json");

  it("a file's value is literal and found whatever its case; --var text becomes the declared bool", async () => {
    const fromFile = await onlyAsset(template, { varFiles: [join(dir, "azuredeploy.parameters.json")] });
    expect(fromFile.tags).toEqual({ owner: "[not an expression]" });
    expect(fromFile.native.properties).toMatchObject({ disableLocalAuth: true });
    const withVar = await onlyAsset(template, { vars: commandLineValues(["owner=ml", "localAuth=true"]) });
    expect(withVar.tags).toEqual({ owner: "ml" });
    expect(withVar.native.properties).toMatchObject({ disableLocalAuth: false });
  });

  it("a wrong type or an undeclared name is refused", async () => {
    expect(await refusal(onlyAsset(template, { vars: commandLineValues(["localAuth=yes"]) }))).toBe(
      'GATE_VAR: parameter localAuth is a bool (true or false), not "yes"',
    );
    expect(await refusal(onlyAsset(template, { vars: commandLineValues(["region=x"]) }))).toBe(
      "GATE_VAR: the template declares no parameter region",
    );
  });
});

describe("a plan or cdktf synth holds its values", () => {
  it("--var and --var-file given with one are refused, not ignored", async () => {
    const dir = files({
      "plan.json": JSON.stringify({ format_version: "1.2", terraform_version: "1.9.0", resource_changes: [] }),
    });
    mkdirSync(join(dir, "cdktf.out"));
    writeFileSync(join(dir, "cdktf.out", "manifest.json"), JSON.stringify({ stacks: {} }));
    for (const input of ["plan.json", "cdktf.out"])
      expect(await refusal(readGateSource(join(dir, input), undefined, { vars: commandLineValues(["a=b"]) }))).toMatch(
        /^GATE_VAR_NOT_APPLICABLE: --var and --var-file do not apply to (a terraform plan|cdktf synth output)/,
      );
    // TF_VAR_ variables are in every CI environment that runs terraform: they do not make a plan unreadable.
    expect(
      (await readGateSource(join(dir, "plan.json"), undefined, { environment: environmentValues({ TF_VAR_a: "b" }) }))
        .source,
    ).toBe("plan");
  });
});
