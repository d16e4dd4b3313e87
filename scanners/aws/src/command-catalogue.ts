// Every AWS operation the scanner can send, in one place (the kit's catalogue shape). Clients refuse any command not
// listed here before it is sent (see aws-clients.ts), the kit's read-only test checks each entry is a read that
// returns no secret material, and the IAM policies and role templates in docs/permissions/aws/ are generated from
// this list. Adding an operation means adding it here.
import { type Catalogue, type CatalogueEntry as KitCatalogueEntry, createCatalogue } from "@aigov/scanner-kit";
import { ListRegionsCommand } from "@aws-sdk/client-account";
import {
  GetCustomModelCommand,
  GetFoundationModelAvailabilityCommand,
  GetGuardrailCommand,
  GetImportedModelCommand,
  GetMarketplaceModelEndpointCommand,
  GetModelInvocationLoggingConfigurationCommand,
  ListCustomModelsCommand,
  ListEnforcedGuardrailsConfigurationCommand,
  ListFoundationModelsCommand,
  ListGuardrailsCommand,
  ListImportedModelsCommand,
  ListInferenceProfilesCommand,
  ListMarketplaceModelEndpointsCommand,
  ListProvisionedModelThroughputsCommand,
  ListTagsForResourceCommand as ListBedrockTagsCommand,
} from "@aws-sdk/client-bedrock";
import {
  GetAgentActionGroupCommand,
  GetAgentCommand,
  GetDataSourceCommand,
  GetFlowCommand,
  GetKnowledgeBaseCommand,
  GetPromptCommand,
  ListAgentActionGroupsCommand,
  ListAgentAliasesCommand,
  ListAgentCollaboratorsCommand,
  ListAgentsCommand,
  ListDataSourcesCommand,
  ListFlowsCommand,
  ListKnowledgeBasesCommand,
  ListPromptsCommand,
  ListTagsForResourceCommand as ListBedrockAgentTagsCommand,
} from "@aws-sdk/client-bedrock-agent";
import {
  GetAgentRuntimeCommand,
  GetBrowserCommand,
  GetCodeInterpreterCommand,
  GetGatewayCommand,
  GetGatewayTargetCommand,
  GetMemoryCommand,
  ListAgentRuntimeEndpointsCommand,
  ListAgentRuntimesCommand,
  ListApiKeyCredentialProvidersCommand,
  ListBrowsersCommand,
  ListCodeInterpretersCommand,
  ListGatewaysCommand,
  ListGatewayTargetsCommand,
  ListMemoriesCommand,
  ListOauth2CredentialProvidersCommand,
  ListTagsForResourceCommand as ListAgentCoreTagsCommand,
} from "@aws-sdk/client-bedrock-agentcore-control";
import { LookupEventsCommand } from "@aws-sdk/client-cloudtrail";
import { DescribeTaskDefinitionCommand, ListTaskDefinitionsCommand } from "@aws-sdk/client-ecs";
import {
  ListEntitiesForPolicyCommand,
  ListGroupsForUserCommand,
  ListRoleTagsCommand,
  ListServiceSpecificCredentialsCommand,
  ListUserTagsCommand,
} from "@aws-sdk/client-iam";
import { ListFunctionsCommand } from "@aws-sdk/client-lambda";
import {
  ListAccountsCommand,
  ListAccountsForParentCommand,
  ListOrganizationalUnitsForParentCommand,
  ListRootsCommand,
  ListTagsForResourceCommand as ListOrganizationsTagsCommand,
} from "@aws-sdk/client-organizations";
import {
  DescribeClusterCommand,
  DescribeDomainCommand,
  DescribeEndpointCommand,
  DescribeEndpointConfigCommand,
  DescribeInferenceComponentCommand,
  DescribeModelCommand,
  DescribeNotebookInstanceCommand,
  DescribeNotebookInstanceLifecycleConfigCommand,
  DescribeProcessingJobCommand,
  DescribeTrainingJobCommand,
  ListClustersCommand,
  ListDomainsCommand,
  ListEndpointsCommand,
  ListInferenceComponentsCommand,
  ListModelPackageGroupsCommand,
  ListModelPackagesCommand,
  ListModelsCommand,
  ListMonitoringSchedulesCommand,
  ListNotebookInstanceLifecycleConfigsCommand,
  ListNotebookInstancesCommand,
  ListProcessingJobsCommand,
  ListSpacesCommand,
  ListTagsCommand as ListSageMakerTagsCommand,
  ListTrainingJobsCommand,
  ListUserProfilesCommand,
} from "@aws-sdk/client-sagemaker";
import {
  GetApplicationCommand,
  GetIndexCommand,
  GetPluginCommand,
  GetRetrieverCommand,
  ListApplicationsCommand,
  ListIndicesCommand,
  ListPluginsCommand,
  ListRetrieversCommand,
  ListTagsForResourceCommand as ListQBusinessTagsCommand,
} from "@aws-sdk/client-qbusiness";
import { DescribeParametersCommand, GetParametersCommand } from "@aws-sdk/client-ssm";
import { AssumeRoleCommand, GetCallerIdentityCommand } from "@aws-sdk/client-sts";

/** The SDK client families the scanner uses; `signingName` is the SigV4 service name, `iamPrefix` the IAM action prefix. */
export const AWS_SERVICES = {
  account: { clientName: "AccountClient", iamPrefix: "account", global: true },
  bedrock: { clientName: "BedrockClient", iamPrefix: "bedrock", global: false },
  "bedrock-agent": { clientName: "BedrockAgentClient", iamPrefix: "bedrock", global: false },
  "bedrock-agentcore": { clientName: "BedrockAgentCoreControlClient", iamPrefix: "bedrock-agentcore", global: false },
  qbusiness: { clientName: "QBusinessClient", iamPrefix: "qbusiness", global: false },
  cloudtrail: { clientName: "CloudTrailClient", iamPrefix: "cloudtrail", global: false },
  ecs: { clientName: "ECSClient", iamPrefix: "ecs", global: false },
  iam: { clientName: "IAMClient", iamPrefix: "iam", global: true },
  lambda: { clientName: "LambdaClient", iamPrefix: "lambda", global: false },
  organizations: { clientName: "OrganizationsClient", iamPrefix: "organizations", global: true },
  sagemaker: { clientName: "SageMakerClient", iamPrefix: "sagemaker", global: false },
  ssm: { clientName: "SSMClient", iamPrefix: "ssm", global: false },
  sts: { clientName: "STSClient", iamPrefix: "sts", global: true },
} as const;
export type AwsService = keyof typeof AWS_SERVICES;

/** Which identity needs the permission: the scanner's own principal, or the role it assumes in each account. */
export type PermissionHolder = "scanner-principal" | "member-role" | "none";

/**
 * Reads a user turns on explicitly, because the permission they need grants more than aigov uses: sent only when
 * the setting (an AwsScanConfig field) is on, and granted only by the opt-in policy of the same name, never by the
 * default one.
 */
export const AWS_OPT_INS = {
  "ssm-parameter-values": {
    setting: "readSsmParameterValues",
    policyKey: "read_ssm_parameter_values",
    flag: "--aws-read-ssm-parameter-values",
  },
} as const;
export type AwsOptIn = keyof typeof AWS_OPT_INS;

// biome-ignore lint/suspicious/noExplicitAny: command classes of many clients, only used as identities here
type CommandClass = abstract new (...args: any[]) => unknown;

export interface CatalogueEntry extends KitCatalogueEntry<AwsService, PermissionHolder> {
  /** The operation name as the SDK's `context.commandName` reports it, minus the `Command` suffix. */
  readonly operation: string;
  readonly command: CommandClass;
  readonly optIn?: AwsOptIn;
}

const entry = (
  service: AwsService,
  command: CommandClass,
  holder: PermissionHolder = "member-role",
  guard: { requiredInput?: Readonly<Record<string, unknown>>; optIn?: AwsOptIn } = {},
): CatalogueEntry => {
  const operation = command.name.replace(/Command$/, "");
  return {
    service,
    operation,
    command,
    // STS AssumeRole issues the scanner's own session for a member account; everything else reads.
    kind: service === "sts" && operation === "AssumeRole" ? "session" : "read",
    returnsSecret: false,
    permissions: holder === "none" ? [] : [`${AWS_SERVICES[service].iamPrefix}:${operation}`],
    holder,
    ...guard,
  };
};

export const COMMAND_CATALOGUE: readonly CatalogueEntry[] = [
  // Identity and targets: sent with the scanner's own credentials.
  entry("sts", GetCallerIdentityCommand, "none"),
  entry("sts", AssumeRoleCommand, "scanner-principal"),
  entry("organizations", ListAccountsCommand, "scanner-principal"),
  entry("organizations", ListRootsCommand, "scanner-principal"),
  entry("organizations", ListOrganizationalUnitsForParentCommand, "scanner-principal"),
  entry("organizations", ListAccountsForParentCommand, "scanner-principal"),
  entry("organizations", ListOrganizationsTagsCommand, "scanner-principal"),
  entry("account", ListRegionsCommand),
  // SageMaker.
  entry("sagemaker", ListEndpointsCommand),
  entry("sagemaker", DescribeEndpointCommand),
  entry("sagemaker", DescribeEndpointConfigCommand),
  entry("sagemaker", ListModelsCommand),
  entry("sagemaker", DescribeModelCommand),
  entry("sagemaker", ListNotebookInstancesCommand),
  entry("sagemaker", DescribeNotebookInstanceCommand),
  // Lifecycle scripts are read for the AI keys pasted into them; only the keys' redacted forms leave the scanner.
  entry("sagemaker", ListNotebookInstanceLifecycleConfigsCommand),
  entry("sagemaker", DescribeNotebookInstanceLifecycleConfigCommand),
  entry("sagemaker", ListDomainsCommand),
  entry("sagemaker", DescribeDomainCommand),
  entry("sagemaker", ListTrainingJobsCommand),
  entry("sagemaker", DescribeTrainingJobCommand),
  entry("sagemaker", ListProcessingJobsCommand),
  entry("sagemaker", DescribeProcessingJobCommand),
  entry("sagemaker", ListInferenceComponentsCommand),
  entry("sagemaker", DescribeInferenceComponentCommand),
  entry("sagemaker", ListModelPackageGroupsCommand),
  entry("sagemaker", ListModelPackagesCommand),
  entry("sagemaker", ListClustersCommand),
  entry("sagemaker", DescribeClusterCommand),
  entry("sagemaker", ListMonitoringSchedulesCommand),
  entry("sagemaker", ListUserProfilesCommand),
  entry("sagemaker", ListSpacesCommand),
  entry("sagemaker", ListSageMakerTagsCommand),
  // Bedrock.
  entry("bedrock", ListCustomModelsCommand),
  entry("bedrock", GetCustomModelCommand),
  entry("bedrock", ListImportedModelsCommand),
  entry("bedrock", GetImportedModelCommand),
  entry("bedrock", ListProvisionedModelThroughputsCommand),
  entry("bedrock", GetModelInvocationLoggingConfigurationCommand),
  entry("bedrock", ListGuardrailsCommand),
  entry("bedrock", GetGuardrailCommand),
  entry("bedrock", ListInferenceProfilesCommand),
  entry("bedrock", ListMarketplaceModelEndpointsCommand),
  entry("bedrock", GetMarketplaceModelEndpointCommand),
  entry("bedrock", ListBedrockTagsCommand),
  // Model access (which foundation models' agreements are accepted) and the account's enforced guardrails.
  entry("bedrock", ListFoundationModelsCommand),
  entry("bedrock", GetFoundationModelAvailabilityCommand),
  entry("bedrock", ListEnforcedGuardrailsConfigurationCommand),
  entry("bedrock-agent", ListAgentsCommand),
  entry("bedrock-agent", GetAgentCommand),
  entry("bedrock-agent", ListAgentActionGroupsCommand),
  entry("bedrock-agent", GetAgentActionGroupCommand),
  entry("bedrock-agent", ListAgentAliasesCommand),
  entry("bedrock-agent", ListAgentCollaboratorsCommand),
  entry("bedrock-agent", ListFlowsCommand),
  entry("bedrock-agent", GetFlowCommand),
  entry("bedrock-agent", ListPromptsCommand),
  entry("bedrock-agent", GetPromptCommand),
  entry("bedrock-agent", ListKnowledgeBasesCommand),
  entry("bedrock-agent", GetKnowledgeBaseCommand),
  entry("bedrock-agent", ListDataSourcesCommand),
  entry("bedrock-agent", GetDataSourceCommand),
  entry("bedrock-agent", ListBedrockAgentTagsCommand),
  // Bedrock AgentCore: credential providers are listed only (names and vendors); their secrets stay in the vault.
  entry("bedrock-agentcore", ListAgentRuntimesCommand),
  entry("bedrock-agentcore", GetAgentRuntimeCommand),
  entry("bedrock-agentcore", ListAgentRuntimeEndpointsCommand),
  entry("bedrock-agentcore", ListGatewaysCommand),
  entry("bedrock-agentcore", GetGatewayCommand),
  entry("bedrock-agentcore", ListGatewayTargetsCommand),
  entry("bedrock-agentcore", GetGatewayTargetCommand),
  entry("bedrock-agentcore", ListMemoriesCommand),
  entry("bedrock-agentcore", GetMemoryCommand),
  entry("bedrock-agentcore", ListBrowsersCommand),
  entry("bedrock-agentcore", GetBrowserCommand),
  entry("bedrock-agentcore", ListCodeInterpretersCommand),
  entry("bedrock-agentcore", GetCodeInterpreterCommand),
  entry("bedrock-agentcore", ListApiKeyCredentialProvidersCommand),
  entry("bedrock-agentcore", ListOauth2CredentialProvidersCommand),
  entry("bedrock-agentcore", ListAgentCoreTagsCommand),
  // Amazon Q Business: a plugin's credentials stay in Secrets Manager; GetPlugin names the secret's ARN only.
  entry("qbusiness", ListApplicationsCommand),
  entry("qbusiness", GetApplicationCommand),
  entry("qbusiness", ListIndicesCommand),
  entry("qbusiness", GetIndexCommand),
  entry("qbusiness", ListRetrieversCommand),
  entry("qbusiness", GetRetrieverCommand),
  entry("qbusiness", ListPluginsCommand),
  entry("qbusiness", GetPluginCommand),
  entry("qbusiness", ListQBusinessTagsCommand),
  // Keys: metadata of Bedrock API keys (never the secret), configuration that may hold third-party keys.
  entry("iam", ListServiceSpecificCredentialsCommand),
  // Who holds AdministratorAccess and AmazonBedrockFullAccess (policy attachments, names only), a key user's groups,
  // and the tags of the users and roles holding AmazonBedrockFullAccess.
  entry("iam", ListEntitiesForPolicyCommand),
  entry("iam", ListGroupsForUserCommand),
  entry("iam", ListUserTagsCommand),
  entry("iam", ListRoleTagsCommand),
  entry("lambda", ListFunctionsCommand),
  entry("ecs", ListTaskDefinitionsCommand),
  entry("ecs", DescribeTaskDefinitionCommand),
  entry("ssm", DescribeParametersCommand),
  // Only String/StringList parameters are read, never decrypted, and only when the user opts in: the permission
  // itself would let the role's holder decrypt SecureStrings under the default aws/ssm key.
  entry("ssm", GetParametersCommand, "member-role", {
    requiredInput: { WithDecryption: false },
    optIn: "ssm-parameter-values",
  }),
  // API calls.
  entry("cloudtrail", LookupEventsCommand),
];

/** The IAM action for an entry, e.g. `bedrock:ListAgents` (bedrock-agent shares the `bedrock` prefix). */
export function iamAction(item: CatalogueEntry): string {
  return `${AWS_SERVICES[item.service].iamPrefix}:${item.operation}`;
}

/** A command as the SDK middleware context names it: `SageMakerClient/ListEndpoints`. */
export function wireName(clientName: string, commandName: string): string {
  return `${clientName}/${commandName.replace(/Command$/, "")}`;
}

export const AWS_CATALOGUE: Catalogue<CatalogueEntry> = createCatalogue("aws", COMMAND_CATALOGUE, {
  wireName: (item) => wireName(AWS_SERVICES[item.service].clientName, item.operation),
  optIns: AWS_OPT_INS,
});
