/**
 * The world file's `aws:` section: what the simulated AWS organization contains (`world.schema.json` beside this
 * file checks it). Resource entries are written in the shape the real API returns them (same field names and
 * casing: SageMaker `EndpointName`, Bedrock `modelName`, CloudTrail `eventName` …), so anything the real
 * Describe/Get call returns can be put in the world and comes back unchanged. Keys the simulator itself reads are
 * lower-case (`tags`, `roles`, `regions` …). Timestamps are ISO-8601 strings; the frontend renders them the way
 * each protocol does (epoch seconds in awsJson1_1, ISO strings in restJson1 and awsQuery XML).
 */

/** A tag map as the world writes it; the server turns it into each API's tag shape. */
export type Tags = Readonly<Record<string, string>>;

/** Any further API fields a resource carries, passed through to the responses unchanged. */
export interface ApiFields {
  readonly [field: string]: unknown;
}

export interface AwsWorld {
  /** The identity the base (non-assumed) credentials belong to. Default: the management account, else the first account. */
  readonly caller?: { readonly account: string; readonly arn?: string };
  readonly organization?: AwsOrganization;
  readonly accounts: readonly AwsAccount[];
}

export interface AwsOrganization {
  /** `o-` + 10..32 lower-case letters/digits. Default `o-aigovsim01`. */
  readonly id?: string;
  readonly managementAccountId: string;
  /** `r-` + 4..32 characters. Default `r-sim0`. */
  readonly rootId?: string;
  readonly featureSet?: "ALL" | "CONSOLIDATED_BILLING";
  readonly ous?: readonly AwsOrganizationalUnit[];
}

export interface AwsOrganizationalUnit {
  readonly name: string;
  /** `ou-<root suffix>-<8 chars>`; generated from the path when absent. */
  readonly id?: string;
  readonly tags?: Tags;
  readonly ous?: readonly AwsOrganizationalUnit[];
}

export type AwsAccountStatus = "ACTIVE" | "SUSPENDED" | "PENDING_CLOSURE";

export interface AwsAccount {
  /** 12 digits; write it quoted in YAML so leading zeros survive. */
  readonly id: string;
  readonly name: string;
  readonly email?: string;
  readonly status?: AwsAccountStatus;
  /** The OU the account sits in: a path of OU names (`Workloads/Prod`) or an OU id. Absent: directly under the root. */
  readonly ou?: string;
  readonly tags?: Tags;
  /** When the account joined the organization (ISO-8601). */
  readonly joined?: string;
  /**
   * Roles other principals may assume into this account. When absent, any role name can be assumed (without an
   * external id): convenient for big generated worlds. When present, only the listed roles exist.
   */
  readonly roles?: readonly AwsRole[];
  readonly iam?: AwsIam;
  /** The regions enabled in this account, each with what it contains (`us-east-1: {}` for an empty region). */
  readonly regions?: Readonly<Record<string, AwsRegion>>;
}

export interface AwsRole {
  readonly name: string;
  /** When set, AssumeRole must pass exactly this ExternalId. */
  readonly externalId?: string;
  /** false: the trust policy does not let the caller in; AssumeRole fails with AccessDenied. Default true. */
  readonly assumable?: boolean;
}

export interface AwsIam {
  readonly users?: readonly AwsIamUser[];
  readonly groups?: readonly AwsIamPrincipal[];
  /** Roles the account's resources act as (agents' execution roles), with their managed policies. */
  readonly roles?: readonly AwsIamPrincipal[];
}

export interface AwsIamPrincipal {
  readonly name: string;
  /** Roles only: groups take no tags. */
  readonly tags?: Tags;
  /** Managed policies attached, by ARN. */
  readonly attachedPolicies?: readonly string[];
}

export interface AwsIamUser {
  readonly name: string;
  /** Default `AIDA` + a stable id derived from the name. */
  readonly id?: string;
  readonly created?: string;
  readonly path?: string;
  readonly tags?: Tags;
  /** The groups (of `iam.groups`) the user is in. */
  readonly groups?: readonly string[];
  readonly attachedPolicies?: readonly string[];
  readonly serviceSpecificCredentials?: readonly AwsServiceSpecificCredential[];
}

/** IAM service-specific credentials; `service: bedrock.amazonaws.com` are the long-term Bedrock API keys. */
export interface AwsServiceSpecificCredential {
  readonly id: string;
  /** Default `bedrock.amazonaws.com`. */
  readonly service?: string;
  readonly status?: "Active" | "Inactive" | "Expired";
  readonly created?: string;
  /** ISO-8601, or absent / null: never expires. */
  readonly expires?: string | null;
  /** The user name part of the credential (Bedrock keys: `<user>-at-<account>`); generated when absent. */
  readonly serviceUserName?: string;
  /** Bedrock API keys have a credential alias shown instead of a user name. */
  readonly serviceCredentialAlias?: string;
}

export interface AwsRegion {
  readonly sagemaker?: SageMakerRegion;
  readonly bedrock?: BedrockRegion;
  readonly bedrockAgent?: BedrockAgentRegion;
  readonly bedrockAgentCore?: BedrockAgentCoreRegion;
  readonly qbusiness?: QBusinessRegion;
  readonly lambda?: { readonly functions?: readonly LambdaFunction[] };
  readonly ecs?: { readonly taskDefinitions?: readonly EcsTaskDefinition[] };
  readonly ssm?: { readonly parameters?: readonly SsmParameter[] };
  readonly cloudtrail?: { readonly events?: readonly CloudTrailEvent[] };
}

/** Every resource may carry `tags`, returned by the service's tag-listing call (and inline where the API inlines them). */
export interface Tagged {
  readonly tags?: Tags;
}

export interface SageMakerRegion {
  readonly endpoints?: readonly (Tagged &
    ApiFields & { readonly EndpointName: string; readonly EndpointConfigName: string })[];
  readonly endpointConfigs?: readonly (Tagged &
    ApiFields & {
      readonly EndpointConfigName: string;
      readonly ProductionVariants?: readonly ApiFields[];
      readonly KmsKeyId?: string;
      readonly DataCaptureConfig?: ApiFields;
    })[];
  readonly models?: readonly (Tagged &
    ApiFields & {
      readonly ModelName: string;
      readonly EnableNetworkIsolation?: boolean;
      readonly VpcConfig?: ApiFields;
    })[];
  readonly notebookInstances?: readonly (Tagged &
    ApiFields & {
      readonly NotebookInstanceName: string;
      readonly DirectInternetAccess?: "Enabled" | "Disabled";
      readonly RootAccess?: "Enabled" | "Disabled";
      readonly KmsKeyId?: string;
      readonly SubnetId?: string;
      readonly NotebookInstanceLifecycleConfigName?: string;
    })[];
  readonly domains?: readonly (Tagged &
    ApiFields & {
      readonly DomainName: string;
      readonly DomainId?: string;
      readonly AuthMode?: "SSO" | "IAM";
      readonly AppNetworkAccessType?: "PublicInternetOnly" | "VpcOnly";
    })[];
  readonly trainingJobs?: readonly (Tagged & ApiFields & { readonly TrainingJobName: string })[];
  readonly processingJobs?: readonly (Tagged & ApiFields & { readonly ProcessingJobName: string })[];
  readonly inferenceComponents?: readonly (Tagged &
    ApiFields & { readonly InferenceComponentName: string; readonly EndpointName: string })[];
  readonly modelPackageGroups?: readonly (Tagged & ApiFields & { readonly ModelPackageGroupName: string })[];
  /** Versions in a model package group, each with its ModelApprovalStatus (default PendingManualApproval). */
  readonly modelPackages?: readonly (ApiFields & { readonly ModelPackageGroupName: string })[];
  /** HyperPod clusters. */
  readonly clusters?: readonly (Tagged & ApiFields & { readonly ClusterName: string })[];
  readonly monitoringSchedules?: readonly (Tagged & ApiFields & { readonly MonitoringScheduleName: string })[];
  /** Notebook lifecycle configurations, their scripts as text (the API returns them base64-encoded). */
  readonly notebookLifecycleConfigs?: readonly (Tagged &
    ApiFields & {
      readonly NotebookInstanceLifecycleConfigName: string;
      readonly onCreate?: string;
      readonly onStart?: string;
    })[];
  /** A domain's user profiles and spaces, each naming its domain by DomainName. */
  readonly userProfiles?: readonly (Tagged &
    ApiFields & { readonly DomainName: string; readonly UserProfileName: string })[];
  readonly spaces?: readonly (Tagged & ApiFields & { readonly DomainName: string; readonly SpaceName: string })[];
}

export interface BedrockRegion {
  readonly customModels?: readonly (Tagged & ApiFields & { readonly modelName: string })[];
  readonly importedModels?: readonly (Tagged & ApiFields & { readonly modelName: string })[];
  readonly provisionedThroughputs?: readonly (Tagged & ApiFields & { readonly provisionedModelName: string })[];
  /** The model invocation logging configuration (`loggingConfig`); absent or null: logging is not configured. */
  readonly invocationLogging?: ApiFields | null;
  readonly guardrails?: readonly (Tagged & ApiFields & { readonly name: string })[];
  readonly inferenceProfiles?: readonly (Tagged & ApiFields & { readonly inferenceProfileName: string })[];
  readonly marketplaceEndpoints?: readonly (Tagged &
    ApiFields & { readonly endpointName?: string; readonly modelSourceIdentifier: string })[];
  /**
   * ListFoundationModels; absent: a small built-in catalogue. `access` is what GetFoundationModelAvailability
   * answers: `agreement` the Marketplace agreement's status (default NOT_AVAILABLE, none accepted), `authorized`
   * and `entitled` default true.
   */
  readonly foundationModels?: readonly (ApiFields & {
    readonly modelId: string;
    readonly access?: { readonly agreement?: string; readonly authorized?: boolean; readonly entitled?: boolean };
  })[];
  /** Account-level enforced guardrail configurations, each naming a guardrail of the region (or its id). */
  readonly enforcedGuardrails?: readonly (ApiFields & {
    readonly guardrail: string;
    readonly guardrailVersion?: string;
  })[];
}

export interface BedrockAgentRegion {
  readonly agents?: readonly (Tagged &
    ApiFields & {
      readonly agentName: string;
      readonly foundationModel?: string;
      readonly guardrailConfiguration?: ApiFields;
      /** The agent's tools: a Lambda function (`actionGroupExecutor.lambda`) or RETURN_CONTROL to the caller. */
      readonly actionGroups?: readonly (ApiFields & { readonly actionGroupName: string })[];
      readonly aliases?: readonly (ApiFields & { readonly agentAliasName: string })[];
      /** Other agents (by alias ARN, `agentDescriptor.aliasArn`) this supervisor agent delegates to. */
      readonly collaborators?: readonly (ApiFields & { readonly collaboratorName: string })[];
    })[];
  readonly knowledgeBases?: readonly (Tagged &
    ApiFields & { readonly name: string; readonly dataSources?: readonly (ApiFields & { readonly name: string })[] })[];
  readonly flows?: readonly (Tagged & ApiFields & { readonly name: string })[];
  readonly prompts?: readonly (Tagged & ApiFields & { readonly name: string })[];
}

/** Bedrock AgentCore (control plane): agents' runtimes, gateways and their tools, memory, sandboxes, credentials. */
export interface BedrockAgentCoreRegion {
  readonly agentRuntimes?: readonly (Tagged &
    ApiFields & {
      readonly agentRuntimeName: string;
      /** The runtime's endpoints; absent: the DEFAULT endpoint AgentCore creates with every runtime. */
      readonly endpoints?: readonly (Tagged & ApiFields & { readonly name: string })[];
    })[];
  readonly gateways?: readonly (Tagged &
    ApiFields & {
      readonly name: string;
      /** AWS_IAM (default), CUSTOM_JWT or NONE. */
      readonly authorizerType?: string;
      /** The tools the gateway exposes: Lambda functions, OpenAPI or Smithy APIs, MCP servers. */
      readonly targets?: readonly (ApiFields & { readonly name: string })[];
    })[];
  readonly memories?: readonly (Tagged & ApiFields & { readonly name: string })[];
  readonly browsers?: readonly (Tagged & ApiFields & { readonly name: string })[];
  readonly codeInterpreters?: readonly (Tagged & ApiFields & { readonly name: string })[];
  readonly apiKeyCredentialProviders?: readonly (Tagged & ApiFields & { readonly name: string })[];
  readonly oauth2CredentialProviders?: readonly (Tagged & ApiFields & { readonly name: string })[];
}

/** Amazon Q Business: applications with their indexes, retrievers and plugins. */
export interface QBusinessRegion {
  readonly applications?: readonly (Tagged &
    ApiFields & {
      readonly displayName: string;
      readonly indices?: readonly (Tagged & ApiFields & { readonly displayName: string })[];
      readonly retrievers?: readonly (Tagged & ApiFields & { readonly displayName: string })[];
      readonly plugins?: readonly (Tagged & ApiFields & { readonly displayName: string })[];
    })[];
}

export interface LambdaFunction extends Tagged, ApiFields {
  readonly FunctionName: string;
  readonly Environment?: { readonly Variables?: Readonly<Record<string, string>> };
}

export interface EcsTaskDefinition extends Tagged, ApiFields {
  readonly family: string;
  /** Default 1. */
  readonly revision?: number;
  readonly containerDefinitions?: readonly (ApiFields & {
    readonly name: string;
    readonly environment?: readonly { readonly name: string; readonly value: string }[];
  })[];
}

export interface SsmParameter extends Tagged, ApiFields {
  readonly Name: string;
  /** Default String. SecureString values are returned only as the encrypted blob, never in clear (see README). */
  readonly Type?: "String" | "StringList" | "SecureString";
  readonly Value: string;
}

/** One CloudTrail record, as in the `CloudTrailEvent` JSON string LookupEvents returns. */
export interface CloudTrailEvent extends ApiFields {
  readonly eventName: string;
  readonly eventSource: string;
  readonly eventTime: string;
  /** LookupEvents' `Username`; default: derived from userIdentity (user name, or the role session's name). */
  readonly username?: string;
  readonly userIdentity?: ApiFields;
  readonly sourceIPAddress?: string;
  readonly userAgent?: string;
  readonly requestParameters?: ApiFields | null;
  readonly additionalEventData?: ApiFields;
  readonly errorCode?: string;
  readonly errorMessage?: string;
  readonly eventId?: string;
  readonly readOnly?: boolean;
}
