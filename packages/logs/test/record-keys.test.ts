import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { fakeAiKey } from "../../core/test/fake-ai-keys.ts";
import { analyze } from "./analysis-harness.ts";

const GEMINI = fakeAiKey("google-api-key", "logs");
const ANTHROPIC = fakeAiKey("anthropic-api-key", "logs");
const HF = fakeAiKey("huggingface-token", "logs");

function record(eventID: string, requestParameters: Record<string, unknown>): string {
  return JSON.stringify({
    eventVersion: "1.09",
    eventID,
    eventTime: "2026-11-20T10:00:00Z",
    eventSource: "bedrock.amazonaws.com",
    eventName: "CreateAgent",
    awsRegion: "us-east-1",
    recipientAccountId: "111122223333",
    userIdentity: { type: "IAMUser", arn: "arn:aws:iam::111122223333:user/alice", accountId: "111122223333" },
    sourceIPAddress: "203.0.113.7",
    userAgent: "aws-cli/2",
    requestParameters,
  });
}

describe("AI keys in log records", () => {
  it("are redacted in the call and reported as Key findings with the record's file and line", async () => {
    const dir = mkdtempSync(join(tmpdir(), "aigov-log-keys-"));
    const file = join(dir, "trail.ndjson");
    writeFileSync(
      file,
      [
        record("clean-1", { agentName: "helper" }),
        record("key-1", { agentName: "helper", instruction: `Search with key ${GEMINI}.`, tags: { t: ANTHROPIC } }),
        // A broken record of an AI service: its error message must not quote the key.
        `{"eventSource":"bedrock.amazonaws.com","eventName":"CreateAgent","x":${HF}}`,
      ].join("\n"),
    );
    const analysis = await analyze([file]);
    const keyFindings = analysis.findings.filter((f) => f.ruleId === "ai-key-in-resource-metadata");
    expect(keyFindings.map((f) => [f.subject.id, f.source])).toEqual([
      ["key-1#requestParameters.instruction", { file, line: 2 }],
      ["key-1#requestParameters.tags.t", { file, line: 2 }],
    ]);
    expect(analysis.findings.some((f) => f.ruleId === "third-party-ai-key-in-configuration")).toBe(false);
    expect(analysis.malformed).toHaveLength(1);
    const everything = JSON.stringify(analysis);
    for (const secret of [GEMINI, ANTHROPIC, HF]) expect(everything).not.toContain(secret.slice(0, 10));
  });
});
