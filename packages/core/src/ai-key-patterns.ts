import { createHash } from "node:crypto";
import type { KeyVendor } from "./model.ts";

/**
 * Third-party AI keys as they appear in configuration (environment variables, parameters, app settings).
 * Shapes follow gitleaks' config/gitleaks.toml and trufflehog's detectors (see research-notes.md), kept strict
 * enough that a random base64 blob does not match: every pattern starts with the vendor's literal prefix.
 *
 * Every scanner that reads configuration uses `findAiKeys`; it returns only the redacted form and the
 * fingerprint, so the secret value never leaves the function that saw it.
 */
export interface AiKeyPattern {
  /** Stable pattern id, e.g. `openai-project-key`. */
  readonly id: string;
  readonly vendor: KeyVendor;
  /** The literal prefix kept in the redacted form (`sk-proj-`, `AIza` …). */
  readonly prefix: string;
  /** Matches the whole key; compiled with the global flag by `findAiKeys`. */
  readonly source: string;
}

// Key characters are never preceded/followed by more key characters: a key inside a longer token is not a key.
const START = "(?<![A-Za-z0-9_\\-+/])";
const END = "(?![A-Za-z0-9_\\-])";

export const AI_KEY_PATTERNS: readonly AiKeyPattern[] = [
  // Project, service-account and admin keys all embed the base64 of "OpenAI" (T3BlbkFJ).
  {
    id: "openai-project-key",
    vendor: "openai",
    prefix: "sk-proj-",
    source: "sk-proj-[A-Za-z0-9_-]{20,200}T3BlbkFJ[A-Za-z0-9_-]{20,200}",
  },
  {
    id: "openai-service-account-key",
    vendor: "openai",
    prefix: "sk-svcacct-",
    source: "sk-svcacct-[A-Za-z0-9_-]{20,200}T3BlbkFJ[A-Za-z0-9_-]{20,200}",
  },
  {
    id: "openai-admin-key",
    vendor: "openai",
    prefix: "sk-admin-",
    source: "sk-admin-[A-Za-z0-9_-]{20,200}T3BlbkFJ[A-Za-z0-9_-]{20,200}",
  },
  { id: "openai-legacy-key", vendor: "openai", prefix: "sk-", source: "sk-[A-Za-z0-9]{20}T3BlbkFJ[A-Za-z0-9]{20}" },
  { id: "anthropic-api-key", vendor: "anthropic", prefix: "sk-ant-api03-", source: "sk-ant-api03-[A-Za-z0-9_-]{93}AA" },
  {
    id: "anthropic-admin-key",
    vendor: "anthropic",
    prefix: "sk-ant-admin01-",
    source: "sk-ant-admin01-[A-Za-z0-9_-]{93}AA",
  },
  { id: "google-api-key", vendor: "google-gemini", prefix: "AIza", source: "AIza[0-9A-Za-z_-]{35}" },
  { id: "huggingface-token", vendor: "huggingface", prefix: "hf_", source: "hf_[A-Za-z]{34}" },
  { id: "huggingface-org-token", vendor: "huggingface", prefix: "api_org_", source: "api_org_[A-Za-z]{34}" },
  // Long-term Bedrock API key: "ABSK" + base64("BedrockAPIKey-…:…").
  {
    id: "aws-bedrock-api-key-long-term",
    vendor: "aws-bedrock",
    prefix: "ABSK",
    source: "ABSK[A-Za-z0-9+/]{100,300}={0,2}",
  },
  // Short-term Bedrock API key: a presigned URL, base64, starting with base64("bedrock.amazonaws.com").
  {
    id: "aws-bedrock-api-key-short-term",
    vendor: "aws-bedrock",
    prefix: "bedrock-api-key-",
    source: "bedrock-api-key-YmVkcm9jay5hbWF6b25hd3MuY29t[A-Za-z0-9+/]{20,4000}={0,2}",
  },
  { id: "perplexity-api-key", vendor: "perplexity", prefix: "pplx-", source: "pplx-[A-Za-z0-9]{48}" },
  { id: "groq-api-key", vendor: "groq", prefix: "gsk_", source: "gsk_[A-Za-z0-9]{52}" },
  { id: "xai-api-key", vendor: "xai", prefix: "xai-", source: "xai-[A-Za-z0-9]{80}" },
  { id: "openrouter-api-key", vendor: "openrouter", prefix: "sk-or-v1-", source: "sk-or-v1-[a-f0-9]{64}" },
  { id: "replicate-api-token", vendor: "replicate", prefix: "r8_", source: "r8_[A-Za-z0-9]{37}" },
];

/** One key found in a text. Deliberately holds no secret: only what may be stored and printed. */
export interface AiKeyMatch {
  readonly patternId: string;
  readonly vendor: KeyVendor;
  /** Vendor prefix + "…" + last 4 characters. */
  readonly redacted: string;
  /** SHA-256 hex of the whole key, so the same key found in two places is recognised. */
  readonly fingerprint: string;
}

const COMPILED = AI_KEY_PATTERNS.map((pattern) => ({
  pattern,
  regex: new RegExp(`${START}${pattern.source}${END}`, "g"),
}));

/** Every AI key in `text`, redacted. Overlapping matches (an `sk-` pattern inside an `sk-proj-` key) count once. */
export function findAiKeys(text: string): AiKeyMatch[] {
  const found: { start: number; end: number; match: AiKeyMatch }[] = [];
  for (const { pattern, regex } of COMPILED) {
    regex.lastIndex = 0;
    for (let hit = regex.exec(text); hit !== null; hit = regex.exec(text)) {
      const start = hit.index;
      const end = start + hit[0].length;
      if (found.some((other) => start < other.end && other.start < end)) continue;
      found.push({
        start,
        end,
        match: {
          patternId: pattern.id,
          vendor: pattern.vendor,
          redacted: redactSecret(hit[0], pattern.prefix),
          fingerprint: fingerprintSecret(hit[0]),
        },
      });
    }
  }
  return found.sort((a, b) => a.start - b.start).map((entry) => entry.match);
}

/** `prefix…last4`; a secret too short to keep 4 characters private is shown as the prefix alone. */
export function redactSecret(secret: string, prefix = ""): string {
  const kept = secret.startsWith(prefix) ? prefix : "";
  if (secret.length - kept.length < 12) return `${kept}…`;
  return `${kept}…${secret.slice(-4)}`;
}

export function fingerprintSecret(secret: string): string {
  return createHash("sha256").update(secret, "utf8").digest("hex");
}
