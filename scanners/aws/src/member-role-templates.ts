import { DEFAULT_MEMBER_ROLE_NAME } from "./config.ts";
import { type IamPolicyDocument, memberRolePolicy, ssmParameterValuesPolicy } from "./iam-policy.ts";

// The templates that create the member role in every account. Their policies are the ones iam-policy.ts derives
// from the command catalogue, embedded as generated: scripts/write-permissions.ts writes the files and a test fails
// when a committed file differs, so a template never grants more, or less, than the scanner sends.

/** The sweep identity the role trusts by default: `role/aigov-sweep` in the scanner account. */
export const DEFAULT_SCANNER_PRINCIPAL = "role/aigov-sweep";

const INVENTORY_POLICY_NAME = "AigovReadAiInventory";
const SSM_VALUES_POLICY_NAME = "AigovReadSsmParameterValues";

/**
 * A CloudFormation template for a StackSet (service-managed, auto-deployed to the organization's accounts) or a
 * single stack: the member role, trusted by the scanner account's sweep identity, with the read-only policy and,
 * when `ReadSsmParameterValues` is `true`, the SSM opt-in policy. Long-form intrinsics (`Fn::Sub`, `Ref`) keep it
 * plain YAML that any YAML parser reads.
 */
export function memberRoleStackSetTemplate(): Record<string, unknown> {
  // Fn::Sub strings: CloudFormation fills in ${…}, not JavaScript.
  // biome-ignore lint/suspicious/noTemplateCurlyInString: CloudFormation Fn::Sub syntax
  const principalArn = { "Fn::Sub": "arn:${AWS::Partition}:iam::${ScannerAccountId}:${ScannerPrincipal}" };
  // biome-ignore lint/suspicious/noTemplateCurlyInString: CloudFormation Fn::Sub syntax
  const scannerAccountRoot = { "Fn::Sub": "arn:${AWS::Partition}:iam::${ScannerAccountId}:root" };
  return {
    AWSTemplateFormatVersion: "2010-09-09",
    Description:
      "aigov read-only member role: lets the aigov sweep inventory AI services (SageMaker, Bedrock, AI keys in " +
      "configuration, AI API calls in CloudTrail) in this account. Its policy is generated from the scanner's " +
      "command catalogue; see docs/permissions/aws/README.md.",
    Parameters: {
      RoleName: {
        Type: "String",
        Default: DEFAULT_MEMBER_ROLE_NAME,
        AllowedPattern: "^[\\w+=,.@-]{1,64}$",
        Description: "Name of the role; the sweep's targets.aws.role must name it (the default needs no setting).",
      },
      ScannerAccountId: {
        Type: "String",
        AllowedPattern: "^\\d{12}$",
        Description: "The account the aigov sweep runs in (the management or a delegated administrator account).",
      },
      ScannerPrincipal: {
        Type: "String",
        Default: DEFAULT_SCANNER_PRINCIPAL,
        AllowedPattern: "^(role|user)/[\\w+=,.@/*-]+$",
        Description:
          "The sweep identity in the scanner account that may assume the role: role/NAME (a path is allowed: " +
          "role/ci/aigov-sweep). role/* trusts every role of that account.",
      },
      ExternalId: {
        Type: "String",
        Default: "",
        NoEcho: true,
        Description: "When set, the sweep must send this external id (targets.aws.external_id / --aws-external-id).",
      },
      ReadSsmParameterValues: {
        Type: "String",
        Default: "false",
        AllowedValues: ["false", "true"],
        Description:
          "true adds ssm:GetParameters, needed by targets.aws.read_ssm_parameter_values. Read the caveat in " +
          "docs/permissions/aws/README.md first: the permission can read SecureStrings under the aws/ssm key.",
      },
    },
    Conditions: {
      HasExternalId: { "Fn::Not": [{ "Fn::Equals": [{ Ref: "ExternalId" }, ""] }] },
      ReadsSsmParameterValues: { "Fn::Equals": [{ Ref: "ReadSsmParameterValues" }, "true"] },
    },
    Resources: {
      AigovMemberRole: {
        Type: "AWS::IAM::Role",
        Properties: {
          RoleName: { Ref: "RoleName" },
          Description: "aigov sweep: read-only AI inventory",
          MaxSessionDuration: 3600,
          AssumeRolePolicyDocument: {
            Version: "2012-10-17",
            Statement: [
              {
                Effect: "Allow",
                Principal: { AWS: scannerAccountRoot },
                Action: "sts:AssumeRole",
                Condition: {
                  "Fn::If": [
                    "HasExternalId",
                    {
                      ArnLike: { "aws:PrincipalArn": principalArn },
                      StringEquals: { "sts:ExternalId": { Ref: "ExternalId" } },
                    },
                    { ArnLike: { "aws:PrincipalArn": principalArn } },
                  ],
                },
              },
            ],
          },
          Policies: [
            { PolicyName: INVENTORY_POLICY_NAME, PolicyDocument: memberRolePolicy() },
            {
              "Fn::If": [
                "ReadsSsmParameterValues",
                { PolicyName: SSM_VALUES_POLICY_NAME, PolicyDocument: ssmParameterValuesPolicy() },
                { Ref: "AWS::NoValue" },
              ],
            },
          ],
        },
      },
    },
    Outputs: {
      RoleName: { Description: "The member role's name", Value: { Ref: "AigovMemberRole" } },
      RoleArn: { Description: "The member role's ARN", Value: { "Fn::GetAtt": ["AigovMemberRole", "Arn"] } },
    },
  };
}

/**
 * `policies.tf` of the terraform module: the two policy documents as locals (heredocs, so they stay the exact
 * JSON of the generated policy files), used by the module's hand-written main.tf.
 */
export function terraformPolicyLocals(): string {
  return [
    "# Generated by scanners/aws/scripts/write-permissions.ts from the aigov AWS scanner's command catalogue.",
    "# Do not edit: a test fails when this file differs from what the script writes.",
    "locals {",
    heredocLocal("read_ai_inventory_policy", memberRolePolicy()),
    heredocLocal("read_ssm_parameter_values_policy", ssmParameterValuesPolicy()),
    "}",
    "",
  ].join("\n");
}

function heredocLocal(name: string, policy: IamPolicyDocument): string {
  const json = JSON.stringify(policy, null, 2);
  // HCL would interpolate these inside a heredoc; an IAM policy never needs them.
  if (json.includes("${") || json.includes("%{")) throw new Error(`${name}: the policy holds a template sequence`);
  const body = json
    .split("\n")
    .map((line) => `    ${line}`)
    .join("\n");
  return `  ${name} = <<-JSON\n${body}\n  JSON\n`;
}

export const MEMBER_ROLE_POLICY_NAMES = {
  inventory: INVENTORY_POLICY_NAME,
  ssmParameterValues: SSM_VALUES_POLICY_NAME,
} as const;
