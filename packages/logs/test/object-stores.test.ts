import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openStore } from "@aigov/store";
import { emptyStats, type LogEvent, readLogs, storeReadState } from "../src/index.ts";
import { FIXTURES } from "./corpus-paths.ts";
import { fakeAzureBlob, fakeGcs, fakeS3 } from "./object-store-fakes.ts";

const trail = readFileSync(
  join(FIXTURES, "cloudtrail/111122223333_CloudTrail_us-east-1_20261120T1015Z_bedrock.json.gz"),
);
const stratus = readFileSync(join(FIXTURES, "stratus-red-team/aws.defense-evasion.cloudtrail-stop.json"));
const azure = readFileSync(join(FIXTURES, "azure/PT1H.json"));
const gcp = readFileSync(join(FIXTURES, "gcp/data-access.ndjson"));

async function collect(events: AsyncIterable<LogEvent>): Promise<{ calls: number; objects: string[] }> {
  let calls = 0;
  const objects: string[] = [];
  for await (const event of events) {
    if (event.type === "call") calls += 1;
    if (event.type === "object-done") objects.push(event.object.name);
    if (event.type === "malformed") throw new Error(`unexpected malformed: ${JSON.stringify(event.report)}`);
  }
  return { calls, objects };
}

describe("S3 input (real @aws-sdk/client-s3 against a local fake)", () => {
  const saved = { ...process.env };
  beforeAll(() => {
    Object.assign(process.env, {
      AWS_ACCESS_KEY_ID: "AKIAFAKE",
      AWS_SECRET_ACCESS_KEY: "fake",
      AWS_REGION: "us-east-1",
    });
  });
  afterAll(() => {
    process.env = saved;
  });

  it("lists every object under the prefix across pages, gunzips, and with read state skips them the next run", async () => {
    const s3 = await fakeS3("org-trail", {
      "AWSLogs/111122223333/CloudTrail/us-east-1/2026/11/20/111122223333_CloudTrail_us-east-1_20261120T1015Z_a.json.gz":
        trail,
      "AWSLogs/111122223333/CloudTrail/us-east-1/2026/11/20/111122223333_CloudTrail_us-east-1_20261120T1020Z_b.json":
        stratus,
      "AWSLogs/111122223333/CloudTrail/us-east-1/2026/11/21/111122223333_CloudTrail_us-east-1_20261121T0000Z_c.json.gz":
        trail,
      "other/ignored.json": stratus,
    });
    try {
      const store = openStore(":memory:");
      const state = storeReadState(store);
      const first = emptyStats();
      const read = await collect(
        readLogs(["s3://org-trail/AWSLogs/"], { env: process.env, s3Endpoint: s3.url, state }, first),
      );
      expect(read.calls).toBe(22);
      expect(read.objects).toHaveLength(3);
      expect(read.objects[0]).toMatch(/^s3:\/\/org-trail\/AWSLogs\/.*_a\.json\.gz$/);
      expect(s3.requests.filter((request) => request.path.includes("list-type=2"))).toHaveLength(2);
      state.commit();
      const second = emptyStats();
      const again = await collect(
        readLogs(
          ["s3://org-trail/AWSLogs/"],
          { env: process.env, s3Endpoint: s3.url, state: storeReadState(store) },
          second,
        ),
      );
      expect(again.calls).toBe(0);
      expect(second.unchanged).toBe(3);
      expect(second.objects).toBe(0);
    } finally {
      await s3.close();
    }
  });

  it("skips objects whose CloudTrail date path is before --since", async () => {
    const s3 = await fakeS3("org-trail", {
      "AWSLogs/111122223333/CloudTrail/us-east-1/2026/11/19/old.json.gz": trail,
      "AWSLogs/111122223333/CloudTrail/us-east-1/2026/11/20/new.json.gz": trail,
    });
    try {
      const stats = emptyStats();
      const read = await collect(
        readLogs(
          ["s3://org-trail/AWSLogs/"],
          { env: process.env, s3Endpoint: s3.url, since: new Date("2026-11-20T10:05:00Z") },
          stats,
        ),
      );
      expect(stats.tooOld).toBe(1);
      expect(read.objects).toEqual(["s3://org-trail/AWSLogs/111122223333/CloudTrail/us-east-1/2026/11/20/new.json.gz"]);
      // Calls before --since inside a read object are dropped too (10:06 onwards remain).
      expect(read.calls).toBe(6);
    } finally {
      await s3.close();
    }
  });
});

describe("GCS input (JSON API with a bearer token)", () => {
  it("lists and downloads with Authorization: Bearer, across pages", async () => {
    const gcs = await fakeGcs(
      "audit-export",
      { "cloudaudit.googleapis.com/data_access/2026/11/20/00:00:00_00:59:59_S0.json": gcp, "x/skip.json": gcp },
      "ya29.test",
    );
    try {
      const read = await collect(
        readLogs(["gs://audit-export/cloudaudit.googleapis.com/"], {
          env: { STORAGE_EMULATOR_HOST: gcs.url, GOOGLE_OAUTH_ACCESS_TOKEN: "ya29.test" },
        }),
      );
      expect(read.calls).toBe(4);
      expect(read.objects).toEqual([
        "gs://audit-export/cloudaudit.googleapis.com/data_access/2026/11/20/00:00:00_00:59:59_S0.json",
      ]);
      expect(gcs.requests.every((request) => request.authorization === "Bearer ya29.test")).toBe(true);
    } finally {
      await gcs.close();
    }
  });

  it("without a token it refuses to run, naming the variable to set", async () => {
    await expect(collect(readLogs(["gs://audit-export/x"], { env: {} }))).rejects.toMatchObject({
      code: "LOGS_NO_TOKEN",
      hint: expect.stringContaining("GOOGLE_OAUTH_ACCESS_TOKEN"),
    });
  });
});

describe("Azure Blob input (REST with an Entra bearer token)", () => {
  it("lists the container by prefix with NextMarker paging and reads each blob", async () => {
    const blob = await fakeAzureBlob(
      "insights-logs-requestresponse",
      {
        "resourceId=/SUBSCRIPTIONS/X/y=2026/m=11/d=20/h=09/m=00/PT1H.json": azure,
        "resourceId=/SUBSCRIPTIONS/X/y=2026/m=11/d=20/h=10/m=00/PT1H.json": azure,
        "resourceId=/SUBSCRIPTIONS/X/y=2026/m=11/d=20/h=11/m=00/PT1H.json": azure,
      },
      "eyJ.test",
    );
    try {
      const env = { AIGOV_AZURE_BLOB_ENDPOINT: blob.url, AZURE_STORAGE_TOKEN: "eyJ.test" };
      const read = await collect(
        readLogs([`${blob.url}/insights-logs-requestresponse/resourceId=/SUBSCRIPTIONS/X/`], { env }),
      );
      expect(read.calls).toBe(12);
      expect(read.objects).toHaveLength(3);
      expect(blob.requests.filter((request) => request.path.includes("comp=list"))).toHaveLength(2);
      expect(
        blob.requests.every(
          (request) => request.authorization === "Bearer eyJ.test" && request.version === "2021-08-06",
        ),
      ).toBe(true);
    } finally {
      await blob.close();
    }
  });
});
