import type { ScanItem, ScanTarget, TargetItem } from "@aigov/core";
import { describe, expect, it } from "vitest";
import { defineScanner } from "../src/define-scanner.ts";

// A Hugging Face token pattern the AI key detector knows; not a real token.
const TOKEN = "hf_aigovTESTnotArealTokenTESTnotAreal";

interface Meta {
  readonly project: string;
}

const scanner = defineScanner({
  provider: "gcp",
  async *targets(_config: null): AsyncGenerator<TargetItem<Meta>> {
    yield { provider: "gcp", key: "gcp:p1", account: "p1", label: `p1 (${TOKEN})`, meta: { project: "p1" } };
    yield { provider: "gcp", key: "gcp:p2", account: "p2", label: "p2", meta: { project: "p2" } };
  },
  async *collect(target: ScanTarget<Meta>, _config: null): AsyncGenerator<ScanItem> {
    yield {
      type: "subject",
      subject: {
        subject: "asset",
        provider: "gcp",
        account: target.meta.project,
        region: "us-central1",
        kind: "notebook",
        type: "T",
        id: `projects/${target.meta.project}/notebooks/n1`,
        name: "n1",
        tags: {},
        native: { startup: `export HF_TOKEN=${TOKEN}` },
      },
    };
    yield { type: "gap", gap: { provider: "gcp", account: "p1", service: "s", code: "Error", message: TOKEN } };
  },
  stats: () => ({ apiCalls: 0, retries: 0 }),
});

describe("defineScanner", () => {
  it("screens every target and item: a key is redacted in place and reported as a Key subject", async () => {
    const targets: TargetItem<Meta>[] = [];
    for await (const target of scanner.targets(null)) targets.push(target);
    const items: ScanItem[] = [];
    const target: ScanTarget<Meta> = {
      provider: "gcp",
      key: "gcp:p1",
      account: "p1",
      label: "p1",
      meta: { project: "p1" },
    };
    for await (const item of scanner.collect(target, null)) items.push(item);
    expect(JSON.stringify([targets, items])).not.toContain(TOKEN);
    expect(
      items.map((item) =>
        item.type === "subject" && item.subject.subject !== "api-call"
          ? `${item.subject.subject}:${item.subject.id}`
          : item.type,
      ),
    ).toEqual(["asset:projects/p1/notebooks/n1", "key:projects/p1/notebooks/n1#startup", "gap"]);
  });

  it("stops both streams at the first item after the sweep's signal aborts", async () => {
    const abort = new AbortController();
    const keys: string[] = [];
    for await (const target of scanner.targets(null, abort.signal)) {
      if ("type" in target) continue;
      keys.push(target.key);
      abort.abort();
    }
    expect(keys).toEqual(["gcp:p1"]);
  });
});
