import { describe, expect, it } from "vitest";
import {
  AI_KEY_PATTERNS,
  findAiKeys,
  fingerprintSecret,
  mayHoldAiKey,
  minimumMatchLength,
  redactSecret,
} from "../src/ai-key-patterns.ts";

// Synthetic keys in each vendor's shape (never real ones): built from repeated characters so they are obviously fake.
const fill = (n: number, chars = "aB3dE5gH9k") => chars.repeat(Math.ceil(n / chars.length)).slice(0, n);
const SAMPLES: Record<string, string> = {
  "openai-project-key": `sk-proj-${fill(58)}T3BlbkFJ${fill(58)}`,
  "openai-service-account-key": `sk-svcacct-${fill(58)}T3BlbkFJ${fill(58)}`,
  "openai-admin-key": `sk-admin-${fill(58)}T3BlbkFJ${fill(58)}`,
  "openai-legacy-key": `sk-${fill(20)}T3BlbkFJ${fill(20)}`,
  "anthropic-api-key": `sk-ant-api03-${fill(93)}AA`,
  "anthropic-admin-key": `sk-ant-admin01-${fill(93)}AA`,
  "google-api-key": `AIza${fill(35)}`,
  "huggingface-token": `hf_${fill(34, "abcdefghXY")}`,
  "huggingface-org-token": `api_org_${fill(34, "abcdefghXY")}`,
  "aws-bedrock-api-key-long-term": `ABSK${Buffer.from(`BedrockAPIKey-abcd-at-123456789012:${fill(60)}`).toString("base64")}`,
  "aws-bedrock-api-key-short-term": `bedrock-api-key-YmVkcm9jay5hbWF6b25hd3MuY29t${fill(120)}`,
  "perplexity-api-key": `pplx-${fill(48)}`,
  "groq-api-key": `gsk_${fill(52)}`,
  "xai-api-key": `xai-${fill(80)}`,
  "openrouter-api-key": `sk-or-v1-${fill(64, "0123456789abcdef")}`,
  "replicate-api-token": `r8_${fill(37)}`,
};

describe("findAiKeys", () => {
  it("has a sample for every pattern", () => {
    expect(Object.keys(SAMPLES).sort()).toEqual(AI_KEY_PATTERNS.map((p) => p.id).sort());
  });

  for (const pattern of AI_KEY_PATTERNS) {
    it(`finds a ${pattern.id} in a config value, redacted to prefix + last 4`, () => {
      const secret = SAMPLES[pattern.id]!;
      const matches = findAiKeys(`export TOKEN="${secret}"`);
      expect(matches).toEqual([
        {
          patternId: pattern.id,
          vendor: pattern.vendor,
          redacted: `${pattern.prefix}…${secret.slice(-4)}`,
          fingerprint: fingerprintSecret(secret),
        },
      ]);
      // The secret itself appears nowhere in what is returned.
      expect(JSON.stringify(matches)).not.toContain(secret.slice(pattern.prefix.length, pattern.prefix.length + 12));
    });
  }

  it("finds several keys in one value, in order", () => {
    const text = `${SAMPLES["groq-api-key"]},${SAMPLES["anthropic-api-key"]}`;
    expect(findAiKeys(text).map((m) => m.vendor)).toEqual(["groq", "anthropic"]);
  });

  it("ignores lookalikes: truncated keys, keys embedded in longer tokens, other secrets", () => {
    expect(findAiKeys(`AIza${fill(20)}`)).toEqual([]);
    expect(findAiKeys(`xAIza${fill(35)}`)).toEqual([]);
    expect(findAiKeys(`${SAMPLES["google-api-key"]}zz`)).toEqual([]);
    expect(findAiKeys("sk-live-51H8xyzStripeKeyNotAnAiKeyAtAll000000")).toEqual([]);
    expect(findAiKeys("AKIAIOSFODNN7EXAMPLE wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")).toEqual([]);
    expect(findAiKeys("")).toEqual([]);
  });

  it("does not report an OpenRouter key as an OpenAI key", () => {
    expect(findAiKeys(SAMPLES["openrouter-api-key"]!).map((m) => m.patternId)).toEqual(["openrouter-api-key"]);
  });

  it("gives the same fingerprint for the same key wherever it is found", () => {
    const secret = SAMPLES["replicate-api-token"]!;
    expect(findAiKeys(`a=${secret}`)[0]?.fingerprint).toBe(findAiKeys(`${secret} b`)[0]?.fingerprint);
    expect(fingerprintSecret(secret)).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe("redactSecret", () => {
  it("keeps the prefix and the last four characters", () => {
    expect(redactSecret("sk-proj-abcdefghijklmnop1234", "sk-proj-")).toBe("sk-proj-…1234");
  });
  it("shows nothing of a secret too short to hide", () => {
    expect(redactSecret("pplx-abc123", "pplx-")).toBe("pplx-…");
  });
});

describe("the prefilter", () => {
  it("knows each pattern's shortest match, so it never skips a string that holds a key", () => {
    for (const pattern of AI_KEY_PATTERNS) {
      const shortest = minimumMatchLength(pattern.source);
      const sample = SAMPLES[pattern.id]!;
      expect(sample.length, pattern.id).toBeGreaterThanOrEqual(shortest);
      expect(mayHoldAiKey(`x ${sample}`), pattern.id).toBe(true);
    }
    expect(minimumMatchLength("hf_[A-Za-z]{34}")).toBe(37);
    expect(minimumMatchLength("ABSK[A-Za-z0-9+/]{100,300}={0,2}")).toBe(104);
    expect(minimumMatchLength("sk-proj-[A-Za-z0-9_-]{20,200}T3BlbkFJ[A-Za-z0-9_-]{20,200}")).toBe(56);
  });

  it("lets through only strings long enough and with a vendor prefix or a base64 run", () => {
    expect(mayHoldAiKey("InService")).toBe(false);
    expect(mayHoldAiKey("arn:aws:sagemaker:us-east-1:123456789012:endpoint/chat-model-1")).toBe(false);
    expect(mayHoldAiKey(Buffer.from("x".repeat(40)).toString("base64"))).toBe(true);
  });
});
