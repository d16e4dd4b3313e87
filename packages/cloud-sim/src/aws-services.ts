import type { AwsService } from "./aws-service.ts";
import { sts } from "./aws/sts.ts";

/**
 * Every simulated AWS service. Operations (all reads except STS AssumeRole):
 * - sts (awsQuery): GetCallerIdentity, AssumeRole
 */
export const AWS_SERVICES: readonly AwsService[] = [sts];
