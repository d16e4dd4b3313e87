import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Asset, type Finding, findingId, subjectRef } from "@aigov/core";
import { openStore } from "@aigov/store";
import { afterAll, describe, expect, it } from "vitest";
import { type SweepResultSource, writeSweepJson } from "../src/sweep/sweep-report.ts";
import type { SweepSummary } from "../src/sweep/sweep-summary.ts";

const dir = mkdtempSync(join(tmpdir(), "aigov-sweep-json-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const endpoint = (name: string): Asset => ({
  subject: "asset",
  provider: "aws",
  account: "111122223333",
  region: "us-east-1",
  kind: "endpoint",
  type: "AWS::SageMaker::Endpoint",
  id: `arn:aws:sagemaker:us-east-1:111122223333:endpoint/${name}`,
  name,
  tags: { note: 'naïve \u2028 "quoted"' },
  models: ["anthropic.claude-3-haiku"],
  native: {},
});

const finding = (asset: Asset, status: Finding["status"] = "open"): Finding => {
  const subject = subjectRef(asset);
  return {
    id: findingId("aws-public-endpoint", subject),
    ruleId: "aws-public-endpoint",
    title: "public endpoint",
    severity: "high",
    status,
    subject,
    message: `public: ${asset.name} \ud800`,
    evidence: [{ field: "public", value: true, expected: "false" }],
    remediation: { text: "make it private" },
    references: [],
    frameworks: {},
    observedAt: "2026-11-22T00:00:00.000Z",
  };
};

describe("a sweep's --format json", () => {
  it("is the same document whether the store gives findings and assets as objects or as their JSON text", async () => {
    const store = openStore(join(dir, "aigov.db"));
    const target = { key: "aws:111122223333:us-east-1", provider: "aws", account: "111122223333", label: "a" } as const;
    const sweep = (assets: Asset[], waived: Asset[]) => {
      const run = store.beginRun();
      store.record(run.id, [
        ...assets.map((asset) => ({ targetKey: target.key, subject: asset, findings: [finding(asset)] })),
        ...waived.map((asset) => ({ targetKey: target.key, subject: asset, findings: [finding(asset, "waived")] })),
      ]);
      store.targetDone(run.id, target, "complete", assets.length + waived.length);
      store.finishRun(run.id, { status: "complete", targetsTotal: 1, apiCalls: 1, errors: 0 });
      return store.run(run.id)!;
    };
    sweep([endpoint("a"), endpoint("b")], []);
    // b is gone (resolved), c is new, d is waived, a is open.
    const run = sweep([endpoint("a"), endpoint("c")], [endpoint("d")]);
    const source: SweepResultSource = {
      run,
      summary: { status: "complete" } as SweepSummary,
      store: store.path,
      findings: () => store.runFindings(run.id),
      assets: () => store.runAssets(run.id),
      gaps: store.runGaps(run.id),
    };
    await writeSweepJson(source, join(dir, "objects.json"));
    await writeSweepJson(
      { ...source, findingsJson: () => store.runFindingsJson(run.id), assetsJson: () => store.runAssetsJson(run.id) },
      join(dir, "texts.json"),
    );
    store.close();
    const texts = readFileSync(join(dir, "texts.json"), "utf8");
    expect(texts).toBe(readFileSync(join(dir, "objects.json"), "utf8"));
    const document = JSON.parse(texts) as { findings: { subject: { name: string }; lifecycle: { state: string } }[] };
    expect(document.findings.map((f) => [f.subject.name, f.lifecycle.state]).sort()).toEqual([
      ["a", "open"],
      ["b", "resolved"],
      ["c", "new"],
      ["d", "waived"],
    ]);
  });
});
