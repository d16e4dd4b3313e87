// A simulated organization with a distinct fake AI key in every string field the simulator serves, for every
// resource type the scanner collects. Placements are enumerated from the world itself (every string leaf and every
// tag key of every resource), so a field added to the template later is covered without a list to update.
import { fingerprintSecret } from "../../../packages/core/src/ai-key-patterns.ts";
import type { World } from "@aigov/cloud-sim";
import { FAKE_KEY_PATTERNS, fakeAiKey } from "../../../packages/core/test/fake-ai-keys.ts";

export const SECRET_ACCOUNT = "222222222222";
export const SECRET_REGION = "us-east-1";

/** How a key sits in its field. */
export type PlacementForm = "text" | "assignment" | "json" | "url" | "base64-script" | "name" | "tag-key";

export interface Placement {
  /** JSON path into the world: `aws.accounts[0].regions.us-east-1.sagemaker.trainingJobs[0].HyperParameters.lr`. */
  readonly where: string;
  readonly patternId: string;
  readonly form: PlacementForm;
  /** The fake key (a test-only value; failure messages show `where`, never this). */
  readonly secret: string;
  readonly fingerprint: string;
  /** `key`: the sweep reports it as a Key subject; `quiet`: the scanner never reads it, it must only not leak. */
  readonly expect: "key" | "quiet";
  readonly why?: string;
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Paths (as regular expressions over `where`) the simulator interprets: a key there would change what it serves. */
const INTERPRETED: readonly [RegExp, string][] = [
  [/\.(CreationTime|eventTime|created|expires|joined)$/, "a timestamp the simulator parses"],
  [/\.ssm\.parameters\[\d+\]\.Type$/, "DescribeParameters filters on it"],
  [/\.ecs\.taskDefinitions\[\d+\]\.status$/, "ListTaskDefinitions filters on it"],
  [/\.cloudtrail\.events\[\d+\]\.eventSource$/, "LookupEvents filters on it"],
  [/\.bedrock\.inferenceProfiles\[\d+\]\.type$/, "ListInferenceProfiles filters on it"],
  [/\.serviceSpecificCredentials\[\d+\]\.(service|status)$/, "ListServiceSpecificCredentials filters on it"],
  [/\.bedrockAgentCore\.gateways\[\d+\]\.authorizerType$/, "an enum the world schema checks"],
  [
    /\.(bedrock\.invocationLogging\..*(bucketName|logGroupName)|s3\.buckets\[\d+\]\.Name|logs\.logGroups\[\d+\]\.logGroupName)$/,
    "the invocation logs' destinations, which the scanner reads by name",
  ],
  [/^aws\.accounts\[\d+\]\.(id|status)$/, "the account's identity"],
  [/^aws\.(organization|caller)\./, "the organization's identity"],
];

/** Fields the scanner never requests: a key there must not leak, and cannot be reported. */
const NOT_READ: readonly [RegExp, string][] = [
  [
    /^aws\.accounts\[\d+\]\.(email|tags)/,
    "ListAccounts' email and account tags are kept in target metadata, never stored",
  ],
  [/^aws\.accounts\[\d+\]\.name$/, "the account name is the target label: redacted there, no subject holds it"],
  [/\.lambda\.functions\[\d+\]\.tags/, "Lambda ListTags is not called"],
  [/\.ecs\.taskDefinitions\[\d+\]\.tags/, "task definition tags are not requested"],
  [/\.ssm\.parameters\[\d+\]\.tags/, "parameter tags are not requested"],
  [/\.iam\.users\[\d+\]\.tags/, "IAM user tags are not requested"],
  [/\.ssm\.parameters\[2\]\./, "a SecureString parameter is never listed, and its value never requested decrypted"],
];

/**
 * The fields naming each resource: the simulator finds resources by them, so a key there renames the resource
 * everywhere the world repeats the name. SageMaker lower-cases names in ARNs and allows only letters, digits and
 * hyphens: its names get Perplexity keys (a valid SageMaker name, and still a key once lower-cased); the others get
 * Hugging Face tokens.
 */
const SAGEMAKER_NAME = "perplexity-api-key";
const OTHER_NAME = "huggingface-token";
const NAME_FIELDS: Readonly<Record<string, readonly (readonly [field: string, pattern: string])[]>> = {
  "sagemaker.endpoints": [["EndpointName", SAGEMAKER_NAME]],
  "sagemaker.endpointConfigs": [["EndpointConfigName", SAGEMAKER_NAME]],
  "sagemaker.models": [["ModelName", SAGEMAKER_NAME]],
  "sagemaker.notebookInstances": [["NotebookInstanceName", SAGEMAKER_NAME]],
  "sagemaker.domains": [["DomainName", SAGEMAKER_NAME]],
  "sagemaker.trainingJobs": [["TrainingJobName", SAGEMAKER_NAME]],
  "sagemaker.processingJobs": [["ProcessingJobName", SAGEMAKER_NAME]],
  "sagemaker.inferenceComponents": [["InferenceComponentName", SAGEMAKER_NAME]],
  "sagemaker.modelPackageGroups": [["ModelPackageGroupName", SAGEMAKER_NAME]],
  "sagemaker.clusters": [["ClusterName", SAGEMAKER_NAME]],
  "sagemaker.monitoringSchedules": [
    ["MonitoringScheduleName", SAGEMAKER_NAME],
    ["EndpointName", SAGEMAKER_NAME],
  ],
  "bedrock.customModels": [["modelName", OTHER_NAME]],
  "bedrock.importedModels": [["modelName", OTHER_NAME]],
  "bedrock.provisionedThroughputs": [["provisionedModelName", OTHER_NAME]],
  "bedrock.guardrails": [["name", OTHER_NAME]],
  "bedrock.inferenceProfiles": [["inferenceProfileName", OTHER_NAME]],
  "bedrock.marketplaceEndpoints": [
    ["modelSourceIdentifier", OTHER_NAME],
    // The SageMaker endpoint behind it.
    ["endpointName", SAGEMAKER_NAME],
  ],
  "bedrockAgent.agents": [["agentName", OTHER_NAME]],
  "bedrockAgent.knowledgeBases": [["name", OTHER_NAME]],
  "bedrockAgent.flows": [["name", OTHER_NAME]],
  "bedrockAgent.prompts": [["name", OTHER_NAME]],
  "bedrockAgentCore.agentRuntimes": [["agentRuntimeName", OTHER_NAME]],
  "bedrockAgentCore.gateways": [["name", OTHER_NAME]],
  "bedrockAgentCore.memories": [["name", OTHER_NAME]],
  "bedrockAgentCore.browsers": [["name", OTHER_NAME]],
  "bedrockAgentCore.codeInterpreters": [["name", OTHER_NAME]],
  "bedrockAgentCore.apiKeyCredentialProviders": [["name", OTHER_NAME]],
  "bedrockAgentCore.oauth2CredentialProviders": [["name", OTHER_NAME]],
  "qbusiness.applications": [["displayName", OTHER_NAME]],
  "lambda.functions": [["FunctionName", OTHER_NAME]],
  "ecs.taskDefinitions": [["family", OTHER_NAME]],
  "ssm.parameters": [["Name", OTHER_NAME]],
};

function template(now: Date): World {
  const recent = new Date(now.getTime() - 86_400_000).toISOString();
  const hourAgo = new Date(now.getTime() - 3_600_000).toISOString();
  const kms = `arn:aws:kms:${SECRET_REGION}:${SECRET_ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
  const role = `arn:aws:iam::${SECRET_ACCOUNT}:role/service-role/ml-execution`;
  return {
    version: 1,
    aws: {
      organization: { managementAccountId: SECRET_ACCOUNT },
      accounts: [
        {
          id: SECRET_ACCOUNT,
          name: "ml platform",
          email: "ml-platform@example.com",
          tags: { "cost-center": "ml-42" },
          iam: {
            users: [
              {
                name: "ci-bot",
                tags: { team: "ml" },
                serviceSpecificCredentials: [
                  {
                    id: "ACCAEXAMPLEKEY000001",
                    created: "2025-06-01T00:00:00Z",
                    serviceUserName: "ci-bot+1-at-222222222222",
                    serviceCredentialAlias: "bedrock key for the CI assistant",
                  },
                ],
              },
            ],
          },
          regions: {
            [SECRET_REGION]: {
              sagemaker: {
                endpoints: [
                  {
                    EndpointName: "ep-chat",
                    EndpointConfigName: "ep-chat-config",
                    FailureReason: "last update rolled back",
                    tags: { owner: "ml-team", note: "serves the support bot" },
                  },
                ],
                endpointConfigs: [
                  {
                    EndpointConfigName: "ep-chat-config",
                    KmsKeyId: kms,
                    ProductionVariants: [
                      {
                        VariantName: "primary",
                        ModelName: "chat-model",
                        InstanceType: "ml.g5.xlarge",
                        InitialInstanceCount: 1,
                      },
                    ],
                    DataCaptureConfig: {
                      EnableCapture: true,
                      InitialSamplingPercentage: 10,
                      DestinationS3Uri: "s3://ml-capture/chat",
                      KmsKeyId: kms,
                      CaptureOptions: [{ CaptureMode: "Input" }],
                    },
                    AsyncInferenceConfig: {
                      OutputConfig: {
                        S3OutputPath: "s3://ml-async/out",
                        NotificationConfig: { SuccessTopic: "arn:aws:sns:us-east-1:222222222222:done" },
                      },
                    },
                    tags: { owner: "ml-team" },
                  },
                ],
                models: [
                  {
                    ModelName: "chat-model",
                    ExecutionRoleArn: role,
                    PrimaryContainer: {
                      Image: "763104351884.dkr.ecr.us-east-1.amazonaws.com/huggingface-pytorch-tgi-inference:2.3",
                      ModelDataUrl: "s3://ml-models/chat/model.tar.gz",
                      ContainerHostname: "chat",
                      Environment: { HF_MODEL_ID: "mistralai/Mistral-7B-Instruct-v0.3", SM_NUM_GPUS: "1" },
                    },
                    VpcConfig: { SecurityGroupIds: ["sg-0123"], Subnets: ["subnet-0123"] },
                    tags: { owner: "ml-team" },
                  },
                ],
                notebookInstances: [
                  {
                    NotebookInstanceName: "nb-research",
                    DirectInternetAccess: "Disabled",
                    RootAccess: "Disabled",
                    SubnetId: "subnet-0123",
                    SecurityGroups: ["sg-0123"],
                    KmsKeyId: kms,
                    RoleArn: role,
                    NotebookInstanceLifecycleConfigName: "install-deps",
                    DefaultCodeRepository: "https://github.com/example/research.git",
                    AdditionalCodeRepositories: ["https://github.com/example/tools.git"],
                    PlatformIdentifier: "notebook-al2-v3",
                    Url: "nb-research.notebook.us-east-1.sagemaker.aws",
                    tags: { owner: "research" },
                  },
                ],
                domains: [
                  {
                    DomainName: "studio",
                    AuthMode: "IAM",
                    AppNetworkAccessType: "VpcOnly",
                    VpcId: "vpc-0123",
                    SubnetIds: ["subnet-0123"],
                    KmsKeyId: kms,
                    DefaultUserSettings: { ExecutionRole: role, SecurityGroups: ["sg-0123"] },
                    Url: "https://d-studio.studio.us-east-1.sagemaker.aws",
                    tags: { owner: "ml-team" },
                  },
                ],
                trainingJobs: [
                  {
                    TrainingJobName: "tj-finetune",
                    CreationTime: recent,
                    RoleArn: role,
                    HyperParameters: { epochs: "3", model_id: "meta-llama/Llama-3.1-8B", hub_repo: "example/llama-ft" },
                    AlgorithmSpecification: {
                      TrainingInputMode: "File",
                      TrainingImage: "763104351884.dkr.ecr.us-east-1.amazonaws.com/huggingface-pytorch-training:2.1",
                      ContainerEntrypoint: ["python", "train.py"],
                      ContainerArguments: ["--push-to-hub", "true"],
                    },
                    Environment: { WANDB_PROJECT: "finetune" },
                    InputDataConfig: [
                      {
                        ChannelName: "train",
                        DataSource: { S3DataSource: { S3DataType: "S3Prefix", S3Uri: "s3://ml-data/train" } },
                      },
                    ],
                    OutputDataConfig: { S3OutputPath: "s3://ml-models/out", KmsKeyId: kms },
                    ResourceConfig: {
                      InstanceType: "ml.g5.2xlarge",
                      InstanceCount: 1,
                      VolumeSizeInGB: 100,
                      VolumeKmsKeyId: kms,
                    },
                    FailureReason: "none",
                    tags: { owner: "ml-team" },
                  },
                ],
                processingJobs: [
                  {
                    ProcessingJobName: "pj-embed",
                    CreationTime: recent,
                    RoleArn: role,
                    AppSpecification: {
                      ImageUri: "737474898029.dkr.ecr.us-east-1.amazonaws.com/sagemaker-scikit-learn:1.2-1-cpu-py3",
                      ContainerEntrypoint: ["python3", "/opt/ml/processing/code/embed.py"],
                      ContainerArguments: ["--model", "text-embedding-3-small"],
                    },
                    Environment: { BATCH_SIZE: "64" },
                    ProcessingInputs: [
                      {
                        InputName: "code",
                        S3Input: {
                          S3Uri: "s3://ml-code/embed.py",
                          LocalPath: "/opt/ml/processing/code",
                          S3DataType: "S3Prefix",
                          S3InputMode: "File",
                        },
                      },
                    ],
                    ProcessingOutputConfig: {
                      Outputs: [
                        {
                          OutputName: "vectors",
                          S3Output: {
                            S3Uri: "s3://ml-vectors/",
                            LocalPath: "/opt/ml/processing/output",
                            S3UploadMode: "EndOfJob",
                          },
                        },
                      ],
                      KmsKeyId: kms,
                    },
                    ExitMessage: "done",
                    tags: { owner: "ml-team" },
                  },
                ],
                inferenceComponents: [
                  {
                    InferenceComponentName: "ic-chat",
                    EndpointName: "ep-chat",
                    VariantName: "primary",
                    Specification: {
                      ModelName: "chat-model",
                      Container: {
                        DeployedImage: {
                          SpecifiedImage: "763104351884.dkr.ecr.us-east-1.amazonaws.com/tgi:2",
                          ResolvedImage: "763104351884.dkr.ecr.us-east-1.amazonaws.com/tgi@sha256:0123abcd",
                        },
                        ArtifactUrl: "s3://ml-models/ic.tar.gz",
                      },
                    },
                    tags: { owner: "ml-team" },
                  },
                ],
                clusters: [
                  {
                    ClusterName: "hp-train",
                    VpcConfig: { SecurityGroupIds: ["sg-0123"], Subnets: ["subnet-0123"] },
                    tags: { owner: "ml-team" },
                  },
                ],
                monitoringSchedules: [
                  {
                    MonitoringScheduleName: "ms-chat",
                    EndpointName: "ep-chat",
                    MonitoringJobDefinitionName: "chat-quality",
                    tags: { owner: "ml-team" },
                  },
                ],
                modelPackageGroups: [
                  {
                    ModelPackageGroupName: "mpg-chat",
                    ModelPackageGroupDescription: "approved chat models",
                    tags: { owner: "ml-team" },
                  },
                ],
              },
              // Where the invocation logs below go: the scanner reads each destination's encryption.
              s3: { buckets: [{ Name: "bedrock-logs" }, { Name: "bedrock-large" }] },
              logs: { logGroups: [{ logGroupName: "/aws/bedrock/invocations" }] },
              bedrock: {
                customModels: [
                  {
                    modelName: "cm-support",
                    baseModelArn: "arn:aws:bedrock:us-east-1::foundation-model/amazon.titan-text-express-v1",
                    jobName: "support-finetune",
                    hyperParameters: { epochCount: "2", learningRate: "0.00001" },
                    trainingDataConfig: { s3Uri: "s3://ml-data/support.jsonl" },
                    outputDataConfig: { s3Uri: "s3://ml-models/support/" },
                    modelKmsKeyArn: kms,
                    tags: { owner: "support" },
                  },
                ],
                importedModels: [
                  {
                    modelName: "im-llama",
                    jobName: "llama-import",
                    modelDataSource: { s3DataSource: { s3Uri: "s3://ml-models/llama/" } },
                    modelArchitecture: "llama3",
                    tags: { owner: "research" },
                  },
                ],
                provisionedThroughputs: [
                  {
                    provisionedModelName: "pt-support",
                    modelArn: "arn:aws:bedrock:us-east-1::foundation-model/amazon.titan-text-express-v1",
                    commitmentDuration: "OneMonth",
                    modelUnits: 1,
                    tags: { owner: "support" },
                  },
                ],
                invocationLogging: {
                  textDataDeliveryEnabled: true,
                  s3Config: { bucketName: "bedrock-logs", keyPrefix: "invocations/" },
                  cloudWatchConfig: {
                    logGroupName: "/aws/bedrock/invocations",
                    roleArn: role,
                    largeDataDeliveryS3Config: { bucketName: "bedrock-large", keyPrefix: "large/" },
                  },
                },
                guardrails: [
                  {
                    name: "gr-support",
                    description: "support bot guardrail",
                    blockedInputMessaging: "Sorry, I cannot answer that.",
                    blockedOutputsMessaging: "Sorry, I cannot share that.",
                    contentPolicy: {
                      filters: [{ type: "PROMPT_ATTACK", inputStrength: "HIGH", outputStrength: "NONE" }],
                    },
                    wordPolicy: { words: [{ text: "internal-only" }] },
                    sensitiveInformationPolicy: {
                      regexes: [
                        { name: "ticket", description: "ticket ids", pattern: "TCK-[0-9]+", action: "ANONYMIZE" },
                      ],
                    },
                    topicPolicy: {
                      topics: [{ name: "legal", definition: "legal advice", examples: ["can I sue?"], type: "DENY" }],
                    },
                    kmsKeyArn: kms,
                    tags: { owner: "support" },
                  },
                ],
                inferenceProfiles: [
                  {
                    inferenceProfileName: "ip-support",
                    description: "support bot traffic",
                    type: "APPLICATION",
                    models: [
                      {
                        modelArn: "arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-3-haiku-20240307-v1:0",
                      },
                    ],
                    tags: { owner: "support" },
                  },
                ],
                marketplaceEndpoints: [
                  {
                    modelSourceIdentifier:
                      "arn:aws:sagemaker:us-east-1:aws:hub-content/SageMakerPublicHub/Model/cohere-rerank/1",
                    endpointName: "mp-rerank",
                    statusMessage: "ok",
                    endpointConfig: {
                      sageMaker: {
                        initialInstanceCount: 1,
                        instanceType: "ml.g5.xlarge",
                        executionRole: role,
                        kmsEncryptionKey: kms,
                        vpc: { securityGroupIds: ["sg-0123"], subnetIds: ["subnet-0123"] },
                      },
                    },
                    tags: { owner: "search" },
                  },
                ],
              },
              bedrockAgent: {
                agents: [
                  {
                    agentName: "agent-support",
                    foundationModel: "anthropic.claude-3-haiku-20240307-v1:0",
                    description: "answers support tickets",
                    instruction: "You are the support assistant. Answer from the knowledge base only.",
                    customerEncryptionKeyArn: kms,
                    guardrailConfiguration: { guardrailIdentifier: "gr-support", guardrailVersion: "1" },
                    promptOverrideConfiguration: {
                      promptConfigurations: [
                        {
                          promptType: "ORCHESTRATION",
                          promptCreationMode: "OVERRIDDEN",
                          promptState: "ENABLED",
                          parserMode: "DEFAULT",
                          basePromptTemplate: '{"system": "$instruction$", "messages": []}',
                          inferenceConfiguration: { temperature: 0, stopSequences: ["</answer>"] },
                        },
                      ],
                    },
                    failureReasons: ["none"],
                    recommendedActions: ["prepare the agent"],
                    actionGroups: [
                      {
                        actionGroupName: "ag-orders",
                        description: "order lookups",
                        actionGroupExecutor: { lambda: "arn:aws:lambda:us-east-1:222222222222:function:orders" },
                      },
                    ],
                    aliases: [{ agentAliasName: "al-live", description: "production" }],
                    collaborators: [
                      {
                        collaboratorName: "co-billing",
                        collaborationInstruction: "hand billing questions over",
                        agentDescriptor: { aliasArn: "arn:aws:bedrock:us-east-1:222222222222:agent-alias/B1/L1" },
                      },
                    ],
                    tags: { owner: "support" },
                  },
                ],
                flows: [{ name: "fl-triage", description: "ticket triage", tags: { owner: "support" } }],
                prompts: [
                  {
                    name: "pr-summary",
                    description: "summaries",
                    variants: [{ name: "v1", templateType: "TEXT", modelId: "anthropic.claude-3-haiku-20240307-v1:0" }],
                    tags: { owner: "support" },
                  },
                ],
                knowledgeBases: [
                  {
                    name: "kb-docs",
                    description: "product documentation",
                    roleArn: role,
                    storageConfiguration: {
                      type: "OPENSEARCH_SERVERLESS",
                      opensearchServerlessConfiguration: {
                        collectionArn: "arn:aws:aoss:us-east-1:222222222222:collection/docs",
                        vectorIndexName: "docs-index",
                        fieldMapping: { vectorField: "vector", textField: "text", metadataField: "metadata" },
                      },
                    },
                    dataSources: [
                      {
                        name: "ds-docs",
                        description: "docs bucket",
                        dataSourceConfiguration: {
                          type: "S3",
                          s3Configuration: { bucketArn: "arn:aws:s3:::product-docs", inclusionPrefixes: ["public/"] },
                        },
                        serverSideEncryptionConfiguration: { kmsKeyArn: kms },
                      },
                    ],
                    tags: { owner: "support" },
                  },
                ],
              },
              bedrockAgentCore: {
                agentRuntimes: [
                  {
                    agentRuntimeName: "rt_support",
                    description: "support agent runtime",
                    networkConfiguration: { networkMode: "VPC", networkModeConfig: { subnets: ["subnet-0123"] } },
                    authorizerConfiguration: {
                      customJWTAuthorizer: { discoveryUrl: "https://idp.example.com/.well-known/openid-configuration" },
                    },
                    agentRuntimeArtifact: {
                      containerConfiguration: { containerUri: "123.dkr.ecr.us-east-1.amazonaws.com/agent:1" },
                    },
                    environmentVariables: { MODEL: "claude" },
                    endpoints: [
                      { name: "DEFAULT" },
                      { name: "ep_canary", description: "canary", tags: { stage: "canary" } },
                    ],
                    tags: { owner: "support" },
                  },
                ],
                gateways: [
                  {
                    name: "gw-tools",
                    description: "support tools",
                    authorizerType: "CUSTOM_JWT",
                    authorizerConfiguration: {
                      customJWTAuthorizer: { discoveryUrl: "https://idp.example.com/.well-known/openid-configuration" },
                    },
                    targets: [
                      {
                        name: "tg-crm",
                        description: "CRM lookups",
                        targetConfiguration: { mcp: { mcpServer: { endpoint: "https://mcp.crm.example.com/mcp" } } },
                      },
                    ],
                    tags: { owner: "support" },
                  },
                ],
                memories: [{ name: "mem_support", description: "ticket history", tags: { owner: "support" } }],
                browsers: [{ name: "br_web", description: "web research", tags: { owner: "support" } }],
                codeInterpreters: [{ name: "ci_sandbox", description: "charts", tags: { owner: "support" } }],
                apiKeyCredentialProviders: [{ name: "cp-crm", tags: { owner: "support" } }],
                oauth2CredentialProviders: [{ name: "cp-github", tags: { owner: "support" } }],
              },
              qbusiness: {
                applications: [
                  {
                    displayName: "qa-assistant",
                    description: "company assistant",
                    indices: [{ displayName: "qi-main", description: "main index", tags: { owner: "it" } }],
                    retrievers: [{ displayName: "qr-main", tags: { owner: "it" } }],
                    plugins: [
                      {
                        displayName: "qp-jira",
                        type: "JIRA",
                        serverUrl: "https://example.atlassian.net",
                        authConfiguration: {
                          basicAuthConfiguration: {
                            secretArn: "arn:aws:secretsmanager:us-east-1:222222222222:secret:jira",
                          },
                        },
                        tags: { owner: "it" },
                      },
                    ],
                    tags: { owner: "it" },
                  },
                ],
              },
              lambda: {
                functions: [
                  {
                    FunctionName: "fn-bot",
                    Runtime: "python3.12",
                    Role: `arn:aws:iam::${SECRET_ACCOUNT}:role/bot-role`,
                    Handler: "bot.handler",
                    Description: "support bot webhook",
                    KMSKeyArn: kms,
                    Environment: { Variables: { LOG_LEVEL: "info", MODEL: "gpt-4o-mini" } },
                    DeadLetterConfig: { TargetArn: "arn:aws:sqs:us-east-1:222222222222:dlq" },
                    LoggingConfig: { LogGroup: "/aws/lambda/bot", LogFormat: "JSON" },
                    tags: { owner: "support" },
                  },
                ],
              },
              ecs: {
                taskDefinitions: [
                  {
                    family: "td-worker",
                    revision: 3,
                    status: "ACTIVE",
                    taskRoleArn: role,
                    executionRoleArn: role,
                    containerDefinitions: [
                      {
                        name: "app",
                        image: "222222222222.dkr.ecr.us-east-1.amazonaws.com/worker:1",
                        command: ["python", "worker.py", "--queue", "jobs"],
                        entryPoint: ["/entrypoint.sh"],
                        environment: [{ name: "QUEUE", value: "jobs" }],
                        secrets: [
                          { name: "DB_PASSWORD", valueFrom: "arn:aws:secretsmanager:us-east-1:222222222222:secret:db" },
                        ],
                        dockerLabels: { team: "ml" },
                        workingDirectory: "/app",
                        logConfiguration: { logDriver: "awslogs", options: { "awslogs-group": "/ecs/worker" } },
                      },
                    ],
                    tags: { owner: "ml-team" },
                  },
                ],
              },
              ssm: {
                parameters: [
                  { Name: "/app/model", Type: "String", Value: "gpt-4o-mini", Description: "model the app calls" },
                  {
                    Name: "/app/endpoints",
                    Type: "StringList",
                    Value: "https://api.example.com,https://backup.example.com",
                    AllowedPattern: ".*",
                  },
                  {
                    Name: "/app/secret",
                    Type: "SecureString",
                    Value: "kept-encrypted",
                    Description: "encrypted value",
                  },
                ],
              },
              cloudtrail: {
                events: [
                  {
                    eventName: "CreateAgent",
                    eventSource: "bedrock.amazonaws.com",
                    eventTime: hourAgo,
                    userIdentity: {
                      type: "IAMUser",
                      userName: "alice",
                      arn: `arn:aws:iam::${SECRET_ACCOUNT}:user/alice`,
                      principalId: "AIDAEXAMPLE",
                      accessKeyId: "AKIAEXAMPLE",
                    },
                    sourceIPAddress: "203.0.113.7",
                    userAgent: "aws-cli/2.15.0",
                    requestParameters: { agentName: "helper", instruction: "Be concise.", tags: { team: "support" } },
                    responseElements: { agent: { agentStatus: "CREATING" } },
                    additionalEventData: { note: "created from the console" },
                    errorMessage: "none",
                  },
                ],
              },
            },
          },
        },
      ],
    },
  } satisfies World;
}

function segment(path: string, key: string | number): string {
  if (typeof key === "number") return `${path}[${key}]`;
  if (path === "") return key;
  return /^[A-Za-z_][\w-]*$/.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`;
}

function placedValue(original: string, secret: string, form: PlacementForm): string {
  switch (form) {
    case "assignment":
      return `${original} api_key=${secret}`;
    case "json":
      return `${original} {"token":"${secret}"}`;
    case "url":
      return `${original} https://api.example.com/v1/chat?key=${secret}&stream=true`;
    case "base64-script":
      return `${original} ${Buffer.from(`#!/bin/sh\nexport TOKEN='${secret}'\nexec python app.py\n`).toString("base64")}`;
    default:
      return `${original} ${secret}`;
  }
}

const TEXT_FORMS: readonly PlacementForm[] = ["text", "assignment", "json", "url", "base64-script"];

/** The template world with one distinct key in each placeable string, and the list of placements. */
export function secretWorld(now: Date): { world: World; placements: Placement[] } {
  const world = template(now) as unknown as Json;
  const placements: Placement[] = [];
  let counter = 0;
  const nextKey = (patterns: readonly string[] = FAKE_KEY_PATTERNS) => {
    const patternId = patterns[counter % patterns.length]!;
    counter += 1;
    return { patternId, secret: fakeAiKey(patternId, counter) };
  };
  const expectation = (where: string): Pick<Placement, "expect" | "why"> => {
    const quiet = NOT_READ.find(([pattern]) => pattern.test(where));
    return quiet === undefined ? { expect: "key" } : { expect: "quiet", why: quiet[1] };
  };
  const place = (where: string, form: PlacementForm, key: { patternId: string; secret: string }) =>
    placements.push({ where, form, ...key, fingerprint: fingerprintSecret(key.secret), ...expectation(where) });

  // Names first: a resource's name is replaced wherever the world repeats it (an endpoint's configuration, an
  // inference component's endpoint), so the simulator still joins them.
  const renames = new Map<string, { patternId: string; secret: string; where: string }>();
  const region = (world as { aws: { accounts: { regions: Record<string, Record<string, Record<string, Json>>> }[] } })
    .aws.accounts[0]!.regions[SECRET_REGION]!;
  for (const [list, fields] of Object.entries(NAME_FIELDS)) {
    const [service, collection] = list.split(".") as [string, string];
    for (const [index, entry] of ((region[service]?.[collection] ?? []) as Record<string, Json>[]).entries()) {
      for (const [field, pattern] of fields) {
        const name = entry[field];
        if (typeof name !== "string" || renames.has(name)) continue;
        renames.set(name, {
          ...nextKey([pattern]),
          where: `aws.accounts[0].regions.${SECRET_REGION}.${service}.${collection}[${index}].${field}`,
        });
      }
    }
  }
  for (const { where, ...key } of renames.values()) place(where, "name", key);

  const walk = (value: Json, where: string, inRegion: boolean): Json => {
    if (typeof value === "string") {
      const renamed = renames.get(value);
      if (renamed !== undefined) return renamed.secret;
      if (!inRegion && !/^aws\.accounts\[\d+\]\.(name|email|tags|iam)/.test(where)) return value;
      if (INTERPRETED.some(([pattern]) => pattern.test(where))) return value;
      const form = TEXT_FORMS[counter % TEXT_FORMS.length]!;
      const key = nextKey();
      place(where, form, key);
      return placedValue(value, key.secret, form);
    }
    if (Array.isArray(value)) return value.map((item, index) => walk(item, segment(where, index), inRegion));
    if (value !== null && typeof value === "object") {
      const out: Record<string, Json> = {};
      for (const [name, item] of Object.entries(value)) {
        const here = segment(where, name);
        const entering = inRegion || /^aws\.accounts\[\d+\]\.regions$/.test(where);
        // A tag key is served as a string too.
        if (where.endsWith(".tags") && typeof item === "string") {
          const key = nextKey();
          // Shown with a placeholder: `where` is printed by failing tests, the key never is.
          const shown = segment(where, `${name} <${key.patternId}>`);
          place(shown, "tag-key", key);
          out[`${name} ${key.secret}`] = walk(item, shown, entering);
          continue;
        }
        out[name] = walk(item, here, entering);
      }
      return out;
    }
    return value;
  };
  return { world: walk(world, "", false) as unknown as World, placements };
}

/** Every form a raw key could take in bytes a user or a SIEM sees: as is, lower-cased, JSON/URL-escaped, base64. */
export function leakForms(secret: string): string[] {
  const forms = new Set([
    secret,
    secret.toLowerCase(),
    secret.replaceAll("/", "\\/"),
    encodeURIComponent(secret),
    JSON.stringify(secret).slice(1, -1),
  ]);
  // base64 at each of the three alignments, keeping only the characters that depend on the key alone.
  for (let shift = 0; shift < 3; shift++) {
    const encoded = Buffer.from(`${"\0".repeat(shift)}${secret}`).toString("base64");
    const from = Math.ceil((shift * 4) / 3);
    const to = Math.floor(((shift + secret.length) * 4) / 3);
    forms.add(encoded.slice(from, to));
  }
  return [...forms].filter((form) => form.length >= 16);
}
