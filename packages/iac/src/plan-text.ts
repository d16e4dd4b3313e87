import { isUtf8 } from "node:buffer";
import { readFileSync } from "node:fs";
import { AigovError } from "@aigov/core";

/**
 * Turns the bytes of a plan (or cdk.tf.json) into text: UTF-8 with or without BOM, and UTF-16 LE/BE, which
 * Windows PowerShell's `>` writes. Bytes that are not valid in the detected encoding are an error, not mojibake.
 */
export function decodeJsonBytes(bytes: Uint8Array, file: string): string {
  if (bytes.length === 0)
    throw new AigovError("PLAN_EMPTY", "the plan is empty (0 bytes)", {
      position: { file },
      hint: "run `terraform show -json plan.tfplan > plan.json` and pass that file",
    });
  if (bytes[0] === 0x50 && bytes[1] === 0x4b) {
    throw new AigovError("PLAN_BINARY", "this is a binary terraform plan file (zip), not its JSON form", {
      position: { file },
      hint: "run `terraform show -json plan.tfplan > plan.json` (or `tofu show -json`) and pass plan.json",
    });
  }
  let encoding: "utf-8" | "utf-16le" | "utf-16be" = "utf-8";
  let start = 0;
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) start = 3;
  else if (bytes[0] === 0xff && bytes[1] === 0xfe) [encoding, start] = ["utf-16le", 2];
  else if (bytes[0] === 0xfe && bytes[1] === 0xff) [encoding, start] = ["utf-16be", 2];
  else if (bytes.length >= 2 && bytes[0] !== 0 && bytes[1] === 0) encoding = "utf-16le";
  else if (bytes.length >= 2 && bytes[0] === 0 && bytes[1] !== 0) encoding = "utf-16be";
  const body = bytes.subarray(start);
  // The common case, checked and decoded by Node's SIMD UTF-8 routines; plans run to tens of megabytes.
  if (encoding === "utf-8" && isUtf8(body))
    return Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString("utf8");
  try {
    return new TextDecoder(encoding, { fatal: true, ignoreBOM: true }).decode(body);
  } catch (error) {
    throw new AigovError("PLAN_ENCODING", `the plan is not valid ${encoding.toUpperCase()} text`, {
      position: { file },
      hint: "write the plan with `terraform show -json plan.tfplan > plan.json` (UTF-8); in PowerShell use `| Out-File -Encoding utf8`",
      cause: error,
    });
  }
}

/**
 * A plan file's text, as decodeJsonBytes gives it, without its detour through a byte buffer in the common case:
 * Node reads and decodes UTF-8 in one native call, which halves the time to text on a plan of tens of megabytes.
 * What that call cannot tell apart — bytes that are not UTF-8 (it writes U+FFFD for them), UTF-16 (NULs or
 * U+FFFD from its BOM), a zip, an empty file — goes the byte way, which decodes or refuses it.
 */
export function readJsonFileText(path: string, file: string): string {
  const text = readFileSync(path, "utf8");
  const bytePath =
    text.length < 2 ||
    text.charCodeAt(0) === 0 ||
    text.charCodeAt(1) === 0 ||
    text.startsWith("PK") ||
    text.includes("\uFFFD");
  if (bytePath) return decodeJsonBytes(readFileSync(path), file);
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** Lines the hashicorp/setup-terraform wrapper prints around terraform's own output. */
const WRAPPER_LINE = /^(\[command\]|::debug::|::set-output |::error::|::warning::)/;

/**
 * The JSON text inside what a user passed: the text itself, or terraform's JSON line when the
 * setup-terraform wrapper (terraform_wrapper: true) decorated stdout. Anything else around the JSON is refused.
 */
export function extractJsonText(text: string, file: string): { text: string; line: number } {
  const trimmed = text.trimStart();
  if (trimmed.startsWith("{") || (trimmed.startsWith("[") && !WRAPPER_LINE.test(trimmed))) return { text, line: 1 };
  if (trimmed === "") throw new AigovError("PLAN_EMPTY", "the plan is empty (only whitespace)", { position: { file } });
  const lines = text.split(/\r?\n/);
  if (WRAPPER_LINE.test(lines[0] ?? "")) {
    const index = lines.findIndex((line) => line.trimStart().startsWith("{"));
    if (index !== -1) return { text: lines[index]!, line: index + 1 };
    throw new AigovError(
      "PLAN_WRAPPER",
      "the file is setup-terraform wrapper output with no plan JSON on a line of its own",
      {
        position: { file, line: 1 },
        hint: "set `terraform_wrapper: false` on hashicorp/setup-terraform, or run terraform-bin show -json",
      },
    );
  }
  throw new AigovError(
    "PLAN_NOT_JSON",
    `the plan is not JSON: it starts with ${JSON.stringify(trimmed.slice(0, 40))}`,
    {
      position: { file, line: 1, column: 1 },
      hint: "pass the output of `terraform show -json plan.tfplan` (not `terraform plan` text or the binary plan)",
    },
  );
}

/** JSON.parse with the error placed at file:line:column. */
export function parseJsonText(text: string, file: string, firstLine = 1): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const offset = errorOffset(text, message);
    const before = text.slice(0, offset);
    const line = firstLine + (before.match(/\n/g)?.length ?? 0);
    const column = offset - before.lastIndexOf("\n");
    const truncated = offset >= text.trimEnd().length;
    const what = message.replace(/\s*(in JSON )?at position \d+.*$/, "").replace(/, ".*" is not valid JSON$/s, "");
    throw new AigovError(
      "PLAN_INVALID_JSON",
      truncated
        ? "the plan JSON is truncated (it ends before the document is complete)"
        : `the plan is not valid JSON: ${what}`,
      {
        position: { file, line, column },
        hint: "regenerate it with `terraform show -json plan.tfplan > plan.json`",
        cause: error,
      },
    );
  }
}

/** Where V8 says a parse failed: the position it reports, or "end" for input that stops early. */
function reportedOffset(length: number, message: string): number | undefined {
  const match = /at position (\d+)/.exec(message);
  if (match?.[1] !== undefined) return Number(match[1]);
  return message.includes("end of JSON input") ? length : undefined;
}

/**
 * The offset of the first bad character. Some V8 messages ("Unexpected token") carry no position; then the
 * shortest prefix that already fails on a bad token (not on its early end) is found by bisection, on the error path only.
 */
function errorOffset(text: string, message: string): number {
  const reported = reportedOffset(text.length, message);
  if (reported !== undefined) return reported;
  const bad = (length: number): boolean => {
    try {
      JSON.parse(text.slice(0, length));
      return false;
    } catch (error) {
      const offset = reportedOffset(length, error instanceof Error ? error.message : String(error));
      return offset === undefined || offset < length;
    }
  };
  let low = 1;
  let high = text.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (bad(middle)) high = middle;
    else low = middle + 1;
  }
  return low - 1;
}

/** decode → unwrap → parse, for a plan or cdk.tf.json: bytes, or the text of readJsonFileText. */
export function parseJsonDocument(input: Uint8Array | string, file: string): unknown {
  const extracted = extractJsonText(typeof input === "string" ? input : decodeJsonBytes(input, file), file);
  return parseJsonText(extracted.text, file, extracted.line);
}
