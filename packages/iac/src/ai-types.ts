import type { AssetKind, Provider } from "@aigov/core";

/**
 * What the catalog knows about one terraform resource type.
 * `primary` types are the AI resources a team owns and tags (accounts, endpoints, notebooks …); sub-resources
 * (IAM bindings, aliases, Dialogflow pages …) cannot carry tags, so governance rules about owners skip them.
 * `conditional` types are AI only for some values (an API key that reaches Gemini, a project service that
 * enables Vertex AI); their normalizer decides.
 * `twin` names the type of another provider for the same cloud resource (awscc_sagemaker_endpoint is
 * aws_sagemaker_endpoint through AWS Cloud Control): the twin's normalizer reads this type's values, with the
 * attributes whose names differ renamed to the twin's.
 */
export interface AiTypeInfo {
  readonly provider: Provider;
  readonly kind: AssetKind;
  readonly primary: boolean;
  readonly conditional: boolean;
  readonly twin?: { readonly type: string; readonly renames: Readonly<Record<string, string>> };
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
  ["azurerm_search_shared_private_link_service", "other"],
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

// AWS Cloud Control (awscc) types that are parts of another AI resource and have no aws twin (awscc 1.96.0; the
// provider's AI types are listed in test/fixtures/providers/awscc-ai-types.json). awscc types not named here or in
// TWINS fall to their family below.
const AWSCC_PARTS: readonly Entry[] = [
  ["awscc_bedrock_enforced_guardrail_configuration", "guardrail"],
  ["awscc_bedrock_flow_alias", "agent"],
  ["awscc_bedrock_flow_version", "agent"],
  ["awscc_bedrock_knowledge_base_policy", "knowledge-base"],
  ["awscc_bedrock_prompt_version", "other"],
  ["awscc_bedrock_resource_policy", "other"],
  ["awscc_bedrockagentcore_gateway_target", "agent"],
  ["awscc_bedrockagentcore_harness_endpoint", "agent"],
  ["awscc_bedrockagentcore_policy", "other"],
  ["awscc_bedrockagentcore_resource_policy", "other"],
  ["awscc_bedrockagentcore_runtime_endpoint", "agent"],
  ["awscc_kendra_data_source", "index"],
  ["awscc_kendra_faq", "index"],
  ["awscc_lex_bot_alias", "agent"],
  ["awscc_lex_bot_version", "agent"],
  ["awscc_lex_resource_policy", "other"],
  ["awscc_qbusiness_data_source", "agent"],
  ["awscc_qbusiness_index", "agent"],
  ["awscc_qbusiness_permission", "other"],
  ["awscc_qbusiness_plugin", "agent"],
  ["awscc_qbusiness_retriever", "agent"],
  ["awscc_qbusiness_web_experience", "agent"],
  ["awscc_sagemaker_inference_component", "deployment"],
  ["awscc_sagemaker_model_bias_job_definition", "training-job"],
  ["awscc_sagemaker_model_explainability_job_definition", "training-job"],
  ["awscc_sagemaker_model_package", "model"],
  ["awscc_sagemaker_model_quality_job_definition", "training-job"],
  ["awscc_transcribe_vocabulary_filter", "other"],
];

/**
 * awscc types and their aws twins (Cloud Control names attributes after CloudFormation properties; where the aws
 * provider names one differently, the awscc name is renamed to the aws one before the twin's normalizer reads it).
 * Nested attributes are objects in awscc and one-element lists in aws; the normalizers read both.
 */
const TWINS: readonly (readonly [type: string, twin: string, renames?: Readonly<Record<string, string>>])[] = [
  ["awscc_bedrock_agent", "aws_bedrockagent_agent"],
  ["awscc_bedrock_agent_alias", "aws_bedrockagent_agent_alias"],
  ["awscc_bedrock_application_inference_profile", "aws_bedrock_inference_profile", { inference_profile_name: "name" }],
  ["awscc_bedrock_data_source", "aws_bedrockagent_data_source"],
  ["awscc_bedrock_flow", "aws_bedrockagent_flow"],
  ["awscc_bedrock_guardrail", "aws_bedrock_guardrail"],
  ["awscc_bedrock_guardrail_version", "aws_bedrock_guardrail_version"],
  ["awscc_bedrock_knowledge_base", "aws_bedrockagent_knowledge_base"],
  ["awscc_bedrock_prompt", "aws_bedrockagent_prompt"],
  ["awscc_bedrockagentcore_runtime", "aws_bedrockagentcore_agent_runtime", { agent_runtime_name: "name" }],
  ["awscc_comprehend_document_classifier", "aws_comprehend_document_classifier", { document_classifier_name: "name" }],
  ["awscc_kendra_index", "aws_kendra_index"],
  ["awscc_lex_bot", "aws_lexv2models_bot", { bot_tags: "tags" }],
  ["awscc_qbusiness_application", "aws_qbusiness_application"],
  ["awscc_rekognition_collection", "aws_rekognition_collection"],
  ["awscc_rekognition_project", "aws_rekognition_project", { project_name: "name" }],
  ["awscc_sagemaker_app", "aws_sagemaker_app", { app_name: "name" }],
  ["awscc_sagemaker_app_image_config", "aws_sagemaker_app_image_config"],
  ["awscc_sagemaker_data_quality_job_definition", "aws_sagemaker_data_quality_job_definition"],
  ["awscc_sagemaker_device", "aws_sagemaker_device"],
  ["awscc_sagemaker_device_fleet", "aws_sagemaker_device_fleet"],
  ["awscc_sagemaker_domain", "aws_sagemaker_domain"],
  ["awscc_sagemaker_endpoint", "aws_sagemaker_endpoint", { endpoint_name: "name" }],
  ["awscc_sagemaker_feature_group", "aws_sagemaker_feature_group"],
  ["awscc_sagemaker_hub", "aws_sagemaker_hub"],
  ["awscc_sagemaker_image", "aws_sagemaker_image"],
  ["awscc_sagemaker_image_version", "aws_sagemaker_image_version"],
  ["awscc_sagemaker_mlflow_tracking_server", "aws_sagemaker_mlflow_tracking_server"],
  ["awscc_sagemaker_model", "aws_sagemaker_model", { containers: "container", model_name: "name" }],
  ["awscc_sagemaker_model_package_group", "aws_sagemaker_model_package_group"],
  ["awscc_sagemaker_monitoring_schedule", "aws_sagemaker_monitoring_schedule"],
  // Not a Cloud Control type (AWS::SageMaker::NotebookInstance has no Cloud Control handlers), but named by users
  // and reviewers; its CloudFormation properties are the aws provider's attribute names.
  ["awscc_sagemaker_notebook_instance", "aws_sagemaker_notebook_instance", { notebook_instance_name: "name" }],
  ["awscc_sagemaker_pipeline", "aws_sagemaker_pipeline"],
  ["awscc_sagemaker_project", "aws_sagemaker_project"],
  ["awscc_sagemaker_space", "aws_sagemaker_space"],
  ["awscc_sagemaker_studio_lifecycle_config", "aws_sagemaker_studio_lifecycle_config"],
  ["awscc_sagemaker_user_profile", "aws_sagemaker_user_profile"],
];

// Families whose every type is AI. New types appear with each provider release: one not named above is judged as
// an owned AI resource of kind "unclassified" (ungoverned unless it carries an owner or is registered), never
// skipped, until the catalog names its kind.
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
  ["awscc_bedrockagentcore_", "aws"],
  ["awscc_bedrockmantle_", "aws"],
  ["awscc_sagemaker_", "aws"],
  ["awscc_kendra_", "aws"],
  ["awscc_kendraranking_", "aws"],
  ["awscc_comprehend_", "aws"],
  ["awscc_lex_", "aws"],
  ["awscc_qbusiness_", "aws"],
  ["awscc_rekognition_", "aws"],
  ["awscc_transcribe_", "aws"],
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
  "unclassified",
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

/** A type's kind in the catalog: a part (not primary) of an owned kind is "other", so ownership rules skip it. */
export function catalogKind(named: AssetKind, primary: boolean): AssetKind {
  return !primary && OWNED_KINDS.has(named) ? "other" : named;
}

const CATALOG = new Map<string, AiTypeInfo>();
for (const [type, named, primary] of [...EXACT, ...AWSCC_PARTS]) {
  CATALOG.set(type, {
    provider: providerOfType(type)!,
    kind: catalogKind(named, primary === true),
    primary: primary === true,
    conditional: CONDITIONAL.has(type),
  });
}
CATALOG.set("aws_iam_service_specific_credential", { provider: "aws", kind: "key", primary: false, conditional: true });
for (const [type, twin, renames] of TWINS) {
  const info = CATALOG.get(twin);
  if (info === undefined) throw new Error(`ai-types: twin ${twin} of ${type} is not in the catalog`);
  CATALOG.set(type, { ...info, twin: { type: twin, renames: renames ?? {} } });
}
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
    const family = PREFIXES.find(([prefix]) => type.startsWith(prefix));
    info = family === undefined ? null : unclassified(family[1]);
    if (answered.size < 4096) answered.set(type, info);
  }
  return info ?? undefined;
}

/** An AI type the catalog does not name: owned, so it is ungoverned unless it carries an owner or is registered. */
export function unclassified(provider: Provider): AiTypeInfo {
  return { provider, kind: "unclassified", primary: true, conditional: false };
}

/** True for the kinds ownership rules judge (an owner tag or a registry entry governs them). */
export function isOwnedKind(kind: AssetKind): boolean {
  return OWNED_KINDS.has(kind);
}

/**
 * True when resources of this type are, or may be, AI resources (conditional types such as
 * `google_apikeys_key` are AI only for some values: call `normalizeResource` to know).
 */
export function isAiResourceType(type: string): boolean {
  return aiTypeInfo(type) !== undefined;
}

/** The prefixes of the families whose every type is AI, with their cloud (for documentation and tests). */
export function aiTypeFamilies(): readonly (readonly [prefix: string, provider: Provider])[] {
  return PREFIXES;
}

/** Every named AI type (for documentation and tests). */
export function knownAiTypes(): readonly string[] {
  return [...CATALOG.keys()].sort();
}
