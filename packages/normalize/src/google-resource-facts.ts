import { type GuardrailFilters, isUnknown, type Maybe, type Tri, type Unknown } from "@aigov/core";
import type { FieldPath } from "./field-values.ts";
import { triAnd, triEquals, triNot, triOr } from "./tri.ts";
import { isGoogleAiApi } from "./google-ai-services.ts";

/**
 * A Google resource's fields, read by their REST path (the JSON mapping of the API's protos, camelCase:
 * `["encryptionSpec", "kmsKeyName"]`). A live body as the API returns it is read as it is (`new FieldValues(body)`);
 * a planned resource is read through the terraform provider's names by @aigov/iac (`encryption_spec[0].kms_key_name`),
 * where any value may be known only after apply. The facts below are written once against this view, so a rule
 * judges a swept resource and the same resource in a plan alike.
 */
export interface GoogleFields {
  string(path: FieldPath): string | Unknown | undefined;
  /** A boolean with the API's default when it is not set. */
  bool(path: FieldPath, fallback: boolean): Tri;
  /** The field is set to something non-empty. */
  present(path: FieldPath): Tri;
  list(path: FieldPath): readonly GoogleFields[] | Unknown;
  stringMap(path: FieldPath): Readonly<Record<string, string>> | Unknown | undefined;
}

/** The normalized facts a Google resource body establishes (see Asset in @aigov/core). */
export interface GoogleFacts {
  readonly name?: Maybe<string>;
  readonly public?: Tri;
  readonly cmk?: Tri;
  readonly privateNetwork?: Tri;
  readonly logging?: Tri;
  readonly rootAccess?: Tri;
  readonly secureBoot?: Tri;
  readonly internetAccess?: Tri;
  readonly defaultServiceAccount?: Tri;
  readonly terminal?: Tri;
  readonly fileDownloads?: Tri;
  readonly integrityMonitoring?: Tri;
  readonly guardrail?: Tri;
  readonly filters?: Maybe<GuardrailFilters>;
}

const displayName = (fields: GoogleFields) => fields.string(["displayName"]);

/** Encrypted with a customer-managed Cloud KMS key (Vertex AI's `encryptionSpec`). */
const vertexCmk = (fields: GoogleFields): Tri => fields.present(["encryptionSpec", "kmsKeyName"]);

/** Reached through VPC peering (`network`) or Private Service Connect rather than the public endpoint. */
const vertexPrivateEndpoint = (fields: GoogleFields): Tri =>
  triOr(
    fields.present(["network"]),
    fields.bool(["privateServiceConnectConfig", "enablePrivateServiceConnect"], false),
  );

/** Notebook VMs give their users root (sudo) unless the `notebook-disable-root` metadata says otherwise. */
export function notebookRootAccess(metadata: Readonly<Record<string, string>> | Unknown | undefined): Tri {
  if (isUnknown(metadata)) return metadata;
  return metadata?.["notebook-disable-root"]?.toLowerCase() !== "true";
}

/** A notebook feature on unless its `notebook-disable-…` metadata key is `true` (`terminal`, `downloads`). */
function notebookFeature(metadata: Readonly<Record<string, string>> | Unknown | undefined, feature: string): Tri {
  if (isUnknown(metadata)) return metadata;
  return metadata?.[`notebook-disable-${feature}`]?.toLowerCase() !== "true";
}

/** The Compute Engine default service account, which a VM runs as when it names none. */
function defaultComputeAccount(email: string | Unknown | undefined): Tri {
  if (isUnknown(email)) return email;
  return email === undefined || email.endsWith("-compute@developer.gserviceaccount.com");
}

/** A Vertex AI endpoint (`google_vertex_ai_endpoint`, `aiplatform.googleapis.com/Endpoint`). */
export function vertexEndpointFacts(fields: GoogleFields): GoogleFacts {
  const privateNetwork = vertexPrivateEndpoint(fields);
  return {
    name: displayName(fields),
    cmk: vertexCmk(fields),
    privateNetwork,
    public: triNot(privateNetwork),
    logging: fields.bool(["predictRequestResponseLoggingConfig", "enabled"], false),
  };
}

/** A Vector Search index endpoint: public only when its public endpoint is turned on. */
export function vertexIndexEndpointFacts(fields: GoogleFields): GoogleFacts {
  return {
    name: displayName(fields),
    public: fields.bool(["publicEndpointEnabled"], false),
    privateNetwork: vertexPrivateEndpoint(fields),
    cmk: vertexCmk(fields),
  };
}

/** A Vertex AI resource whose governance fact is its encryption: datasets, featurestores, agents, tensorboards … */
export function vertexEncryptedFacts(fields: GoogleFields): GoogleFacts {
  return { name: displayName(fields), cmk: vertexCmk(fields) };
}

/** A Vertex AI Workbench instance (`google_workbench_instance`, `notebooks.googleapis.com/Instance`). */
export function workbenchInstanceFacts(fields: GoogleFields): GoogleFacts {
  const metadata = fields.stringMap(["gceSetup", "metadata"]);
  return {
    public: triNot(fields.bool(["gceSetup", "disablePublicIp"], false)),
    cmk: triAnd(
      triEquals(fields.string(["gceSetup", "bootDisk", "diskEncryption"]), "CMEK", "GMEK"),
      fields.present(["gceSetup", "bootDisk", "kmsKey"]),
    ),
    rootAccess: notebookRootAccess(metadata),
    privateNetwork: fields.present(["gceSetup", "networkInterfaces", 0, "subnet"]),
    secureBoot: fields.bool(["gceSetup", "shieldedInstanceConfig", "enableSecureBoot"], false),
    integrityMonitoring: triAnd(
      fields.bool(["gceSetup", "shieldedInstanceConfig", "enableVtpm"], true),
      fields.bool(["gceSetup", "shieldedInstanceConfig", "enableIntegrityMonitoring"], true),
    ),
    defaultServiceAccount: defaultComputeAccount(fields.string(["gceSetup", "serviceAccounts", 0, "email"])),
    terminal: notebookFeature(metadata, "terminal"),
    fileDownloads: notebookFeature(metadata, "downloads"),
  };
}

/**
 * A Colab Enterprise runtime (`aiplatform.googleapis.com/NotebookRuntime`) or runtime template
 * (`google_colab_runtime_template`): its encryption and whether it reaches the internet directly (off unless set).
 */
export function colabRuntimeFacts(fields: GoogleFields): GoogleFacts {
  return {
    ...vertexEncryptedFacts(fields),
    internetAccess: fields.bool(["networkSpec", "enableInternetAccess"], false),
  };
}

/** What makes a Google API key an AI credential, and how far it reaches. */
export interface GoogleApiKeyFacts {
  readonly type: "gcp-api-key";
  readonly vendor: "google-gemini" | "gcp";
  readonly name?: string;
  /** No API restriction: the key may call every API its project enables. */
  readonly unrestricted: Tri;
  readonly apiTargets: Maybe<readonly string[]>;
}

/**
 * An API key (`google_apikeys_key`, `apikeys.googleapis.com/Key`) is AI when it may call an AI API: it has no API
 * restriction at all, or one of its API targets is an AI API such as Gemini's. undefined: not an AI key.
 */
export function googleApiKeyFacts(fields: GoogleFields): GoogleApiKeyFacts | undefined {
  const targets = fields.list(["restrictions", "apiTargets"]);
  const services = isUnknown(targets) ? targets : targets.map((target) => target.string(["service"]));
  const openService = isUnknown(services) ? services : services.find((service) => isUnknown(service));
  const open = openService !== undefined && isUnknown(openService) ? openService : undefined;
  const known = isUnknown(services) ? [] : services.filter((service): service is string => typeof service === "string");
  const unrestricted: Tri = open ?? known.length === 0;
  if (unrestricted === false && !known.some(isGoogleAiApi)) return undefined;
  const name = displayName(fields);
  return {
    type: "gcp-api-key",
    vendor: known.includes("generativelanguage.googleapis.com") ? "google-gemini" : "gcp",
    ...(typeof name === "string" ? { name } : {}),
    unrestricted,
    apiTargets: open ?? known,
  };
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

/** A Model Armor template (`google_model_armor_template`, `modelarmor.googleapis.com/Template`): what it filters. */
export function modelArmorTemplateFacts(fields: GoogleFields): GoogleFacts {
  return { guardrail: true, filters: modelArmorFilters(fields) };
}

function modelArmorFilters(fields: GoogleFields): Maybe<GuardrailFilters> {
  const rai = fields.list(["filterConfig", "raiSettings", "raiFilters"]);
  if (isUnknown(rai)) return rai;
  const harmful: string[] = [];
  for (const filter of rai) {
    const type = filter.string(["filterType"]);
    if (isUnknown(type)) return type;
    const category = type === undefined ? undefined : ARMOR_HARMFUL[type];
    if (category !== undefined) harmful.push(category);
  }
  const jailbreak = triEquals(
    fields.string(["filterConfig", "piAndJailbreakFilterSettings", "filterEnforcement"]),
    "ENABLED",
    "DISABLED",
  );
  const confidence = fields.string(["filterConfig", "piAndJailbreakFilterSettings", "confidenceLevel"]);
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
        fields.string(["filterConfig", "sdpSettings", "basicConfig", "filterEnforcement"]),
        "ENABLED",
        "DISABLED",
      ),
      fields.present(["filterConfig", "sdpSettings", "advancedConfig"]),
    ),
    grounding: false,
  };
}
