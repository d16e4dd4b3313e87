export { AigovAspect } from "./aspect.ts";
export { adoptOuterAspects, type GovernedApp, governApp } from "./govern-app.ts";
export {
  type Governance,
  type GovernanceOptions,
  type GovernedFinding,
  judgeStack,
  loadGovernance,
} from "./governance.ts";
export { Governor } from "./governor.ts";
export { AigovSuppressions, MIN_REASON_LENGTH, type Suppression, SUPPRESSION_METADATA } from "./suppressions.ts";
