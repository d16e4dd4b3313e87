import { copyFileSync, mkdirSync, writeFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { emptyStats, type LogEvent, type LogReadStats, readLogs } from "../src/index.ts";
import { RecordScanner } from "../src/record-scanner.ts";
import { scanWholeFile } from "../src/whole-object.ts";
import { FIXTURES } from "./corpus-paths.ts";

/** What a user sees of a read: the calls in order, the malformed reports, the counts. */
async function read(input: string, scanThreads?: number): Promise<{ events: unknown[]; stats: LogReadStats }> {
  const stats = emptyStats();
  const events: unknown[] = [];
  for await (const event of readLogs(
    [input],
    { env: {}, ...(scanThreads === undefined ? {} : { scanThreads }) },
    stats,
  ))
    events.push(summarise(event));
  return { events, stats };
}

function summarise(event: LogEvent): unknown {
  if (event.type === "call") return ["call", event.call.eventId, event.call.operation, event.call.source?.file];
  if (event.type === "malformed") return ["malformed", event.report];
  return ["done", event.object.name];
}

describe("many small files (a trail's S3 layout)", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "aigov-many-files-"));
    // 40 five-minute delivery files of 11 AI calls each (enough to start the scan threads), and among them a
    // truncated gzip, a plain-text file and a broken NDJSON line, which must read as they do alone.
    for (let index = 0; index < 40; index += 1) {
      const day = join(dir, "AWSLogs/111122223333/CloudTrail/us-east-1/2026/11", String(10 + (index % 3)));
      mkdirSync(day, { recursive: true });
      copyFileSync(
        join(FIXTURES, "cloudtrail/111122223333_CloudTrail_us-east-1_20261120T1015Z_bedrock.json.gz"),
        join(day, `111122223333_CloudTrail_us-east-1_20261120T${String(1000 + index)}Z_bedrock.json.gz`),
      );
    }
    const broken = join(dir, "AWSLogs/111122223333/CloudTrail/us-east-1/2026/11/11");
    for (const name of ["truncated.json.gz", "not-json.log", "truncated-line.ndjson"])
      copyFileSync(join(FIXTURES, "malformed", name), join(broken, name));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("read on scan threads, every call, malformed report and count is the one the main thread alone reads, in the same order", async () => {
    const threaded = await read(dir, 2);
    const alone = await read(dir, 0);
    expect(threaded.events).toEqual(alone.events);
    expect(threaded.stats).toEqual(alone.stats);
    // One scan thread, the main thread taking files too while it waits for the thread's batch.
    const shared = await read(dir, 1);
    expect(shared.events).toEqual(alone.events);
    expect(shared.stats).toEqual(alone.stats);
    expect(threaded.stats.objects).toBe(43);
    // 40 files × 11 calls, the 1 complete record before the gzip cut and the 2 good NDJSON lines.
    expect(threaded.stats.aiCalls).toBe(443);
    expect(threaded.stats.malformedFiles).toBe(2);
    expect(threaded.stats.malformedRecords).toBe(1);
  });

  it("a file removed while the directory is being read is skipped, and the rest is read", async () => {
    const rotating = join(dir, "rotating");
    mkdirSync(rotating);
    for (let index = 0; index < 20; index += 1) writeFileSync(join(rotating, `${index}.json`), '{"Records":[{}]}');
    const stats = emptyStats();
    const reports: unknown[] = [];
    let removed = false;
    for await (const event of readLogs([rotating], { env: {}, scanThreads: 1 }, stats)) {
      if (!removed) {
        removed = true;
        await rm(join(rotating, "19.json"));
      }
      if (event.type === "malformed") reports.push(event.report);
    }
    expect(reports).toEqual([]);
    expect(stats.objects).toBe(19);
    expect(stats.records).toBe(19);
  });

  it("a small file that cannot be read is reported as unreadable, with the reason", () => {
    expect(scanWholeFile(join(dir, "no-such-file.json.gz"), ["bedrock"])).toEqual({
      kind: "unreadable",
      reason: "no such file or directory",
    });
  });
});

describe("one very large record", () => {
  it("a 24 MB record arriving in 8 KB chunks is read whole once, the scanner's buffer within 1.5× the record", () => {
    const text = "summarise this paragraph once more, please ".repeat(600_000);
    const record = `{"eventSource":"bedrock.amazonaws.com","requestParameters":{"inputText":"${text}"}}`;
    const bytes = Buffer.from(`{"Records":[{"eventSource":"ec2.amazonaws.com"},${record}]}`);
    const scanner = new RecordScanner(["bedrock"]);
    let peak = 0;
    // Re-copying the open record per chunk made this quadratic: 3,000 chunks × 12 MB on average.
    for (let at = 0; at < bytes.length; at += 8192) {
      scanner.push(bytes.subarray(at, at + 8192));
      peak = Math.max(peak, (scanner as unknown as { store: Buffer }).store.length);
    }
    scanner.end();
    expect(scanner.records).toBe(2);
    expect(scanner.malformed).toEqual([]);
    expect(scanner.candidates.map((candidate) => candidate.text)).toEqual([record]);
    expect(scanner.candidates[0]!.offset).toBe(bytes.indexOf(record));
    expect(peak).toBeLessThan(record.length * 1.5 + 8192);
  });

  it("a log file holding one 12 MB Bedrock call gives that call, with its model", async () => {
    const dir = await mkdtemp(join(tmpdir(), "aigov-big-record-"));
    try {
      const inputText = "a long prompt ".repeat(900_000);
      const event = {
        eventVersion: "1.09",
        userIdentity: { type: "IAMUser", arn: "arn:aws:iam::111122223333:user/alice", accountId: "111122223333" },
        eventTime: "2026-11-20T10:15:00Z",
        eventSource: "bedrock.amazonaws.com",
        eventName: "InvokeModel",
        awsRegion: "us-east-1",
        sourceIPAddress: "198.51.100.7",
        requestParameters: { modelId: "amazon.titan-text-express-v1", inputText },
        eventID: "big-1",
        recipientAccountId: "111122223333",
      };
      const file = join(dir, "big.json");
      writeFileSync(file, JSON.stringify({ Records: [event] }));
      const calls = [];
      const stats = emptyStats();
      for await (const item of readLogs([file], { env: {} }, stats)) if (item.type === "call") calls.push(item.call);
      expect(stats.malformedRecords + stats.malformedFiles).toBe(0);
      expect(calls).toEqual([
        expect.objectContaining({ eventId: "big-1", operation: "InvokeModel", model: "amazon.titan-text-express-v1" }),
      ]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
