import { AWS_CATALOGUE, type AwsOptIn } from "./command-catalogue.ts";
import { DEFAULT_MEMBER_ROLE_NAME } from "./config.ts";

export interface IamPolicyStatement {
  readonly Sid: string;
  readonly Effect: "Allow" | "Deny";
  readonly Action: readonly string[];
  readonly Resource: string | readonly string[];
  readonly Condition?: Readonly<Record<string, Readonly<Record<string, string | readonly string[]>>>>;
}

export interface IamPolicyDocument {
  readonly Version: "2012-10-17";
  readonly Statement: readonly IamPolicyStatement[];
}

// The IAM policies below are derived from the command catalogue (the only operations the scanner can send), one
// per identity: the scanner principal (the sweep's own credentials, in the management or delegated administrator
// account) and the member role it assumes in every account. docs/permissions/aws/ holds them and the role templates
// (scanners/aws/scripts/write-permissions.ts writes them; a test fails when the committed files differ).

/**
 * The member role's default policy: every read the scanner sends in a member account except the opt-in ones. No
 * statement grants kms:Decrypt or ssm:GetParameters, so no SecureString value or CMK-encrypted variable is readable.
 */
export function memberRolePolicy(): IamPolicyDocument {
  return {
    Version: "2012-10-17",
    Statement: [
      { Sid: "AigovReadAiInventory", Effect: "Allow", Action: AWS_CATALOGUE.permissions("member-role"), Resource: "*" },
    ],
  };
}

/**
 * The member role's opt-in policy for `readSsmParameterValues`: ssm:GetParameters. IAM cannot limit it to String
 * parameters or to calls without decryption, and the default `aws/ssm` key's policy lets SSM decrypt for any
 * principal of the account: so the Deny on KMS decryption through SSM (the call SSM makes with the role's identity
 * when asked for a SecureString) keeps SecureString values closed to the role's holder, as far as IAM can.
 */
export function ssmParameterValuesPolicy(): IamPolicyDocument {
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "AigovReadSsmParameterValues",
        Effect: "Allow",
        Action: AWS_CATALOGUE.permissions("member-role", "ssm-parameter-values"),
        Resource: "*",
      },
      {
        Sid: "AigovNeverDecryptSsmParameters",
        Effect: "Deny",
        Action: ["kms:Decrypt"],
        Resource: "*",
        Condition: { StringLike: { "kms:ViaService": "ssm.*.amazonaws.com" } },
      },
    ],
  };
}

/** The opt-in policies by name, for the files and templates that ship them. */
export const OPT_IN_POLICIES: Readonly<Record<AwsOptIn, () => IamPolicyDocument>> = {
  "ssm-parameter-values": ssmParameterValuesPolicy,
};

/**
 * The scanner principal's policy: list the organization, and assume the member role and nothing else. `roleName`
 * is the member role's name (or an ARN template with `{account}`, as in the scanner's config).
 */
export function scannerPrincipalPolicy(roleName: string = DEFAULT_MEMBER_ROLE_NAME): IamPolicyDocument {
  const roleResource = roleName.startsWith("arn:")
    ? roleName.replaceAll("{account}", "*")
    : `arn:aws:iam::*:role/${roleName}`;
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "AigovDiscoverAccounts",
        Effect: "Allow",
        Action: AWS_CATALOGUE.permissions("scanner-principal").filter((action) => action !== "sts:AssumeRole"),
        Resource: "*",
      },
      { Sid: "AigovAssumeMemberRole", Effect: "Allow", Action: ["sts:AssumeRole"], Resource: roleResource },
    ],
  };
}

/** Every action the policies grant, for the test that they cover the catalogue exactly. */
export function grantedActions(): string[] {
  const documents = [memberRolePolicy(), scannerPrincipalPolicy(), ...Object.values(OPT_IN_POLICIES).map((p) => p())];
  return documents.flatMap((document) =>
    document.Statement.filter((statement) => statement.Effect === "Allow").flatMap((statement) => statement.Action),
  );
}
