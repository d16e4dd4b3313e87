import { createHash, createHmac, createSecretKey, type KeyObject } from "node:crypto";
import { SignatureV4 } from "@smithy/signature-v4";

// What the SDK's signer derives a signing key with: a private method, which the signer calls for every request.
interface SigningCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
}
type DeriveSigningKey = (
  this: SignatureV4,
  credentials: SigningCredentials,
  region: string,
  shortDate: string,
  service?: string,
) => Promise<Uint8Array>;

// Signing keys per credentials object (the SDK hands the signer the same object until the credentials are renewed),
// by day, region and service, for the credentials used most recently: a sweep signs for the accounts it has targets
// of in flight, so the cache stays small however many accounts the organization has. An account has some 36 keys
// (regions x services), each held as bytes and a KeyObject (about 0.75 KiB in all): at 256 credentials the cache
// held 9,200 keys, 7 MiB of a 1,000-account sweep's heap. The 32 targets in flight and 32 CloudTrail lookups ahead
// (cloudtrail-ahead.ts) span some 20 accounts; a key evicted early is derived again (five HMACs).
export const RECENT_CREDENTIALS = 64;
const signingKeys = new Map<SigningCredentials, Map<string, Promise<Uint8Array>>>();
const deriveSigningKey = SignatureV4.prototype["getSigningKey"] as DeriveSigningKey;
// Each signing key as a KeyObject: node:crypto checks a raw key's type on every HMAC built from it (about 10 µs, a
// third of signing a request), a KeyObject's once.
const signingKeyObjects = new WeakMap<Uint8Array, KeyObject>();

function signingKeyObject(key: Uint8Array): KeyObject {
  let keyObject = signingKeyObjects.get(key);
  if (keyObject === undefined) {
    keyObject = createSecretKey(key);
    signingKeyObjects.set(key, keyObject);
  }
  return keyObject;
}

/**
 * The SDK's SigV4 signer with a signing-key cache that holds a whole sweep. The SDK's own cache keeps 50 keys for
 * the process, far fewer than a sweep's accounts × regions × services, so every request re-derived its key (five
 * HMACs) and first hashed the secret to look it up: a sixth of the scanner's CPU. What is signed, and how, is the
 * SDK's.
 */
export class SweepSignatureV4 extends SignatureV4 {
  /** Signing keys derived so far (by this process, every instance): what the cache saved is requests minus these. */
  static derived = 0;
}

const getSigningKey: DeriveSigningKey = function getSigningKey(credentials, region, shortDate, service) {
  const name = service ?? this["service"];
  let byScope = signingKeys.get(credentials);
  if (byScope === undefined) {
    byScope = new Map();
    if (signingKeys.size >= RECENT_CREDENTIALS) signingKeys.delete(signingKeys.keys().next().value!);
  } else {
    signingKeys.delete(credentials);
  }
  // Re-inserted on every use: the Map's order is then least recently used first.
  signingKeys.set(credentials, byScope);
  const scope = `${shortDate}/${region}/${name}`;
  let key = byScope.get(scope);
  if (key === undefined) {
    SweepSignatureV4.derived += 1;
    key = deriveSigningKey.call(this, credentials, region, shortDate, name);
    byScope.set(scope, key);
  }
  return key;
};
SweepSignatureV4.prototype["getSigningKey"] = getSigningKey;

/**
 * The request's signature as the SDK computes it (the hex HMAC, under the signing key, of the string to sign, which
 * ends with the canonical request's SHA-256), with node:crypto directly: the SDK's hash wrapper copies each hash
 * before its digest and builds each HMAC from the raw key. (A private method of the SDK's signer, as getSigningKey.)
 */
async function getSignature(
  longDate: string,
  credentialScope: string,
  keyPromise: Promise<Uint8Array>,
  canonicalRequest: string,
): Promise<string> {
  const hashedRequest = createHash("sha256").update(canonicalRequest).digest("hex");
  const stringToSign = `AWS4-HMAC-SHA256\n${longDate}\n${credentialScope}\n${hashedRequest}`;
  return createHmac("sha256", signingKeyObject(await keyPromise))
    .update(stringToSign)
    .digest("hex");
}
SweepSignatureV4.prototype["getSignature"] = getSignature;
