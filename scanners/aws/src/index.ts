export { type AwsScanner, type AwsScannerOptions, createAwsScanner } from "./scanner.ts";
export {
  type AwsAccountTarget,
  type AwsScanConfig,
  ADMIN_ROLE_NAMES,
  COLLECTOR_NAMES,
  type CollectorName,
  DEFAULT_MEMBER_ROLE_NAME,
  DEFAULT_RATE_LIMITS,
  normalizeAwsConfig,
} from "./config.ts";
export type { AwsCredentials, CredentialsProvider } from "./aws-clients.ts";
export type { AwsTargetMeta } from "./targets.ts";
export {
  AWS_CATALOGUE,
  AWS_OPT_INS,
  AWS_SERVICES,
  type AwsOptIn,
  type AwsService,
  type CatalogueEntry,
  COMMAND_CATALOGUE,
  iamAction,
} from "./command-catalogue.ts";
export {
  grantedActions,
  type IamPolicyDocument,
  memberRolePolicy,
  OPT_IN_POLICIES,
  scannerPrincipalPolicy,
  ssmParameterValuesPolicy,
} from "./iam-policy.ts";
export {
  DEFAULT_SCANNER_PRINCIPAL,
  memberRoleStackSetTemplate,
  terraformPolicyLocals,
} from "./member-role-templates.ts";
