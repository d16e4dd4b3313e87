import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { emptyStats } from "@aigov/logs";
import { afterAll, describe, expect, it } from "vitest";
import { localReadTotal, newReadProgress, readingLine } from "../src/log-progress.ts";

const dir = mkdtempSync(join(tmpdir(), "aigov-log-progress-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("readingLine", () => {
  it("says ETA ? while the total is unknown (stdin, an object store)", () => {
    const stats = { ...emptyStats(), objects: 3, bytes: 2 * 1024 ** 2, records: 40, aiCalls: 5 };
    expect(readingLine(stats, newReadProgress(), 4000)).toBe(
      "3 objects · ETA ? · 2.0 MB · 0.5 MB/s · 40 records · 5 AI calls · 0 unchanged · 4s elapsed",
    );
  });

  it("counts finished and skipped objects against the total, and estimates the rest at the rate so far", () => {
    const progress = { ...newReadProgress(), total: { objects: 10, bytes: 10_000 }, done: 4 };
    progress.bytesAtLastDone = 4000;
    const stats = { ...emptyStats(), objects: 4, unchanged: 1, bytes: 4000 };
    // 5 of 10 in 10 s: 10 s to go.
    expect(readingLine(stats, progress, 10_000)).toMatch(/^5\/10 objects · 50% · ETA 10s · /);
  });

  it("measures one large object by its bytes read so far", () => {
    const progress = { ...newReadProgress(), total: { objects: 1, bytes: 1000 } };
    const stats = { ...emptyStats(), objects: 1, bytes: 250 };
    // A quarter in 10 s: 30 s to go.
    expect(readingLine(stats, progress, 10_000)).toMatch(/^0\/1 objects · 25% · ETA 30s · /);
  });
});

describe("localReadTotal", () => {
  it("counts the log files a directory walk reads and their stored bytes; none for stdin or an object store", async () => {
    mkdirSync(join(dir, "trail", "2026"), { recursive: true });
    writeFileSync(join(dir, "trail", "a.json"), "x".repeat(100));
    writeFileSync(join(dir, "trail", "2026", "b.json.gz"), "y".repeat(50));
    writeFileSync(join(dir, "trail", "README.md"), "not a log");
    const single = join(dir, "one.ndjson");
    writeFileSync(single, "z".repeat(7));
    expect(await localReadTotal([join(dir, "trail"), single], {})).toEqual({ objects: 3, bytes: 157 });
    expect(await localReadTotal([join(dir, "trail"), "s3://bucket/AWSLogs/"], {})).toBeUndefined();
    expect(await localReadTotal(["-"], {})).toBeUndefined();
  });
});
