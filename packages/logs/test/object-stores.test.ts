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

/** The event ids of a local log file's AI calls, in order. */
async function eventIds(path: string): Promise<string[]> {
  const ids: string[] = [];
  for await (const event of readLogs([path], { env: {} }))
    if (event.type === "call") ids.push(event.call.eventId ?? "?");
  return ids;
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

  it("fetches small objects several at a time, with the calls, reports and read marks in listing order", async () => {
    // 24 five-minute delivery files; one is listed but gone when fetched (a lifecycle rule), mid-listing.
    const keys = Array.from(
      { length: 24 },
      (_, index) =>
        `AWSLogs/111122223333/CloudTrail/us-east-1/2026/11/20/111122223333_CloudTrail_us-east-1_20261120T${String(1000 + index * 5)}Z_x.json.gz`,
    );
    const gone = keys[9]!;
    const s3 = await fakeS3("org-trail", Object.fromEntries(keys.map((key) => [key, trail])), {
      latencyMs: 15,
      gone: [gone],
    });
    try {
      const perObject = await eventIds(
        join(FIXTURES, "cloudtrail/111122223333_CloudTrail_us-east-1_20261120T1015Z_bedrock.json.gz"),
      );
      const store = openStore(":memory:");
      const state = storeReadState(store);
      const stats = emptyStats();
      const seen: string[] = [];
      const reasons: string[] = [];
      for await (const event of readLogs(
        ["s3://org-trail/AWSLogs/"],
        { env: process.env, s3Endpoint: s3.url, state },
        stats,
      )) {
        if (event.type === "call") seen.push(event.call.eventId ?? "?");
        if (event.type === "malformed") {
          seen.push(`malformed ${event.report.file}`);
          reasons.push(event.report.reason);
        }
        if (event.type === "object-done") seen.push(`done ${event.object.name}`);
      }
      expect(seen).toEqual(
        keys.flatMap((key) => [
          ...(key === gone ? [`malformed s3://org-trail/${key}`] : perObject),
          `done s3://org-trail/${key}`,
        ]),
      );
      // The store's own words for the missing key.
      expect(reasons).toEqual(["no key"]);
      expect(stats).toMatchObject({ objects: 24, aiCalls: 23 * perObject.length, malformedFiles: 1 });
      // More than one GET in flight, and a bounded few: 8 ahead of the one being read, beside a list page.
      expect(s3.maxInFlight).toBeGreaterThan(1);
      expect(s3.maxInFlight).toBeLessThanOrEqual(10);
      state.commit();

      // The object that could not be fetched is not marked read: the next run fetches it again.
      const next = emptyStats();
      for await (const _ of readLogs(
        ["s3://org-trail/AWSLogs/"],
        { env: process.env, s3Endpoint: s3.url, state: storeReadState(store) },
        next,
      ));
      expect(next).toMatchObject({ objects: 1, unchanged: 23, malformedFiles: 1 });
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

  it("downloads several objects at a time, their calls in listing order", async () => {
    const names = Array.from(
      { length: 8 },
      (_, hour) => `cloudaudit.googleapis.com/data_access/2026/11/20/0${hour}_S0.json`,
    );
    const gcs = await fakeGcs("audit-export", Object.fromEntries(names.map((name) => [name, gcp])), "ya29.test", {
      latencyMs: 15,
    });
    try {
      const read = await collect(
        readLogs(["gs://audit-export/cloudaudit.googleapis.com/"], {
          env: { STORAGE_EMULATOR_HOST: gcs.url, GOOGLE_OAUTH_ACCESS_TOKEN: "ya29.test" },
        }),
      );
      expect(read.objects).toEqual(names.map((name) => `gs://audit-export/${name}`));
      expect(read.calls).toBe(8 * 4);
      expect(gcs.maxInFlight).toBeGreaterThan(1);
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
      { latencyMs: 15 },
    );
    try {
      const env = { AIGOV_AZURE_BLOB_ENDPOINT: blob.url, AZURE_STORAGE_TOKEN: "eyJ.test" };
      const read = await collect(
        readLogs([`${blob.url}/insights-logs-requestresponse/resourceId=/SUBSCRIPTIONS/X/`], { env }),
      );
      expect(read.calls).toBe(12);
      expect(read.objects).toEqual(
        [9, 10, 11].map(
          (hour) =>
            `${blob.url}/insights-logs-requestresponse/resourceId=/SUBSCRIPTIONS/X/y=2026/m=11/d=20/h=${String(hour).padStart(2, "0")}/m=00/PT1H.json`,
        ),
      );
      // The blobs are fetched several at a time.
      expect(blob.maxInFlight).toBeGreaterThan(1);
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
