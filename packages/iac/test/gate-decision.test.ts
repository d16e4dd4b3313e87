import { defaultPolicy, loadRules, parsePolicy, type Policy, type Rule } from "@aigov/core";
import { beforeAll, describe, expect, it } from "vitest";
import { judgePlanned, type PlannedSubject, readPlanDocument } from "../src/index.ts";
import { readGateInput } from "../src/gate.ts";
import { plan, planPath, resourceChange } from "./plan-fixture.ts";

let rules: Rule[];
const policy = defaultPolicy();
beforeAll(async () => {
  rules = await loadRules({ policy });
});

const subjectsOf = (changes: Record<string, unknown>[]): PlannedSubject[] => [
  ...readPlanDocument(plan(changes), "plan.json").subjects,
];
const blockingPairs = (result: ReturnType<typeof judgePlanned>) =>
  result.blocking.map((finding) => `${finding.ruleId} ${finding.subject.id}`).sort();

describe("the gate on the README sample plan (default policy)", () => {
  it("blocks the ungoverned notebook, the public unowned Azure OpenAI account and the never-expiring Bedrock key", async () => {
    const result = judgePlanned(await readGateInput(planPath("sample-ai-plan.json")), { rules, policy });
    expect(result.exitCode).toBe(1);
    // Other rules in the pack may add findings; these five are the governance core and must block.
    expect(blockingPairs(result)).toEqual(
      expect.arrayContaining([
        "ai-public-network-access aws_sagemaker_notebook_instance.scratch",
        'ai-public-network-access module.openai["prod"].azurerm_cognitive_account.this',
        "ai-resource-ungoverned aws_sagemaker_notebook_instance.scratch",
        'ai-resource-ungoverned module.openai["prod"].azurerm_cognitive_account.this',
        "bedrock-api-key-never-expires aws_iam_service_specific_credential.bedrock_key",
      ]),
    );
    // Nothing blocks on the deleted model or the untouched workspace.
    const blockedIds = new Set(result.blocking.map((finding) => finding.subject.id));
    expect(blockedIds.has("aws_sagemaker_model.legacy")).toBe(false);
    expect(blockedIds.has("azurerm_machine_learning_workspace.research")).toBe(false);
    expect(result.counts).toEqual({ subjects: 14, introduced: 11, changed: 1, untouched: 1, deleted: 1 });
  });

  it("reports the untouched public workspace without blocking, and blocks it with blockExisting", async () => {
    const subjects = await readGateInput(planPath("sample-ai-plan.json"));
    const reported = judgePlanned(subjects, { rules, policy });
    const existing = reported.entries.filter(
      (entry) => entry.finding.subject.id === "azurerm_machine_learning_workspace.research",
    );
    expect(existing.map((entry) => entry.finding.ruleId)).toContain("ai-resource-ungoverned");
    expect(existing.every((entry) => entry.role === "existing" && !entry.blocking)).toBe(true);
    const strict = judgePlanned(subjects, { rules, policy, blockExisting: true });
    expect(blockingPairs(strict)).toContain("ai-resource-ungoverned azurerm_machine_learning_workspace.research");
  });

  it("never judges the deleted SageMaker model", async () => {
    const result = judgePlanned(await readGateInput(planPath("sample-ai-plan.json")), { rules, policy });
    expect(result.findings.some((finding) => finding.subject.id === "aws_sagemaker_model.legacy")).toBe(false);
  });

  it("the policy's gate.fail_on sets the threshold; --fail-on overrides it", async () => {
    const subjects = await readGateInput(planPath("sample-ai-plan.json"));
    const lenient = parsePolicy("gate:\n  fail_on: critical\n", "aigov.yaml");
    const result = judgePlanned(subjects, { rules, policy: lenient });
    expect(result.threshold).toBe("critical");
    expect(result.exitCode).toBe(0);
    expect(judgePlanned(subjects, { rules, policy: lenient, failOn: "medium" }).blocking.length).toBeGreaterThan(5);
  });

  it("--fail-on critical lets the sample through", async () => {
    const result = judgePlanned(await readGateInput(planPath("sample-ai-plan.json")), {
      rules,
      policy,
      failOn: "critical",
    });
    expect(result.exitCode).toBe(0);
    expect(result.findings.length).toBeGreaterThan(0);
  });
});

describe("gate semantics", () => {
  const unowned = (actions: string[], before: Record<string, unknown> | null = null) =>
    resourceChange(
      "google_vertex_ai_index.e",
      "google_vertex_ai_index",
      actions,
      { display_name: "e", labels: {} },
      { before },
    );

  it("an introduced AI resource without owner tag or registry entry blocks; with an owner tag it passes", () => {
    expect(judgePlanned(subjectsOf([unowned(["create"])]), { rules, policy }).exitCode).toBe(1);
    const owned = resourceChange("google_vertex_ai_index.e", "google_vertex_ai_index", ["create"], {
      display_name: "e",
      labels: { owner: "ml" },
    });
    expect(judgePlanned(subjectsOf([owned]), { rules, policy }).exitCode).toBe(0);
  });

  it("replace and import are judged like create", () => {
    expect(
      judgePlanned(subjectsOf([unowned(["delete", "create"], { display_name: "e", labels: {} })]), { rules, policy })
        .exitCode,
    ).toBe(1);
    const imported = resourceChange(
      "google_vertex_ai_index.e",
      "google_vertex_ai_index",
      ["no-op"],
      { display_name: "e", labels: {} },
      { before: { display_name: "e", labels: {} }, importing: { id: "e" } },
    );
    expect(judgePlanned(subjectsOf([imported]), { rules, policy }).exitCode).toBe(1);
  });

  it("a delete never blocks", () => {
    const deleted = resourceChange("google_vertex_ai_index.e", "google_vertex_ai_index", ["delete"], null, {
      before: { display_name: "e", labels: {} },
    });
    const result = judgePlanned(subjectsOf([deleted]), { rules, policy, blockExisting: true });
    expect(result.exitCode).toBe(0);
    expect(result.counts.deleted).toBe(1);
  });

  it("an update blocks on what it changes, not on what was already there", () => {
    const unrelated = resourceChange(
      "google_vertex_ai_index.e",
      "google_vertex_ai_index",
      ["update"],
      { display_name: "e", description: "v2", labels: {} },
      { before: { display_name: "e", description: "v1", labels: {} } },
    );
    const result = judgePlanned(subjectsOf([unrelated]), { rules, policy });
    expect(result.exitCode).toBe(0);
    expect(result.existing.map((finding) => finding.ruleId)).toContain("ai-resource-ungoverned");
    const removesOwner = resourceChange(
      "google_vertex_ai_index.e",
      "google_vertex_ai_index",
      ["update"],
      { display_name: "e", labels: {} },
      { before: { display_name: "e", labels: { owner: "ml" } } },
    );
    expect(blockingPairs(judgePlanned(subjectsOf([removesOwner]), { rules, policy }))).toEqual([
      "ai-resource-ungoverned google_vertex_ai_index.e",
    ]);
    const opensAccount = resourceChange(
      "azurerm_cognitive_account.a",
      "azurerm_cognitive_account",
      ["update"],
      { public_network_access_enabled: true, tags: { owner: "x" } },
      { before: { public_network_access_enabled: false, tags: { owner: "x" } } },
    );
    expect(blockingPairs(judgePlanned(subjectsOf([opensAccount]), { rules, policy }))).toEqual([
      "ai-public-network-access azurerm_cognitive_account.a",
    ]);
  });

  it("tags known only after apply are unknown: they block under the default policy and warn when the policy says so", () => {
    const computed = resourceChange(
      "google_vertex_ai_index.e",
      "google_vertex_ai_index",
      ["create"],
      { display_name: "e" },
      { afterUnknown: { labels: true } },
    );
    const blocked = judgePlanned(subjectsOf([computed]), { rules, policy });
    expect(blocked.exitCode).toBe(1);
    expect(blocked.unknown.map((finding) => finding.ruleId)).toContain("ai-resource-ungoverned");
    const lenient: Policy = parsePolicy("gate:\n  unknown: warn\n", "aigov.yaml");
    expect(judgePlanned(subjectsOf([computed]), { rules, policy: lenient }).exitCode).toBe(0);
  });

  it("a waiver applies with its reason and expiry, and an expired waiver does not", () => {
    const subjects = subjectsOf([unowned(["create"])]);
    const waived = parsePolicy(
      "waivers:\n  - rule: ai-resource-ungoverned\n    subject: google_vertex_ai_index.e\n    reason: pilot, owner being hired\n    approver: ciso@example.com\n    expires: 2099-01-31\n",
      "aigov.yaml",
    );
    const result = judgePlanned(subjects, { rules, policy: waived });
    expect(result.exitCode).toBe(0);
    expect(result.waived[0]?.waiver).toMatchObject({
      reason: "pilot, owner being hired",
      expires: "2099-01-31",
      expired: false,
    });
    const expired = parsePolicy(
      "waivers:\n  - rule: ai-resource-ungoverned\n    subject: google_vertex_ai_index.e\n    reason: pilot\n    approver: ciso@example.com\n    expires: 2020-01-31\n",
      "aigov.yaml",
    );
    expect(judgePlanned(subjects, { rules, policy: expired }).exitCode).toBe(1);
  });

  it("a registry entry governs an unowned resource", () => {
    const registered = parsePolicy('registry:\n  assets: ["google_vertex_ai_index.*"]\n', "aigov.yaml");
    expect(judgePlanned(subjectsOf([unowned(["create"])]), { rules, policy: registered }).exitCode).toBe(0);
  });

  it("a model outside the organization's approved list blocks", () => {
    const strict = parsePolicy("approved_models:\n  azure: [gpt-4o-mini]\n", "aigov.yaml");
    const deployment = resourceChange("azurerm_cognitive_deployment.d", "azurerm_cognitive_deployment", ["create"], {
      model: [{ name: "gpt-4o", version: "2024-08-06" }],
    });
    expect(blockingPairs(judgePlanned(subjectsOf([deployment]), { rules, policy: strict }))).toEqual([
      "ai-model-not-approved azurerm_cognitive_deployment.d",
    ]);
  });
});

describe("the rule pack judges planned resources", () => {
  it("at least 25 rules apply to the planned subjects of the fixture plans", async () => {
    const { createEngine } = await import("@aigov/core");
    const engine = createEngine(rules, policy);
    const subjects = [
      ...(await readGateInput(planPath("pike-ai-types-plan.json"))),
      ...(await readGateInput(planPath("sample-ai-plan.json"))),
      ...(await readGateInput(planPath("cdktf-out"))),
    ];
    const applicable = new Set(subjects.flatMap((subject) => engine.applicableRules(subject).map((rule) => rule.id)));
    expect(applicable.size).toBeGreaterThanOrEqual(25);
  });
});
