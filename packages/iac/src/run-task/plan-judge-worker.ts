import { parentPort, workerData } from "node:worker_threads";
import { isAigovError, loadPolicy, loadRules, type Severity } from "@aigov/core";
import { answerUntilStopped } from "@aigov/core/worker-thread";
import { planJudge } from "./plan-judge.ts";
import type { PlanJudgeJob, PlanJudgeReply, PlanJudgeSettings } from "./plan-judge-pool.ts";

// One judging thread: loads the policy and rules itself (they hold compiled functions, which cannot cross threads)
// and answers one job at a time, so a large plan never stalls the thread that answers HCP Terraform.
const settings = workerData as PlanJudgeSettings;
const policy = await loadPolicy(settings.policyFile, settings.cwd);
const rules = await loadRules({ dirs: settings.ruleDirs, policy });
const judge = planJudge({
  rules,
  policy,
  ...(settings.failOn === undefined ? {} : { failOn: settings.failOn as Severity }),
  blockExisting: settings.blockExisting,
});

const port = parentPort!;
answerUntilStopped(port, async (job: PlanJudgeJob) => {
  let reply: PlanJudgeReply;
  try {
    const verdict = await judge(Buffer.from(job.plan), job.request);
    reply = { id: job.id, verdict };
  } catch (error) {
    reply = isAigovError(error)
      ? {
          id: job.id,
          error: {
            code: error.code,
            message: error.message,
            ...(error.position ? { position: error.position } : {}),
            ...(error.hint ? { hint: error.hint } : {}),
          },
        }
      : { id: job.id, error: { code: "RUN_TASK_INTERNAL", message: `internal error: ${(error as Error).message}` } };
  }
  port.postMessage(reply);
});
port.postMessage({ ready: true });
