// @aigov/normalize's public surface: one normaliser per record shape (see README.md).
export {
  AWS_AI_EVENT_SOURCES,
  apiCallFromCloudTrailEvent,
  CLOUDTRAIL_MODEL_PARAMETERS,
  type CloudTrailOrigin,
  cloudTrailActor,
  isCloudTrailEvent,
} from "./cloudtrail-event.ts";
export { azureActor, gcpActor } from "./actor.ts";
export { modelId } from "./model-id.ts";
export {
  type ArmBody,
  type ArmFacts,
  armFacts,
  armKind,
  armPart,
  armValue,
  azureAccountKey,
  isGenerativeAiAccount,
  type RaiContentFilter,
  raiFilters,
  reachOfUrl,
} from "./arm-resource.ts";
export { AZURE_AI_PROVIDER_NAMESPACE, azureCall, isAzureRecord } from "./azure-activity-record.ts";
export { type DiagnosticLogging, diagnosticLogging } from "./azure-diagnostic-settings.ts";
export { type FieldPath, FieldValues, isRecord, KNOWN_AFTER_APPLY } from "./field-values.ts";
export { GOOGLE_AI_APIS, GOOGLE_AUDITED_AI_SERVICES, isGoogleAiApi } from "./google-ai-services.ts";
export {
  type AuditConfig,
  type DataAccessLogType,
  dataAccessLogTypes,
  exemptedMembers,
} from "./google-audit-config.ts";
export { apiCallFromAuditEntry, auditPayload } from "./google-audit-entry.ts";
export {
  type GoogleApiKeyFacts,
  type GoogleFacts,
  type GoogleFields,
  colabRuntimeFacts,
  googleApiKeyFacts,
  notebookRootAccess,
  vertexEncryptedFacts,
  vertexEndpointFacts,
  vertexIndexEndpointFacts,
  workbenchInstanceFacts,
  modelArmorTemplateFacts,
} from "./google-resource-facts.ts";
export { contentId, embeddedObject, isObject, isoTime, type JsonObject, objectAt, stringAt } from "./record-fields.ts";
export { triAnd, triEquals, triNot, triOr } from "./tri.ts";
export {
  AWS_INVOCATION_OPERATIONS,
  AZURE_INFERENCE_OPERATIONS,
  GCP_INFERENCE_OPERATIONS,
  isInference,
} from "./usage.ts";
