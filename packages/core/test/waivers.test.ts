import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createAggregator } from "../src/aggregate.ts";
import { blocks, createEngine } from "../src/engine.ts";
import type { ApiCall, Subject } from "../src/model.ts";
import type { Waiver } from "../src/policy.ts";
import { policyWaivers } from "../src/waiver.ts";
import { plainGlobMatch } from "./reference-engine.ts";
import { asset, policyFrom, ruleWith } from "./rule-fixture.ts";

const rule = ruleWith({ field: "public", eq: true });
const subject = asset({
  public: true,
  id: "arn:aws:sagemaker:eu-west-1:111111111111:endpoint/legacy-chat",
  name: "legacy-chat",
});
const waiverPolicy = (expires: string) =>
  policyFrom(`waivers:
  - rule: test-*
    subject: "*:endpoint/legacy-*"
    reason: public demo until the private link is ready
    approver: ciso@example.com
    expires: ${expires}
`);

describe("waivers", () => {
  it("a current waiver turns the violation into waived, with reason, approver and expiry", () => {
    const engine = createEngine([rule], waiverPolicy("2026-12-31"), { now: new Date("2026-06-01T00:00:00Z") });
    const [finding] = engine.findings(subject);
    expect(finding?.status).toBe("waived");
    expect(finding?.waiver).toEqual({
      reason: "public demo until the private link is ready",
      approver: "ciso@example.com",
      expires: "2026-12-31",
      expired: false,
    });
    expect(blocks(finding!, engine.policy)).toBe(false);
  });

  it("a waiver lasts through its expiry day", () => {
    const engine = createEngine([rule], waiverPolicy("2026-12-31"), { now: new Date("2026-12-31T23:00:00Z") });
    expect(engine.findings(subject)[0]?.status).toBe("waived");
  });

  it("an expired waiver stops applying and is reported as expired", () => {
    const engine = createEngine([rule], waiverPolicy("2026-01-31"), { now: new Date("2026-06-01T00:00:00Z") });
    const [finding] = engine.findings(subject);
    expect(finding?.status).toBe("open");
    expect(finding?.waiver?.expired).toBe(true);
    expect(blocks(finding!, engine.policy)).toBe(true);
    expect(engine.expiredWaivers().map((waiver) => waiver.reason)).toEqual([
      "public demo until the private link is ready",
    ]);
  });

  it("does not apply to other subjects or rules", () => {
    const engine = createEngine([rule], waiverPolicy("2026-12-31"), { now: new Date("2026-06-01T00:00:00Z") });
    expect(
      engine.findings(asset({ public: true, id: "arn:aws:sagemaker:eu-west-1:1:endpoint/new", name: "new" }))[0]
        ?.status,
    ).toBe("open");
  });

  it("covers a subject by any of its names (id, name, source path), the first in the policy winning, for each subject judged", () => {
    const policy = policyFrom(`waivers:
  - { rule: "*", subject: "legacy-*", reason: by name, approver: a@example.com }
  - { rule: "*", subject: "arn:aws:sagemaker:*:111111111111:endpoint/*", reason: by id, approver: a@example.com }
  - { rule: "*", subject: "modules/ai/main.tf", reason: by path, approver: a@example.com }
`);
    const engine = createEngine([rule], policy, { now: new Date("2026-06-01T00:00:00Z") });
    const subjects = [
      asset({ public: true, name: "legacy-chat" }),
      asset({ public: true, name: "chat" }),
      asset({
        public: true,
        id: "arn:aws:sagemaker:eu-west-1:2:endpoint/x",
        name: "x",
        source: { path: "modules/ai/main.tf" },
      }),
      asset({ public: true, id: "arn:aws:sagemaker:eu-west-1:2:endpoint/x", name: "x" }),
      asset({ public: true, name: "chat", source: null }),
      Object.setPrototypeOf(asset({ public: true, id: "arn:aws:sagemaker:eu-west-1:2:endpoint/x", name: "x" }), {
        source: { path: "modules/ai/main.tf" },
      }),
    ];
    // Judged ten times over: past its first 32 subjects, a group reads their names with their fields.
    const judged = Array.from({ length: 10 }, () => subjects)
      .flat()
      .map((one) => engine.findings(one)[0]?.waiver?.reason);
    expect(judged).toEqual(
      Array.from({ length: 10 }, () => ["by name", "by id", "by path", undefined, "by id", "by path"]).flat(),
    );
  });

  it("a subject glob that starts with text covers the names that start with it and match, and no others", () => {
    // Names are first tried against the glob's text before its first wildcard: a name holding that text elsewhere, or
    // starting with it and then not matching, is not covered; nor is a name that is not text at all.
    const policy = policyFrom(`waivers:
  - { rule: "*", subject: "arn:aws:sagemaker:*:111111111111:endpoint/*", reason: by id, approver: a@example.com }
  - { rule: "*", subject: "nb-1?", reason: by name, approver: a@example.com }
`);
    const engine = createEngine([rule], policy, { now: new Date("2026-06-01T00:00:00Z") });
    const reasonFor = (id: unknown, name: unknown) =>
      engine.findings(asset({ public: true, id, name }))[0]?.waiver?.reason;
    expect(reasonFor("arn:aws:sagemaker:eu-west-1:111111111111:endpoint/chat", "chat")).toBe("by id");
    expect(reasonFor("arn:aws:sagemaker:eu-west-1:222222222222:endpoint/chat", "chat")).toBeUndefined();
    expect(reasonFor("arn:aws:bedrock:eu-west-1:111111111111:endpoint/chat", "chat")).toBeUndefined();
    expect(reasonFor("x-arn:aws:sagemaker:eu-west-1:111111111111:endpoint/chat", "chat")).toBeUndefined();
    expect(reasonFor("i-1", "nb-12")).toBe("by name");
    expect(reasonFor("i-1", "nb-1")).toBeUndefined();
    expect(reasonFor("i-1", "nb-123")).toBeUndefined();
    expect(reasonFor("i-1", "xnb-12")).toBeUndefined();
    expect(reasonFor(12, ["nb-12"])).toBeUndefined();
  });

  it("a rule that no waiver names: its findings are open and carry no waiver, whatever other rules' waivers cover", () => {
    const policy = policyFrom(`waivers:
  - { rule: "other-*", subject: "*", reason: other rules, approver: a@example.com }
  - { rule: test-rulex, subject: "*", reason: a longer id, approver: a@example.com }
`);
    const engine = createEngine([rule], policy, { now: new Date("2026-06-01T00:00:00Z") });
    for (const one of [subject, asset({ public: true, id: "x", name: "y", source: { path: "main.tf" } })]) {
      const [finding] = engine.findings(one);
      expect(finding?.status).toBe("open");
      expect(finding?.waiver).toBeUndefined();
      expect(engine.judge(one)[0]?.waiver).toBeUndefined();
    }
  });

  it("a call is covered by its event id or its principal, whichever it has", () => {
    const callRule = ruleWith({ field: "operation", eq: "InvokeModel" }, { applies_to: { subject: "api-call" } });
    const policy = policyFrom(`waivers:
  - { rule: "*", subject: "evt-*", reason: by event, approver: a@example.com }
  - { rule: "*", subject: "arn:aws:sts::*:assumed-role/data-science-*", reason: by principal, approver: a@example.com }
`);
    const engine = createEngine([callRule], policy, { now: new Date("2026-06-01T00:00:00Z") });
    const call = (names: Record<string, unknown>) =>
      ({ subject: "api-call", provider: "aws", service: "bedrock", operation: "InvokeModel", ...names }) as Subject;
    const principal = "arn:aws:sts::1:assumed-role/data-science-x/s";
    const calls = [
      call({ eventId: "evt-1", principal }),
      call({ eventId: "e-1", principal }),
      call({ principal }),
      call({ eventId: 7, principal }),
      call({ eventId: "evt-2" }),
      call({ eventId: "e-2", principal: "arn:aws:sts::1:assumed-role/ops/s" }),
      call({}),
    ];
    // Judged ten times over: past its first 32 calls, a group reads their names with their fields.
    const reasons = Array.from({ length: 10 }, () => calls)
      .flat()
      .map((one) => engine.judge(one)[0]?.waiver?.reason);
    expect(reasons).toEqual(
      Array.from({ length: 10 }, () => [
        "by event",
        "by principal",
        "by principal",
        "by principal",
        "by event",
        undefined,
        undefined,
      ]).flat(),
    );
  });

  it("a waiver without a reason is refused at the line it is written", () => {
    expect(() => policyFrom("waivers:\n  - rule: x\n    subject: y\n    approver: z\n")).toThrowError(
      expect.objectContaining({ code: "POLICY_INVALID", position: { file: "/work/aigov.yaml", line: 2, column: 5 } }),
    );
  });

  it("an expiry that is not a date is refused", () => {
    expect(() => waiverPolicy("2026-13-45")).toThrowError(/is not a date/);
  });
});

describe("a date-only expiry: in force through the whole of that day in UTC, on every path", () => {
  // `expires: 2026-12-05` covers up to 2026-12-05T23:59:59.999Z; from 2026-12-06T00:00:00.000Z the finding is open.
  const policy = policyFrom(`waivers:
  - rule: "*"
    subject: "*"
    reason: migration window
    approver: ciso@example.com
    expires: 2026-12-05
`);
  const lastMoment = new Date("2026-12-05T23:59:59.999Z");
  const nextDay = new Date("2026-12-06T00:00:00.000Z");

  const engineStatus = (now: Date) => createEngine([rule], policy, { now }).findings(subject)[0];
  const aggregateRule = ruleWith(
    { field: "operation", eq: "InvokeModel" },
    {
      applies_to: { subject: "api-call" },
      aggregate: { by: ["principal"], threshold: 1 },
      tests: [
        { name: "a", subjects: [{}], expect: "violation" },
        { name: "b", subjects: [{ operation: "ListModels" }], expect: "pass" },
      ],
    },
  );
  const call: ApiCall = {
    subject: "api-call",
    provider: "aws",
    account: "111111111111",
    region: "us-east-1",
    time: "2026-12-05T12:00:00Z",
    service: "bedrock",
    operation: "InvokeModel",
    principal: "arn:aws:iam::111111111111:user/load-test",
    authType: "iam",
    outcome: "success",
    eventId: "e1",
    native: {},
  };
  const aggregateStatus = (now: Date) => createAggregator([aggregateRule], policy, { now }).push(call)[0];

  for (const [path, status] of [
    ["engine", engineStatus],
    ["aggregator", aggregateStatus],
  ] as const) {
    it(`${path}: waived at the day's last millisecond, open with the expired waiver at midnight UTC after it`, () => {
      expect(status(new Date("2026-12-05T00:00:00.000Z"))?.status).toBe("waived");
      expect(status(lastMoment)).toMatchObject({ status: "waived", waiver: { expires: "2026-12-05", expired: false } });
      expect(status(nextDay)).toMatchObject({ status: "open", waiver: { expires: "2026-12-05", expired: true } });
    });
  }

  it("the engine reports the waiver as expired from that midnight on", () => {
    expect(createEngine([rule], policy, { now: lastMoment }).expiredWaivers()).toEqual([]);
    expect(createEngine([rule], policy, { now: nextDay }).expiredWaivers()).toHaveLength(1);
  });

  it("a time with its zone expires at that instant", () => {
    const timed = waiverPolicy("2026-12-05T18:00:00+02:00");
    const at = (now: string) => createEngine([rule], timed, { now: new Date(now) }).findings(subject)[0]?.status;
    expect(at("2026-12-05T15:59:59.999Z")).toBe("waived");
    expect(at("2026-12-05T16:00:00.000Z")).toBe("open");
  });

  it("a time without a zone, or a day not on the calendar, is refused at load", () => {
    expect(() => waiverPolicy("2026-12-05T18:00:00")).toThrowError(/is not a date/);
    expect(() => waiverPolicy("2026-02-30")).toThrowError(/is not a date/);
  });
});

describe("the gate threshold", () => {
  it("blocks open findings at or above fail_on, and unknown ones only when the policy says so", () => {
    const engine = createEngine([rule], policyFrom("gate:\n  fail_on: critical\n"));
    const [finding] = engine.findings(subject);
    expect(blocks(finding!, engine.policy)).toBe(false);
    expect(blocks(finding!, engine.policy, "high")).toBe(true);
    const unknownFinding = { ...finding!, status: "unknown" as const };
    expect(blocks(unknownFinding, policyFrom("gate:\n  fail_on: high\n  unknown: warn\n"))).toBe(false);
    expect(blocks(unknownFinding, policyFrom("gate:\n  fail_on: high\n  unknown: block\n"))).toBe(true);
  });
});

describe("the waiver look-up, per subject, against the straightforward matcher", () => {
  // The engine tries a waiver's subject glob once per subject (on the first flagged rule that names it):
  // for any policy, any sequence of subjects and any flagged rules, each answer must be the first waiver in policy
  // order whose rule glob matches the rule and whose subject glob matches one of the subject's names.
  const RULES = ["ai-region-not-approved", "ai-model-not-approved", "aws-sagemaker-endpoint-public", "gcp-x", "r"];
  const NAMES = [
    "arn:aws:sagemaker:us-east-1:100000000049:endpoint/ep-1",
    "arn:aws:bedrock:eu-west-1:100000000013:agent/helpdesk",
    "ep-1",
    "nb-12",
    "projects/acme/x",
    "modules/ai/main.tf",
    "evt-1",
    "arn:aws:sts::1:assumed-role/data-science-x/s",
    "",
  ];
  const ruleGlob = fc.constantFrom("*", "ai-*", "aws-*", "ai-region-not-approved", "r", "gcp-?", "*-public", "x");
  const subjectGlob = fc.oneof(
    fc.constantFrom(...NAMES, "*", "arn:aws:*:*:100000000049:*", "ep-*", "*helpdesk*", "nb-1?", "*.tf", "a*b*c"),
    fc.stringMatching(/^[a-z*?:-]{0,6}$/),
  );
  const waiver = fc.record({
    rule: ruleGlob,
    subject: subjectGlob,
    expired: fc.boolean(),
  });
  const subject = fc.oneof(
    fc
      .record({
        id: fc.constantFrom(...NAMES),
        name: fc.constantFrom(...NAMES),
        path: fc.option(fc.constantFrom(...NAMES), { nil: undefined }),
      })
      .map(({ id, name, path }): Subject => asset({ id, name, ...(path === undefined ? {} : { source: { path } }) })),
    fc
      .record({
        // A call read from a log may lack either name: then its other name is its only one.
        eventId: fc.option(fc.constantFrom(...NAMES), { nil: undefined }),
        principal: fc.option(fc.constantFrom(...NAMES), { nil: undefined }),
      })
      .map(
        ({ eventId, principal }) =>
          ({
            subject: "api-call",
            provider: "aws",
            service: "bedrock",
            ...(eventId === undefined ? {} : { eventId }),
            ...(principal === undefined ? {} : { principal }),
          }) as unknown as Subject,
      ),
  );
  const names = (one: Subject): string[] =>
    one.subject === "api-call"
      ? [one.eventId, one.principal].filter((name): name is string => typeof name === "string")
      : [one.id, one.name, ...(one.source?.path === undefined ? [] : [one.source.path])];
  const now = Date.parse("2026-06-01T00:00:00Z");
  /** The policy's waivers as written: an expired one ended before `now`, the others end after it. */
  const asPolicy = (written: readonly { rule: string; subject: string; expired: boolean }[]): Waiver[] =>
    written.map((one, index) => ({
      rule: one.rule,
      subject: one.subject,
      reason: `waiver ${index}`,
      approver: "a@example.com",
      expires: one.expired ? "2026-01-01" : "2027-01-01",
    }));
  /** The straightforward matcher's answer: the first waiver whose globs match the rule and one of the names. */
  const firstMatching = (list: readonly Waiver[], ruleId: string, subjectNames: readonly string[]) =>
    list.find(
      (candidate) =>
        plainGlobMatch(candidate.rule, ruleId) && subjectNames.some((name) => plainGlobMatch(candidate.subject, name)),
    );

  it("gives the same waivers once a rule's look-up is written as code (past 32 subjects asked about), 40 passes", () => {
    fc.assert(
      fc.property(
        fc.array(waiver, { minLength: 1, maxLength: 40 }),
        fc.array(fc.tuple(subject, fc.array(fc.constantFrom(...RULES), { minLength: 1, maxLength: 5 })), {
          minLength: 1,
          maxLength: 4,
        }),
        (written, judged) => {
          const policyWaiverList = asPolicy(written);
          const waivers = policyWaivers(policyWaiverList, now);
          const expectedFor = (one: Subject, ruleId: string) =>
            firstMatching(policyWaiverList, ruleId, names(one))?.reason;
          // Each rule is asked about every subject 40 times over: its first 32 answers come from the loop over its
          // waivers, the rest from its generated code, and both must be the straightforward matcher's.
          for (let pass = 0; pass < 40; pass++) {
            for (const [one, flagged] of judged) {
              waivers.startSubject(one);
              for (const ruleId of flagged) {
                const ruleWaivers = waivers.forRule(ruleId);
                expect(ruleWaivers.none ? undefined : ruleWaivers.find()?.reason).toBe(expectedFor(one, ruleId));
              }
            }
          }
          // The aggregator's form (names given whole, more than three of them) past 32 asks as well.
          const many = ["x", "nb-12", "ep-1", "arn:aws:sagemaker:us-east-1:100000000049:endpoint/ep-1", "a:b:c"];
          for (let pass = 0; pass < 40; pass++)
            for (const ruleId of RULES)
              expect(waivers.find(ruleId, many)?.reason).toBe(firstMatching(policyWaiverList, ruleId, many)?.reason);
        },
      ),
      { numRuns: 150 },
    );
  });

  it("gives the same waiver for every flagged rule of every subject, with up to 70 waivers", () => {
    fc.assert(
      fc.property(
        fc.array(waiver, { maxLength: 70 }),
        fc.array(fc.tuple(subject, fc.array(fc.constantFrom(...RULES), { maxLength: 8 })), { maxLength: 6 }),
        (written, judged) => {
          const policyWaiverList = asPolicy(written);
          const waivers = policyWaivers(policyWaiverList, now);
          const expectedFor = (one: Subject, ruleId: string) => firstMatching(policyWaiverList, ruleId, names(one));
          for (const [one, flagged] of judged) {
            waivers.startSubject(one);
            for (const ruleId of flagged) {
              const expected = expectedFor(one, ruleId);
              const ruleWaivers = waivers.forRule(ruleId);
              const found = ruleWaivers.none ? undefined : ruleWaivers.find();
              expect(found?.reason).toBe(expected?.reason);
              expect(found?.expired).toBe(expected === undefined ? undefined : expected.expires === "2026-01-01");
            }
            // The one-shot form the aggregator uses answers the same.
            for (const ruleId of flagged)
              expect(waivers.find(ruleId, names(one))?.reason).toBe(expectedFor(one, ruleId)?.reason);
          }
        },
      ),
      { numRuns: 400 },
    );
  });
});
