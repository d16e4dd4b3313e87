import {
  type Authorizer,
  type GuardrailFilters,
  type Maybe,
  type ToolReach,
  type Tri,
  type Unknown,
  isUnknown,
  unknown,
} from "@aigov/core";
import { modelId } from "@aigov/normalize";
import type { AssetNormalizer, KeyNormalizer } from "./planned-facts.ts";
import { type PlannedValues, triAnd, triEquals, triOr } from "./planned-values.ts";

function models(...references: readonly (string | Unknown | undefined)[]): Maybe<readonly string[]> {
  const open = references.find((reference) => isUnknown(reference));
  if (open !== undefined) return open;
  return references.filter((reference): reference is string => typeof reference === "string").map(modelId);
}

function listModels(values: PlannedValues, path: readonly string[], attribute: string): Maybe<readonly string[]> {
  const elements = values.list(path);
  if (isUnknown(elements)) return elements;
  return models(...elements.map((element) => element.string([attribute])));
}

const kmsKey = (values: PlannedValues, ...path: (string | number)[]) => values.present(path);

export const AWS_ASSET_NORMALIZERS: Readonly<Record<string, AssetNormalizer>> = {
  aws_sagemaker_notebook_instance: (v) => ({
    // Provider defaults: direct_internet_access "Enabled", root_access "Enabled", IMDS minimum version "1".
    public: triEquals(v.string(["direct_internet_access"]), "Enabled", "Enabled"),
    rootAccess: triEquals(v.string(["root_access"]), "Enabled", "Enabled"),
    cmk: kmsKey(v, "kms_key_id"),
    privateNetwork: v.present(["subnet_id"]),
    imdsV1: triEquals(
      v.string(["instance_metadata_service_configuration", 0, "minimum_instance_metadata_service_version"]),
      "1",
      "1",
    ),
    platform: v.string(["platform_identifier"]) ?? unknown("AWS chooses the platform when it creates the notebook"),
  }),
  aws_sagemaker_domain: (v) => ({
    ssoAuth: (() => {
      const mode = v.string(["auth_mode"]);
      return mode === undefined ? unknown("the plan sets no auth_mode") : triEquals(mode, "SSO", "IAM");
    })(),
    public: triEquals(v.string(["app_network_access_type"]), "PublicInternetOnly", "PublicInternetOnly"),
    privateNetwork: triEquals(v.string(["app_network_access_type"]), "VpcOnly", "PublicInternetOnly"),
    cmk: kmsKey(v, "kms_key_id"),
    name: v.string(["domain_name"]),
  }),
  aws_sagemaker_endpoint: (v) => ({
    name: v.string(["name"]),
  }),
  aws_sagemaker_endpoint_configuration: (v) => ({
    cmk: kmsKey(v, "kms_key_arn"),
    logging: triAnd(v.present(["data_capture_config"]), v.bool(["data_capture_config", 0, "enable_capture"], true)),
    models: listModels(v, ["production_variants"], "model_name"),
  }),
  aws_sagemaker_model: (v) => {
    const containers = v.list(["container"]);
    const images = isUnknown(containers) ? [containers] : containers.map((container) => container.string(["image"]));
    return {
      models: models(
        v.string(["primary_container", 0, "image"]),
        v.string(["primary_container", 0, "model_package_name"]),
        ...images,
      ),
      privateNetwork: v.present(["vpc_config"]),
      outboundRestricted: v.bool(["enable_network_isolation"], false),
    };
  },
  aws_sagemaker_feature_group: (v) => ({
    name: v.string(["feature_group_name"]),
    cmk: triOr(
      kmsKey(v, "online_store_config", 0, "security_config", 0, "kms_key_id"),
      kmsKey(v, "offline_store_config", 0, "s3_storage_config", 0, "kms_key_id"),
    ),
  }),
  aws_sagemaker_mlflow_tracking_server: (v) => ({
    name: v.string(["tracking_server_name"]),
  }),
  aws_sagemaker_model_package_group: (v) => ({ name: v.string(["model_package_group_name"]) }),
  aws_sagemaker_user_profile: (v) => ({ name: v.string(["user_profile_name"]) }),
  aws_sagemaker_space: (v) => ({ name: v.string(["space_name"]) }),
  aws_sagemaker_data_quality_job_definition: (v) => ({
    cmk: triAnd(
      kmsKey(v, "job_resources", 0, "cluster_config", 0, "volume_kms_key_id"),
      kmsKey(v, "data_quality_job_output_config", 0, "kms_key_id"),
    ),
  }),
  aws_sagemaker_flow_definition: (v) => ({
    name: v.string(["flow_definition_name"]),
    cmk: kmsKey(v, "output_config", 0, "kms_key_id"),
  }),
  aws_bedrock_custom_model: (v) => ({
    name: v.string(["custom_model_name"]),
    models: models(v.string(["base_model_identifier"])),
    cmk: kmsKey(v, "custom_model_kms_key_id"),
    privateNetwork: v.present(["vpc_config"]),
  }),
  aws_bedrock_provisioned_model_throughput: (v) => ({
    name: v.string(["provisioned_model_name"]),
    models: models(v.string(["model_arn"])),
  }),
  aws_bedrock_inference_profile: (v) => ({
    models: models(v.string(["model_source", 0, "copy_from"])),
  }),
  aws_bedrock_guardrail: (v) => ({
    cmk: kmsKey(v, "kms_key_arn"),
    guardrail: true,
    filters: bedrockGuardrailFilters(v),
  }),
  aws_bedrockagent_prompt: (v) => ({
    cmk: kmsKey(v, "customer_encryption_key_arn"),
    models: listModels(v, ["variant"], "model_id"),
  }),
  aws_bedrockagent_agent_action_group: (v) => ({
    name: v.string(["action_group_name"]),
    // Invoking a Bedrock agent takes IAM credentials; its tools are reached only through the agent.
    authorizer: "iam",
    reach: actionGroupReach(v),
  }),
  // AgentCore resources: network mode PUBLIC reaches (and, for a runtime, is reached from) the internet.
  aws_bedrockagentcore_agent_runtime: (v) => ({
    name: v.string(["agent_runtime_name"]),
    ...agentCoreNetwork(v),
    authorizer: runtimeAuthorizer(v),
    // AgentCore attaches no guardrail to a runtime: the agent's code applies one, or the account enforces one.
    guardrail: unknown(
      "AgentCore runtimes apply guardrails in the agent's code or through the account's enforced guardrail",
    ),
  }),
  aws_bedrockagentcore_browser: (v) => ({ ...agentCoreNetwork(v) }),
  aws_bedrockagentcore_code_interpreter: (v) => ({ ...agentCoreNetwork(v) }),
  aws_bedrockagentcore_gateway: (v) => ({
    authorizer: gatewayAuthorizer(v.string(["authorizer_type"])),
    cmk: kmsKey(v, "kms_key_arn"),
  }),
  aws_bedrockagentcore_gateway_target: (v) => ({
    reach: gatewayTargetReach(v),
    // The gateway's authorizer, from the configuration (see plan-configuration.ts); not known from the target alone.
    authorizer: unknown("the gateway's authorizer is another resource"),
  }),
  aws_bedrockagentcore_memory: (v) => ({ cmk: kmsKey(v, "encryption_key_arn") }),
  // A credential provider stores a third-party credential for agents: an API key, or an OAuth client secret.
  aws_bedrockagentcore_api_key_credential_provider: () => ({ keyAuth: true, reach: "internet" }),
  aws_bedrockagentcore_oauth2_credential_provider: () => ({ keyAuth: false, reach: "internet" }),
  aws_bedrock_model_invocation_logging_configuration: (v) => {
    const delivery = triOr(
      v.bool(["logging_config", 0, "text_data_delivery_enabled"], true),
      v.bool(["logging_config", 0, "image_data_delivery_enabled"], true),
      v.bool(["logging_config", 0, "embedding_data_delivery_enabled"], true),
    );
    const destination = triOr(
      v.present(["logging_config", 0, "s3_config"]),
      v.present(["logging_config", 0, "cloudwatch_config"]),
    );
    return {
      name: unknown("account-level setting"),
      logging: triAnd(v.present(["logging_config"]), delivery, destination),
    };
  },
  aws_bedrockagent_agent: (v) => ({
    name: v.string(["agent_name"]),
    models: models(v.string(["foundation_model"])),
    cmk: kmsKey(v, "customer_encryption_key_arn"),
    guardrail: v.present(["guardrail_configuration", 0, "guardrail_identifier"]),
  }),
  aws_bedrockagent_knowledge_base: (v) => ({
    models: models(
      v.string(["knowledge_base_configuration", 0, "vector_knowledge_base_configuration", 0, "embedding_model_arn"]),
    ),
  }),
  aws_bedrockagent_data_source: (v) => ({
    cmk: kmsKey(v, "server_side_encryption_configuration", 0, "kms_key_arn"),
  }),
  aws_bedrockagent_agent_alias: (v) => ({ name: v.string(["agent_alias_name"]) }),
  aws_comprehend_document_classifier: (v) => ({
    cmk: triAnd(kmsKey(v, "model_kms_key_id"), kmsKey(v, "volume_kms_key_id")),
    privateNetwork: v.present(["vpc_config"]),
  }),
  aws_comprehend_entity_recognizer: (v) => ({
    cmk: triAnd(kmsKey(v, "model_kms_key_id"), kmsKey(v, "volume_kms_key_id")),
    privateNetwork: v.present(["vpc_config"]),
  }),
};

const HARMFUL_CATEGORIES = ["HATE", "INSULTS", "SEXUAL", "VIOLENCE", "MISCONDUCT"];
const STRENGTHS = ["none", "low", "medium", "high"] as const;

/** A Bedrock guardrail's policies (aws_bedrock_guardrail, or AWS::Bedrock::Guardrail through awscc). */
function bedrockGuardrailFilters(v: PlannedValues): Maybe<GuardrailFilters> {
  const filters = v.list(["content_policy_config", 0, "filters_config"]);
  if (isUnknown(filters)) return filters;
  const harmful: string[] = [];
  let promptAttack: Maybe<(typeof STRENGTHS)[number]> = "none";
  for (const filter of filters) {
    const type = filter.string(["type"]);
    if (isUnknown(type)) return type;
    const strength = filter.string(["input_strength"]);
    const enabled = filter.bool(["input_enabled"], true);
    if (type === "PROMPT_ATTACK") {
      promptAttack = isUnknown(strength) ? strength : enabled === false ? "none" : strengthOf(strength);
    } else if (type !== undefined && HARMFUL_CATEGORIES.includes(type)) {
      const output = filter.string(["output_strength"]);
      const filtering = [strength, output].some((value) => value !== undefined && value !== "NONE");
      if (filtering) harmful.push(type.toLowerCase());
    }
  }
  return {
    harmfulContent: harmful,
    promptAttack,
    sensitiveInformation: triOr(
      v.present(["sensitive_information_policy_config", 0, "pii_entities_config"]),
      v.present(["sensitive_information_policy_config", 0, "regexes_config"]),
    ),
    grounding: v.present(["contextual_grounding_policy_config", 0, "filters_config"]),
  };
}

function strengthOf(value: string | undefined): (typeof STRENGTHS)[number] {
  const lower = value?.toLowerCase();
  return STRENGTHS.find((strength) => strength === lower) ?? "none";
}

/** network_configuration.network_mode: PUBLIC (the default) or VPC. */
function agentCoreNetwork(v: PlannedValues): { public: Tri; privateNetwork: Tri } {
  const mode = v.string(["network_configuration", 0, "network_mode"]);
  const isPublic = isUnknown(mode) ? mode : (mode ?? "PUBLIC").toUpperCase() === "PUBLIC";
  return { public: isPublic, privateNetwork: isUnknown(isPublic) ? isPublic : !isPublic };
}

/** A runtime takes SigV4 (IAM) calls unless a custom JWT authorizer is configured. */
function runtimeAuthorizer(v: PlannedValues): Maybe<Authorizer> {
  const jwt = v.present(["authorizer_configuration", 0, "custom_jwt_authorizer"]);
  return isUnknown(jwt) ? jwt : jwt ? "jwt" : "iam";
}

/** A gateway's authorizer_type: AWS_IAM, CUSTOM_JWT, or NONE (anyone who knows the URL may call its tools). */
export function gatewayAuthorizer(type: string | Unknown | undefined): Maybe<Authorizer> | undefined {
  if (isUnknown(type)) return type;
  switch (type?.toUpperCase()) {
    case "AWS_IAM":
      return "iam";
    case "CUSTOM_JWT":
      return "jwt";
    case "NONE":
      return "none";
    default:
      return undefined;
  }
}

/** Where a gateway target's tool reaches: a Lambda function (its account), an MCP server or OpenAPI server. */
function gatewayTargetReach(v: PlannedValues): Maybe<ToolReach> | undefined {
  const mcp = ["target_configuration", 0, "mcp", 0] as const;
  const lambda = v.string([...mcp, "lambda", 0, "lambda_arn"]);
  if (lambda !== undefined) return lambdaReach(lambda);
  for (const external of ["mcp_server", "open_api_schema"]) {
    const present = v.present([...mcp, external]);
    if (isUnknown(present)) return present;
    if (present) return "internet";
  }
  for (const internal of ["smithy_model", "api_gateway"]) {
    const present = v.present([...mcp, internal]);
    if (isUnknown(present)) return present;
    if (present) return "account";
  }
  return undefined;
}

/** An action group runs a Lambda function, or returns control to the application that called the agent. */
function actionGroupReach(v: PlannedValues): Maybe<ToolReach> | undefined {
  const lambda = v.string(["action_group_executor", 0, "lambda"]);
  if (lambda !== undefined) return lambdaReach(lambda);
  const control = v.string(["action_group_executor", 0, "custom_control"]);
  if (isUnknown(control)) return control;
  return control === "RETURN_CONTROL" ? "client" : undefined;
}

/**
 * A function written as an ARN names its account, but a plan does not show the agent's own account (it comes from the
 * provider's credentials): whether it is another account is not known. A reference to a function of the same
 * configuration, known only after apply, is in the same account.
 */
function lambdaReach(arn: string | Unknown): Maybe<ToolReach> {
  if (isUnknown(arn)) return "account";
  return /^arn:aws[\w-]*:lambda:[^:]*:\d{12}:/.test(arn)
    ? unknown("the function's account is in its ARN; the agent's account comes from the provider credentials")
    : "account";
}

export const AWS_KEY_NORMALIZERS: Readonly<Record<string, KeyNormalizer>> = {
  // A Bedrock API key (long-term) is an IAM service-specific credential for bedrock.amazonaws.com; the same
  // resource type also makes CodeCommit and Keyspaces credentials, which are not AI.
  aws_iam_service_specific_credential: (v) => {
    const service = v.string(["service_name"]);
    if (typeof service === "string" && service !== "bedrock.amazonaws.com") return undefined;
    const user = v.string(["user_name"]);
    const age = v.get(["credential_age_days"]);
    return {
      type: "bedrock-api-key",
      vendor: "aws-bedrock",
      location: typeof user === "string" ? `iam-user:${user}` : "iam-user:(known after apply)",
      ...(typeof user === "string" ? { name: user } : {}),
      status: (() => {
        const status = v.string(["status"]);
        return isUnknown(status) ? status : status === "Inactive" ? "inactive" : "active";
      })(),
      // Without credential_age_days the key never expires; with it, the date is computed by AWS at creation.
      expiresAt: age === undefined ? null : unknown("known after apply"),
    };
  },
};
