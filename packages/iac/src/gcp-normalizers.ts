import { isUnknown, type Maybe } from "@aigov/core";
import {
  colabRuntimeFacts,
  type FieldPath,
  type GoogleFields,
  googleApiKeyFacts,
  isGoogleAiApi,
  modelArmorTemplateFacts,
  modelId,
  notebookRootAccess,
  vertexEncryptedFacts,
  vertexEndpointFacts,
  vertexIndexEndpointFacts,
  workbenchInstanceFacts,
} from "@aigov/normalize";
import type { AssetNormalizer, KeyNormalizer } from "./planned-facts.ts";
import { type PlannedValues, triAnd, triEquals, triNot } from "./planned-values.ts";

/**
 * A planned Google resource read by REST field paths, as the live scanner reads the API's body, so the facts of
 * @aigov/normalize judge both: the google provider names a field after the API in snake_case
 * (`encryptionSpec` → `encryption_spec`) and nests a message as a one-element block list, so a name followed by
 * another name steps into the block's first element (`encryption_spec[0].kms_key_name`).
 */
export function terraformFields(values: PlannedValues): GoogleFields {
  const at = (path: FieldPath): FieldPath =>
    path.flatMap((step, i) => {
      if (typeof step === "number") return [step];
      const name = step.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
      return typeof path[i + 1] === "string" ? [name, 0] : [name];
    });
  return {
    string: (path) => values.string(at(path)),
    bool: (path, fallback) => values.bool(at(path), fallback),
    present: (path) => values.present(at(path)),
    stringMap: (path) => values.stringMap(at(path)),
    list(path) {
      const elements = values.list(at(path));
      return isUnknown(elements) ? elements : elements.map(terraformFields);
    },
  };
}

/** Google resources whose facts are written once in @aigov/normalize, for their live twins too. */
const SHARED: Readonly<Record<string, AssetNormalizer>> = {
  google_model_armor_template: (v) => modelArmorTemplateFacts(terraformFields(v)),
  google_vertex_ai_endpoint: (v) => vertexEndpointFacts(terraformFields(v)),
  google_vertex_ai_index_endpoint: (v) => vertexIndexEndpointFacts(terraformFields(v)),
  google_vertex_ai_dataset: (v) => vertexEncryptedFacts(terraformFields(v)),
  google_vertex_ai_reasoning_engine: (v) => vertexEncryptedFacts(terraformFields(v)),
  google_vertex_ai_tensorboard: (v) => vertexEncryptedFacts(terraformFields(v)),
  google_workbench_instance: (v) => workbenchInstanceFacts(terraformFields(v)),
  google_colab_runtime_template: (v) => colabRuntimeFacts(terraformFields(v)),
};

export const GCP_ASSET_NORMALIZERS: Readonly<Record<string, AssetNormalizer>> = {
  ...SHARED,
  google_vertex_ai_endpoint_with_model_garden_deployment: (v) => {
    const publisher = v.string(["publisher_model_name"]);
    const huggingFace = v.string(["hugging_face_model_id"]);
    const open = [publisher, huggingFace].find((model) => isUnknown(model));
    const models: Maybe<readonly string[]> =
      open ?? [publisher, huggingFace].filter((model): model is string => typeof model === "string").map(modelId);
    return { models };
  },
  // The featurestore and metadata store have no display name in the provider.
  google_vertex_ai_featurestore: (v) => ({ cmk: vertexEncryptedFacts(terraformFields(v)).cmk }),
  google_vertex_ai_metadata_store: (v) => ({ cmk: vertexEncryptedFacts(terraformFields(v)).cmk }),
  google_vertex_ai_feature_online_store: () => ({}),
  google_vertex_ai_index: (v) => ({ name: v.string(["display_name"]) }),
  // User-managed notebooks (Notebooks API v1) have no live twin: their API was shut down in favour of Workbench.
  google_notebooks_instance: (v) => ({
    public: triNot(v.bool(["no_public_ip"], false)),
    cmk: triAnd(triEquals(v.string(["disk_encryption"]), "CMEK", "GMEK"), v.present(["kms_key"])),
    rootAccess: notebookRootAccess(v.stringMap(["metadata"])),
    privateNetwork: v.present(["subnet"]),
    secureBoot: v.bool(["shielded_instance_config", 0, "enable_secure_boot"], false),
  }),
  google_notebooks_runtime: (v) => ({
    public: triNot(v.bool(["virtual_machine", 0, "virtual_machine_config", 0, "internal_ip_only"], false)),
    cmk: v.present(["virtual_machine", 0, "virtual_machine_config", 0, "encryption_config", 0, "kms_key"]),
  }),
  // Enabling an AI API in a project is how shadow AI starts; other services are not AI.
  google_project_service: (v) => {
    const service = v.string(["service"]);
    if (typeof service === "string" && !isGoogleAiApi(service)) return undefined;
    return { name: service ?? "(unknown service)", region: "global" };
  },
};

export const GCP_KEY_NORMALIZERS: Readonly<Record<string, KeyNormalizer>> = {
  google_apikeys_key: (v) => {
    const facts = googleApiKeyFacts(terraformFields(v));
    return facts === undefined ? undefined : { ...facts, location: "", status: "active", expiresAt: null };
  },
};
