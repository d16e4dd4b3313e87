export {
  type AiTypeInfo,
  aiTypeFamilies,
  aiTypeInfo,
  isAiResourceType,
  isOwnedKind,
  isOwnedType,
  knownAiTypes,
  providerOfType,
} from "./ai-types.ts";
export { armAiNamespaces, armAiType, knownArmAiTypes } from "./azapi-normalizer.ts";
export { looksLikeTerraformJson, readCdktfStack, type StackReadResult } from "./cdktf-reader.ts";
// readGateSource and readGateInput are `@aigov/iac/gate`'s (gate.ts): a module that imports the index (the cdktf
// Aspect) then never reaches the gate's readers of templates and configuration, which it loads on demand.
export type { GateInput, GateReadOptions } from "./gate-input.ts";
export { readGateText } from "./gate-readers.ts";
export { commandLineValues, environmentValues, type GivenValue } from "./input-values.ts";
export {
  type NormalizeInput,
  type PlannedSubject,
  normalizeResource,
  normalizedTypes,
  resourceName,
} from "./normalize.ts";
export { configAddress } from "./plan-configuration.ts";
export { MAX_JSON_DEPTH, scanJson } from "./json-scanner.ts";
export {
  looksLikePlan,
  type PlanReadResult,
  plannedChange,
  readPlanDocument,
  readPlanText,
} from "./plan-reader.ts";
export {
  decodeJsonBytes,
  extractJsonText,
  jsonInputBytes,
  jsonInputText,
  parseJsonDocument,
  parseStrictJson,
  READABLE_INPUTS,
} from "./plan-text.ts";
export { KNOWN_AFTER_APPLY, PlannedValues } from "./planned-values.ts";
export {
  type ConfigReadOptions,
  type ConfigReadResult,
  readTerraformConfiguration,
} from "./terraform-config-reader.ts";
export { type GateFinding, type GateResult, type GateRole, type JudgeOptions, judgePlanned } from "./gate-decision.ts";
// The run-task server is `@aigov/iac/run-task`: kept apart so what only gates plans never loads HTTP and worker code.
