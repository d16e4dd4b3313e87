import type { AssetKind, Provider } from "@aigov/core";

/**
 * What the catalog knows about one terraform resource type.
 * `primary` types are the AI resources a team owns and tags (accounts, endpoints, agents, gateways …); parts of them
 * (IAM bindings, aliases, versions, gateway targets, Dialogflow pages …) keep their kind but are marked `part`, so
 * governance rules about owners skip them and judge their parent.
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

// Every AI resource type of the aws, azurerm and google/google-beta providers, with its kind. `true` marks a
// primary resource: one a team owns (and tags, where the type takes tags), judged by the ownership rules. The others
// are parts of a primary resource (its version, alias, target, binding …): every other rule judges them. The
// providers' lists are committed in test/fixtures/providers; the walk test shows each is named here.
const EXACT: readonly Entry[] = [
  // AWS Bedrock
  ["aws_bedrock_account_data_retention", "setting"],
  ["aws_bedrock_custom_model", "model", true],
  ["aws_bedrock_enforced_guardrail_configuration", "guardrail"],
  ["aws_bedrock_evaluation_job", "training-job", true],
  ["aws_bedrock_foundation_model_agreement", "setting"],
  ["aws_bedrock_guardrail", "guardrail", true],
  ["aws_bedrock_guardrail_resource_policy", "other"],
  ["aws_bedrock_guardrail_version", "guardrail"],
  ["aws_bedrock_inference_profile", "inference-profile", true],
  ["aws_bedrock_knowledge_base_logging_configuration", "logging-config"],
  ["aws_bedrock_model_invocation_job", "training-job", true],
  ["aws_bedrock_model_invocation_logging_configuration", "logging-config"],
  ["aws_bedrock_prompt_router", "inference-profile", true],
  ["aws_bedrock_provisioned_model_throughput", "provisioned-throughput", true],
  ["aws_bedrock_use_case_for_model_access", "setting"],
  ["aws_bedrockagent_agent", "agent", true],
  ["aws_bedrockagent_agent_action_group", "tool"],
  ["aws_bedrockagent_agent_alias", "agent"],
  ["aws_bedrockagent_agent_collaborator", "agent"],
  ["aws_bedrockagent_agent_knowledge_base_association", "knowledge-base"],
  ["aws_bedrockagent_data_source", "knowledge-base"],
  ["aws_bedrockagent_flow", "agent", true],
  ["aws_bedrockagent_knowledge_base", "knowledge-base", true],
  ["aws_bedrockagent_prompt", "prompt", true],
  // AWS Bedrock AgentCore: agents, their tools, gateways, memory, identities and credentials.
  ["aws_bedrockagentcore_agent_runtime", "agent", true],
  ["aws_bedrockagentcore_agent_runtime_endpoint", "endpoint", true],
  ["aws_bedrockagentcore_api_key_credential_provider", "credential-provider", true],
  ["aws_bedrockagentcore_browser", "tool", true],
  ["aws_bedrockagentcore_browser_profile", "tool", true],
  ["aws_bedrockagentcore_code_interpreter", "tool", true],
  ["aws_bedrockagentcore_evaluator", "training-job", true],
  ["aws_bedrockagentcore_gateway", "gateway", true],
  ["aws_bedrockagentcore_gateway_rule", "gateway"],
  ["aws_bedrockagentcore_gateway_target", "tool"],
  ["aws_bedrockagentcore_harness", "agent", true],
  ["aws_bedrockagentcore_memory", "memory", true],
  ["aws_bedrockagentcore_memory_strategy", "memory"],
  ["aws_bedrockagentcore_oauth2_credential_provider", "credential-provider", true],
  ["aws_bedrockagentcore_payment_connector", "tool"],
  ["aws_bedrockagentcore_payment_credential_provider", "credential-provider", true],
  ["aws_bedrockagentcore_payment_manager", "application", true],
  ["aws_bedrockagentcore_online_evaluation_config", "training-job", true],
  ["aws_bedrockagentcore_policy", "guardrail"],
  ["aws_bedrockagentcore_policy_engine", "guardrail", true],
  ["aws_bedrockagentcore_registry", "model-registry", true],
  ["aws_bedrockagentcore_resource_policy", "other"],
  ["aws_bedrockagentcore_token_vault_cmk", "setting"],
  ["aws_bedrockagentcore_workload_identity", "identity", true],
  ["aws_agentregistry_registry", "model-registry", true],
  // AWS SageMaker (HyperPod clusters, inference components and the Unified Studio domains below included)
  ["aws_sagemaker_algorithm", "model", true],
  ["aws_sagemaker_app", "compute", true],
  ["aws_sagemaker_app_image_config", "compute", true],
  ["aws_sagemaker_cluster", "compute", true],
  ["aws_sagemaker_code_repository", "workspace", true],
  ["aws_sagemaker_data_quality_job_definition", "training-job", true],
  ["aws_sagemaker_device", "compute", true],
  ["aws_sagemaker_device_fleet", "compute", true],
  ["aws_sagemaker_domain", "workspace", true],
  ["aws_sagemaker_endpoint", "endpoint", true],
  ["aws_sagemaker_endpoint_configuration", "endpoint-config", true],
  ["aws_sagemaker_feature_group", "feature-store", true],
  ["aws_sagemaker_flow_definition", "training-job", true],
  ["aws_sagemaker_hub", "model-registry", true],
  ["aws_sagemaker_hub_content_reference", "model-registry", true],
  ["aws_sagemaker_human_task_ui", "training-job", true],
  ["aws_sagemaker_hyper_parameter_tuning_job", "training-job", true],
  ["aws_sagemaker_image", "compute", true],
  ["aws_sagemaker_image_version", "compute"],
  ["aws_sagemaker_inference_component", "deployment", true],
  ["aws_sagemaker_labeling_job", "training-job", true],
  ["aws_sagemaker_mlflow_app", "model-registry", true],
  ["aws_sagemaker_mlflow_tracking_server", "model-registry", true],
  ["aws_sagemaker_model", "model", true],
  ["aws_sagemaker_model_card", "model-registry", true],
  ["aws_sagemaker_model_card_export_job", "training-job"],
  ["aws_sagemaker_model_package_group", "model-registry", true],
  ["aws_sagemaker_model_package_group_policy", "other"],
  ["aws_sagemaker_monitoring_schedule", "training-job", true],
  ["aws_sagemaker_notebook_instance", "notebook", true],
  ["aws_sagemaker_notebook_instance_lifecycle_configuration", "notebook", true],
  ["aws_sagemaker_pipeline", "training-job", true],
  ["aws_sagemaker_project", "workspace", true],
  ["aws_sagemaker_servicecatalog_portfolio_status", "setting"],
  ["aws_sagemaker_space", "workspace", true],
  ["aws_sagemaker_studio_lifecycle_config", "workspace", true],
  ["aws_sagemaker_training_job", "training-job", true],
  ["aws_sagemaker_user_profile", "workspace", true],
  ["aws_sagemaker_workforce", "identity"],
  ["aws_sagemaker_workteam", "identity", true],
  // SageMaker Unified Studio is built on Amazon DataZone domains and projects.
  ["aws_datazone_asset_type", "other"],
  ["aws_datazone_domain", "workspace", true],
  ["aws_datazone_environment", "workspace"],
  ["aws_datazone_environment_blueprint_configuration", "setting"],
  ["aws_datazone_environment_profile", "workspace"],
  ["aws_datazone_form_type", "other"],
  ["aws_datazone_glossary", "other"],
  ["aws_datazone_glossary_term", "other"],
  ["aws_datazone_policy_grant", "other"],
  ["aws_datazone_project", "workspace", true],
  ["aws_datazone_user_profile", "identity"],
  // S3 Vectors: vector stores for retrieval.
  ["aws_s3vectors_index", "index", true],
  ["aws_s3vectors_vector_bucket", "index", true],
  ["aws_s3vectors_vector_bucket_policy", "other"],
  // AWS other AI services
  ["aws_comprehend_document_classifier", "model", true],
  ["aws_comprehend_entity_recognizer", "model", true],
  ["aws_kendra_data_source", "dataset", true],
  ["aws_kendra_experience", "application", true],
  ["aws_kendra_faq", "dataset", true],
  ["aws_kendra_index", "index", true],
  ["aws_kendra_query_suggestions_block_list", "index", true],
  ["aws_kendra_thesaurus", "index", true],
  ["aws_lex_bot", "agent", true],
  ["aws_lex_bot_alias", "agent"],
  ["aws_lex_intent", "agent"],
  ["aws_lex_slot_type", "other"],
  ["aws_lexv2models_bot", "agent", true],
  ["aws_lexv2models_bot_locale", "agent"],
  ["aws_lexv2models_bot_version", "agent"],
  ["aws_lexv2models_intent", "agent"],
  ["aws_lexv2models_slot", "other"],
  ["aws_lexv2models_slot_type", "other"],
  // Q Business resources are in awscc only today; these are the names the aws provider would give them.
  ["aws_qbusiness_application", "application", true],
  ["aws_rekognition_collection", "index", true],
  ["aws_rekognition_project", "model", true],
  ["aws_rekognition_stream_processor", "compute", true],
  ["aws_transcribe_language_model", "model", true],
  ["aws_transcribe_medical_vocabulary", "dataset", true],
  ["aws_transcribe_vocabulary", "dataset", true],
  ["aws_transcribe_vocabulary_filter", "dataset", true],
  // Azure
  ["azurerm_ai_foundry", "workspace", true],
  ["azurerm_ai_foundry_project", "workspace", true],
  ["azurerm_ai_services", "ai-account", true],
  ["azurerm_bot_channel_alexa", "endpoint"],
  ["azurerm_bot_channel_direct_line_speech", "endpoint"],
  ["azurerm_bot_channel_directline", "endpoint"],
  ["azurerm_bot_channel_email", "endpoint"],
  ["azurerm_bot_channel_facebook", "endpoint"],
  ["azurerm_bot_channel_line", "endpoint"],
  ["azurerm_bot_channel_ms_teams", "endpoint"],
  ["azurerm_bot_channel_slack", "endpoint"],
  ["azurerm_bot_channel_sms", "endpoint"],
  ["azurerm_bot_channel_web_chat", "endpoint"],
  ["azurerm_bot_channels_registration", "agent", true],
  // A bot's OAuth connection holds the client secret of a third-party identity provider.
  ["azurerm_bot_connection", "credential-provider"],
  ["azurerm_bot_service_azure_bot", "agent", true],
  ["azurerm_bot_web_app", "agent", true],
  ["azurerm_cognitive_account", "ai-account", true],
  // Connections of an AI account (Foundry) to other services; the key-based ones hold third-party API keys.
  ["azurerm_cognitive_account_connection_account_key", "credential-provider"],
  ["azurerm_cognitive_account_connection_account_managed_identity", "credential-provider"],
  ["azurerm_cognitive_account_connection_api_key", "credential-provider"],
  ["azurerm_cognitive_account_connection_custom_keys", "credential-provider"],
  ["azurerm_cognitive_account_connection_entra_id", "credential-provider"],
  ["azurerm_cognitive_account_customer_managed_key", "other"],
  ["azurerm_cognitive_account_project", "workspace", true],
  ["azurerm_cognitive_account_rai_blocklist", "guardrail", true],
  ["azurerm_cognitive_account_rai_policy", "guardrail", true],
  ["azurerm_cognitive_deployment", "deployment"],
  ["azurerm_healthbot", "agent", true],
  ["azurerm_machine_learning_compute_cluster", "compute", true],
  ["azurerm_machine_learning_compute_instance", "compute", true],
  ["azurerm_machine_learning_datastore_blobstorage", "dataset", true],
  ["azurerm_machine_learning_datastore_datalake_gen2", "dataset", true],
  ["azurerm_machine_learning_datastore_fileshare", "dataset", true],
  ["azurerm_machine_learning_inference_cluster", "compute", true],
  ["azurerm_machine_learning_synapse_spark", "compute", true],
  ["azurerm_machine_learning_workspace", "workspace", true],
  ["azurerm_machine_learning_workspace_network_outbound_rule_fqdn", "other"],
  ["azurerm_machine_learning_workspace_network_outbound_rule_private_endpoint", "other"],
  ["azurerm_machine_learning_workspace_network_outbound_rule_service_tag", "other"],
  ["azurerm_search_service", "search", true],
  ["azurerm_search_shared_private_link_service", "other"],
  ["azurerm_video_indexer_account", "ai-account", true],
  // Google (google and google-beta share type names). IAM policies, bindings and members of AI resources are
  // parts of kind "other" (see GOOGLE_IAM below).
  ["google_agent_identity_auth_provider", "credential-provider", true],
  ["google_agent_registry_binding", "other"],
  ["google_agent_registry_service", "model-registry", true],
  ["google_agentic_applications_analyst_agent_persona", "agent", true],
  // Customer Engagement Suite (CES): conversational agent applications, their agents, tools and guardrails.
  ["google_ces_agent", "agent", true],
  ["google_ces_app", "application", true],
  ["google_ces_app_root_agent_association", "other"],
  ["google_ces_app_version", "application"],
  ["google_ces_deployment", "deployment"],
  ["google_ces_evaluation", "training-job"],
  ["google_ces_example", "prompt"],
  ["google_ces_guardrail", "guardrail"],
  ["google_ces_security_settings", "setting"],
  ["google_ces_tool", "tool"],
  ["google_ces_toolset", "tool"],
  ["google_colab_notebook_execution", "training-job", true],
  ["google_colab_runtime", "notebook", true],
  ["google_colab_runtime_template", "notebook", true],
  ["google_colab_schedule", "training-job", true],
  ["google_dialogflow_agent", "agent", true],
  ["google_dialogflow_conversation_profile", "agent"],
  ["google_dialogflow_cx_agent", "agent", true],
  ["google_dialogflow_cx_entity_type", "other"],
  ["google_dialogflow_cx_environment", "agent"],
  ["google_dialogflow_cx_flow", "agent"],
  ["google_dialogflow_cx_generative_settings", "setting"],
  ["google_dialogflow_cx_generator", "prompt"],
  // Labelled, but an intent is a piece of its agent's conversation design: the agent carries the owner.
  ["google_dialogflow_cx_intent", "agent"],
  ["google_dialogflow_cx_page", "agent"],
  ["google_dialogflow_cx_playbook", "agent"],
  ["google_dialogflow_cx_security_settings", "setting"],
  ["google_dialogflow_cx_test_case", "other"],
  ["google_dialogflow_cx_tool", "tool"],
  ["google_dialogflow_cx_tool_version", "tool"],
  ["google_dialogflow_cx_version", "agent"],
  ["google_dialogflow_cx_webhook", "tool"],
  ["google_dialogflow_encryption_spec", "setting"],
  ["google_dialogflow_entity_type", "other"],
  ["google_dialogflow_environment", "agent"],
  ["google_dialogflow_fulfillment", "tool"],
  ["google_dialogflow_generator", "prompt"],
  ["google_dialogflow_intent", "agent"],
  ["google_dialogflow_sip_trunk", "other"],
  ["google_dialogflow_version", "agent"],
  ["google_discovery_engine_acl_config", "setting"],
  ["google_discovery_engine_assistant", "agent"],
  ["google_discovery_engine_chat_engine", "agent", true],
  ["google_discovery_engine_cmek_config", "setting"],
  ["google_discovery_engine_control", "other"],
  ["google_discovery_engine_data_connector", "dataset", true],
  ["google_discovery_engine_data_store", "dataset", true],
  ["google_discovery_engine_license_config", "setting"],
  ["google_discovery_engine_recommendation_engine", "search", true],
  ["google_discovery_engine_schema", "other"],
  ["google_discovery_engine_search_engine", "search", true],
  ["google_discovery_engine_serving_config", "other"],
  ["google_discovery_engine_sitemap", "other"],
  ["google_discovery_engine_target_site", "other"],
  ["google_discovery_engine_user_store", "identity"],
  ["google_discovery_engine_widget_config", "other"],
  ["google_document_ai_processor", "model", true],
  ["google_document_ai_processor_default_version", "model"],
  ["google_document_ai_schema", "dataset", true],
  ["google_document_ai_warehouse_document_schema", "other"],
  ["google_document_ai_warehouse_location", "setting"],
  // Firebase AI Logic: apps calling Gemini through Firebase.
  ["google_firebase_ai_logic_config", "setting"],
  ["google_firebase_ai_logic_prompt_template", "prompt", true],
  ["google_firebase_ai_logic_prompt_template_lock", "prompt"],
  // Gemini for Google Cloud (code assist, Gemini in GCP) settings and indexes.
  ["google_gemini_code_repository_index", "index", true],
  ["google_gemini_code_tools_setting", "setting"],
  ["google_gemini_code_tools_setting_binding", "setting"],
  ["google_gemini_data_sharing_with_google_setting", "setting"],
  ["google_gemini_data_sharing_with_google_setting_binding", "setting"],
  ["google_gemini_gemini_gcp_enablement_setting", "setting"],
  ["google_gemini_gemini_gcp_enablement_setting_binding", "setting"],
  ["google_gemini_logging_setting", "logging-config"],
  ["google_gemini_logging_setting_binding", "logging-config"],
  ["google_gemini_release_channel_setting", "setting"],
  ["google_gemini_release_channel_setting_binding", "setting"],
  ["google_gemini_repository_group", "index", true],
  ["google_ml_engine_model", "model", true],
  // Model Armor: templates screen prompts and responses; the floor setting is a project's minimum.
  ["google_model_armor_floorsetting", "guardrail"],
  ["google_model_armor_template", "guardrail", true],
  ["google_notebooks_environment", "compute"],
  ["google_notebooks_instance", "notebook", true],
  ["google_notebooks_runtime", "notebook", true],
  ["google_vector_search_collection", "index", true],
  ["google_vector_search_data_object", "index"],
  ["google_vector_search_index", "index", true],
  ["google_vertex_ai_cache_config", "setting"],
  ["google_vertex_ai_dataset", "dataset", true],
  ["google_vertex_ai_deployment_resource_pool", "compute", true],
  ["google_vertex_ai_endpoint", "endpoint", true],
  ["google_vertex_ai_endpoint_with_model_garden_deployment", "deployment", true],
  ["google_vertex_ai_evaluation_metric", "training-job", true],
  ["google_vertex_ai_feature_group", "feature-store", true],
  ["google_vertex_ai_feature_group_feature", "feature-store", true],
  ["google_vertex_ai_feature_online_store", "feature-store", true],
  ["google_vertex_ai_feature_online_store_featureview", "feature-store", true],
  ["google_vertex_ai_featurestore", "feature-store", true],
  ["google_vertex_ai_featurestore_entitytype", "feature-store", true],
  ["google_vertex_ai_featurestore_entitytype_feature", "feature-store", true],
  ["google_vertex_ai_index", "index", true],
  ["google_vertex_ai_index_endpoint", "endpoint", true],
  ["google_vertex_ai_index_endpoint_deployed_index", "deployment"],
  ["google_vertex_ai_metadata_store", "model-registry", true],
  ["google_vertex_ai_model_garden_enable_model", "setting"],
  ["google_vertex_ai_persistent_resource", "compute", true],
  ["google_vertex_ai_rag_engine_config", "setting"],
  ["google_vertex_ai_reasoning_engine", "agent", true],
  ["google_vertex_ai_schedule", "training-job", true],
  ["google_vertex_ai_semantic_governance_policy_engine", "guardrail", true],
  ["google_vertex_ai_tensorboard", "training-job", true],
  ["google_vertex_ai_tensorboard_experiment", "training-job", true],
  ["google_vertex_ai_tensorboard_run", "training-job", true],
  ["google_workbench_instance", "notebook", true],
  ["google_apikeys_key", "key"],
  ["google_project_service", "enabled-api"],
];

// IAM policies, bindings and members of Google AI resources (`google_vertex_ai_endpoint_iam_member` …): parts.
const GOOGLE_IAM = /^google_[a-z0-9_]+_iam_(?:policy|binding|member)$/;

// AWS Cloud Control (awscc) types without an aws twin (awscc 1.96.0; the provider's AI types are listed in
// test/fixtures/providers/awscc-ai-types.json). awscc types not named here or in TWINS fall to their family below.
const AWSCC_ONLY: readonly Entry[] = [
  ["awscc_bedrock_automated_reasoning_policy", "guardrail", true],
  ["awscc_bedrock_automated_reasoning_policy_version", "guardrail"],
  ["awscc_bedrock_blueprint", "prompt", true],
  ["awscc_bedrock_data_automation_library", "dataset", true],
  ["awscc_bedrock_data_automation_project", "application", true],
  ["awscc_bedrock_flow_alias", "agent"],
  ["awscc_bedrock_flow_version", "agent"],
  ["awscc_bedrock_knowledge_base_policy", "knowledge-base"],
  ["awscc_bedrock_prompt_version", "prompt"],
  ["awscc_bedrock_resource_policy", "other"],
  ["awscc_bedrockagentcore_configuration_bundle", "agent", true],
  ["awscc_bedrockagentcore_harness_endpoint", "endpoint", true],
  ["awscc_bedrockmantle_project", "workspace", true],
  ["awscc_comprehend_flywheel", "training-job", true],
  ["awscc_kendraranking_execution_plan", "index", true],
  ["awscc_lex_bot_alias", "agent"],
  ["awscc_lex_bot_version", "agent"],
  ["awscc_lex_resource_policy", "other"],
  ["awscc_qbusiness_data_source", "dataset", true],
  ["awscc_qbusiness_index", "index", true],
  ["awscc_qbusiness_permission", "other"],
  ["awscc_qbusiness_plugin", "tool", true],
  ["awscc_qbusiness_retriever", "index", true],
  ["awscc_qbusiness_web_experience", "endpoint", true],
  ["awscc_sagemaker_action", "training-job", true],
  ["awscc_sagemaker_context", "training-job", true],
  ["awscc_sagemaker_experiment", "training-job", true],
  ["awscc_sagemaker_experiment_trial_component", "training-job", true],
  ["awscc_sagemaker_inference_experiment", "training-job", true],
  ["awscc_sagemaker_model_bias_job_definition", "training-job", true],
  ["awscc_sagemaker_model_explainability_job_definition", "training-job", true],
  ["awscc_sagemaker_model_package", "model", true],
  ["awscc_sagemaker_model_quality_job_definition", "training-job", true],
  ["awscc_sagemaker_partner_app", "application", true],
  ["awscc_sagemaker_processing_job", "training-job", true],
  ["awscc_sagemaker_trial_component", "training-job", true],
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
  ["awscc_bedrock_enforced_guardrail_configuration", "aws_bedrock_enforced_guardrail_configuration"],
  ["awscc_bedrock_flow", "aws_bedrockagent_flow"],
  ["awscc_bedrock_guardrail", "aws_bedrock_guardrail"],
  ["awscc_bedrock_guardrail_version", "aws_bedrock_guardrail_version"],
  ["awscc_bedrock_intelligent_prompt_router", "aws_bedrock_prompt_router", { prompt_router_name: "name" }],
  ["awscc_bedrock_knowledge_base", "aws_bedrockagent_knowledge_base"],
  ["awscc_bedrock_prompt", "aws_bedrockagent_prompt", { variants: "variant" }],
  ["awscc_bedrockagentcore_api_key_credential_provider", "aws_bedrockagentcore_api_key_credential_provider"],
  ["awscc_bedrockagentcore_browser_custom", "aws_bedrockagentcore_browser"],
  ["awscc_bedrockagentcore_browser_profile", "aws_bedrockagentcore_browser_profile"],
  ["awscc_bedrockagentcore_code_interpreter_custom", "aws_bedrockagentcore_code_interpreter"],
  ["awscc_bedrockagentcore_evaluator", "aws_bedrockagentcore_evaluator"],
  ["awscc_bedrockagentcore_gateway", "aws_bedrockagentcore_gateway"],
  ["awscc_bedrockagentcore_gateway_target", "aws_bedrockagentcore_gateway_target"],
  ["awscc_bedrockagentcore_harness", "aws_bedrockagentcore_harness"],
  ["awscc_bedrockagentcore_memory", "aws_bedrockagentcore_memory"],
  ["awscc_bedrockagentcore_o_auth_2_credential_provider", "aws_bedrockagentcore_oauth2_credential_provider"],
  ["awscc_bedrockagentcore_online_evaluation_config", "aws_bedrockagentcore_online_evaluation_config"],
  ["awscc_bedrockagentcore_payment_connector", "aws_bedrockagentcore_payment_connector"],
  ["awscc_bedrockagentcore_payment_credential_provider", "aws_bedrockagentcore_payment_credential_provider"],
  ["awscc_bedrockagentcore_payment_manager", "aws_bedrockagentcore_payment_manager"],
  ["awscc_bedrockagentcore_policy", "aws_bedrockagentcore_policy"],
  ["awscc_bedrockagentcore_policy_engine", "aws_bedrockagentcore_policy_engine"],
  ["awscc_bedrockagentcore_resource_policy", "aws_bedrockagentcore_resource_policy"],
  ["awscc_bedrockagentcore_runtime", "aws_bedrockagentcore_agent_runtime", { agent_runtime_name: "name" }],
  ["awscc_bedrockagentcore_runtime_endpoint", "aws_bedrockagentcore_agent_runtime_endpoint"],
  ["awscc_bedrockagentcore_workload_identity", "aws_bedrockagentcore_workload_identity"],
  ["awscc_comprehend_document_classifier", "aws_comprehend_document_classifier", { document_classifier_name: "name" }],
  ["awscc_kendra_data_source", "aws_kendra_data_source"],
  ["awscc_kendra_faq", "aws_kendra_faq"],
  ["awscc_kendra_index", "aws_kendra_index"],
  ["awscc_lex_bot", "aws_lexv2models_bot", { bot_tags: "tags" }],
  ["awscc_qbusiness_application", "aws_qbusiness_application"],
  ["awscc_rekognition_collection", "aws_rekognition_collection"],
  ["awscc_rekognition_project", "aws_rekognition_project", { project_name: "name" }],
  ["awscc_sagemaker_algorithm", "aws_sagemaker_algorithm"],
  ["awscc_sagemaker_app", "aws_sagemaker_app", { app_name: "name" }],
  ["awscc_sagemaker_app_image_config", "aws_sagemaker_app_image_config"],
  ["awscc_sagemaker_cluster", "aws_sagemaker_cluster"],
  ["awscc_sagemaker_data_quality_job_definition", "aws_sagemaker_data_quality_job_definition"],
  ["awscc_sagemaker_device", "aws_sagemaker_device"],
  ["awscc_sagemaker_device_fleet", "aws_sagemaker_device_fleet"],
  ["awscc_sagemaker_domain", "aws_sagemaker_domain"],
  ["awscc_sagemaker_endpoint", "aws_sagemaker_endpoint", { endpoint_name: "name" }],
  ["awscc_sagemaker_feature_group", "aws_sagemaker_feature_group"],
  ["awscc_sagemaker_hub", "aws_sagemaker_hub"],
  ["awscc_sagemaker_image", "aws_sagemaker_image"],
  ["awscc_sagemaker_image_version", "aws_sagemaker_image_version"],
  ["awscc_sagemaker_inference_component", "aws_sagemaker_inference_component"],
  ["awscc_sagemaker_mlflow_app", "aws_sagemaker_mlflow_app"],
  ["awscc_sagemaker_mlflow_tracking_server", "aws_sagemaker_mlflow_tracking_server"],
  ["awscc_sagemaker_model", "aws_sagemaker_model", { containers: "container", model_name: "name" }],
  ["awscc_sagemaker_model_package_group", "aws_sagemaker_model_package_group"],
  ["awscc_sagemaker_monitoring_schedule", "aws_sagemaker_monitoring_schedule"],
  // Not a Cloud Control type (AWS::SageMaker::NotebookInstance has no Cloud Control handlers), but named by users
  // and reviewers; its CloudFormation properties are the aws provider's attribute names.
  ["awscc_sagemaker_notebook_instance", "aws_sagemaker_notebook_instance", { notebook_instance_name: "name" }],
  // CloudFormation types without Cloud Control handlers either, named as awscc would name them so that a CloudFormation
  // template's resources find their aws twin (see cloudformation-template.ts).
  [
    "awscc_sagemaker_endpoint_config",
    "aws_sagemaker_endpoint_configuration",
    { endpoint_config_name: "name", kms_key_id: "kms_key_arn" },
  ],
  [
    "awscc_sagemaker_notebook_instance_lifecycle_config",
    "aws_sagemaker_notebook_instance_lifecycle_configuration",
    { notebook_instance_lifecycle_config_name: "name" },
  ],
  ["awscc_sagemaker_code_repository", "aws_sagemaker_code_repository", { code_repository_name: "name" }],
  ["awscc_sagemaker_workteam", "aws_sagemaker_workteam", { workteam_name: "name" }],
  ["awscc_sagemaker_model_card", "aws_sagemaker_model_card", { model_card_name: "name" }],
  ["awscc_sagemaker_pipeline", "aws_sagemaker_pipeline"],
  ["awscc_sagemaker_project", "aws_sagemaker_project"],
  ["awscc_sagemaker_space", "aws_sagemaker_space"],
  ["awscc_sagemaker_studio_lifecycle_config", "aws_sagemaker_studio_lifecycle_config"],
  ["awscc_sagemaker_user_profile", "aws_sagemaker_user_profile"],
  ["awscc_transcribe_vocabulary_filter", "aws_transcribe_vocabulary_filter"],
];

// Families whose every type is AI. New types appear with each provider release: one not named above is judged as
// an owned AI resource of kind "unclassified" (ungoverned unless it carries an owner or is registered), never
// skipped, until the catalog names its kind.
const PREFIXES: readonly (readonly [prefix: string, provider: Provider])[] = [
  ["aws_agentregistry_", "aws"],
  ["aws_bedrock_", "aws"],
  ["aws_bedrockagent_", "aws"],
  ["aws_bedrockagentcore_", "aws"],
  ["aws_sagemaker_", "aws"],
  ["aws_comprehend_", "aws"],
  ["aws_datazone_", "aws"],
  ["aws_kendra_", "aws"],
  ["aws_lex_", "aws"],
  ["aws_lexv2models_", "aws"],
  ["aws_qbusiness_", "aws"],
  ["aws_rekognition_", "aws"],
  ["aws_s3vectors_", "aws"],
  ["aws_transcribe_", "aws"],
  ["aws_polly_", "aws"],
  // AWS Cloud Control (awscc) names the same services.
  ["awscc_agentregistry_", "aws"],
  ["awscc_bedrock_", "aws"],
  ["awscc_bedrockagentcore_", "aws"],
  ["awscc_bedrockmantle_", "aws"],
  ["awscc_sagemaker_", "aws"],
  ["awscc_datazone_", "aws"],
  ["awscc_kendra_", "aws"],
  ["awscc_kendraranking_", "aws"],
  ["awscc_comprehend_", "aws"],
  ["awscc_lex_", "aws"],
  ["awscc_qbusiness_", "aws"],
  ["awscc_rekognition_", "aws"],
  ["awscc_s3vectors_", "aws"],
  ["awscc_transcribe_", "aws"],
  ["azurerm_ai_", "azure"],
  ["azurerm_cognitive_", "azure"],
  ["azurerm_machine_learning_", "azure"],
  ["azurerm_bot_", "azure"],
  ["azurerm_search_", "azure"],
  ["google_agent_identity_", "gcp"],
  ["google_agent_registry_", "gcp"],
  ["google_agentic_applications_", "gcp"],
  ["google_ces_", "gcp"],
  ["google_colab_", "gcp"],
  ["google_dialogflow_", "gcp"],
  ["google_discovery_engine_", "gcp"],
  ["google_document_ai_", "gcp"],
  ["google_firebase_ai_logic_", "gcp"],
  ["google_gemini_", "gcp"],
  ["google_ml_engine_", "gcp"],
  ["google_model_armor_", "gcp"],
  ["google_notebooks_", "gcp"],
  ["google_vector_search_", "gcp"],
  ["google_vertex_ai_", "gcp"],
  ["google_workbench_", "gcp"],
];

/** Types that are AI only for some values; see their normalizers. */
const CONDITIONAL = new Set([
  "aws_iam_service_specific_credential",
  "google_apikeys_key",
  "google_project_service",
  "azapi_resource",
  "azapi_data_plane_resource",
  "azapi_update_resource",
]);

// Kinds that ownership rules (ai-resource-ungoverned, required tags) judge when the resource is primary. A part
// (an agent's action group, a guardrail's version) keeps its kind, and says it is a part, so those rules skip it;
// its parent carries the owner. Keys, settings and logging configurations are not owned resources.
const NOT_OWNED_KINDS = new Set<AssetKind>(["key", "logging-config", "enabled-api", "setting", "other"]);

const CATALOG = new Map<string, AiTypeInfo>();
for (const [type, kind, primary] of [...EXACT, ...AWSCC_ONLY]) {
  CATALOG.set(type, {
    provider: providerOfType(type)!,
    kind,
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
// azapi deploys any ARM type; its `type` attribute says whether it is AI (see azapi-normalizer.ts). The data-plane
// resource creates Foundry agents; the update resource changes properties of an existing resource.
CATALOG.set("azapi_resource", { provider: "azure", kind: "other", primary: true, conditional: true });
CATALOG.set("azapi_data_plane_resource", { provider: "azure", kind: "other", primary: true, conditional: true });
CATALOG.set("azapi_update_resource", { provider: "azure", kind: "other", primary: false, conditional: true });

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
    info =
      family === undefined
        ? null
        : GOOGLE_IAM.test(type)
          ? { provider: family[1], kind: "other", primary: false, conditional: false }
          : unclassified(family[1]);
    if (answered.size < 4096) answered.set(type, info);
  }
  return info ?? undefined;
}

/** An AI type the catalog does not name: owned, so it is ungoverned unless it carries an owner or is registered. */
export function unclassified(provider: Provider): AiTypeInfo {
  return { provider, kind: "unclassified", primary: true, conditional: false };
}

/** True for the kinds ownership rules judge in a primary resource (an owner tag or a registry entry governs them). */
export function isOwnedKind(kind: AssetKind): boolean {
  return !NOT_OWNED_KINDS.has(kind);
}

/** True for a type whose resources ownership rules judge: a primary resource of an owned kind. */
export function isOwnedType(info: AiTypeInfo): boolean {
  return info.primary && isOwnedKind(info.kind);
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
