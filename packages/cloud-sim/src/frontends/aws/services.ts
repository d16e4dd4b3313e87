import type { AwsService } from "./service.ts";
import { account } from "./services/account.ts";
import { bedrock } from "./services/bedrock.ts";
import { bedrockAgent } from "./services/bedrock-agent.ts";
import { bedrockAgentCore } from "./services/bedrock-agentcore.ts";
import { cloudtrail } from "./services/cloudtrail.ts";
import { ec2 } from "./services/ec2.ts";
import { ecs } from "./services/ecs.ts";
import { iam } from "./services/iam.ts";
import { lambda } from "./services/lambda.ts";
import { logs } from "./services/logs.ts";
import { organizations } from "./services/organizations.ts";
import { qbusiness } from "./services/qbusiness.ts";
import { s3 } from "./services/s3.ts";
import { sagemaker } from "./services/sagemaker.ts";
import { ssm } from "./services/ssm.ts";
import { sts } from "./services/sts.ts";

/** Every simulated AWS service, one module each under services/ (the table is in the package README). */
export const AWS_SERVICES: readonly AwsService[] = [
  sagemaker,
  bedrock,
  bedrockAgent,
  bedrockAgentCore,
  qbusiness,
  lambda,
  ecs,
  ssm,
  cloudtrail,
  ec2,
  logs,
  s3,
  organizations,
  iam,
  sts,
  account,
];
