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
// of in flight, so the cache stays small however many accounts the organization has.
const RECENT_CREDENTIALS = 256;
const signingKeys = new Map<SigningCredentials, Map<string, Promise<Uint8Array>>>();
const deriveSigningKey = SignatureV4.prototype["getSigningKey"] as DeriveSigningKey;

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
