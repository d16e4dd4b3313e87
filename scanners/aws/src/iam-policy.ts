import { COMMAND_CATALOGUE, iamAction } from "./command-catalogue.ts";

export interface IamPolicyStatement {
  readonly Sid: string;
  readonly Effect: "Allow";
  readonly Action: readonly string[];
  readonly Resource: string | readonly string[];
}

export interface IamPolicyDocument {
  readonly Version: "2012-10-17";
  readonly Statement: readonly IamPolicyStatement[];
}

/**
 * The least-privilege IAM policy for the scanner, derived from the command catalogue (the only operations it can
 * send). Statement `AigovReadAiInventory` goes on the role assumed in each account; `AigovDiscoverAndAssume` on the
 * identity the scanner runs as. No statement grants kms:Decrypt, so SecureString parameters and CMK-encrypted
 * environment variables stay unreadable even if a future change asked for them.
 */
export function generateIamPolicy(roleName = "OrganizationAccountAccessRole"): IamPolicyDocument {
  const actions = (holder: string) =>
    [...new Set(COMMAND_CATALOGUE.filter((entry) => entry.holder === holder).map(iamAction))].sort();
  const roleResource = roleName.startsWith("arn:")
    ? roleName.replaceAll("{account}", "*")
    : `arn:aws:iam::*:role/${roleName}`;
  return {
    Version: "2012-10-17",
    Statement: [
      { Sid: "AigovReadAiInventory", Effect: "Allow", Action: actions("member-role"), Resource: "*" },
      {
        Sid: "AigovDiscoverAccounts",
        Effect: "Allow",
        Action: actions("scanner-principal").filter((a) => a !== "sts:AssumeRole"),
        Resource: "*",
      },
      { Sid: "AigovAssumeScannerRole", Effect: "Allow", Action: ["sts:AssumeRole"], Resource: roleResource },
    ],
  };
}
