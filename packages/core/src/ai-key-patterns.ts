import type { KeyVendor } from "./model.ts";
import { sha256Hex } from "./sha256.ts";

/**
 * Third-party AI keys as they appear in configuration (environment variables, parameters, app settings).
 * Shapes follow gitleaks' config/gitleaks.toml and trufflehog's detectors (see research-notes.md), kept strict
 * enough that a random base64 blob does not match: every pattern starts with the vendor's literal prefix.
 *
 * `findAiKeys` and `redactAiKeys` return only redacted forms and fingerprints, so the secret value never leaves the
 * function that saw it; `secret-screen.ts` runs them over every string a scanner, the log reader or the gate collects.
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
// A prefix spelled with base64 letters only (`AIza`, `ABSK`) could also start inside a base64 blob, so `+` and `/`
// before it rule it out; a prefix with `-` or `_` cannot, so a key right after a `/` (an ARN, a path, a URL) counts.
const START_IN_TEXT = "(?<![A-Za-z0-9_\\-+/])";
const START_AFTER_SLASH = "(?<![A-Za-z0-9_\\-])";
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
  regex: new RegExp(
    `${/^[A-Za-z0-9]+$/.test(pattern.prefix) ? START_IN_TEXT : START_AFTER_SLASH}${pattern.source}${END}`,
    "g",
  ),
}));

// The detector runs over every string a scanner collects: one pass over the vendor prefixes rejects almost all of
// them before any key pattern runs. A prefix that contains another (`sk-proj-` holds `sk-`) adds nothing.
const NEEDLES = [...new Set(AI_KEY_PATTERNS.map((pattern) => pattern.prefix))].filter(
  (prefix, _, all) => !all.some((other) => other !== prefix && prefix.includes(other)),
);
const PREFILTER = new RegExp(NEEDLES.map((needle) => needle.replace(/[.*+?^${}()|[\]\\-]/g, "\\$&")).join("|"));

// A base64 run long enough to hold the shortest key (37 characters → 52), e.g. a lifecycle script or user data.
const BASE64_RUN_MINIMUM = 48;
const HAS_BASE64_RUN = /[A-Za-z0-9+/]{48}/;

/**
 * The fewest characters a pattern's source can match: literals and classes count one, `{n}` / `{n,m}` repeat the
 * atom before them n times. Enough for the sources above, which use nothing else.
 */
export function minimumMatchLength(source: string): number {
  let total = 0;
  let atom = 0;
  for (let i = 0; i < source.length; i++) {
    const char = source[i]!;
    if (char === "[") {
      i = source.indexOf("]", i + 1);
      atom = 1;
    } else if (char === "{") {
      const end = source.indexOf("}", i);
      total += atom * (Number(source.slice(i + 1, end).split(",")[0]) - 1);
      i = end;
      atom = 0;
      continue;
    } else {
      atom = 1;
      if (char === "\\") i++;
    }
    total += atom;
  }
  return total;
}

// Most strings a scanner collects (statuses, types, names, timestamps) are shorter than any key.
const SHORTEST_KEY = Math.min(...AI_KEY_PATTERNS.map((pattern) => minimumMatchLength(pattern.source)));

/** Whether `text` could hold an AI key at all: a cheap test that almost every string a scanner collects fails. */
export function mayHoldAiKey(text: string): boolean {
  if (text.length < SHORTEST_KEY) return false;
  return PREFILTER.test(text) || (text.length >= 48 && HAS_BASE64_RUN.test(text));
}

interface LocatedKey {
  readonly start: number;
  readonly end: number;
  readonly match: AiKeyMatch;
}

/**
 * The keys in a text, each as it is written there (lower-cased) with its redacted form: for the secret screen, which
 * scrubs a key it found once from every other place of the same subject, even where no pattern would match it (an
 * id that embeds a name: `runtime/hf_…-a1b2c3d4e5`). Internal to core: the raw keys never leave the screen.
 */
export function keyTextsIn(text: string): [lowerCased: string, redacted: string][] {
  return locateAiKeys(text).map((key) => [text.slice(key.start, key.end).toLowerCase(), key.match.redacted]);
}

function locateAiKeys(text: string): LocatedKey[] {
  if (!PREFILTER.test(text)) return [];
  const found: LocatedKey[] = [];
  for (const { pattern, regex } of COMPILED) {
    if (!text.includes(pattern.prefix)) continue;
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
  return found.sort((a, b) => a.start - b.start);
}

/**
 * Every AI key in `text` (base64 runs included, see `redactAiKeys`), redacted. Overlapping matches (an `sk-` pattern
 * inside an `sk-proj-` key) count once.
 */
export function findAiKeys(text: string): AiKeyMatch[] {
  return [...redactAiKeys(text).matches];
}

/** A text with every AI key in it replaced by the key's redacted form, and the keys it held. */
export interface RedactedText {
  readonly text: string;
  readonly matches: readonly AiKeyMatch[];
}

/**
 * Replaces every AI key in `text` by its redacted form, in place: `--token hf_…wxyz`. Keys inside a base64 run (a
 * lifecycle script, user data) are found too; the run is decoded, redacted and encoded again, so neither the key nor
 * its base64 form survives. Returns the same string when it holds no key.
 */
export function redactAiKeys(text: string): RedactedText {
  if (!mayHoldAiKey(text)) return { text, matches: [] };
  const plain = locateAiKeys(text);
  const matches = plain.map((entry) => entry.match);
  let out = plain.length === 0 ? text : spliced(text, plain);
  if (out.length >= BASE64_RUN_MINIMUM && HAS_BASE64_RUN.test(out)) {
    let rebuilt = "";
    let from = 0;
    for (const [start, end] of base64Runs(out)) {
      const inner = redactBase64(out.slice(start, end));
      if (inner === undefined) continue;
      matches.push(...inner.matches);
      rebuilt += out.slice(from, start) + inner.text;
      from = end;
    }
    if (from > 0) out = rebuilt + out.slice(from);
  }
  return { text: out, matches };
}

/**
 * [start, end) of each maximal run of base64 letters at least BASE64_RUN_MINIMUM long, with its `=` padding. A loop,
 * not a regex: `[A-Za-z0-9+/]{48,}` backtracks one step per character and overflows V8's regex stack on a run of a few
 * megabytes (a base64 container layer or model artefact in a string field).
 */
function* base64Runs(text: string): Generator<readonly [number, number]> {
  let start = -1;
  for (let i = 0; i <= text.length; i++) {
    if (i < text.length && isBase64Letter(text.charCodeAt(i))) {
      if (start < 0) start = i;
      continue;
    }
    if (start >= 0 && i - start >= BASE64_RUN_MINIMUM) {
      let end = i;
      while (end < text.length && end - i < 2 && text.charCodeAt(end) === 61 /* = */) end++;
      yield [start, end];
    }
    start = -1;
  }
}

function isBase64Letter(code: number): boolean {
  return (
    (code >= 65 && code <= 90) || // A-Z
    (code >= 97 && code <= 122) || // a-z
    (code >= 48 && code <= 57) || // 0-9
    code === 43 || // +
    code === 47 // /
  );
}

function spliced(text: string, keys: readonly LocatedKey[]): string {
  let out = "";
  let from = 0;
  for (const key of keys) {
    out += text.slice(from, key.start) + key.match.redacted;
    from = key.end;
  }
  return out + text.slice(from);
}

function redactBase64(run: string): RedactedText | undefined {
  const bytes = Buffer.from(run, "base64");
  // latin1 maps each byte to one character, so positions in the text are positions in the bytes.
  const decoded = bytes.toString("latin1");
  const keys = locateAiKeys(decoded);
  if (keys.length === 0) return undefined;
  const parts: Buffer[] = [];
  let from = 0;
  for (const key of keys) {
    parts.push(bytes.subarray(from, key.start), Buffer.from(key.match.redacted, "utf8"));
    from = key.end;
  }
  parts.push(bytes.subarray(from));
  return { text: Buffer.concat(parts).toString("base64"), matches: keys.map((key) => key.match) };
}

/** `prefix…last4`; a secret too short to keep 4 characters private is shown as the prefix alone. */
export function redactSecret(secret: string, prefix = ""): string {
  const kept = secret.startsWith(prefix) ? prefix : "";
  if (secret.length - kept.length < 12) return `${kept}…`;
  return `${kept}…${secret.slice(-4)}`;
}

export function fingerprintSecret(secret: string): string {
  return sha256Hex(secret);
}
