import type { AwsService } from "./aws-service.ts";
import { account } from "./aws/account.ts";
import { bedrock } from "./aws/bedrock.ts";
import { bedrockAgent } from "./aws/bedrock-agent.ts";
import { cloudtrail } from "./aws/cloudtrail.ts";
import { ecs } from "./aws/ecs.ts";
import { iam } from "./aws/iam.ts";
import { lambda } from "./aws/lambda.ts";
import { organizations } from "./aws/organizations.ts";
import { sagemaker } from "./aws/sagemaker.ts";
import { ssm } from "./aws/ssm.ts";
import { sts } from "./aws/sts.ts";

/**
 * Every simulated AWS service, one module each under aws/. All operations are reads except STS AssumeRole.
 *
 * | service (signing name) | protocol | operations |
 * |---|---|---|
 * | sagemaker | awsJson1_1 | ListEndpoints DescribeEndpoint DescribeEndpointConfig ListModels DescribeModel ListNotebookInstances DescribeNotebookInstance ListDomains DescribeDomain ListTrainingJobs DescribeTrainingJob ListProcessingJobs DescribeProcessingJob ListInferenceComponents DescribeInferenceComponent ListModelPackageGroups ListTags |
 * | bedrock | restJson1 | ListCustomModels GetCustomModel ListImportedModels GetImportedModel ListProvisionedModelThroughputs GetProvisionedModelThroughput GetModelInvocationLoggingConfiguration ListGuardrails GetGuardrail ListInferenceProfiles GetInferenceProfile ListMarketplaceModelEndpoints GetMarketplaceModelEndpoint ListFoundationModels ListTagsForResource |
 * | bedrock-agent (bedrock) | restJson1 | ListAgents GetAgent ListKnowledgeBases GetKnowledgeBase ListDataSources GetDataSource ListTagsForResource |
 * | lambda | restJson1 | ListFunctions GetFunctionConfiguration ListTags |
 * | ecs | awsJson1_1 | ListTaskDefinitions DescribeTaskDefinition |
 * | ssm | awsJson1_1 | DescribeParameters GetParameters |
 * | cloudtrail | awsJson1_1 | LookupEvents |
 * | organizations | awsJson1_1 | DescribeOrganization ListRoots ListAccounts ListAccountsForParent DescribeAccount ListParents ListOrganizationalUnitsForParent DescribeOrganizationalUnit ListTagsForResource |
 * | iam | awsQuery | ListUsers ListUserTags ListServiceSpecificCredentials |
 * | sts | awsQuery | GetCallerIdentity AssumeRole |
 * | account | restJson1 | ListRegions GetRegionOptStatus |
 */
export const AWS_SERVICES: readonly AwsService[] = [
  sagemaker,
  bedrock,
  bedrockAgent,
  lambda,
  ecs,
  ssm,
  cloudtrail,
  organizations,
  iam,
  sts,
  account,
];
