import { defaultPolicy, loadRules, type Rule } from "@aigov/core";
import { beforeAll, describe, expect, it } from "vitest";
import { judgePlanned, type PlannedSubject, readGateText, readPlanDocument } from "../src/index.ts";
import { plan, resourceChange } from "./plan-fixture.ts";

// The same resource written as a CloudFormation or ARM template and in a terraform plan gives the same findings for
// the same facts: the same rules fire, with the same status, severity and evidence.

let rules: Rule[];
const policy = defaultPolicy();
beforeAll(async () => {
  rules = await loadRules({ policy });
});

/** What a user reads of each finding, without the subject's id (a logical id in one, an address in the other). */
function findings(subjects: readonly PlannedSubject[]): string[] {
  return judgePlanned(subjects, { rules, policy })
    .entries.map(
      ({ finding, blocking }) =>
        `${finding.ruleId} ${finding.status} ${finding.severity} blocking=${blocking} ${finding.evidence
          .map((item) => `${item.field}=${JSON.stringify(item.value)}`)
          .join(",")}`,
    )
    .sort();
}

const planned = (type: string, address: string, after: Record<string, unknown>) =>
  readPlanDocument(plan([resourceChange(address, type, ["create"], after)]), "plan.json").subjects;

describe("a SageMaker endpoint: CloudFormation template and terraform plan", () => {
  const template = (tags: string) => `AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  Team:
    Type: String
    Default: ml-platform
Resources:
  Endpoint:
    Type: AWS::SageMaker::Endpoint
    Properties:
      EndpointName: chat
      EndpointConfigName: !GetAtt Config.EndpointConfigName
${tags}`;

  it("an endpoint without an owner: the same blocking findings", () => {
    const fromTemplate = readGateText(template(""), "endpoint.yaml").subjects;
    const fromPlan = planned("aws_sagemaker_endpoint", "aws_sagemaker_endpoint.chat", {
      name: "chat",
      endpoint_config_name: "cfg",
      tags: {},
      tags_all: {},
    });
    expect(findings(fromTemplate)).toEqual(findings(fromPlan));
    expect(
      findings(fromTemplate).some((line) => line.startsWith("ai-resource-ungoverned open high blocking=true")),
    ).toBe(true);
  });

  it("an owner from a parameter's Default counts like the plan's tag: the same (no) findings", () => {
    const tags = "      Tags:\n        - Key: owner\n          Value: !Ref Team\n";
    const fromTemplate = readGateText(template(tags), "endpoint.yaml").subjects;
    const fromPlan = planned("aws_sagemaker_endpoint", "aws_sagemaker_endpoint.chat", {
      name: "chat",
      endpoint_config_name: "cfg",
      tags: { owner: "ml-platform" },
      tags_all: { owner: "ml-platform" },
    });
    expect(fromTemplate[0]?.tags).toEqual({ owner: "ml-platform" });
    expect(findings(fromTemplate)).toEqual(findings(fromPlan));
    expect(findings(fromTemplate).filter((line) => line.includes("blocking=true"))).toEqual([]);
  });
});

describe("an Azure OpenAI deployment: ARM template and terraform plan", () => {
  const arm = {
    $schema: "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
    contentVersion: "1.0.0.0",
    parameters: { account: { type: "string", defaultValue: "oai-prod" } },
    resources: [
      {
        type: "Microsoft.CognitiveServices/accounts/deployments",
        apiVersion: "2024-10-01",
        name: "[format('{0}/{1}', parameters('account'), 'gpt-4o')]",
        sku: { name: "GlobalStandard", capacity: 50 },
        properties: {
          model: { format: "OpenAI", name: "gpt-4o", version: "2024-08-06" },
          versionUpgradeOption: "OnceNewDefaultVersionAvailable",
        },
      },
    ],
  };

  it("the same findings: global processing, no content filter, model auto-upgrade", () => {
    const fromTemplate = readGateText(JSON.stringify(arm), "azuredeploy.json").subjects;
    const fromPlan = planned("azurerm_cognitive_deployment", "azurerm_cognitive_deployment.gpt4o", {
      name: "gpt-4o",
      cognitive_account_id:
        "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.CognitiveServices/accounts/oai-prod",
      model: [{ format: "OpenAI", name: "gpt-4o", version: "2024-08-06" }],
      sku: [{ name: "GlobalStandard", capacity: 50 }],
      version_upgrade_option: "OnceNewDefaultVersionAvailable",
    });
    expect(fromTemplate.map((subject) => subject.id)).toEqual([
      "Microsoft.CognitiveServices/accounts/oai-prod/deployments/gpt-4o",
    ]);
    const rulesFired = (subjects: readonly PlannedSubject[]) =>
      findings(subjects).map((line) => line.split(" ").slice(0, 4).join(" "));
    expect(findings(fromTemplate)).toEqual(findings(fromPlan));
    expect(rulesFired(fromTemplate)).toEqual(
      expect.arrayContaining([
        "azure-ai-deployment-global-processing open medium blocking=false",
        "azure-ai-deployment-no-content-filter open medium blocking=false",
      ]),
    );
  });
});
