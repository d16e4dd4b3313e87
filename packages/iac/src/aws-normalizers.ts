import { type Maybe, type Unknown, isUnknown, unknown } from "@aigov/core";
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
  }),
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
