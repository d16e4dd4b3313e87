import { readFileSync } from "node:fs";
import { join } from "node:path";
import { AigovError, type Asset, type Key } from "@aigov/core";
import { describe, expect, it } from "vitest";
import { aiTypeInfo, readGateText } from "../src/index.ts";
import { terraformTypeOfCloudFormation } from "../src/cloudformation-template.ts";
import { parseCloudFormationYaml } from "../src/cloudformation-yaml.ts";
import { PLANS } from "./plan-fixture.ts";

const read = (yaml: string, file = "template.yaml") => readGateText(yaml, file);
const only = (yaml: string) => {
  const input = read(yaml);
  expect(input.subjects).toHaveLength(1);
  return input.subjects[0] as Asset;
};

const notebook = (properties: string, extra = "") => `AWSTemplateFormatVersion: "2010-09-09"
${extra}Resources:
  Notebook:
    Type: AWS::SageMaker::NotebookInstance
    Properties:
      InstanceType: ml.t3.medium
      RoleArn: !GetAtt Role.Arn
${properties}`;

describe("CloudFormation types are the awscc provider's types", () => {
  const awscc = JSON.parse(readFileSync(join(PLANS, "../providers/awscc-ai-types.json"), "utf8")) as {
    types: { type: string; cloudformation: string }[];
  };

  it("every AI type of awscc 1.96.0 is found from its CloudFormation type, with the same kind", () => {
    for (const { type, cloudformation } of awscc.types) {
      expect(terraformTypeOfCloudFormation(cloudformation), cloudformation).toBe(type);
      expect(aiTypeInfo(type)?.kind, type).not.toBe("unclassified");
    }
    expect(awscc.types.length).toBeGreaterThan(90);
  });

  it("types Cloud Control does not name find their aws twin too", () => {
    expect(aiTypeInfo(terraformTypeOfCloudFormation("AWS::SageMaker::EndpointConfig")!)?.twin?.type).toBe(
      "aws_sagemaker_endpoint_configuration",
    );
    expect(terraformTypeOfCloudFormation("AWS::IAM::ServiceSpecificCredential")).toBe(
      "aws_iam_service_specific_credential",
    );
    expect(terraformTypeOfCloudFormation("Custom::Thing")).toBeUndefined();
  });

  it("a type newer than the catalog is judged as unclassified AI, not skipped", () => {
    const asset = only(`Resources:
  Thing:
    Type: AWS::BedrockAgentCore::SomethingNew
    Properties: {}
`);
    expect(asset).toMatchObject({ kind: "unclassified", type: "awscc_bedrockagentcore_something_new" });
  });
});

describe("intrinsic functions", () => {
  it("Ref to a parameter takes its Default; without one the value is unknown", () => {
    const withDefault = only(
      notebook(
        "      DirectInternetAccess: !Ref Internet\n",
        "Parameters:\n  Internet:\n    Type: String\n    Default: Disabled\n",
      ),
    );
    expect(withDefault.public).toBe(false);
    const withoutDefault = only(
      notebook("      DirectInternetAccess: !Ref Internet\n", "Parameters:\n  Internet:\n    Type: String\n"),
    );
    expect(withoutDefault.public).toEqual({
      $unknown: true,
      reason: "parameter Internet has no Default: its value is given when the stack deploys",
    });
  });

  it("pseudo parameters, GetAtt and imports are unknown; Sub, Join, FindInMap and If of known parts are resolved", () => {
    const asset = only(`Parameters:
  Env:
    Type: String
    Default: prod
Mappings:
  Sizes:
    prod: { Volume: 50 }
Conditions:
  IsProd: !Equals [!Ref Env, prod]
Resources:
  Notebook:
    Type: AWS::SageMaker::NotebookInstance
    Properties:
      NotebookInstanceName: !Sub "nb-\${Env}"
      InstanceType: !Join ["", [ml., t3, .medium]]
      VolumeSizeInGB: !FindInMap [Sizes, !Ref Env, Volume]
      RootAccess: !If [IsProd, Disabled, Enabled]
      KmsKeyId: !ImportValue shared-key
      SubnetId: !Sub "\${AWS::Region}-subnet"
      Tags:
        - Key: owner
          Value: !GetAtt Team.Name
`);
    expect(asset.name).toBe("nb-prod");
    expect(asset.native).toMatchObject({
      instance_type: "ml.t3.medium",
      volume_size_in_gb: 50,
      root_access: "Disabled",
    });
    expect(asset.rootAccess).toBe(false);
    expect(asset.cmk).toMatchObject({ $unknown: true, reason: "Fn::ImportValue is resolved when the stack deploys" });
    expect(asset.privateNetwork).toMatchObject({
      $unknown: true,
      reason: "AWS::Region is known when the stack deploys",
    });
    expect(asset.owner ?? asset.tags).toMatchObject({ $unknown: true });
  });

  it("the account and region are the stack's, known when it deploys", () => {
    expect(only(notebook(""))).toMatchObject({
      account: { $unknown: true, reason: "the account the stack deploys to" },
      region: { $unknown: true, reason: "the region the stack deploys to" },
    });
  });

  it("a YAML tag CloudFormation does not define is an unknown value, not a crash", () => {
    const asset = only(notebook("      DirectInternetAccess: !Bogus Enabled\n"));
    expect(asset.public).toEqual({
      $unknown: true,
      reason: "the YAML tag !Bogus is not a CloudFormation intrinsic function aigov reads",
    });
  });

  it("Ref AWS::NoValue leaves the property out, and the provider's default applies", () => {
    const asset = only(notebook("      DirectInternetAccess: !Ref AWS::NoValue\n"));
    expect(asset.public).toBe(true);
  });

  it("a resource whose Condition is false is not created, so not judged", () => {
    const input = read(`Parameters:
  Env: { Type: String, Default: dev }
Conditions:
  IsProd: !Equals [!Ref Env, prod]
Resources:
  Endpoint:
    Type: AWS::SageMaker::Endpoint
    Condition: IsProd
    Properties: { EndpointConfigName: cfg }
`);
    expect(input.resources).toBe(1);
    expect(input.subjects).toEqual([]);
  });
});

describe("properties", () => {
  it("Tags as a list of Key/Value and as a map are the resource's tags, their keys as written", () => {
    expect(
      only(`Resources:
  Endpoint:
    Type: AWS::SageMaker::Endpoint
    Properties:
      EndpointConfigName: cfg
      Tags: [{ Key: Owner-Team, Value: ml }]
`).tags,
    ).toEqual({ "Owner-Team": "ml" });
    expect(
      only(`Resources:
  Agent:
    Type: AWS::Bedrock::Agent
    Properties:
      AgentName: helpdesk
      FoundationModel: anthropic.claude-3-haiku-20240307-v1:0
      Tags: { CostCenter: "42", owner: support }
`),
    ).toMatchObject({
      tags: { CostCenter: "42", owner: "support" },
      models: ["anthropic.claude-3-haiku-20240307-v1:0"],
    });
  });

  it("an AI key in a model container's environment is a planned key, redacted everywhere", () => {
    const secret = `sk-proj-${"a1B2c3D4e5F6g7H8".repeat(3)}T3BlbkFJ${"z9Y8x7W6v5U4t3S2".repeat(3)}`;
    const input = read(`Resources:
  Model:
    Type: AWS::SageMaker::Model
    Properties:
      ExecutionRoleArn: arn:aws:iam::111122223333:role/sm
      PrimaryContainer:
        Image: 111122223333.dkr.ecr.us-east-1.amazonaws.com/llm:1
        Environment:
          OPENAI_API_KEY: ${secret}
`);
    expect(JSON.stringify(input.subjects)).not.toContain(secret);
    const key = input.subjects.find((subject) => subject.subject === "key") as Key;
    expect(key).toMatchObject({ vendor: "openai", change: { action: "create" } });
    expect(String(key.native.field)).toContain("OPENAI_API_KEY");
  });

  it("an IAM service-specific credential for Bedrock is a Bedrock API key; one for CodeCommit is not AI", () => {
    const credential = (service: string) => `Resources:
  Key:
    Type: AWS::IAM::ServiceSpecificCredential
    Properties:
      ServiceName: ${service}
      UserName: ci-bot
`;
    expect(read(credential("bedrock.amazonaws.com")).subjects).toEqual([
      expect.objectContaining({
        subject: "key",
        type: "bedrock-api-key",
        location: "iam-user:ci-bot",
        expiresAt: null,
      }),
    ]);
    expect(read(credential("codecommit.amazonaws.com")).subjects).toEqual([]);
  });

  it("nested stacks are named as not inspected", () => {
    const input = read(`Resources:
  Ml:
    Type: AWS::CloudFormation::Stack
    Properties: { TemplateURL: https://example.com/ml.yaml }
`);
    expect(input.modulesNotInspected).toEqual(["Ml"]);
  });
});

describe("what the gate reads", () => {
  it("tells a CloudFormation template from its content, JSON or YAML, whatever the file is called", () => {
    const json = JSON.stringify({
      Resources: { Endpoint: { Type: "AWS::SageMaker::Endpoint", Properties: { EndpointConfigName: "c" } } },
    });
    expect(readGateText(json, "stack.txt").source).toBe("cloudformation");
    expect(readGateText("Resources:\n  E:\n    Type: AWS::SageMaker::Endpoint\n", "stack").source).toBe(
      "cloudformation",
    );
    expect(readGateText("AWSTemplateFormatVersion: '2010-09-09'\nResources: {}\n", "x.template").subjects).toEqual([]);
  });

  it("a YAML syntax error points at file:line:column and exits 2", () => {
    let error: unknown;
    try {
      read("Resources:\n  E:\n    Type: AWS::SageMaker::Endpoint\n    Properties: a: b\n", "bad.yaml");
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(AigovError);
    const refused = error as AigovError;
    expect(refused.code).toBe("TEMPLATE_INVALID_YAML");
    expect(refused.exitCode).toBe(2);
    expect(refused.position).toEqual({ file: "bad.yaml", line: 4, column: 17 });
    expect(refused.format().split("\n")[0]).toBe(
      "bad.yaml:4:17: the template is not valid YAML: Nested mappings are not allowed in compact mappings",
    );
  });

  it("a key twice in one mapping is refused, as CloudFormation refuses it", () => {
    expect(() =>
      read("Resources:\n  E:\n    Type: AWS::SageMaker::Endpoint\n  E:\n    Type: AWS::S3::Bucket\n"),
    ).toThrow(
      expect.objectContaining({ code: "TEMPLATE_INVALID_YAML", position: expect.objectContaining({ line: 4 }) }),
    );
  });

  it("hostile YAML (an alias bomb, nesting 10,000 deep) is refused with exit 2, never a crash", () => {
    const bomb = [
      "a: &a [x, x, x, x, x, x, x, x, x, x]",
      ...Array.from({ length: 8 }, (_, level) => {
        const previous = String.fromCharCode(97 + level);
        const name = String.fromCharCode(98 + level);
        return `${name}: &${name} [${Array(10).fill(`*${previous}`).join(", ")}]`;
      }),
      "Resources:\n  E:\n    Type: AWS::SageMaker::Endpoint\n    Properties:\n      Tags: *i",
    ].join("\n");
    expect(() => read(bomb)).toThrow(
      expect.objectContaining({ code: "TEMPLATE_INVALID_YAML", message: expect.stringContaining("aliases") }),
    );
    const deep = `Resources:\n  E:\n    Type: AWS::SageMaker::Endpoint\n    Properties: ${"[".repeat(10_000)}${"]".repeat(10_000)}\n`;
    expect(() => read(deep)).toThrow(expect.objectContaining({ code: "TEMPLATE_INVALID_YAML", exitCode: 2 }));
  });

  it("a key named __proto__ is data, never the object's prototype; inherited names are not mappings", () => {
    const { document } = parseCloudFormationYaml("Tags: { __proto__: { owner: attacker } }\n", "t.yaml");
    const tags = (document as { Tags: Record<string, unknown> }).Tags;
    expect(Object.getPrototypeOf(tags)).toBe(Object.prototype);
    expect(Object.keys(tags)).toEqual(["__proto__"]);
    const asset = only(`Mappings:
  Access: { prod: { Internet: Disabled } }
Resources:
  Notebook:
    Type: AWS::SageMaker::NotebookInstance
    Properties:
      InstanceType: ml.t3.medium
      DirectInternetAccess: !FindInMap [Access, prod, toString]
`);
    expect(asset.public).toMatchObject({
      $unknown: true,
      reason: "Fn::FindInMap: Access.prod.toString is not in Mappings",
    });
  });

  it("a YAML file that is not a template names what the gate reads", () => {
    expect(() => read("name: ci\non: push\n", "workflow.yml")).toThrow(
      expect.objectContaining({ code: "TEMPLATE_SHAPE", hint: expect.stringContaining("ARM template") }),
    );
  });

  it("a resource without a Type is refused at its line", () => {
    expect(() => read("AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  E:\n    Properties: {}\n")).toThrow(
      expect.objectContaining({ code: "TEMPLATE_SHAPE", position: { file: "template.yaml", line: 3 } }),
    );
  });
});
