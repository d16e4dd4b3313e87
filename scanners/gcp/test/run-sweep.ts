import { generateKeyPairSync } from "node:crypto";

export { runSweep, type SweepResult } from "@aigov/scanner-kit/testing";

export const SCANNER_EMAIL = "aigov-reader@sec-tools.iam.gserviceaccount.com";

/**
 * The scanner's options for a service account whose private key is made here: the JWTs it signs are real (the
 * simulator reads who signed them, without checking the signature).
 */
export function serviceAccountAuth() {
  const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  return { email: SCANNER_EMAIL, privateKey: privateKey.export({ type: "pkcs8", format: "pem" }).toString() };
}
