import type { ScanNotice } from "@aigov/core";
import type { UnreadSsmValues } from "./collect-context.ts";
import { AWS_OPT_INS } from "./command-catalogue.ts";
import { ADMIN_ROLE_NAMES, DEFAULT_MEMBER_ROLE_NAME, type NormalizedAwsConfig, roleNameOf } from "./config.ts";

const PERMISSIONS = "docs/permissions/aws";

/** What the user of an AWS sweep must know about its configuration; said once per run by the sweep. */
export function awsNotices(config: NormalizedAwsConfig, unread: UnreadSsmValues): ScanNotice[] {
  const notices: ScanNotice[] = [];
  const adminRoles = new Set(
    [config.roleName, ...config.accounts.map((account) => account.roleArn ?? "")]
      .map(roleNameOf)
      .filter((name) => ADMIN_ROLE_NAMES.includes(name)),
  );
  for (const role of adminRoles) {
    notices.push({
      provider: "aws",
      kind: "warning",
      code: "admin-role",
      message: `the sweep assumes ${role} in member accounts, a role with AdministratorAccess: whoever holds the sweep's credentials can change every account it reaches`,
      hint: `create the read-only role ${DEFAULT_MEMBER_ROLE_NAME} in every account (${PERMISSIONS}/member-role-stackset.yaml or the terraform module beside it), then drop targets.aws.role (or --aws-role) so the sweep uses it`,
    });
  }
  if (config.services.has("ssm") && !config.readSsmParameterValues) {
    const optIn = AWS_OPT_INS["ssm-parameter-values"];
    const counted =
      unread.parameters === 0
        ? "no String/StringList parameter was listed"
        : `${unread.parameters} String/StringList parameter(s) in ${unread.places.size} account-region(s) were listed by their metadata only`;
    notices.push({
      provider: "aws",
      kind: "coverage",
      code: "ssm-parameter-values-not-read",
      message: `SSM parameter values were not read, so AI keys stored in SSM String/StringList parameters are not found (${counted})`,
      hint: `to read them, set targets.aws.${optIn.policyKey}: true (or ${optIn.flag}) and grant ${PERMISSIONS}/member-role-ssm-parameter-values-policy.json; read its caveat in ${PERMISSIONS}/README.md first`,
    });
  }
  if (config.services.has("cloudtrail") && config.cloudTrailEventSources.includes("bedrock-agentcore.amazonaws.com")) {
    notices.push({
      provider: "aws",
      kind: "coverage",
      code: "agentcore-invocations-not-read",
      message:
        "AgentCore invocations (InvokeAgentRuntime, gateway tool calls, memory and browser sessions) are CloudTrail data events, which LookupEvents does not return: the sweep sees AgentCore's management calls only",
      hint: "to keep agent invocations, log AgentCore data events on a trail (advanced event selectors for AWS::BedrockAgentCore::Runtime and ::Gateway) and send them to your SIEM",
    });
  }
  return notices;
}
