export { type AwsScanner, type AwsScannerOptions, createAwsScanner } from "./scanner.ts";
export {
  type AwsAccountTarget,
  type AwsScanConfig,
  COLLECTOR_NAMES,
  type CollectorName,
  DEFAULT_RATE_LIMITS,
  normalizeAwsConfig,
  type RateLimit,
} from "./config.ts";
export type { AwsCredentials, AwsScanStats, CredentialsProvider } from "./aws-clients.ts";
export type { AwsTargetMeta } from "./targets.ts";
export {
  AWS_SERVICES,
  type AwsService,
  type CatalogueEntry,
  COMMAND_CATALOGUE,
  iamAction,
} from "./command-catalogue.ts";
export { generateIamPolicy, type IamPolicyDocument } from "./iam-policy.ts";
export { apiCallFromEvent } from "./collectors/cloudtrail.ts";
