import type { GapCode, ScanItem } from "@aigov/core";
import { describe, expect, it } from "vitest";
import { asset, type CloudErrors, CollectContext, fact, listing } from "../src/collect-context.ts";

class CloudError extends Error {
  readonly code: GapCode;
  constructor(code: GapCode, message: string) {
    super(message);
    this.code = code;
  }
}

const ERRORS: CloudErrors = {
  provider: "gcp",
  code: (error) => (error instanceof CloudError ? error.code : "Error"),
  message: (error) => (error instanceof Error ? error.message : String(error)),
};

const context = () => new CollectContext({ errors: ERRORS, account: "p1", region: "europe-west4", now: new Date() });

async function collect(items: AsyncIterable<ScanItem>): Promise<ScanItem[]> {
  const out: ScanItem[] = [];
  for await (const item of items) out.push(item);
  return out;
}

describe("CollectContext", () => {
  it("turns a failed read into one gap per operation and code, and unknown facts that say why", async () => {
    const ctx = context();
    const denied = () => Promise.reject(new CloudError("AccessDenied", "caller lacks aiplatform.endpoints.get"));
    const first = await ctx.attempt("aiplatform", "endpoints.get", denied);
    await ctx.attempt("aiplatform", "endpoints.get", denied);
    expect(fact(first, () => true)).toEqual({ $unknown: true, reason: "AccessDenied on endpoints.get" });
    expect([...ctx.drainGaps()].map((item) => item.gap)).toEqual([
      {
        provider: "gcp",
        account: "p1",
        region: "europe-west4",
        service: "aiplatform",
        operation: "endpoints.get",
        code: "AccessDenied",
        message: "caller lacks aiplatform.endpoints.get",
      },
    ]);
    expect([...ctx.drainGaps()]).toEqual([]);
  });

  it("says once that a region is not enabled when every call failed for it, and keeps other gaps apart", async () => {
    const ctx = context();
    const disabled = () => Promise.reject(new CloudError("RegionDisabled", "location not enabled"));
    await ctx.attempt("aiplatform", "endpoints.list", disabled);
    await ctx.attempt("aiplatform", "models.list", disabled);
    expect([...ctx.drainGaps()].map((item) => [item.gap.service, item.gap.operation, item.gap.message])).toEqual([
      ["*", undefined, "region not enabled for the account (location not enabled)"],
    ]);
    await ctx.attempt("aiplatform", "endpoints.list", disabled);
    await ctx.attempt("aiplatform", "models.list", () => Promise.reject(new CloudError("Throttling", "slow down")));
    expect([...ctx.drainGaps()].map((item) => item.gap.code)).toEqual(["RegionDisabled", "Throttling"]);
  });

  it("keeps what a listing yielded before it failed, and records the failure", async () => {
    const ctx = context();
    async function* pages() {
      yield ["a", "b"];
      throw new CloudError("ServerError", "503");
    }
    const items = await collect(
      listing(ctx, "aiplatform", "endpoints.list", pages(), async (page) =>
        page.map((name) => ({
          type: "subject" as const,
          subject: asset(ctx, { kind: "endpoint", type: "T", id: name, name, tags: { owner: "ml" }, native: {} }),
        })),
      ),
    );
    expect(
      items.map((item) =>
        item.type === "subject" && item.subject.subject === "asset" ? [item.subject.provider, item.subject.owner] : [],
      ),
    ).toEqual([
      ["gcp", "ml"],
      ["gcp", "ml"],
    ]);
    expect([...ctx.drainGaps()].map((item) => item.gap.code)).toEqual(["ServerError"]);
  });
});
