import { readFileSync } from "node:fs";
import { join } from "node:path";
import { defaultPolicy, loadRules, type Rule } from "@aigov/core";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  createRunTaskServer,
  formatRunTaskEvent,
  planJudge,
  RecentRuns,
  type RunTaskEvent,
  type RunTaskServer,
  signRunTaskBody,
  type TaskResultBody,
  tfcHost,
  verifyRunTaskSignature,
} from "../src/run-task/index.ts";
import { FakeTfc, FIXTURES, post, TOKEN } from "./run-task-fake-tfc.ts";

const NO_AI_PLAN = readFileSync(join(FIXTURES, "checkov/checkov_runner_tfplan_55rc.json"));
const HMAC_KEY = "run-task-hmac-key-for-tests";

function signed(body: Buffer): Record<string, string> {
  return { "x-tfc-task-signature": signRunTaskBody(body, HMAC_KEY) };
}

let rules: Rule[];
beforeAll(async () => {
  rules = await loadRules({ policy: defaultPolicy() });
});

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function setup(
  options: { maxConcurrent?: number; maxQueued?: number; maxPlanBytes?: number; maxRequestBytes?: number } = {},
) {
  const tfc = new FakeTfc();
  await tfc.start();
  const events: RunTaskEvent[] = [];
  const runTask: RunTaskServer = createRunTaskServer({
    judge: planJudge({ rules, policy: defaultPolicy() }),
    trusted: tfcHost(tfc.host, { allowHttp: true }),
    hmacKey: HMAC_KEY,
    log: (event) => events.push(event),
    ...options,
  });
  const address = await runTask.listen(0, "127.0.0.1");
  cleanups.push(() => tfc.stop());
  cleanups.push(() => runTask.close());
  return { tfc, runTask, address, events };
}

describe("aigov run task against a fake HCP Terraform", () => {
  it("answers 200 at once, then PATCHes failed with one outcome per finding for the plan's ungoverned AI", async () => {
    const { tfc, address } = await setup();
    const callback = tfc.nextCallback();
    const body = tfc.payload();
    const answered = await post(address, body, signed(body));
    expect(answered.status).toBe(200);
    const result = await callback;
    const patch = tfc.callbacks[0]!;
    // The 200 came before aigov even fetched the plan, let alone called back.
    expect(answered.at).toBeLessThanOrEqual(tfc.archivistRequests[0]!.at);
    expect(patch.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(patch.headers["content-type"]).toBe("application/vnd.api+json");
    expect(result.data.type).toBe("task-results");
    expect(result.data.attributes.status).toBe("failed");
    expect(result.data.attributes.message).toMatch(/^aigov: \d+ blocking finding\(s\) \(.*high.*\)/);
    const outcomes = result.data.relationships?.outcomes.data ?? [];
    const byDescription = new Map(outcomes.map((outcome) => [outcome.attributes.description, outcome.attributes]));
    const notebook = byDescription.get("ai-resource-ungoverned: aws_sagemaker_notebook_instance.scratch");
    expect(notebook?.tags?.Severity).toEqual([{ label: "High", level: "error" }]);
    expect(notebook?.tags?.Status).toEqual([{ label: "Failed", level: "error" }]);
    expect(notebook?.body).toContain("**Fix:**");
    const cmk = byDescription.get("ai-no-customer-managed-key: aws_sagemaker_notebook_instance.scratch");
    expect(cmk?.tags?.Severity).toEqual([{ label: "Low", level: "info" }]);
    expect(cmk?.tags?.Status).toEqual([{ label: "Warning", level: "warning" }]);
    // Outcome ids are the stable finding ids: the same finding in the next run has the same id.
    expect(new Set(outcomes.map((outcome) => outcome.attributes["outcome-id"])).size).toBe(outcomes.length);
    // The endpoint with an owner tag is governed; the delete is never judged.
    expect(byDescription.has("ai-resource-ungoverned: aws_sagemaker_endpoint.support_bot")).toBe(false);
    expect([...byDescription.keys()].some((d) => d.includes("aws_sagemaker_model.legacy"))).toBe(false);
    // The run's token went to the HCP Terraform host only, never along the redirect to the download host.
    expect(tfc.requests.find((r) => r.method === "GET")?.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(tfc.archivistRequests).toHaveLength(1);
    expect(tfc.archivistRequests[0]!.headers.authorization).toBeUndefined();
  });

  it("PATCHes passed for a plan that introduces no blocking AI", async () => {
    const { tfc, address } = await setup();
    tfc.plan = NO_AI_PLAN;
    const callback = tfc.nextCallback();
    const body = tfc.payload();
    expect((await post(address, body, signed(body))).status).toBe(200);
    const result = await callback;
    expect(result.data.attributes.status).toBe("passed");
    expect(result.data.attributes.message).toBe("aigov: passed, 0 AI resource(s) judged");
    expect(result.data.relationships?.outcomes.data).toEqual([]);
  });

  it("retries the callback when HCP Terraform answers 5xx, until the result is delivered", async () => {
    const { tfc, address, events } = await setup();
    tfc.failCallbacks = 2;
    const callback = tfc.nextCallback();
    const body = tfc.payload();
    await post(address, body, signed(body));
    expect((await callback).data.attributes.status).toBe("failed");
    expect(tfc.requests.filter((r) => r.method === "PATCH")).toHaveLength(3);
    expect(events.filter((event) => event.kind === "error")).toEqual([]);
  });

  it("refuses unsigned requests (401) and wrong signatures (403) and fetches nothing", async () => {
    const { tfc, address } = await setup();
    const body = tfc.payload();
    expect((await post(address, body)).status).toBe(401);
    expect((await post(address, body, signed(Buffer.from(`${body.toString()} `)))).status).toBe(403);
    expect((await post(address, body, { "x-tfc-task-signature": "0".repeat(128) })).status).toBe(403);
    expect(tfc.requests).toEqual([]);
  });

  it("refuses a plan URL or callback URL off the configured HCP Terraform host, so the token never leaves", async () => {
    const { tfc, address } = await setup();
    const wrongPlan = tfc.payload({ plan_json_api_url: `http://${tfc.archivistHost}/api/v2/plans/plan-1/json-output` });
    const refused = await post(address, wrongPlan, signed(wrongPlan));
    expect(refused.status).toBe(400);
    expect(refused.body).toContain(
      `plan_json_api_url is on ${tfc.archivistHost}, not on the configured HCP Terraform host ${tfc.host}`,
    );
    const wrongCallback = tfc.payload({
      task_result_callback_url: `http://${tfc.archivistHost}/api/v2/task-results/tr-1/callback`,
    });
    expect((await post(address, wrongCallback, signed(wrongCallback))).status).toBe(400);
    const httpsOnly = createRunTaskServer({
      judge: planJudge({ rules, policy: defaultPolicy() }),
      trusted: tfcHost(tfc.host),
    });
    const strict = await httpsOnly.listen(0, "127.0.0.1");
    cleanups.push(() => httpsOnly.close());
    const plain = tfc.payload();
    expect((await post(strict, plain)).status).toBe(400);
    expect(tfc.requests).toEqual([]);
    expect(tfc.archivistRequests).toEqual([]);
  });

  it("refuses a request larger than the limit with 413", async () => {
    const { tfc, address } = await setup({ maxRequestBytes: 4096 });
    const body = tfc.payload({ padding: "x".repeat(8192) });
    expect((await post(address, body, signed(body))).status).toBe(413);
    expect(tfc.requests).toEqual([]);
  });

  it("fails the run (never passes it) when the plan is larger than the plan limit", async () => {
    const { tfc, address } = await setup({ maxPlanBytes: 1000 });
    const callback = tfc.nextCallback();
    const body = tfc.payload();
    expect((await post(address, body, signed(body))).status).toBe(200);
    const result = await callback;
    expect(result.data.attributes.status).toBe("failed");
    expect(result.data.attributes.message).toContain("the plan JSON is larger than 1000 bytes");
  });

  it("fails the run when the plan cannot be read", async () => {
    const { tfc, address } = await setup();
    tfc.plan = Buffer.from('{"format_version": "1.2", "resource_changes": [{"address": ');
    const callback = tfc.nextCallback();
    const body = tfc.payload();
    await post(address, body, signed(body));
    const result = await callback;
    expect(result.data.attributes.status).toBe("failed");
    expect(result.data.attributes.message).toMatch(/^aigov could not judge the plan: /);
    expect(result.data.relationships?.outcomes.data[0]?.attributes["outcome-id"]).toBe("aigov-could-not-judge");
  });

  it("fails the run, with the reason, for a plan with a key twice, two documents or nesting past 512 levels", async () => {
    const sample = readFileSync(join(FIXTURES, "sample-ai-plan.json"), "utf8").trimEnd();
    const deep = JSON.stringify({ ...JSON.parse(sample), x: "DEEP" }).replace(
      '"DEEP"',
      `${"[".repeat(10_000)}${"]".repeat(10_000)}`,
    );
    for (const [plan, reason] of [
      [`${sample.slice(0, -1)}, "resource_changes": []}`, '"resource_changes" twice'],
      [`${sample}\n${sample}`, "more than one JSON document"],
      [deep, "too deeply nested"],
    ] as const) {
      const { tfc, address } = await setup();
      tfc.plan = Buffer.from(plan);
      const callback = tfc.nextCallback();
      const body = tfc.payload();
      await post(address, body, signed(body));
      const result = await callback;
      expect(result.data.attributes.status).toBe("failed");
      expect(result.data.attributes.message).toContain(reason);
    }
  });

  it("refuses a request that names a field twice (which callback URL counts would be a guess) with 400", async () => {
    const { tfc, address, events } = await setup();
    const text = tfc.payload().toString("utf8");
    const body = Buffer.from(text.replace(/}\s*$/, ', "task_result_callback_url": "https://elsewhere.example/cb"}'));
    expect((await post(address, body, signed(body))).status).toBe(400);
    expect(events.at(-1)?.message).toContain('"task_result_callback_url" twice');
    expect(tfc.requests).toEqual([]);
  });

  it("fails a run task attached to a stage without a plan", async () => {
    const { tfc, address } = await setup();
    const callback = tfc.nextCallback();
    const body = tfc.payload({ stage: "pre_plan", plan_json_api_url: undefined });
    expect((await post(address, body, signed(body))).status).toBe(200);
    const result = await callback;
    expect(result.data.attributes.status).toBe("failed");
    expect(result.data.attributes.message).toContain("post-plan or pre-apply");
  });

  it("answers HCP Terraform's verification request with 200 and calls nothing back", async () => {
    const { tfc, address, runTask, events } = await setup();
    const body = tfc.payload({ access_token: "test-token" });
    expect((await post(address, body, signed(body))).status).toBe(200);
    await runTask.idle();
    expect(tfc.requests).toEqual([]);
    expect(events.map((event) => event.kind)).toEqual(["verified"]);
  });

  it("bounds concurrency: past the running and queued runs a request gets 429, and queued runs still complete", async () => {
    const { tfc, address, runTask } = await setup({ maxConcurrent: 1, maxQueued: 1 });
    let release!: () => void;
    tfc.hold = new Promise((resolve) => {
      release = resolve;
    });
    const run = (id: string) => tfc.payload({ run_id: id });
    expect((await post(address, run("run-1"), signed(run("run-1")))).status).toBe(200);
    expect((await post(address, run("run-2"), signed(run("run-2")))).status).toBe(200);
    const busy = await post(address, run("run-3"), signed(run("run-3")));
    expect(busy.status).toBe(429);
    release();
    await runTask.idle();
    expect(tfc.callbacks.map((c) => (JSON.parse(c.body) as TaskResultBody).data.attributes.status)).toEqual([
      "failed",
      "failed",
    ]);
    // A run refused for being busy was not remembered: HCP Terraform's retry of it is judged.
    const callback = tfc.nextCallback();
    expect((await post(address, run("run-3"), signed(run("run-3")))).status).toBe(200);
    expect((await callback).data.attributes.status).toBe("failed");
  });

  it("judges a run's stage once: the same signed request sent again is answered 200 and not judged again", async () => {
    const { tfc, address, runTask, events } = await setup();
    const callback = tfc.nextCallback();
    const body = tfc.payload();
    expect((await post(address, body, signed(body))).status).toBe(200);
    await callback;
    await runTask.idle();
    expect((await post(address, body, signed(body))).status).toBe(200);
    await runTask.idle();
    expect(tfc.archivistRequests).toHaveLength(1);
    expect(tfc.callbacks).toHaveLength(1);
    expect(events.map((event) => event.kind)).toEqual(["accepted", "result", "replayed"]);
    expect(formatRunTaskEvent(events[2]!)).toBe(
      "run-task replayed 200 [run-abc123 acme/ml-prod]: post_plan request for a run already accepted: not judged again",
    );
    // The same run at its next stage is a new judgement.
    const preApply = tfc.payload({ stage: "pre_apply" });
    const second = tfc.nextCallback();
    expect((await post(address, preApply, signed(preApply))).status).toBe(200);
    await second;
    expect(tfc.callbacks).toHaveLength(2);
  });

  it("refuses a run without a run id, which it could not remember", async () => {
    const { tfc, address } = await setup();
    const body = tfc.payload({ run_id: undefined });
    const refused = await post(address, body, signed(body));
    expect(refused.status).toBe(400);
    expect(refused.body).toContain("run_id is missing");
    expect(tfc.requests).toEqual([]);
  });
});

describe("run task logs", () => {
  it("refuses a token that is not a bearer token without repeating it, and fetches nothing", async () => {
    const { tfc, address, events } = await setup();
    const token = `${TOKEN}\r\nrun-task result [run-x acme/prod]: passed`;
    const body = tfc.payload({ access_token: token });
    const refused = await post(address, body, signed(body));
    expect(refused.status).toBe(400);
    expect(refused.body).toContain("access_token is not a bearer token");
    const logged = events.map(formatRunTaskEvent).join("\n");
    expect(logged).toContain("run-task refused 400");
    expect(logged).not.toContain(TOKEN);
    expect(refused.body).not.toContain(TOKEN);
    expect(tfc.requests).toEqual([]);
  });

  it("escapes control characters in every logged value: a workspace name cannot write a log line", async () => {
    const { tfc, address, runTask, events } = await setup();
    const forged = "prod\r\nrun-task result [run-x acme/prod]: passed\u001b[2K";
    const callback = tfc.nextCallback();
    const body = tfc.payload({ workspace_name: forged, run_id: "run-1\nrun-task accepted" });
    expect((await post(address, body, signed(body))).status).toBe(200);
    await callback;
    await runTask.idle();
    const lines = events.map(formatRunTaskEvent);
    expect(lines).toHaveLength(2);
    for (const line of lines) expect(line).not.toMatch(/[\r\n\u001b]/);
    expect(lines[0]).toBe(
      "run-task accepted 200 [run-1\\nrun-task accepted acme/prod\\r\\nrun-task result [run-x acme/prod]: passed\\x1b[2K]: accepted post_plan request",
    );
  });

  it("cuts the run's token out of an error that quotes it, in the task result and in the log", async () => {
    const tfc = new FakeTfc();
    await tfc.start();
    const events: RunTaskEvent[] = [];
    // A library error that quotes its input, token and all (Node's fetch does so for an invalid header value).
    const leakyFetch: typeof fetch = (input, init) => {
      if ((init?.method ?? "GET") === "GET")
        return Promise.reject(new TypeError(`cannot send ${JSON.stringify(init?.headers)}`));
      return fetch(input, init);
    };
    const runTask = createRunTaskServer({
      judge: planJudge({ rules, policy: defaultPolicy() }),
      trusted: tfcHost(tfc.host, { allowHttp: true }),
      log: (event) => events.push(event),
      fetch: leakyFetch,
    });
    const address = await runTask.listen(0, "127.0.0.1");
    cleanups.push(() => tfc.stop());
    cleanups.push(() => runTask.close());
    const callback = tfc.nextCallback();
    await post(address, tfc.payload());
    const result = await callback;
    await runTask.idle();
    expect(result.data.attributes.status).toBe("failed");
    expect(result.data.attributes.message).toContain("Bearer [run token]");
    expect(JSON.stringify(result)).not.toContain(TOKEN);
    expect(events.map(formatRunTaskEvent).join("\n")).not.toContain(TOKEN);
  });
});

describe("RecentRuns", () => {
  it("forgets a run after the time limit and the oldest run past the size limit", () => {
    let now = 0;
    const recent = new RecentRuns({ maxEntries: 2, ttlMs: 1000, now: () => now });
    recent.remember("run-1", "post_plan");
    expect(recent.has("run-1", "post_plan")).toBe(true);
    expect(recent.has("run-1", "pre_apply")).toBe(false);
    now = 500;
    recent.remember("run-2", "post_plan");
    recent.remember("run-3", "post_plan");
    expect(recent.has("run-1", "post_plan")).toBe(false);
    expect(recent.has("run-2", "post_plan")).toBe(true);
    now = 1600;
    expect(recent.has("run-2", "post_plan")).toBe(false);
  });
});

describe("run task signature", () => {
  it("is HMAC-SHA512 hex of the exact body", () => {
    const body = Buffer.from('{"payload_version":1}');
    const signature = signRunTaskBody(body, "k");
    expect(signature).toMatch(/^[0-9a-f]{128}$/);
    expect(verifyRunTaskSignature(body, signature, "k")).toBe(true);
    expect(verifyRunTaskSignature(body, `sha512=${signature}`, "k")).toBe(true);
    expect(verifyRunTaskSignature(body, signature, "other")).toBe(false);
    expect(verifyRunTaskSignature(Buffer.from('{"payload_version":2}'), signature, "k")).toBe(false);
    expect(verifyRunTaskSignature(body, signature.slice(0, 64), "k")).toBe(false);
    expect(verifyRunTaskSignature(body, undefined, "k")).toBe(false);
  });
});
