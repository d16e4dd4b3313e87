import { readFileSync, writeFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { parsePolicy, parseYamlSource } from "@aigov/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { analyze } from "./analysis-harness.ts";
import { FIXTURES } from "./corpus-paths.ts";

// The regression corpus: real public log samples (sources and licences in test/fixtures/logs/README.md), each with
// the calls and findings aigov must give. A change of detection shows here as a changed number or rule. The
// negative controls (grycap's 17,615 events, Stratus' 295 non-AI events: 0 calls, 0 findings) are in corpora.test.ts.

const STRATUS_AI = join(FIXTURES, "stratus-red-team-ai");
const STRATUS_FILES = [
  "aws.impact.bedrock-invoke-model.json",
  "aws.defense-evasion.bedrock-guardrail-delete.json",
  "aws.defense-evasion.bedrock-model-invocation-logging-delete.json",
];
/** The 17 real events of Stratus Red Team's three Bedrock detonations, as their JSON files hold them. */
const stratusEvents = (): Record<string, unknown>[] =>
  STRATUS_FILES.flatMap((file) => {
    const value = JSON.parse(readFileSync(join(STRATUS_AI, file), "utf8")) as unknown;
    return (Array.isArray(value) ? value : [value]) as Record<string, unknown>[];
  });

/** What a run gave, in the terms a user reads: calls by kind, and each finding as severity + rule. */
function outcome(result: Awaited<ReturnType<typeof analyze>>) {
  const summary = result.summary.toJSON() as { calls: number; usage: number; by: Record<string, unknown> };
  return {
    calls: summary.calls,
    usage: summary.usage,
    actors: summary.by.actor,
    findings: result.findings.map((finding) => `${finding.severity} ${finding.ruleId}`).sort(),
    ids: result.findings.map((finding) => finding.id).sort(),
  };
}

const STRATUS_EXPECTED = {
  calls: 17,
  usage: 1,
  actors: { workload: 15, human: 2 },
  findings: [
    "critical aws-log-llmjacking",
    "high aws-log-bedrock-guardrail-deleted",
    "high aws-log-bedrock-invocation-logging-deleted",
    "low ai-log-first-use-in-account",
    "low ai-log-first-use-in-account",
    // PutFoundationModelEntitlement (names the model) and CreateFoundationModelAgreement / PutUseCaseForModelAccess
    // (name none): two patterns of the one role on one day.
    "medium aws-log-bedrock-model-access-enabled",
    "medium aws-log-bedrock-model-access-enabled",
  ],
};

describe("regression corpus: real public log samples", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "aigov-regression-"));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("Stratus Red Team's Bedrock detonations (JSON files): LLMjacking, guardrail and logging deleted, model access", async () => {
    expect(outcome(await analyze([STRATUS_AI]))).toMatchObject(STRATUS_EXPECTED);
  });

  it("the same real events as a trail file, as NDJSON and as CloudTrail Lake rows give the same calls and findings", async () => {
    const events = stratusEvents();
    const trail = join(dir, "494659789341_CloudTrail_us-west-2_20241017T2010Z_stratus.json.gz");
    writeFileSync(trail, gzipSync(JSON.stringify({ Records: events })));
    const ndjson = join(dir, "stratus.ndjson");
    writeFileSync(ndjson, `${events.map((event) => JSON.stringify(event)).join("\n")}\n`);
    const lake = join(dir, "lake-results.json");
    writeFileSync(lake, JSON.stringify({ QueryStatus: "FINISHED", QueryResultRows: events.map(lakeRow) }));
    const files = outcome(await analyze([STRATUS_AI]));
    for (const input of [trail, ndjson, lake]) expect(outcome(await analyze([input])), input).toEqual(files);
  });

  it("with a policy that approves only ml-* roles, the detonation role is an unapproved principal once per pattern", async () => {
    const policy = parsePolicy("approved_principals: { aws: ['arn:aws:sts::*:assumed-role/ml-*/*'] }\n", "aigov.yaml");
    const result = outcome(await analyze([STRATUS_AI], policy));
    // Two principals; the role's calls fall in two patterns (with and without a model) on one day, the SSO user's one.
    expect(result.findings.filter((finding) => finding.endsWith("ai-call-by-unapproved-principal"))).toEqual([
      "high ai-call-by-unapproved-principal",
      "high ai-call-by-unapproved-principal",
      "high ai-call-by-unapproved-principal",
    ]);
  });

  it("Panther's Bedrock rule tests (CloudTrail events): each deletion and update is one finding of its rule", async () => {
    const events = [
      "aws_bedrock_guardrail_update_delete.yml",
      "aws_bedrock_deletemodelinvocationloggingconfiguration.yml",
    ]
      .flatMap((file) => pantherLogs(file))
      .filter((log) => typeof log.eventSource === "string");
    const input = join(dir, "panther.json");
    writeFileSync(input, JSON.stringify(events));
    const result = outcome(await analyze([input]));
    expect(result).toMatchObject({ calls: events.length, usage: 0 });
    expect(result.findings.filter((finding) => !finding.endsWith("ai-log-first-use-in-account"))).toEqual([
      "high aws-log-bedrock-guardrail-deleted",
      "high aws-log-bedrock-invocation-logging-deleted",
      "medium aws-log-bedrock-guardrail-changed",
    ]);
  });
});

const ELASTIC = join(FIXTURES, "elastic-integrations");

describe("regression corpus: real Azure and GCP samples (Elastic integrations' pipeline tests)", () => {
  it("Azure OpenAI resource logs: a key listing in the Audit form, chat completions with an account key", async () => {
    const input = join(ELASTIC, "azure-openai");
    expect(outcome(await analyze([input]))).toMatchObject({
      // ListKey (Audit), Create_Thread and two ChatCompletions_Create (RequestResponse); none names its caller.
      calls: 4,
      usage: 2,
      actors: { unidentified: 4 },
      findings: [
        "low ai-log-first-use-in-account",
        "low ai-log-first-use-in-account",
        "medium ai-log-non-iam-auth",
        "medium azure-log-cognitive-services-list-keys",
      ],
    });
    // The Audit record names the caller by object id only; a policy that approves someone else makes it high.
    const policy = parsePolicy("approved_principals: { azure: ['ops@contoso.example'] }\n", "aigov.yaml");
    const judged = outcome(await analyze([input], policy));
    expect(judged.findings).toContain("high azure-log-cognitive-services-list-keys-unapproved");
    expect(judged.findings).not.toContain("medium azure-log-cognitive-services-list-keys");
  });

  it("Vertex AI data-access audit logs: token counts by people, Live API sessions by a service account", async () => {
    expect(outcome(await analyze([join(ELASTIC, "gcp-vertexai/test-vertexai.log")]))).toMatchObject({
      // CountTokens reads no model output; BidiGenerateContent (one aborted, one finished) is inference.
      calls: 4,
      usage: 2,
      actors: { human: 2, workload: 2 },
      // Two projects (elastic-abs, elastic-agd), each a first use; each person's CountTokens a user-account call.
      findings: [
        "low ai-log-first-use-in-account",
        "low ai-log-first-use-in-account",
        "low gcp-log-vertex-call-by-user-account",
        "low gcp-log-vertex-call-by-user-account",
      ],
    });
  });

  it("a real Activity Log export with no AI event (an Event Hubs key listing, resource health): 0 calls, 0 findings", async () => {
    const result = await analyze([join(ELASTIC, "azure-activitylogs")]);
    expect(result.stats.records).toBe(3);
    expect(result.summary.calls).toBe(0);
    expect(result.findings).toEqual([]);
  });
});

describe("one Azure key listing in two log forms", () => {
  it("read from the Activity Log export (location global) and from the REST API, it is one finding, and not a region", async () => {
    // Both records are one event (correlation id c0ffee00-…-000000000010), written by us in each form's shape.
    const policy = parsePolicy(
      "approved_principals: { azure: ['ops@contoso.example'] }\napproved_regions: [eastus]\n",
      "aigov.yaml",
    );
    const exported = join(FIXTURES, "azure/activity-log.ndjson");
    const rest = join(FIXTURES, "azure/activity-log-rest.json");
    const both = await analyze([exported, rest], policy);
    const listings = both.findings.filter((finding) => finding.ruleId.startsWith("azure-log-cognitive-services-list"));
    expect(listings).toHaveLength(1);
    expect(listings[0]).toMatchObject({
      ruleId: "azure-log-cognitive-services-list-keys-unapproved",
      severity: "high",
      subject: { id: expect.stringContaining("principal=mallory@contoso.example,") },
    });
    const evidence = Object.fromEntries(listings[0]!.evidence.map((item) => [item.field, item.value]));
    expect(evidence.operations).toEqual([
      "MICROSOFT.COGNITIVESERVICES/ACCOUNTS/LISTKEYS/ACTION",
      "Microsoft.CognitiveServices/accounts/listKeys/action",
    ]);
    // Either form alone gives the same finding id, so a SIEM holding one sees the other as the same finding.
    const [fromExport, fromRest] = await Promise.all([analyze([exported], policy), analyze([rest], policy)]);
    const idOf = (result: typeof both) => result.findings.find((finding) => finding.ruleId === listings[0]!.ruleId)?.id;
    expect(idOf(fromExport)).toBe(listings[0]!.id);
    expect(idOf(fromRest)).toBe(listings[0]!.id);
    // `global` is where the Activity Log lives, not the account: it is never judged against approved regions.
    expect(both.findings.map((finding) => finding.ruleId)).not.toContain("ai-log-region-not-approved");
  });
});

/** A CloudTrail Lake result row of the shipped query (docs/log-queries/cloudtrail-lake.sql) for one event. */
function lakeRow(event: Record<string, unknown>): Record<string, unknown>[] {
  const identity = (event.userIdentity ?? {}) as Record<string, unknown>;
  const request = (event.requestParameters ?? {}) as Record<string, unknown>;
  const columns: Record<string, unknown> = {
    eventID: event.eventID,
    eventTime: String(event.eventTime).replace("T", " ").replace("Z", ".000"),
    eventSource: event.eventSource,
    eventName: event.eventName,
    awsRegion: event.awsRegion,
    recipientAccountId: event.recipientAccountId,
    userIdentityArn: identity.arn,
    userIdentityType: identity.type,
    userIdentityAccountId: identity.accountId,
    userIdentityAccessKeyId: identity.accessKeyId,
    userIdentityInvokedBy: identity.invokedBy,
    sourceIPAddress: event.sourceIPAddress,
    userAgent: event.userAgent,
    errorCode: event.errorCode,
    modelId: request.modelId,
  };
  // Lake leaves out the columns a row has no value for.
  return Object.entries(columns)
    .filter(([, value]) => value !== undefined && value !== null)
    .map(([key, value]) => ({ [key]: value }));
}

function pantherLogs(file: string): Record<string, unknown>[] {
  const text = readFileSync(join(FIXTURES, "panther", file), "utf8");
  const tests = (parseYamlSource(text, file).value as { Tests: { Log: Record<string, unknown> }[] }).Tests;
  return tests.map((test) => test.Log);
}
