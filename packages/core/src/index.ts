// @aigov/core's public surface: what the other packages use, and the types their signatures are made of.
// Everything else in src/ is internal: compile a condition, index rules or match a waiver through these.

export {
  type Aggregator,
  type AggregatorOptions,
  createAggregator,
  type FirstSeenStore,
  memoryFirstSeenStore,
} from "./aggregate.ts";
export { findAiKeys } from "./ai-key-patterns.ts";
export { canonicalAzureLocation } from "./azure-location.ts";
export { escapeControlCharacters } from "./control-characters.ts";
export { FindingRollup, ROLLUP_WINDOW_MS } from "./finding-rollup.ts";
export { parseDuration } from "./duration.ts";
export { blocks, createEngine, type Engine, type EngineOptions, formatValue, type Judgement } from "./engine.ts";
export { compileGlobs } from "./glob.ts";
export { AigovError, fileErrorReason, formatPosition, isAigovError, type Position } from "./errors.ts";
export {
  type Evidence,
  type Finding,
  type FindingStatus,
  findingId,
  type Outcome,
  type SubjectRef,
  subjectIdentity,
  subjectRef,
  type WaiverRef,
} from "./finding.ts";
export {
  ACTORS,
  type Actor,
  ASSET_FACTS,
  type ApiCall,
  type Asset,
  type AssetFact,
  type AssetKind,
  type Authorizer,
  type AuthType,
  type ChangeAction,
  type GuardrailFilters,
  type Key,
  type PlannedChange,
  PROVIDERS,
  type Provider,
  SEVERITIES,
  type Severity,
  type SourceLocation,
  type Subject,
  severityRank,
  type ToolReach,
} from "./model.ts";
export { defaultPolicy, loadPolicy, POLICY_CORE_SCHEMA, type Policy, parsePolicy, type Waiver } from "./policy.ts";
export { BUILT_RULE_PACK_FILE, BUILT_RULE_TESTS_FILE, type BuiltRulePack } from "./built-rule-pack.ts";
export { builtRulePack } from "#built-rule-pack";
export type { RuleCache } from "./rule-cache.ts";
export { type RuleTestResult, runRuleTests } from "./rule-tests.ts";
export { defaultRulesDir, loadRules, parseRule, type Rule, type RuleTest, ruleFiles } from "./rule.ts";
export {
  type CoverageGap,
  GAP_CODES,
  type GapCode,
  type GapItem,
  type RecordedGap,
  type ScanItem,
  type ScanNotice,
  type ScanStats,
  type Scanner,
  type ScanTarget,
  type TargetItem,
} from "./scanner.ts";
export {
  type KeyFoundIn,
  type KeyHolder,
  keysInFields,
  screenScanItems,
  screenSubject,
  screenTargets,
} from "./secret-screen.ts";
export { isUnknown, type Maybe, type Tri, type Unknown, unknown } from "./unknown.ts";
export { createSchemaCheck, createSectionCheck, type SectionCheckOptions } from "./schema-check.ts";
export { encodeRfc3986 } from "./rfc3986.ts";
export { sha256Hex } from "./sha256.ts";
export { formatYamlPath, parseYamlSource, type YamlPath, type YamlSource } from "./yaml-source.ts";
