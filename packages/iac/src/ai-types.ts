import type { AssetKind, Provider } from "@aigov/core";

/**
 * What the catalog knows about one terraform resource type.
 * `primary` types are the AI resources a team owns and tags (accounts, endpoints, notebooks …); sub-resources
 * (IAM bindings, aliases, Dialogflow pages …) cannot carry tags, so governance rules about owners skip them.
 * `conditional` types are AI only for some values (an API key that reaches Gemini, a project service that
 * enables Vertex AI); their normalizer decides.
 */
export interface AiTypeInfo {
  readonly provider: Provider;
  readonly kind: AssetKind;
  readonly primary: boolean;
  readonly conditional: boolean;
}

type Entry = readonly [type: string, kind: AssetKind, primary?: boolean];

// Exact types: every AI resource type of the aws, azurerm and google/google-beta providers that we name a kind for.
// Types not listed here but under an AI-only prefix (below) are still AI, with kind "other".
const EXACT: readonly Entry[] = [
  // AWS Bedrock
  ["aws_bedrock_custom_model", "model", true],
  ["aws_bedrock_guardrail", "guardrail", true],
  ["aws_bedrock_guardrail_version", "guardrail"],
  ["aws_bedrock_inference_profile", "inference-profile", true],
  ["aws_bedrock_model_invocation_logging_configuration", "logging-config"],
  ["aws_bedrock_provisioned_model_throughput", "provisioned-throughput", true],
  ["aws_bedrockagent_agent", "agent", true],
  ["aws_bedrockagent_agent_action_group", "agent"],
  ["aws_bedrockagent_agent_alias", "agent"],
  ["aws_bedrockagent_agent_collaborator", "agent"],
  ["aws_bedrockagent_agent_knowledge_base_association", "knowledge-base"],
  ["aws_bedrockagent_data_source", "knowledge-base"],
  ["aws_bedrockagent_knowledge_base", "knowledge-base", true],
  ["aws_bedrockagent_prompt", "other", true],
  ["aws_bedrockagent_flow", "agent", true],
  ["aws_bedrockagentcore_agent_runtime", "agent", true],
  // AWS SageMaker
  ["aws_sagemaker_app", "compute"],
  ["aws_sagemaker_app_image_config", "other"],
  ["aws_sagemaker_code_repository", "other"],
  ["aws_sagemaker_data_quality_job_definition", "training-job"],
  ["aws_sagemaker_device", "other"],
  ["aws_sagemaker_device_fleet", "other", true],
  ["aws_sagemaker_domain", "workspace", true],
  ["aws_sagemaker_endpoint", "endpoint", true],
  ["aws_sagemaker_endpoint_configuration", "endpoint-config", true],
  ["aws_sagemaker_feature_group", "feature-store", true],
  ["aws_sagemaker_flow_definition", "other", true],
  ["aws_sagemaker_hub", "model-registry", true],
  ["aws_sagemaker_human_task_ui", "other"],
  ["aws_sagemaker_image", "other"],
  ["aws_sagemaker_image_version", "other"],
  ["aws_sagemaker_mlflow_tracking_server", "model-registry", true],
  ["aws_sagemaker_model", "model", true],
  ["aws_sagemaker_model_package_group", "model-registry", true],
  ["aws_sagemaker_model_package_group_policy", "other"],
  ["aws_sagemaker_monitoring_schedule", "other"],
  ["aws_sagemaker_notebook_instance", "notebook", true],
  ["aws_sagemaker_notebook_instance_lifecycle_configuration", "other"],
  ["aws_sagemaker_pipeline", "training-job", true],
  ["aws_sagemaker_project", "workspace", true],
  ["aws_sagemaker_servicecatalog_portfolio_status", "other"],
  ["aws_sagemaker_space", "workspace"],
  ["aws_sagemaker_studio_lifecycle_config", "other"],
  ["aws_sagemaker_user_profile", "workspace"],
  ["aws_sagemaker_workforce", "other"],
  ["aws_sagemaker_workteam", "other"],
  // AWS other AI services
  ["aws_comprehend_document_classifier", "model", true],
  ["aws_comprehend_entity_recognizer", "model", true],
  ["aws_kendra_index", "index", true],
  ["aws_lexv2models_bot", "agent", true],
  ["aws_lex_bot", "agent", true],
  ["aws_qbusiness_application", "agent", true],
  ["aws_rekognition_collection", "other", true],
  ["aws_rekognition_project", "model", true],
  ["aws_transcribe_language_model", "model", true],
  // Azure
  ["azurerm_ai_foundry", "workspace", true],
  ["azurerm_ai_foundry_project", "workspace", true],
  ["azurerm_ai_services", "ai-account", true],
  ["azurerm_cognitive_account", "ai-account", true],
  ["azurerm_cognitive_account_customer_managed_key", "other"],
  ["azurerm_cognitive_account_project", "workspace", true],
  ["azurerm_cognitive_account_rai_blocklist", "guardrail"],
  ["azurerm_cognitive_account_rai_policy", "guardrail"],
  ["azurerm_cognitive_deployment", "deployment"],
  ["azurerm_machine_learning_compute_cluster", "compute", true],
  ["azurerm_machine_learning_compute_instance", "compute", true],
  ["azurerm_machine_learning_datastore_blobstorage", "dataset"],
  ["azurerm_machine_learning_datastore_datalake_gen2", "dataset"],
  ["azurerm_machine_learning_datastore_fileshare", "dataset"],
  ["azurerm_machine_learning_inference_cluster", "compute", true],
  ["azurerm_machine_learning_synapse_spark", "compute"],
  ["azurerm_machine_learning_workspace", "workspace", true],
  ["azurerm_machine_learning_workspace_network_outbound_rule_fqdn", "other"],
  ["azurerm_machine_learning_workspace_network_outbound_rule_private_endpoint", "other"],
  ["azurerm_machine_learning_workspace_network_outbound_rule_service_tag", "other"],
  ["azurerm_search_service", "search", true],
  ["azurerm_bot_service_azure_bot", "agent", true],
  // Google (google and google-beta share type names)
  ["google_apikeys_key", "key"],
  ["google_project_service", "enabled-api"],
  ["google_notebooks_instance", "notebook", true],
  ["google_notebooks_runtime", "notebook", true],
  ["google_workbench_instance", "notebook", true],
  ["google_colab_runtime", "notebook", true],
  ["google_colab_runtime_template", "notebook", true],
  ["google_ml_engine_model", "model", true],
  ["google_vertex_ai_cache_config", "other"],
  ["google_vertex_ai_dataset", "dataset", true],
  ["google_vertex_ai_deployment_resource_pool", "compute", true],
  ["google_vertex_ai_endpoint", "endpoint", true],
  ["google_vertex_ai_endpoint_with_model_garden_deployment", "deployment", true],
  ["google_vertex_ai_feature_group", "feature-store", true],
  ["google_vertex_ai_feature_group_feature", "feature-store"],
  ["google_vertex_ai_feature_online_store", "feature-store", true],
  ["google_vertex_ai_feature_online_store_featureview", "feature-store"],
  ["google_vertex_ai_featurestore", "feature-store", true],
  ["google_vertex_ai_featurestore_entitytype", "feature-store"],
  ["google_vertex_ai_featurestore_entitytype_feature", "feature-store"],
  ["google_vertex_ai_index", "index", true],
  ["google_vertex_ai_index_endpoint", "endpoint", true],
  ["google_vertex_ai_index_endpoint_deployed_index", "deployment"],
  ["google_vertex_ai_metadata_store", "other", true],
  ["google_vertex_ai_rag_engine_config", "other"],
  ["google_vertex_ai_reasoning_engine", "agent", true],
  ["google_vertex_ai_tensorboard", "other", true],
  ["google_dialogflow_agent", "agent", true],
  ["google_dialogflow_cx_agent", "agent", true],
  ["google_dialogflow_cx_generator", "agent"],
  ["google_dialogflow_cx_playbook", "agent"],
  ["google_dialogflow_generator", "agent"],
  ["google_discovery_engine_search_engine", "search", true],
  ["google_discovery_engine_chat_engine", "agent", true],
  ["google_discovery_engine_data_store", "dataset", true],
  ["google_document_ai_processor", "model", true],
  // Gemini for Google Cloud (code assist, Gemini in GCP) settings and indexes.
  ["google_gemini_code_repository_index", "index", true],
  ["google_gemini_gemini_gcp_enablement_setting", "other"],
  ["google_gemini_logging_setting", "logging-config"],
  ["google_gemini_data_sharing_with_google_setting", "other"],
  ["google_gemini_release_channel_setting", "other"],
  ["azurerm_healthbot", "agent", true],
  ["azurerm_video_indexer_account", "ai-account", true],
];

// Families whose every type is AI (new types appear with each provider release; kind "other" until named above).
const PREFIXES: readonly (readonly [prefix: string, provider: Provider])[] = [
  ["aws_bedrock_", "aws"],
  ["aws_bedrockagent_", "aws"],
  ["aws_bedrockagentcore_", "aws"],
  ["aws_sagemaker_", "aws"],
  ["aws_comprehend_", "aws"],
  ["aws_kendra_", "aws"],
  ["aws_lex_", "aws"],
  ["aws_lexv2models_", "aws"],
  ["aws_qbusiness_", "aws"],
  ["aws_rekognition_", "aws"],
  ["aws_transcribe_", "aws"],
  ["aws_polly_", "aws"],
  // AWS Cloud Control (awscc) names the same services.
  ["awscc_bedrock_", "aws"],
  ["awscc_sagemaker_", "aws"],
  ["awscc_kendra_", "aws"],
  ["awscc_comprehend_", "aws"],
  ["azurerm_ai_", "azure"],
  ["azurerm_cognitive_", "azure"],
  ["azurerm_machine_learning_", "azure"],
  ["azurerm_bot_", "azure"],
  ["google_vertex_ai_", "gcp"],
  ["google_dialogflow_", "gcp"],
  ["google_notebooks_", "gcp"],
  ["google_workbench_", "gcp"],
  ["google_colab_", "gcp"],
  ["google_ml_engine_", "gcp"],
  ["google_discovery_engine_", "gcp"],
  ["google_document_ai_", "gcp"],
  ["google_gemini_", "gcp"],
  ["azurerm_search_", "azure"],
];

/** Types that are AI only for some values; see their normalizers. */
const CONDITIONAL = new Set(["aws_iam_service_specific_credential", "google_apikeys_key", "google_project_service"]);

// Kinds that ownership rules (ai-resource-ungoverned, required tags) judge. A sub-resource that cannot carry its
// own owner (an agent's action group, a feature of a feature group) is kind "other" so those rules skip it; its
// parent carries the owner.
const OWNED_KINDS = new Set<AssetKind>([
  "model",
  "endpoint",
  "ai-account",
  "notebook",
  "agent",
  "knowledge-base",
  "workspace",
  "compute",
  "provisioned-throughput",
  "training-job",
  "dataset",
  "feature-store",
  "index",
  "search",
]);

const CATALOG = new Map<string, AiTypeInfo>();
for (const [type, named, primary] of EXACT) {
  const kind = primary !== true && OWNED_KINDS.has(named) ? "other" : named;
  CATALOG.set(type, {
    provider: providerOfType(type)!,
    kind,
    primary: primary === true,
    conditional: CONDITIONAL.has(type),
  });
}
CATALOG.set("aws_iam_service_specific_credential", { provider: "aws", kind: "key", primary: false, conditional: true });
// azapi deploys any ARM type; its `type` attribute says whether it is AI (see azapi-normalizer.ts).
CATALOG.set("azapi_resource", { provider: "azure", kind: "other", primary: true, conditional: true });

/** The cloud a terraform type belongs to, from its provider prefix (google-beta uses google_ types). */
export function providerOfType(type: string): Provider | undefined {
  if (type.startsWith("aws_") || type.startsWith("awscc_")) return "aws";
  if (type.startsWith("azurerm_") || type.startsWith("azapi_")) return "azure";
  if (type.startsWith("google_")) return "gcp";
  return undefined;
}

/**
 * Answers per type seen, null for "not AI": a plan repeats a few dozen types over thousands of resources. Bounded,
 * since the run-task server lives long and reads plans from outside.
 */
const answered = new Map<string, AiTypeInfo | null>();

/** Catalog entry for a terraform resource type, or undefined when the type is not (and cannot be) AI. */
export function aiTypeInfo(type: string): AiTypeInfo | undefined {
  const exact = CATALOG.get(type);
  if (exact !== undefined) return exact;
  let info = answered.get(type);
  if (info === undefined) {
    // IAM bindings and policies of an AI resource are AI sub-resources too.
    const family = PREFIXES.find(([prefix]) => type.startsWith(prefix));
    info = family === undefined ? null : { provider: family[1], kind: "other", primary: false, conditional: false };
    if (answered.size < 4096) answered.set(type, info);
  }
  return info ?? undefined;
}

/**
 * True when resources of this type are, or may be, AI resources (conditional types such as
 * `google_apikeys_key` are AI only for some values: call `normalizeResource` to know).
 */
export function isAiResourceType(type: string): boolean {
  return aiTypeInfo(type) !== undefined;
}

/** Every named AI type (for documentation and tests). */
export function knownAiTypes(): readonly string[] {
  return [...CATALOG.keys()].sort();
}
