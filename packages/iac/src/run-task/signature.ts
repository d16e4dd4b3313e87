import { createHmac, timingSafeEqual } from "node:crypto";

/** The header HCP Terraform / Terraform Enterprise signs run task requests with, when the task has an HMAC key. */
export const SIGNATURE_HEADER = "x-tfc-task-signature";

/** HMAC-SHA512 of the exact request bytes, hex: what HCP Terraform puts in `X-TFC-Task-Signature`. */
export function signRunTaskBody(body: Uint8Array, key: string): string {
  return createHmac("sha512", key).update(body).digest("hex");
}

/**
 * True only when `header` is the HMAC-SHA512 of `body` under `key`. The comparison is constant-time over the
 * digest, so a caller probing signatures learns nothing from response timing. A `sha512=` prefix is tolerated
 * because some proxies and Terraform Enterprise integrations forward the header that way.
 */
export function verifyRunTaskSignature(body: Uint8Array, header: string | undefined, key: string): boolean {
  if (header === undefined) return false;
  const hex = header
    .trim()
    .replace(/^sha512=/i, "")
    .toLowerCase();
  if (!/^[0-9a-f]{128}$/.test(hex)) return false;
  const expected = createHmac("sha512", key).update(body).digest();
  return timingSafeEqual(Buffer.from(hex, "hex"), expected);
}
