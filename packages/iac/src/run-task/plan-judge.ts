import { AigovError } from "@aigov/core";
import { type JudgeOptions, judgePlanned } from "../gate-decision.ts";
import { readPlanScan } from "../plan-reader.ts";
import { scanPlanText } from "../plan-scan.ts";
import { jsonInputBytes } from "../plan-text.ts";
import type { PlanJudge } from "./server.ts";

/**
 * Judges a run's plan JSON with the gate's own reader and decision, so a run task and `aigov gate plan.json`
 * give the same answer for the same plan and policy.
 */
export function planJudge(options: JudgeOptions): PlanJudge {
  return async (plan, request) => {
    const file = `plan of ${request.runId ?? "the run"}`;
    const input = jsonInputBytes(plan, file);
    const scan = scanPlanText(input.bytes, file, input.line);
    if (!scan.isPlan) {
      throw new AigovError("RUN_TASK_NOT_A_PLAN", "plan_json_api_url did not return `terraform show -json` output", {
        position: { file },
      });
    }
    const result = judgePlanned(readPlanScan(scan).subjects, options);
    return {
      exitCode: result.exitCode,
      findings: result.findings,
      blockingIds: new Set(result.blocking.map((finding) => finding.id)),
      judged: result.counts.subjects,
    };
  };
}
