// An agent acts with its role's permissions. When the same configuration attaches AdministratorAccess to that role,
// the gate says so before the agent exists (ai-agent-administrator-role), as the sweep does once it runs.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { defaultPolicy, loadRules, type Rule } from "@aigov/core";
import { beforeAll, describe, expect, it } from "vitest";
import { judgePlanned } from "../src/index.ts";
import { readGateSource } from "../src/gate.ts";
import { plan, resourceChange } from "./plan-fixture.ts";

const RULE = "ai-agent-administrator-role";
const ADMIN = "arn:aws:iam::aws:policy/AdministratorAccess";
const policy = defaultPolicy();
let rules: Rule[];
beforeAll(async () => {
  rules = await loadRules({ policy });
});

async function flagged(path: string): Promise<string[]> {
  const { subjects } = await readGateSource(path);
  return judgePlanned(subjects, { rules, policy })
    .entries.filter(({ finding }) => finding.ruleId === RULE)
    .map(({ finding, blocking }) => `${finding.subject.id}${blocking ? " blocks" : ""}`)
    .sort();
}

function configuration(hcl: string): string {
  const dir = mkdtempSync(join(tmpdir(), "aigov-agent-admin-"));
  writeFileSync(join(dir, "main.tf"), hcl);
  return dir;
}

const AGENTS = `
resource "aws_iam_role" "agent" {
  name               = "helpdesk-agent"
  assume_role_policy = "{}"
}
resource "aws_bedrockagent_agent" "helpdesk" {
  agent_name              = "helpdesk"
  foundation_model        = "anthropic.claude-3-5-sonnet-20240620-v1:0"
  agent_resource_role_arn = aws_iam_role.agent.arn
  tags = { owner = "support" }
}
resource "aws_iam_role" "runtime" {
  name                = "runtime"
  assume_role_policy  = "{}"
  managed_policy_arns = ["arn:aws:iam::aws:policy/ReadOnlyAccess", "${ADMIN}"]
}
resource "aws_bedrockagentcore_agent_runtime" "tools" {
  agent_runtime_name = "tools"
  role_arn           = aws_iam_role.runtime.arn
  tags = { owner = "support" }
}
resource "aws_iam_role" "scoped" {
  name               = "scoped"
  assume_role_policy = "{}"
}
resource "aws_bedrockagent_agent" "scoped" {
  agent_name              = "scoped"
  foundation_model        = "anthropic.claude-3-5-sonnet-20240620-v1:0"
  agent_resource_role_arn = aws_iam_role.scoped.arn
  tags = { owner = "support" }
}
resource "aws_iam_role_policy_attachment" "scoped_read" {
  role       = aws_iam_role.scoped.name
  policy_arn = "arn:aws:iam::aws:policy/ReadOnlyAccess"
}
`;

describe("an agent whose role the configuration makes an administrator", () => {
  it("terraform configuration: an attachment, or the role's managed_policy_arns, naming AdministratorAccess", async () => {
    const attached = `${AGENTS}
resource "aws_iam_role_policy_attachment" "admin" {
  role       = aws_iam_role.agent.name
  policy_arn = "${ADMIN}"
}
`;
    expect(await flagged(configuration(attached))).toEqual([
      "aws_bedrockagent_agent.helpdesk blocks",
      "aws_bedrockagentcore_agent_runtime.tools blocks",
    ]);
    // Without the attachment only the runtime, whose role lists the policy itself; another policy is no finding.
    expect(await flagged(configuration(AGENTS))).toEqual(["aws_bedrockagentcore_agent_runtime.tools blocks"]);
  });

  it("a plan: the configuration block's references link agent, role and attachment, in a module too", async () => {
    const agent = (address: string) =>
      resourceChange(address, "aws_bedrockagent_agent", ["create"], {
        agent_name: "helpdesk",
        foundation_model: "anthropic.claude-3-5-sonnet-20240620-v1:0",
        tags: { owner: "support" },
      });
    const module = (policyArn: string) => ({
      resources: [
        { address: "aws_iam_role.agent", type: "aws_iam_role", expressions: {} },
        {
          address: "aws_bedrockagent_agent.helpdesk",
          type: "aws_bedrockagent_agent",
          expressions: { agent_resource_role_arn: { references: ["aws_iam_role.agent.arn", "aws_iam_role.agent"] } },
        },
        {
          address: "aws_iam_policy_attachment.admin",
          type: "aws_iam_policy_attachment",
          expressions: {
            roles: { references: ["aws_iam_role.agent.name", "aws_iam_role.agent"] },
            policy_arn: { constant_value: policyArn },
          },
        },
      ],
    });
    const dir = mkdtempSync(join(tmpdir(), "aigov-agent-admin-plan-"));
    const document = plan(
      [agent("aws_bedrockagent_agent.helpdesk"), agent("module.support.aws_bedrockagent_agent.helpdesk")],
      {
        configuration: {
          root_module: {
            ...module("arn:aws-us-gov:iam::aws:policy/AdministratorAccess"),
            module_calls: { support: { module: module("arn:aws:iam::aws:policy/PowerUserAccess") } },
          },
        },
      },
    );
    writeFileSync(join(dir, "plan.json"), JSON.stringify(document));
    expect(await flagged(join(dir, "plan.json"))).toEqual(["aws_bedrockagent_agent.helpdesk blocks"]);
  });

  it("a CloudFormation template: the agent's !GetAtt Role.Arn and the role's ManagedPolicyArns, partition via !Sub", async () => {
    const dir = mkdtempSync(join(tmpdir(), "aigov-agent-admin-cfn-"));
    const template = (policyArn: string) => `AWSTemplateFormatVersion: "2010-09-09"
Resources:
  AgentRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument: {}
      ManagedPolicyArns:
        - ${policyArn}
  Agent:
    Type: AWS::Bedrock::Agent
    Properties:
      AgentName: helpdesk
      FoundationModel: anthropic.claude-3-5-sonnet-20240620-v1:0
      AgentResourceRoleArn: !GetAtt AgentRole.Arn
      Tags:
        owner: support
  Runtime:
    Type: AWS::BedrockAgentCore::Runtime
    Properties:
      AgentRuntimeName: tools
      RoleArn: !GetAtt [AgentRole, Arn]
`;
    // biome-ignore lint/suspicious/noTemplateCurlyInString: CloudFormation's own ${} syntax, not a JavaScript template
    writeFileSync(join(dir, "admin.yaml"), template("!Sub arn:${AWS::Partition}:iam::aws:policy/AdministratorAccess"));
    writeFileSync(join(dir, "scoped.yaml"), template("arn:aws:iam::aws:policy/ReadOnlyAccess"));
    expect(await flagged(join(dir, "admin.yaml"))).toEqual(["Agent blocks", "Runtime blocks"]);
    expect(await flagged(join(dir, "scoped.yaml"))).toEqual([]);
  });
});
