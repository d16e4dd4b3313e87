import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { Outbox, type OutboxRecord } from "../src/outbox.ts";
import { openStore } from "../src/store.ts";

const dirs: string[] = [];
function tempDb(): string {
  const dir = mkdtempSync(join(tmpdir(), "aigov-outbox-"));
  dirs.push(dir);
  return join(dir, "aigov.db");
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const record = (id: string, hash = `h-${id}`): OutboxRecord => ({ id, hash, payload: JSON.stringify({ id, hash }) });
const resolved = (previous: OutboxRecord): OutboxRecord => ({
  id: previous.id,
  hash: `${previous.hash}-resolved`,
  payload: `resolved:${previous.payload}`,
});

describe("export outbox", () => {
  it("enqueues new, then only what changed, and what disappeared as resolved", () => {
    const outbox = new Outbox(openStore(":memory:"));
    expect(outbox.enqueue("hec", [record("a"), record("b"), record("c")], { resolved })).toMatchObject({
      new: 3,
      enqueued: 3,
    });
    outbox.markDelivered(outbox.pending("hec", 10).map((entry) => entry.seq));

    const second = outbox.enqueue("hec", [record("a"), record("b", "h-b2"), record("d")], { resolved });
    expect(second).toEqual({ new: 1, changed: 1, resolved: 1, unchanged: 1, enqueued: 3 });
    const pending = outbox.pending("hec", 10);
    expect(pending.map((entry) => [entry.id, entry.change])).toEqual([
      ["b", "changed"],
      ["d", "new"],
      ["c", "resolved"],
    ]);
    expect(pending.find((entry) => entry.id === "c")?.payload).toBe(`resolved:${record("c").payload}`);
    outbox.markDelivered(pending.map((entry) => entry.seq));

    // A resolved record that comes back is new again; an unchanged set enqueues nothing.
    expect(
      outbox.enqueue("hec", [record("a"), record("b", "h-b2"), record("c"), record("d")], { resolved }),
    ).toMatchObject({ new: 1, enqueued: 1 });
    outbox.markDelivered(outbox.pending("hec", 10).map((entry) => entry.seq));
    expect(
      outbox.enqueue("hec", [record("a"), record("b", "h-b2"), record("c"), record("d")], { resolved }),
    ).toMatchObject({ unchanged: 4, enqueued: 0 });
  });

  it("--full sends everything again, and sinks keep separate histories", () => {
    const outbox = new Outbox(openStore(":memory:"));
    outbox.enqueue("hec", [record("a"), record("b")]);
    outbox.markDelivered(outbox.pending("hec", 10).map((entry) => entry.seq));
    expect(outbox.enqueue("hec", [record("a"), record("b")], { full: true })).toMatchObject({
      unchanged: 2,
      enqueued: 2,
    });
    expect(outbox.pending("hec", 10).map((entry) => entry.change)).toEqual(["full", "full"]);
    expect(outbox.enqueue("elastic", [record("a")])).toMatchObject({ new: 1, enqueued: 1 });
    expect(outbox.pendingCount("elastic")).toBe(1);
  });

  it("keeps undelivered entries across a reopen (a crash loses nothing) and records failures", () => {
    const path = tempDb();
    const first = openStore(path);
    const outbox = new Outbox(first);
    outbox.enqueue("hec", [record("a"), record("b"), record("c")]);
    const [a] = outbox.pending("hec", 1);
    outbox.markDelivered([a!.seq]);
    outbox.recordFailure(
      outbox.pending("hec", 10).map((entry) => entry.seq),
      "HTTP 503",
    );
    first.close();

    const reopened = new Outbox(openStore(path));
    const pending = reopened.pending("hec", 10);
    expect(pending.map((entry) => entry.id)).toEqual(["b", "c"]);
    expect(pending[0]).toMatchObject({ attempts: 1, lastError: "HTTP 503" });
    // Already enqueued, so the next export does not enqueue them twice.
    expect(reopened.enqueue("hec", [record("a"), record("b"), record("c")])).toMatchObject({
      unchanged: 3,
      enqueued: 0,
    });
  });

  it("takes rejected entries out of the queue, and re-enqueues them when they change", () => {
    const outbox = new Outbox(openStore(":memory:"));
    outbox.enqueue("hub", [record("a"), record("b")]);
    const [a, b] = outbox.pending("hub", 10);
    outbox.markRejected([a!.seq], "InvalidInput");
    outbox.markDelivered([b!.seq]);
    expect(outbox.pendingCount("hub")).toBe(0);
    expect(outbox.enqueue("hub", [record("a"), record("b")])).toMatchObject({ unchanged: 2, enqueued: 0 });
    expect(outbox.enqueue("hub", [record("a", "h-a2"), record("b")])).toMatchObject({ changed: 1, enqueued: 1 });
    expect(outbox.pending("hub", 10).map((entry) => entry.id)).toEqual(["a"]);
  });

  it("a record that arrives resolved is exported once as resolved, and not resolved again when it disappears", () => {
    const outbox = new Outbox(openStore(":memory:"));
    outbox.enqueue("hec", [record("a"), record("b")], { resolved });
    outbox.markDelivered(outbox.pending("hec", 10).map((entry) => entry.seq));
    expect(
      outbox.enqueue("hec", [record("a"), { ...record("b", "h-b-closed"), resolved: true }], { resolved }),
    ).toMatchObject({ resolved: 1, enqueued: 1 });
    expect(outbox.pending("hec", 10).map((entry) => [entry.id, entry.change, entry.payload])).toEqual([
      ["b", "resolved", record("b", "h-b-closed").payload],
    ]);
    outbox.markDelivered(outbox.pending("hec", 10).map((entry) => entry.seq));
    expect(outbox.enqueue("hec", [record("a")], { resolved })).toMatchObject({
      resolved: 0,
      unchanged: 1,
      enqueued: 0,
    });
    expect(outbox.enqueue("hec", [record("a"), record("b")], { resolved })).toMatchObject({ new: 1 });
  });

  it("prunes old delivered entries but keeps what change detection needs", () => {
    let now = new Date("2026-11-01T00:00:00Z");
    const outbox = new Outbox(openStore(":memory:"), { now: () => now });
    outbox.enqueue("hec", [record("a"), record("b")], { resolved });
    outbox.markDelivered(outbox.pending("hec", 10).map((entry) => entry.seq));
    outbox.enqueue("hec", [record("a", "h-a2"), record("b")], { resolved });
    outbox.markDelivered(outbox.pending("hec", 10).map((entry) => entry.seq));
    now = new Date("2026-11-20T00:00:00Z");
    // Only the superseded first entry of "a" goes; the latest of each record stays.
    expect(outbox.prune(new Date("2026-11-10T00:00:00Z"))).toBe(1);
    const gone = outbox.enqueue("hec", [record("a", "h-a2")], { resolved });
    expect(gone).toMatchObject({ resolved: 1 });
    expect(outbox.pending("hec", 10)[0]).toMatchObject({
      id: "b",
      change: "resolved",
      payload: `resolved:${record("b").payload}`,
    });
  });

  it("lives beside other tables in an existing database", () => {
    const store = openStore(":memory:");
    new Outbox(store).enqueue("file", [record("a")]);
    const tables = store.db
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
      .all()
      .map((row) => row.name);
    expect(tables).toEqual(expect.arrayContaining(["runs", "export_outbox", "export_state"]));
  });
});
