import { readFileSync } from "node:fs";
import { Ajv2019 } from "ajv/dist/2019.js";
import addFormats from "ajv-formats";

const ajv = new Ajv2019({ allErrors: true, strict: false });
addFormats.default(ajv);

/**
 * ajv validator of one ASFF finding against the JSON Schema derived from the Security Hub API model
 * (schemas/asff/README.md): required members, types, enums, `NonEmptyString`, and the documented length limits.
 */
export const validateAsff = ajv.compile(
  JSON.parse(readFileSync(new URL("./schemas/asff/aws-security-finding.schema.json", import.meta.url), "utf8")),
);

/** The account and region a BatchImportFindings call comes from: its credentials and its endpoint. */
export interface SecurityHubCaller {
  readonly account: string;
  readonly region: string;
  readonly partition?: string;
}

/**
 * What Security Hub refuses in a finding beyond its schema, as the API reference states it: the finding's account
 * must be the caller's (default product ARN), the product ARN the caller's custom integration in the region
 * called, the top-level Region is Security Hub's own, and no finding is over 240 KB. Undefined when none applies.
 */
export function securityHubRefusal(
  finding: Record<string, unknown>,
  caller: SecurityHubCaller,
): { code: string; message: string } | undefined {
  const bytes = Buffer.byteLength(JSON.stringify(finding), "utf8");
  if (bytes > 240 * 1024) return { code: "InvalidInput", message: `finding is ${bytes} bytes, over 240 KB` };
  if (!validateAsff(finding)) {
    return { code: "InvalidInput", message: `Finding does not adhere to ASFF: ${ajv.errorsText(validateAsff.errors)}` };
  }
  if ("Region" in finding) return { code: "InvalidInput", message: "Region is populated by Security Hub" };
  if (finding.AwsAccountId !== caller.account) {
    return {
      code: "AccessDeniedException",
      message: `account ${caller.account} cannot import a finding of account ${String(finding.AwsAccountId)}`,
    };
  }
  const product = `arn:${caller.partition ?? "aws"}:securityhub:${caller.region}:${caller.account}:product/${caller.account}/default`;
  if (finding.ProductArn !== product) {
    return { code: "AccessDeniedException", message: `ProductArn ${String(finding.ProductArn)} is not ${product}` };
  }
  return undefined;
}
