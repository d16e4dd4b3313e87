import type { Asset } from "@aigov/core";
import { describe, expect, it } from "vitest";
import { SummaryCounter } from "../src/sweep/sweep-summary.ts";

const endpoint = (id: string, models: string[]): Asset => ({
  subject: "asset",
  provider: "aws",
  account: "111122223333",
  region: "us-east-1",
  kind: "endpoint",
  type: "AWS::SageMaker::Endpoint",
  id,
  name: id,
  tags: {},
  models,
  native: {},
});

describe("the AI inventory of a sweep's summary", () => {
  it("lists models in code-unit order, the same in every locale (no locale-aware collation)", () => {
    const counter = new SummaryCounter();
    counter.subject(endpoint("a", ["meta.llama3-70b"]));
    counter.subject(endpoint("b", ["Mistral-Large"]));
    counter.subject(endpoint("c", ["anthropic.claude-3-haiku"]));
    const summary = counter.summary({
      status: "complete",
      changes: { new: 0, open: 0, reopened: 0, waived: 0, resolved: 0 },
      threshold: "high",
      apiCalls: 0,
      retries: 0,
      requestSeconds: 0,
      peakRequestsInFlight: 0,
      durationMs: 0,
      notices: [],
    });
    // A locale's collation puts "meta…" before "Mistral…" (case counts last); code units put capitals first.
    expect(summary.inventory.map((line) => line.model)).toEqual([
      "Mistral-Large",
      "anthropic.claude-3-haiku",
      "meta.llama3-70b",
    ]);
  });
});
