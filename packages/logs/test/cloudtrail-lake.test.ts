import { readFileSync } from "node:fs";
import { join } from "node:path";
import { GOOGLE_AUDITED_AI_SERVICES } from "@aigov/normalize";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AWS_AI_EVENT_SOURCES, CLOUDTRAIL_MODEL_PARAMETERS } from "@aigov/normalize";
import { cloudTrailLakeCalls, cloudTrailLakeQuery, emptyStats } from "../src/index.ts";
import { fakeLake } from "./cloudtrail-lake-fake.ts";
import { FIXTURES } from "./corpus-paths.ts";

const STORE = "arn:aws:cloudtrail:us-east-1:111122223333:eventdatastore/EXAMPLE-f852-4e8f-8bd1-bcf6cEXAMPLE";

describe("CloudTrail Lake push-down", () => {
  const saved = { ...process.env };
  beforeAll(() => {
    Object.assign(process.env, { AWS_ACCESS_KEY_ID: "AKIAFAKE", AWS_SECRET_ACCESS_KEY: "fake" });
  });
  afterAll(() => {
    process.env = saved;
  });

  it("the query filters on the AI event sources and the time window, from the event data store id", () => {
    const sql = cloudTrailLakeQuery(STORE, new Date("2026-11-20T00:00:00Z"), new Date("2026-11-21T00:00:00Z"));
    expect(sql).toContain("FROM EXAMPLE-f852-4e8f-8bd1-bcf6cEXAMPLE");
    expect(sql).toContain(
      "WHERE eventSource IN ('bedrock.amazonaws.com', 'bedrock-mantle.amazonaws.com', 'sagemaker.amazonaws.com'",
    );
    expect(sql).toContain("AND eventTime >= '2026-11-20 00:00:00'");
    expect(sql).toContain("AND eventTime < '2026-11-21 00:00:00'");
    expect(() => cloudTrailLakeQuery("arn:aws:cloudtrail:us-east-1:1:eventdatastore/x;DROP", new Date())).toThrow(
      /not an event data store/,
    );
  });

  it("runs it with StartQuery, polls GetQueryResults through QUEUED and pages, and yields the AI calls", async () => {
    const result = JSON.parse(
      readFileSync(join(FIXTURES, "query-results/cloudtrail-lake-get-query-results.json"), "utf8"),
    ) as { QueryResultRows: unknown[][] };
    const lake = await fakeLake(result.QueryResultRows);
    try {
      const stats = emptyStats();
      const ids: string[] = [];
      for await (const event of cloudTrailLakeCalls(
        { eventDataStore: STORE, since: new Date("2026-11-20T00:00:00Z"), endpoint: lake.url, pollMs: 5 },
        stats,
      )) {
        if (event.type === "call") ids.push(event.call.eventId);
      }
      expect(lake.statements).toEqual([cloudTrailLakeQuery(STORE, new Date("2026-11-20T00:00:00Z"))]);
      expect(lake.targets).toEqual([
        "CloudTrail_20131101.StartQuery",
        "CloudTrail_20131101.GetQueryResults",
        "CloudTrail_20131101.GetQueryResults",
        "CloudTrail_20131101.GetQueryResults",
      ]);
      expect(ids).toEqual([
        "llm-1",
        "llm-2",
        "llm-3",
        "llm-4",
        "llm-5",
        "llm-6",
        "ok-1",
        "bearer-1",
        "mantle-1",
        "sm-1",
        "llm-7",
      ]);
      expect(stats.aiCalls).toBe(11);
    } finally {
      await lake.close();
    }
  });
});

describe("shipped push-down queries", () => {
  const docs = join(FIXTURES, "../../../docs/log-queries");

  it("docs/log-queries/cloudtrail-lake.sql is the query aigov runs", () => {
    const shipped = readFileSync(join(docs, "cloudtrail-lake.sql"), "utf8")
      .split("\n")
      .filter((line) => !line.startsWith("--"))
      .join("\n")
      .trim();
    expect(shipped).toBe(
      cloudTrailLakeQuery(
        "arn:aws:cloudtrail:us-east-1:111122223333:eventdatastore/EVENT-DATA-STORE-ID",
        new Date("2026-11-20T00:00:00Z"),
      ),
    );
  });

  it("the Athena, BigQuery and Cloud Logging queries select every AI source the readers recognise", () => {
    const athena = readFileSync(join(docs, "athena.sql"), "utf8");
    for (const source of Object.keys(AWS_AI_EVENT_SOURCES)) expect(athena).toContain(`'${source}'`);
    for (const parameter of CLOUDTRAIL_MODEL_PARAMETERS) expect(athena).toContain(`'$.${parameter}'`);
    for (const file of ["bigquery.sql", "cloud-logging.txt"]) {
      const text = readFileSync(join(docs, file), "utf8");
      for (const service of Object.keys(GOOGLE_AUDITED_AI_SERVICES)) expect(text, file).toContain(service);
    }
    expect(readFileSync(join(docs, "log-analytics.kql"), "utf8")).toContain(
      'ResourceProvider == "MICROSOFT.COGNITIVESERVICES"',
    );
  });
});
