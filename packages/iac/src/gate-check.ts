// `aigov gate` of a large plan validates its bytes on a worker thread (gate-check-worker.ts, started by bin/aigov.js
// with the plan's read: packages/cli/bin/plan-read-ahead.js) while the main thread gathers what it judges from the
// same bytes without validating them (scanJson's checkedElsewhere). The verdict decides: the gate goes on only when
// the worker found the whole document valid, and reports the worker's error when it did not, the error a validation
// on the main thread would have reported first.
import { AigovError, isAigovError, type Position } from "@aigov/core/errors";
import { scanJson } from "./json-scanner.ts";
import { jsonInputBytes } from "./plan-text.ts";

/**
 * What the worker found: valid, the error it refused the bytes with, or nothing (it could not run or did not get the
 * bytes): the main thread then validates them itself.
 */
export type GateCheckVerdict =
  | { readonly valid: true }
  | { readonly error: { code: string; message: string; position?: Position; hint?: string } }
  | { readonly unavailable: true };

/**
 * Everything the gate refuses in a plan's bytes before it reads them as a plan: empty, binary, encoding, not JSON,
 * wrapper output, and (scanJson) anything JSON.parse refuses, a key twice, a second document, too deep. Throws the
 * AigovError the gate's own read (readGateSource) throws for them, first in the same order.
 */
export function checkGateBytes(bytes: Uint8Array, file: string): void {
  const input = jsonInputBytes(bytes, file);
  scanJson(input.bytes, { file, firstLine: input.line });
}

/** The verdict of checkGateBytes, as a worker posts it. */
export function gateCheckVerdict(bytes: Uint8Array, file: string): GateCheckVerdict {
  try {
    checkGateBytes(bytes, file);
    return { valid: true };
  } catch (error) {
    if (!isAigovError(error)) return { unavailable: true };
    return {
      error: {
        code: error.code,
        message: error.message,
        ...(error.position === undefined ? {} : { position: error.position }),
        ...(error.hint === undefined ? {} : { hint: error.hint }),
      },
    };
  }
}

/** The error a verdict carries, as the main thread throws it; undefined for valid or unavailable. */
export function verdictError(verdict: GateCheckVerdict): AigovError | undefined {
  if (!("error" in verdict)) return undefined;
  const { code, message, position, hint } = verdict.error;
  return new AigovError(code, message, {
    ...(position === undefined ? {} : { position }),
    ...(hint === undefined ? {} : { hint }),
  });
}
