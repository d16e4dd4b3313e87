// The golden CloudTrail test: the same events reach the same ApiCalls whether the sweep reads them (the AWS scanner's
// LookupEvents collector, the real SDK client, the simulator serving the events) or `aigov logs` reads them from a
// trail file. Both paths end in @aigov/normalize's one CloudTrail normaliser; this proves nothing between the wire and
// it (LookupEvents' JSON string, the secret screen, the account and Region a lookup was made in) changes a call.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ApiCall } from "../../packages/core/src/index.ts";
import { fakeAiKey } from "../../packages/core/test/fake-ai-keys.ts";
import { startCloudSim, type World } from "../../packages/cloud-sim/src/index.ts";
import { CallSummary, emptyStats, readLogs } from "../../packages/logs/src/index.ts";
import { createAwsScanner } from "../../scanners/aws/src/index.ts";
import { FAKE_CREDENTIALS, runSweep } from "../../scanners/aws/test/run-sweep.ts";
import { REPO_ROOT, runCli } from "./run-cli.ts";

type TrailEvent = Record<string, unknown> & {
  eventID: string;
  eventTime: string;
  eventSource: string;
  eventName: string;
  awsRegion: string;
};

const LOGS = join(REPO_ROOT, "test/fixtures/logs");
const OPENAI_KEY = fakeAiKey("openai-project-key", "golden");

/**
 * The golden set: realistic events in CloudTrail's documented shapes (cloudtrail/golden-events.json) with an AI key
 * put into an agent's instruction here (no key-shaped string is committed), and the real Bedrock events of Panther's
 * rule tests, read back into the form CloudTrail delivers (Panther rewrites eventTime and drops null request parameters
 * and responses, which CloudTrail writes).
 */
function goldenEvents(): TrailEvent[] {
  const written = (
    JSON.parse(readFileSync(join(LOGS, "cloudtrail/golden-events.json"), "utf8")) as {
      Records: TrailEvent[];
    }
  ).Records.map((event) =>
    event.eventID === "golden-agent"
      ? {
          ...event,
          requestParameters: {
            ...(event.requestParameters as object),
            instruction: `Answer support questions. Call the ranking API with ${OPENAI_KEY}.`,
          },
        }
      : event,
  );
  const panther = [
    "aws_bedrock_guardrail_update_delete.yml",
    "aws_bedrock_deletemodelinvocationloggingconfiguration.yml",
  ]
    .flatMap(
      (file) => (parse(readFileSync(join(LOGS, "panther", file), "utf8")) as { Tests: { Log: TrailEvent }[] }).Tests,
    )
    .map(({ Log }) => ({
      requestParameters: null,
      responseElements: null,
      ...Log,
      eventTime: `${Log.eventTime.slice(0, 19).replace(" ", "T")}Z`,
    }));
  return [...written, ...panther];
}

/** The simulated organization: each event in the account and Region it was recorded in. */
function worldOf(events: readonly TrailEvent[]): World {
  const accounts = new Map<string, Map<string, TrailEvent[]>>();
  for (const event of events) {
    const account = String(event.recipientAccountId);
    const regions = accounts.get(account) ?? new Map<string, TrailEvent[]>();
    regions.set(event.awsRegion, [...(regions.get(event.awsRegion) ?? []), event]);
    accounts.set(account, regions);
  }
  return {
    version: 1,
    aws: {
      accounts: [...accounts].map(([id, regions]) => ({
        id,
        name: `account-${id}`,
        regions: Object.fromEntries([...regions].map(([region, list]) => [region, { cloudtrail: { events: list } }])),
      })),
    },
  };
}

/** A call with where it was read from left out: a file and line for one path, the LookupEvents query for the other. */
function located(call: ApiCall): Omit<ApiCall, "source"> {
  const { source: _source, ...rest } = call;
  return rest;
}

const byEventId = (a: ApiCall, b: ApiCall) => a.eventId.localeCompare(b.eventId);

let dir: string;
let trailFile: string;
let events: TrailEvent[];
let swept: ApiCall[];
let read: ApiCall[];

beforeAll(async () => {
  events = goldenEvents();
  dir = mkdtempSync(join(tmpdir(), "aigov-golden-"));
  trailFile = join(dir, "golden_CloudTrail.json");
  writeFileSync(trailFile, JSON.stringify({ Records: events }));

  const sim = await startCloudSim({ world: worldOf(events) });
  try {
    const scanner = createAwsScanner({ credentials: FAKE_CREDENTIALS, now: () => new Date("2025-01-23T00:00:00Z") });
    const result = await runSweep(scanner, {
      accounts: [...new Set(events.map((event) => String(event.recipientAccountId)))].map((id) => ({ id })),
      regions: "all-enabled",
      endpoint: sim.url,
      services: ["cloudtrail"],
      cloudTrailLookbackHours: 72,
    });
    scanner.close();
    expect(result.gaps).toEqual([]);
    swept = result.calls.sort(byEventId);
  } finally {
    await sim.close();
  }

  read = [];
  for await (const event of readLogs([trailFile], { env: {} }, emptyStats())) {
    if (event.type === "call") read.push(event.call);
  }
  read.sort(byEventId);
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("one CloudTrail normaliser for the sweep and aigov logs", () => {
  it("gives equal ApiCalls for every AI event, whichever path read it", () => {
    const aiEvents = events.filter((event) => event.eventSource !== "ec2.amazonaws.com");
    expect(read.map((call) => call.eventId)).toEqual(aiEvents.map((event) => event.eventID).sort());
    expect(swept.map(located)).toEqual(read.map(located));
  });

  it("names the model the provider's way, not an endpoint, and an API key call as key", () => {
    const call = (id: string) => read.find((each) => each.eventId === id)!;
    expect(call("golden-foundation-arn").model).toBe("anthropic.claude-3-5-sonnet-20240620-v1:0");
    expect(call("golden-short-term-key").model).toBe("us.meta.llama3-2-11b-instruct-v1:0");
    expect(call("golden-provisioned").model).toBe(
      "arn:aws:bedrock:us-east-1:111122223333:provisioned-model/k2j4h6g8f0d1",
    );
    expect(call("golden-customization").model).toBe("amazon.titan-text-express-v1:0:8k");
    expect(call("golden-sagemaker-endpoint")).not.toHaveProperty("model");
    expect(read.map((each) => [each.eventId, each.authType]).filter(([, auth]) => auth !== "iam")).toEqual([
      ["golden-long-term-key", "key"],
      ["golden-mantle-key", "key"],
      ["golden-short-term-key", "key"],
    ]);
    // The key in the agent's instruction is redacted the same way on both paths.
    const agent = JSON.stringify(swept.find((each) => each.eventId === "golden-agent"));
    expect(agent).not.toContain(OPENAI_KEY.slice(8, 40));
    expect(agent).toContain("sk-proj-…");
  });

  it("aigov logs on the trail file reports the calls the sweep collected", async () => {
    const run = await runCli(["logs", "--no-state", "--format", "json", trailFile]);
    expect(run.stderr).toBe("");
    const summary = new CallSummary();
    for (const call of swept) summary.add(call);
    expect((JSON.parse(run.stdout) as { calls: unknown }).calls).toEqual(summary.toJSON());
  });
});
