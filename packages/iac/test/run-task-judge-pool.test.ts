import { readFileSync } from "node:fs";
import { join } from "node:path";
import { AigovError, defaultPolicy, loadRules } from "@aigov/core";
import { afterEach, describe, expect, it } from "vitest";
import { createPlanJudgePool, type PlanJudgePool, planJudge, type RunTaskRequest } from "../src/run-task/index.ts";
import { FIXTURES, SAMPLE_PLAN } from "./run-task-fake-tfc.ts";

const ROOT = join(import.meta.dirname, "../../..");
const REQUEST: RunTaskRequest = {
  payloadVersion: 1,
  stage: "post_plan",
  accessToken: "t",
  callbackUrl: "https://x/cb",
  runId: "run-1",
  verification: false,
};

const pools: PlanJudgePool[] = [];
afterEach(async () => {
  for (const pool of pools.splice(0)) await pool.close();
});

describe("judging plans on worker threads", () => {
  it("gives the same verdict as judging in process, for several plans at once", async () => {
    const pool = await createPlanJudgePool({ cwd: ROOT, ruleDirs: [], blockExisting: false }, 2);
    pools.push(pool);
    const inProcess = planJudge({ rules: await loadRules({ policy: defaultPolicy() }), policy: defaultPolicy() });
    const expected = await inProcess(SAMPLE_PLAN, REQUEST);
    const noAi = readFileSync(join(FIXTURES, "checkov/checkov_runner_tfplan_55rc.json"));
    const [first, second, third] = await Promise.all([
      pool.judge(SAMPLE_PLAN, REQUEST),
      pool.judge(noAi, REQUEST),
      pool.judge(SAMPLE_PLAN, REQUEST),
    ]);
    for (const verdict of [first!, third!]) {
      expect(verdict.exitCode).toBe(1);
      expect(verdict.findings.map((f) => f.id).sort()).toEqual(expected.findings.map((f) => f.id).sort());
      expect([...verdict.blockingIds].sort()).toEqual([...expected.blockingIds].sort());
    }
    expect(second!.exitCode).toBe(0);
    expect(second!.judged).toBe(0);
  });

  it("passes a thread's AigovError back with its code, so the run fails with the reason", async () => {
    const pool = await createPlanJudgePool({ cwd: ROOT, ruleDirs: [], blockExisting: false }, 1);
    pools.push(pool);
    const error = await pool.judge(Buffer.from('{"resource": {}}'), REQUEST).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AigovError);
    expect((error as AigovError).code).toBe("RUN_TASK_NOT_A_PLAN");
    // The thread is still there for the next plan.
    expect((await pool.judge(SAMPLE_PLAN, REQUEST)).exitCode).toBe(1);
  });

  it("refuses to start with a policy file that does not exist", async () => {
    await expect(
      createPlanJudgePool(
        { policyFile: join(ROOT, "no-such-aigov.yaml"), cwd: ROOT, ruleDirs: [], blockExisting: false },
        1,
      ),
      // The thread's own reason, not only that it ended.
    ).rejects.toThrow(/cannot load the policy and rules: cannot read policy file: no such file/);
  });
});
