export { planJudge } from "./plan-judge.ts";
export { createPlanJudgePool, type PlanJudgePool, type PlanJudgeSettings } from "./plan-judge-pool.ts";
export { parseRunTaskRequest, type RunTaskRequest, VERIFICATION_TOKEN } from "./payload.ts";
export { DEFAULT_MAX_REMEMBERED_RUNS, DEFAULT_REMEMBER_RUNS_MS, RecentRuns } from "./recent-runs.ts";
export { formatRunTaskEvent } from "./run-task-log.ts";
export {
  createRunTaskServer,
  DEFAULT_MAX_PLAN_BYTES,
  DEFAULT_MAX_REQUEST_BYTES,
  DEFAULT_WINDOW_MS,
  type PlanJudge,
  type RunTaskEvent,
  type RunTaskServer,
  type RunTaskServerOptions,
} from "./server.ts";
export { SIGNATURE_HEADER, signRunTaskBody, verifyRunTaskSignature } from "./signature.ts";
export { errorTaskResult, type PlanVerdict, verdictTaskResult } from "./task-result.ts";
export { fetchPlanJson, patchTaskResult, type TaskResultBody, type TaskResultOutcome } from "./tfc-client.ts";
export { type TfcHost, tfcHost, trustedUrl } from "./tfc-host.ts";
