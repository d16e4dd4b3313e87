import { type GuardrailFilters, type Maybe, type Tri, isUnknown } from "@aigov/core";
import { modelId } from "@aigov/normalize";
import type { AssetNormalizer, KeyNormalizer } from "./planned-facts.ts";
import { type PlannedValues, triAnd, triEquals, triNot, triOr } from "./planned-values.ts";

/** Google APIs whose use is AI: an API key reaching one, or a project enabling one, is AI. */
export const GCP_AI_SERVICES: readonly string[] = [
  "aiplatform.googleapis.com",
  "generativelanguage.googleapis.com",
  "ml.googleapis.com",
  "notebooks.googleapis.com",
  "dialogflow.googleapis.com",
  "discoveryengine.googleapis.com",
  "documentai.googleapis.com",
  "cloudaicompanion.googleapis.com",
  "automl.googleapis.com",
  "language.googleapis.com",
  "vision.googleapis.com",
  "speech.googleapis.com",
  "texttospeech.googleapis.com",
  "translate.googleapis.com",
  "videointelligence.googleapis.com",
  "retail.googleapis.com",
  "contactcenteraiplatform.googleapis.com",
  // Agents and their safeguards: Customer Engagement Suite, Model Armor, the agent registry, Vector Search 2.0 and
  // Firebase AI Logic (Gemini called from apps).
  "ces.googleapis.com",
  "modelarmor.googleapis.com",
  "agentregistry.googleapis.com",
  "vectorsearch.googleapis.com",
  "firebasevertexai.googleapis.com",
];

const cmkSpec = (v: PlannedValues): Tri => v.present(["encryption_spec", 0, "kms_key_name"]);

/** Notebook VMs give users root unless the `notebook-disable-root` metadata says otherwise. */
function rootFromMetadata(v: PlannedValues, path: readonly (string | number)[]): Tri {
  const metadata = v.stringMap(path);
  if (isUnknown(metadata)) return metadata;
  return metadata?.["notebook-disable-root"]?.toLowerCase() !== "true";
}

const ARMOR_HARMFUL: Readonly<Record<string, string>> = {
  HATE_SPEECH: "hate",
  HARASSMENT: "insults",
  SEXUALLY_EXPLICIT: "sexual",
  DANGEROUS: "misconduct",
};
// Model Armor flags content at or above a confidence; a lower bar catches more, as a stronger Bedrock filter does.
const ARMOR_STRENGTH: Readonly<Record<string, GuardrailFilters["promptAttack"]>> = {
  LOW_AND_ABOVE: "high",
  MEDIUM_AND_ABOVE: "medium",
  HIGH: "low",
};

/** A Model Armor template's filters as guardrail facts. */
function modelArmorFilters(v: PlannedValues): Maybe<GuardrailFilters> {
  const config = ["filter_config", 0] as const;
  const rai = v.list([...config, "rai_settings", 0, "rai_filters"]);
  if (isUnknown(rai)) return rai;
  const harmful: string[] = [];
  for (const filter of rai) {
    const type = filter.string(["filter_type"]);
    if (isUnknown(type)) return type;
    const category = type === undefined ? undefined : ARMOR_HARMFUL[type];
    if (category !== undefined) harmful.push(category);
  }
  const jailbreak = triEquals(
    v.string([...config, "pi_and_jailbreak_filter_settings", 0, "filter_enforcement"]),
    "ENABLED",
    "DISABLED",
  );
  const confidence = v.string([...config, "pi_and_jailbreak_filter_settings", 0, "confidence_level"]);
  const promptAttack: Maybe<GuardrailFilters["promptAttack"]> = isUnknown(jailbreak)
    ? jailbreak
    : !jailbreak
      ? "none"
      : isUnknown(confidence)
        ? confidence
        : (ARMOR_STRENGTH[confidence ?? "LOW_AND_ABOVE"] ?? "high");
  return {
    harmfulContent: harmful.sort(),
    promptAttack,
    sensitiveInformation: triOr(
      triEquals(
        v.string([...config, "sdp_settings", 0, "basic_config", 0, "filter_enforcement"]),
        "ENABLED",
        "DISABLED",
      ),
      v.present([...config, "sdp_settings", 0, "advanced_config"]),
    ),
    grounding: false,
  };
}

export const GCP_ASSET_NORMALIZERS: Readonly<Record<string, AssetNormalizer>> = {
  google_model_armor_template: (v) => ({ guardrail: true, filters: modelArmorFilters(v) }),
  google_vertex_ai_endpoint: (v) => {
    const privateNetwork = triOr(
      v.present(["network"]),
      v.bool(["private_service_connect_config", 0, "enable_private_service_connect"], false),
    );
    return {
      name: v.string(["display_name"]),
      cmk: cmkSpec(v),
      privateNetwork,
      public: triNot(privateNetwork),
      logging: v.bool(["predict_request_response_logging_config", 0, "enabled"], false),
    };
  },
  google_vertex_ai_endpoint_with_model_garden_deployment: (v) => {
    const publisher = v.string(["publisher_model_name"]);
    const huggingFace = v.string(["hugging_face_model_id"]);
    const open = [publisher, huggingFace].find((model) => isUnknown(model));
    const models: Maybe<readonly string[]> =
      open ?? [publisher, huggingFace].filter((model): model is string => typeof model === "string").map(modelId);
    return { models };
  },
  google_vertex_ai_index_endpoint: (v) => {
    const privateNetwork = triOr(
      v.present(["network"]),
      v.bool(["private_service_connect_config", 0, "enable_private_service_connect"], false),
    );
    return {
      name: v.string(["display_name"]),
      public: v.bool(["public_endpoint_enabled"], false),
      privateNetwork,
      cmk: cmkSpec(v),
    };
  },
  google_vertex_ai_dataset: (v) => ({ name: v.string(["display_name"]), cmk: cmkSpec(v) }),
  google_vertex_ai_featurestore: (v) => ({ cmk: cmkSpec(v) }),
  google_vertex_ai_feature_online_store: () => ({}),
  google_vertex_ai_index: (v) => ({ name: v.string(["display_name"]) }),
  google_vertex_ai_metadata_store: (v) => ({ cmk: cmkSpec(v) }),
  google_vertex_ai_tensorboard: (v) => ({ name: v.string(["display_name"]), cmk: cmkSpec(v) }),
  google_vertex_ai_reasoning_engine: (v) => ({ name: v.string(["display_name"]), cmk: cmkSpec(v) }),
  google_notebooks_instance: (v) => ({
    public: triNot(v.bool(["no_public_ip"], false)),
    cmk: triAnd(triEquals(v.string(["disk_encryption"]), "CMEK", "GMEK"), v.present(["kms_key"])),
    rootAccess: rootFromMetadata(v, ["metadata"]),
    privateNetwork: v.present(["subnet"]),
    secureBoot: v.bool(["shielded_instance_config", 0, "enable_secure_boot"], false),
  }),
  google_workbench_instance: (v) => ({
    public: triNot(v.bool(["gce_setup", 0, "disable_public_ip"], false)),
    cmk: triAnd(
      triEquals(v.string(["gce_setup", 0, "boot_disk", 0, "disk_encryption"]), "CMEK", "GMEK"),
      v.present(["gce_setup", 0, "boot_disk", 0, "kms_key"]),
    ),
    rootAccess: rootFromMetadata(v, ["gce_setup", 0, "metadata"]),
    privateNetwork: v.present(["gce_setup", 0, "network_interfaces", 0, "subnet"]),
    secureBoot: v.bool(["gce_setup", 0, "shielded_instance_config", 0, "enable_secure_boot"], false),
  }),
  google_notebooks_runtime: (v) => ({
    public: triNot(v.bool(["virtual_machine", 0, "virtual_machine_config", 0, "internal_ip_only"], false)),
    cmk: v.present(["virtual_machine", 0, "virtual_machine_config", 0, "encryption_config", 0, "kms_key"]),
  }),
  // Enabling an AI API in a project is how shadow AI starts; other services are not AI.
  google_project_service: (v) => {
    const service = v.string(["service"]);
    if (typeof service === "string" && !GCP_AI_SERVICES.includes(service)) return undefined;
    return { name: service ?? "(unknown service)", region: "global" };
  },
};

export const GCP_KEY_NORMALIZERS: Readonly<Record<string, KeyNormalizer>> = {
  // An API key is AI when it may call an AI API: no API restriction at all, or a target such as Gemini.
  google_apikeys_key: (v) => {
    const targets = v.list(["restrictions", 0, "api_targets"]);
    const services = isUnknown(targets) ? targets : targets.map((target) => target.string(["service"]));
    const openService = isUnknown(services) ? services : services.find((service) => isUnknown(service));
    const known = isUnknown(services)
      ? []
      : services.filter((service): service is string => typeof service === "string");
    const unrestricted: Tri = openService !== undefined && isUnknown(openService) ? openService : known.length === 0;
    if (unrestricted === false && !known.some((service) => GCP_AI_SERVICES.includes(service))) return undefined;
    const display = v.string(["display_name"]);
    return {
      type: "gcp-api-key",
      vendor: known.includes("generativelanguage.googleapis.com") ? "google-gemini" : "gcp",
      location: "",
      ...(typeof display === "string" ? { name: display } : {}),
      unrestricted,
      apiTargets: openService !== undefined && isUnknown(openService) ? openService : known,
      status: "active",
      expiresAt: null,
    };
  },
};
