import { createHash } from "node:crypto";
import { AI_KEY_PATTERNS } from "../src/ai-key-patterns.ts";

// Fake keys in each vendor's shape for tests: distinct per seed, deterministic, never real (random characters).

const ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
const LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const URL_SAFE = `${ALNUM}_-`;
const BASE64 = `${ALNUM}+/`;
const HEX = "0123456789abcdef";

function characters(seed: string, length: number, alphabet: string): string {
  let out = "";
  for (let block = 0; out.length < length; block++) {
    for (const byte of createHash("sha256").update(`${seed}/${block}`).digest()) {
      out += alphabet[byte % alphabet.length];
      if (out.length === length) break;
    }
  }
  // A key never ends in `-` or `_` in these tests: the detector's end boundary treats them as key characters.
  return out.replace(/[-_+/]$/, "x");
}

const SHAPES: Readonly<Record<string, (seed: string) => string>> = {
  "openai-project-key": (s) => `sk-proj-${characters(s, 58, URL_SAFE)}T3BlbkFJ${characters(`${s}b`, 58, URL_SAFE)}`,
  "openai-service-account-key": (s) =>
    `sk-svcacct-${characters(s, 58, URL_SAFE)}T3BlbkFJ${characters(`${s}b`, 58, URL_SAFE)}`,
  "openai-admin-key": (s) => `sk-admin-${characters(s, 58, URL_SAFE)}T3BlbkFJ${characters(`${s}b`, 58, URL_SAFE)}`,
  "openai-legacy-key": (s) => `sk-${characters(s, 20, ALNUM)}T3BlbkFJ${characters(`${s}b`, 20, ALNUM)}`,
  "anthropic-api-key": (s) => `sk-ant-api03-${characters(s, 93, URL_SAFE)}AA`,
  "anthropic-admin-key": (s) => `sk-ant-admin01-${characters(s, 93, URL_SAFE)}AA`,
  "google-api-key": (s) => `AIza${characters(s, 35, URL_SAFE)}`,
  "huggingface-token": (s) => `hf_${characters(s, 34, LETTERS)}`,
  "huggingface-org-token": (s) => `api_org_${characters(s, 34, LETTERS)}`,
  "aws-bedrock-api-key-long-term": (s) =>
    `ABSK${Buffer.from(`BedrockAPIKey-${characters(s, 4, HEX)}-at-123456789012:${characters(`${s}b`, 60, ALNUM)}`).toString("base64")}`,
  "aws-bedrock-api-key-short-term": (s) => `bedrock-api-key-YmVkcm9jay5hbWF6b25hd3MuY29t${characters(s, 120, BASE64)}`,
  "perplexity-api-key": (s) => `pplx-${characters(s, 48, ALNUM)}`,
  "groq-api-key": (s) => `gsk_${characters(s, 52, ALNUM)}`,
  "xai-api-key": (s) => `xai-${characters(s, 80, ALNUM)}`,
  "openrouter-api-key": (s) => `sk-or-v1-${characters(s, 64, HEX)}`,
  "replicate-api-token": (s) => `r8_${characters(s, 37, ALNUM)}`,
};

/** Every pattern id, in the detector's order. */
export const FAKE_KEY_PATTERNS: readonly string[] = AI_KEY_PATTERNS.map((pattern) => pattern.id);

/** A fake key of the given pattern, distinct for each seed. */
export function fakeAiKey(patternId: string, seed: string | number): string {
  const shape = SHAPES[patternId];
  if (shape === undefined) throw new Error(`no fake key shape for pattern ${patternId}`);
  return shape(`${patternId}/${seed}`);
}
