import { isUtf8 } from "node:buffer";
import { AigovError } from "@aigov/core";
import { bytesAre, type JsonScanOptions, scanJson } from "./json-scanner.ts";

function refuseEmptyOrBinary(bytes: Uint8Array, file: string): void {
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
}

type Encoding = "utf-8" | "utf-16le" | "utf-16be";

/** UTF-8 with or without BOM, or UTF-16 LE/BE (which Windows PowerShell's `>` writes): the encoding and the body. */
function encodingOf(bytes: Uint8Array): { encoding: Encoding; body: Uint8Array } {
  let encoding: Encoding = "utf-8";
  let start = 0;
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) start = 3;
  else if (bytes[0] === 0xff && bytes[1] === 0xfe) [encoding, start] = ["utf-16le", 2];
  else if (bytes[0] === 0xfe && bytes[1] === 0xff) [encoding, start] = ["utf-16be", 2];
  else if (bytes.length >= 2 && bytes[0] !== 0 && bytes[1] === 0) encoding = "utf-16le";
  else if (bytes.length >= 2 && bytes[0] === 0 && bytes[1] !== 0) encoding = "utf-16be";
  return { encoding, body: bytes.subarray(start) };
}

function encodingError(encoding: Encoding, file: string, cause?: unknown): AigovError {
  return new AigovError("PLAN_ENCODING", `the plan is not valid ${encoding.toUpperCase()} text`, {
    position: { file },
    hint: "write the plan with `terraform show -json plan.tfplan > plan.json` (UTF-8); in PowerShell use `| Out-File -Encoding utf8`",
    ...(cause === undefined ? {} : { cause }),
  });
}

const asBuffer = (bytes: Uint8Array): Buffer =>
  Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);

/**
 * Turns the bytes of a plan (or cdk.tf.json) into text: UTF-8 with or without BOM, and UTF-16 LE/BE. Bytes that
 * are not valid in the detected encoding are an error, not mojibake.
 */
export function decodeJsonBytes(bytes: Uint8Array, file: string): string {
  refuseEmptyOrBinary(bytes, file);
  const { encoding, body } = encodingOf(bytes);
  // The common case, checked and decoded by Node's SIMD UTF-8 routines; plans run to tens of megabytes.
  if (encoding === "utf-8" && isUtf8(body)) return asBuffer(body).toString("utf8");
  try {
    return new TextDecoder(encoding, { fatal: true, ignoreBOM: true }).decode(body);
  } catch (error) {
    throw encodingError(encoding, file, error);
  }
}

/**
 * The UTF-8 bytes of the JSON document in what a user passed, and the line it starts on. A UTF-8 plan (the common
 * case) is never decoded whole: its bytes are checked (Node's SIMD isUtf8) and handed to the scan as they are.
 * UTF-16 and setup-terraform wrapper output go through text.
 */
export function jsonInputBytes(input: Uint8Array | string, file: string): { bytes: Buffer; line: number } {
  if (typeof input !== "string") {
    refuseEmptyOrBinary(input, file);
    const { encoding, body } = encodingOf(input);
    if (encoding === "utf-8" && startsAsJson(body)) {
      if (!isUtf8(body)) throw encodingError(encoding, file);
      return { bytes: asBuffer(body), line: 1 };
    }
  }
  const { text, line } = jsonInputText(input, file);
  return { bytes: Buffer.from(text, "utf8"), line };
}

/** The first byte after whitespace opens a JSON object or array (wrapper output starts with `[command]`). */
function startsAsJson(bytes: Uint8Array): boolean {
  for (let i = 0; i < bytes.length; i++) {
    const c = bytes[i]!;
    if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) continue;
    return c === 0x7b || (c === 0x5b && !bytesAre(bytes, i, "[command]"));
  }
  return false;
}

/** What the gate reads, for the errors that say what it could not. */
export const READABLE_INPUTS =
  "a plan JSON (`terraform show -json plan.tfplan > plan.json`), a cdk.tf.json, a cdktf.out directory, a terraform configuration (a directory of .tf/.tf.json files, or one such file), a CloudFormation template (YAML or JSON), an ARM template (`bicep build` output), or - for stdin";

// The first word of an HCL file's first block: text that is configuration, not a plan.
const HCL_BLOCK = /^(terraform|provider|resource|data|module|variable|locals|output)\s+("|\{)/;

/** Lines the hashicorp/setup-terraform wrapper prints around terraform's own output. */
const WRAPPER_LINE = /^(\[command\]|::debug::|::set-output |::error::|::warning::)/;

/**
 * The JSON text inside what a user passed: the text itself, or terraform's JSON line when the
 * setup-terraform wrapper (terraform_wrapper: true) decorated stdout. Anything else around the JSON is refused,
 * and so is wrapper output with two JSON lines: which of them is the plan would be a guess.
 */
export function extractJsonText(text: string, file: string): { text: string; line: number } {
  const trimmed = text.trimStart();
  if (trimmed.startsWith("{") || (trimmed.startsWith("[") && !WRAPPER_LINE.test(trimmed))) return { text, line: 1 };
  if (trimmed === "") throw new AigovError("PLAN_EMPTY", "the plan is empty (only whitespace)", { position: { file } });
  const lines = text.split(/\r?\n/);
  if (WRAPPER_LINE.test(lines[0] ?? "")) return wrappedJson(lines, file);
  throw new AigovError(
    "PLAN_NOT_JSON",
    `the plan is not JSON: it starts with ${JSON.stringify(trimmed.slice(0, 40))}`,
    {
      position: { file, line: 1, column: 1 },
      hint: HCL_BLOCK.test(trimmed)
        ? "this is terraform configuration (HCL): pass its directory or a file named *.tf, so the gate reads it as configuration"
        : `pass ${READABLE_INPUTS} (not \`terraform plan\` text or the binary plan)`,
    },
  );
}

const WRAPPER_HINT = "set `terraform_wrapper: false` on hashicorp/setup-terraform, or run terraform-bin show -json";

function wrappedJson(lines: readonly string[], file: string): { text: string; line: number } {
  const documents: number[] = [];
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index]!;
    if (WRAPPER_LINE.test(line) || line.trim() === "") continue;
    if (!line.trimStart().startsWith("{")) {
      throw new AigovError(
        "PLAN_WRAPPER",
        `setup-terraform wrapper output with a line that is neither the wrapper's nor terraform's JSON: ${JSON.stringify(line.slice(0, 40))}`,
        { position: { file, line: index + 1 }, hint: WRAPPER_HINT },
      );
    }
    documents.push(index);
  }
  if (documents.length === 0) {
    throw new AigovError(
      "PLAN_WRAPPER",
      "the file is setup-terraform wrapper output with no plan JSON on a line of its own",
      { position: { file, line: 1 }, hint: WRAPPER_HINT },
    );
  }
  if (documents.length > 1) {
    throw new AigovError(
      "PLAN_MULTIPLE_DOCUMENTS",
      `setup-terraform wrapper output with ${documents.length} JSON documents (lines ${documents.map((index) => index + 1).join(", ")}); which one is the plan is ambiguous`,
      { position: { file, line: documents[1]! + 1 }, hint: WRAPPER_HINT },
    );
  }
  return { text: lines[documents[0]!]!, line: documents[0]! + 1 };
}

/** The JSON text of a plan or cdk.tf.json, from its bytes or its text: decode, unwrap. */
export function jsonInputText(input: Uint8Array | string, file: string): { text: string; line: number } {
  return extractJsonText(typeof input === "string" ? input : decodeJsonBytes(input, file), file);
}

/**
 * decode → unwrap → validate → parse, for a cdk.tf.json, a cdktf manifest or a plan held whole: one JSON document,
 * no key twice in an object, no deeper than MAX_JSON_DEPTH (see scanJson).
 */
export function parseJsonDocument(input: Uint8Array | string, file: string, what?: string): unknown {
  const { bytes, line } = jsonInputBytes(input, file);
  return parseStrictJson(bytes, { file, firstLine: line, ...(what === undefined ? {} : { what }) });
}

/** JSON.parse, after scanJson has refused what JSON.parse would let through. */
export function parseStrictJson(input: Uint8Array | string, options: JsonScanOptions): unknown {
  scanJson(input, options);
  return JSON.parse(typeof input === "string" ? input : asBuffer(input).toString("utf8"));
}
