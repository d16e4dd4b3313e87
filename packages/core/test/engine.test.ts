import { describe, expect, it } from "vitest";
import { createEngine } from "../src/engine.ts";
import { defaultPolicy } from "../src/policy.ts";
import { loadRules } from "../src/rule.ts";
import { unknown } from "../src/unknown.ts";
import { asset, policyFrom, ruleWith } from "./rule-fixture.ts";

describe("the rule index", () => {
  const rules = [
    ruleWith(
      { field: "public", eq: true },
      { id: "azure-only", applies_to: { subject: "asset", provider: ["azure"] } },
    ),
    ruleWith({ field: "public", eq: true }, { id: "notebooks", applies_to: { subject: "asset", kind: ["notebook"] } }),
    ruleWith(
      { field: "public", eq: true },
      {
        id: "sagemaker-endpoint-type",
        applies_to: { subject: "asset", type: ["AWS::SageMaker::Endpoint", "aws_sagemaker_endpoint"] },
      },
    ),
    ruleWith({ field: "type", eq: "x" }, { id: "keys", applies_to: { subject: "key" } }),
    ruleWith(
      { field: "public", eq: true },
      { id: "planned-creates", applies_to: { subject: "asset", change: ["create"] } },
    ),
  ];
  const engine = createEngine(rules, defaultPolicy());
  const ids = (subject: ReturnType<typeof asset>) => engine.applicableRules(subject).map((rule) => rule.id);

  it("gives a subject only the rules for its subject type, provider, kind, type and change", () => {
    expect(ids(asset())).toEqual(["sagemaker-endpoint-type", "planned-creates"]);
    expect(
      ids(
        asset({ provider: "azure", kind: "notebook", type: "Microsoft.MachineLearningServices/workspaces/computes" }),
      ),
    ).toEqual(["azure-only", "notebooks", "planned-creates"]);
    const update = { action: "update", actions: ["update"], changedAttributes: ["tags"], importing: false } as const;
    expect(ids(asset({ type: "aws_sagemaker_endpoint", change: update }))).toEqual(["sagemaker-endpoint-type"]);
  });

  it("reads kind: ['*'] as any kind, as it always has", () => {
    const anyKind = ruleWith(
      { field: "public", eq: true },
      { id: "any-kind", applies_to: { subject: "asset", kind: ["*"] } },
    );
    const engine = createEngine([anyKind], defaultPolicy());
    expect(engine.applicableRules(asset({ kind: "notebook" })).map((rule) => rule.id)).toEqual(["any-kind"]);
    expect(engine.findings(asset({ kind: "endpoint", public: true })).map((finding) => finding.ruleId)).toEqual([
      "any-kind",
    ]);
  });

  it("judges nothing it does not index", () => {
    expect(
      engine
        .judge(asset({ provider: "gcp", kind: "dataset", type: "aiplatform.googleapis.com/Dataset" }))
        .map((j) => j.rule.id),
    ).toEqual(["planned-creates"]);
  });
});

describe("findings", () => {
  it("carry the rule's metadata, the subject reference and evidence of what was found against what was expected", async () => {
    const rules = await loadRules();
    const engine = createEngine(rules, defaultPolicy(), { now: new Date("2026-06-01T00:00:00Z") });
    const subject = asset({ public: true, tags: { env: "dev" }, region: "eu-west-1" });
    const findings = engine.findings(subject);
    const publicFinding = findings.find((finding) => finding.ruleId === "ai-public-network-access");
    expect(publicFinding).toMatchObject({
      severity: "high",
      status: "open",
      subject: {
        type: "asset",
        provider: "aws",
        account: "111111111111",
        id: subject.id,
        nativeType: "AWS::SageMaker::Endpoint",
      },
      evidence: [{ field: "public", value: true, expected: "eq true" }],
      observedAt: "2026-06-01T00:00:00.000Z",
      frameworks: { "owasp-llm-2025": ["LLM10"] },
    });
    expect(publicFinding?.message).toBe("AI resource is reachable from the public internet: e1 (public = true)");
    expect(findings.map((finding) => finding.ruleId)).toEqual(
      expect.arrayContaining(["ai-public-network-access", "ai-resource-ungoverned"]),
    );
    expect(findings.map((finding) => finding.ruleId)).not.toContain("ai-key-auth-enabled");
  });

  it("derive the owner from the policy's owner tags, and unknown tags make ownership unknown", () => {
    const rules = [ruleWith({ field: "owner", exists: false })];
    const engine = createEngine(rules, defaultPolicy());
    expect(engine.judge(asset({ tags: { Team: "ml" } }))[0]?.outcome).toBe("pass");
    expect(engine.judge(asset({ tags: { env: "dev" } }))[0]?.outcome).toBe("violation");
    expect(engine.judge(asset({ tags: { env: "dev", owner: unknown("known after apply") } }))[0]?.outcome).toBe(
      "unknown",
    );
  });
});

describe("the AI registry", () => {
  it("registers by id glob, or by carrying every registry tag with a value matching its glob", () => {
    const engine = createEngine(
      [ruleWith({ field: "registered", eq: false })],
      policyFrom("registry:\n  assets: ['*:endpoint/approved-*']\n  tags: { ai-registry-id: 'AIR-*' }\n"),
    );
    expect(engine.judge(asset({ id: "arn:aws:sagemaker:eu-west-1:1:endpoint/approved-x" }))[0]?.outcome).toBe("pass");
    expect(engine.judge(asset({ tags: { "ai-registry-id": "AIR-0042" } }))[0]?.outcome).toBe("pass");
    expect(engine.judge(asset({ tags: { "ai-registry-id": "pending" } }))[0]?.outcome).toBe("violation");
    expect(engine.judge(asset({ tags: unknown("known after apply") }))[0]?.outcome).toBe("unknown");
  });
});

describe("aggregate rules", () => {
  it("are never judged on one call (a threshold of 40 calls is not met by the first)", () => {
    const rule = ruleWith(
      { field: "operation", eq: "InvokeModel" },
      { id: "burst", applies_to: { subject: "api-call" }, aggregate: { by: ["principal"], threshold: 40 } },
    );
    const call = {
      subject: "api-call",
      provider: "aws",
      account: "1",
      region: "us-east-1",
      time: "2026-01-01T00:00:00Z",
      service: "bedrock",
      operation: "InvokeModel",
      principal: "p",
      authType: "iam",
      outcome: "success",
      eventId: "e",
      native: {},
    } as const;
    expect(createEngine([rule], defaultPolicy()).judge(call)).toEqual([]);
  });
});

describe("a long run of subjects of one type", () => {
  // After its first subjects, a group of rules reads each subject's fields once into slots and its rules judge them
  // there: every subject must still be judged as an engine judging it alone judges it.
  const rules = [
    ruleWith({ field: "public", eq: true }, { id: "public" }),
    ruleWith(
      {
        any: [
          { field: "tags.owner", absent: true },
          { field: "native.Config.Network.mode", ne: "private" },
        ],
      },
      { id: "nested" },
    ),
    ruleWith(
      { all: [{ field: "public", exists: true }, { not: { field: "region", in: ["eu-west-1"] } }] },
      { id: "both" },
    ),
    ruleWith({ field: "owner", absent: true }, { id: "owner" }),
    ruleWith({ field: "constructor", exists: true }, { id: "inherited" }),
  ];
  const policy = policyFrom("owner_tags: [owner, team]\n");
  const shapes = [
    (n: number) => asset({ public: n % 2 === 0 }),
    (n: number) => asset({ public: true, region: `us-east-${n}`, tags: { owner: "a" } }),
    (n: number) => asset({ tags: { owner: "o", team: `t${n}` }, native: { Config: { Network: { mode: "private" } } } }),
    (n: number) =>
      asset({
        public: unknown(),
        region: "us-west-2",
        tags: { owner: "b" },
        native: { Config: { Network: unknown() } },
        id: `x-${n}`,
      }),
    (n: number) => asset({ native: { Config: Object.create({ Network: { mode: "private" } }) }, name: `n${n}` }),
    (n: number) => Object.setPrototypeOf(asset({ tags: { owner: " " } }), { public: n > 40 }),
    (n: number) => asset({ public: false, native: { Config: { Network: { mode: n } } }, tags: { owner: unknown() } }),
  ];
  const alone = (subject: ReturnType<typeof asset>) =>
    createEngine(rules, policy)
      .judge(subject)
      .map((j) => [j.rule.id, j.outcome, j.evidence]);

  it("judges every subject as an engine judging it alone, however many it judged before", () => {
    const engine = createEngine(rules, policy);
    const outcomes = new Set<string>();
    for (let n = 0; n < 200; n++) {
      const subject = shapes[n % shapes.length]!(n);
      const judged = engine.judge(subject).map((j) => [j.rule.id, j.outcome, j.evidence]);
      expect(judged, `subject ${n}`).toEqual(alone(subject));
      for (const [id, outcome] of judged) outcomes.add(`${id} ${outcome}`);
    }
    // Every rule met each outcome a rule can have here.
    expect([...outcomes].sort()).toEqual(
      [
        "both pass",
        "both unknown",
        "both violation",
        "inherited pass",
        "nested pass",
        "nested unknown",
        "nested violation",
        "owner pass",
        "owner unknown",
        "owner violation",
        "public pass",
        "public unknown",
        "public violation",
      ].sort(),
    );
  });
});
