import { createHash, createHmac, type Hash, type Hmac } from "node:crypto";
import { SignatureV4 } from "@smithy/signature-v4";
import { describe, expect, it } from "vitest";
import { RECENT_CREDENTIALS, SweepSignatureV4 } from "../src/signing.ts";

type SourceData = string | ArrayBuffer | ArrayBufferView;
const bytes = (data: SourceData): string | Uint8Array =>
  typeof data === "string"
    ? data
    : ArrayBuffer.isView(data)
      ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength)
      : new Uint8Array(data);

// The SDK's Checksum interface over node:crypto: an HMAC when given a secret, a plain SHA-256 otherwise.
class Sha256 {
  private readonly hash: Hash | Hmac;
  constructor(secret?: SourceData) {
    this.hash = secret === undefined ? createHash("sha256") : createHmac("sha256", bytes(secret));
  }
  update(data: SourceData): void {
    this.hash.update(bytes(data));
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.hash.digest());
  }
}

const REGIONS = ["us-east-1", "us-west-2", "eu-west-1", "ap-southeast-2"];
const SERVICES = ["sagemaker", "bedrock", "lambda", "ecs", "ssm", "cloudtrail", "iam", "qbusiness", "sts", "logs"];
const DATE = new Date("2026-11-22T10:00:00Z");

function request(region: string, service: string) {
  return {
    method: "POST",
    protocol: "https:",
    hostname: `${service}.${region}.amazonaws.com`,
    path: "/",
    query: {},
    headers: { host: `${service}.${region}.amazonaws.com`, "content-type": "application/x-amz-json-1.1" },
    body: '{"MaxResults":100}',
  };
}

async function authorization(Signer: typeof SignatureV4, credentials: object, region: string, service: string) {
  const signer = new Signer({ credentials: async () => credentials as never, region, service, sha256: Sha256 });
  const signed = await signer.sign(request(region, service), {
    signingDate: DATE,
    signingRegion: region,
    signingService: service,
  });
  return signed.headers.authorization;
}

describe("SweepSignatureV4", () => {
  it("signs every request as the SDK's signer does, deriving one key per credentials, region and service", async () => {
    // More scopes than the SDK's own 50-key cache holds, each signed three times, as a sweep signs its calls.
    const credentials = {
      accessKeyId: "AKIAEXAMPLEEXAMPLE01",
      secretAccessKey: "wJalrXUtnFEMI/K7MDENG",
      sessionToken: "t1",
    };
    const derivedBefore = SweepSignatureV4.derived;
    for (let round = 0; round < 3; round++)
      for (const region of REGIONS)
        for (const service of SERVICES)
          expect(await authorization(SweepSignatureV4, credentials, region, service)).toBe(
            await authorization(SignatureV4, credentials, region, service),
          );
    expect(SweepSignatureV4.derived - derivedBefore).toBe(REGIONS.length * SERVICES.length);
  });

  it("derives a new key for renewed credentials, and signs with it", async () => {
    const first = { accessKeyId: "AKIAEXAMPLEEXAMPLE02", secretAccessKey: "first-secret", sessionToken: "t1" };
    const renewed = { accessKeyId: "AKIAEXAMPLEEXAMPLE02", secretAccessKey: "renewed-secret", sessionToken: "t2" };
    const before = await authorization(SweepSignatureV4, first, "us-east-1", "bedrock");
    const after = await authorization(SweepSignatureV4, renewed, "us-east-1", "bedrock");
    expect(after).not.toBe(before);
    expect(after).toBe(await authorization(SignatureV4, renewed, "us-east-1", "bedrock"));
  });

  it("signs a request whose canonical form holds non-ASCII text and a query as the SDK's signer does", async () => {
    const credentials = { accessKeyId: "AKIAEXAMPLEEXAMPLE03", secretAccessKey: "secret", sessionToken: "t3" };
    const signed = async (Signer: typeof SignatureV4) => {
      const signer = new Signer({
        credentials: async () => credentials,
        region: "eu-west-1",
        service: "s3",
        sha256: Sha256,
      });
      const result = await signer.sign(
        {
          ...request("eu-west-1", "s3"),
          method: "GET",
          path: "/bucket/kéy",
          query: { prefix: "café/☃", "max-keys": "10" },
          headers: { host: "s3.eu-west-1.amazonaws.com", "x-amz-meta-note": "naïve ✓" },
          body: undefined,
        },
        { signingDate: DATE },
      );
      return result.headers.authorization;
    };
    expect(await signed(SweepSignatureV4)).toBe(await signed(SignatureV4));
  });

  it("keeps keys for the credentials used most recently, so a large organization's keys are not all held", async () => {
    const accounts = Array.from({ length: 300 }, (_, i) => ({
      accessKeyId: `AKIAEXAMPLE${String(i).padStart(9, "0")}`,
      secretAccessKey: `secret-${i}`,
    }));
    for (const credentials of accounts) await authorization(SweepSignatureV4, credentials, "us-east-1", "bedrock");
    const derivedBefore = SweepSignatureV4.derived;
    await authorization(SweepSignatureV4, accounts[299]!, "us-east-1", "bedrock");
    expect(SweepSignatureV4.derived).toBe(derivedBefore);
    // The last RECENT_CREDENTIALS credentials keep their keys (used again, each moves to the newest end)…
    for (const credentials of accounts.slice(-RECENT_CREDENTIALS).reverse())
      await authorization(SweepSignatureV4, credentials, "us-east-1", "bedrock");
    expect(SweepSignatureV4.derived).toBe(derivedBefore);
    // …and the first account's key was dropped, and is derived again (and signs the same).
    expect(await authorization(SweepSignatureV4, accounts[0]!, "us-east-1", "bedrock")).toBe(
      await authorization(SignatureV4, accounts[0]!, "us-east-1", "bedrock"),
    );
    expect(SweepSignatureV4.derived).toBe(derivedBefore + 1);
    // Held for at most RECENT_CREDENTIALS credentials: the least recently used of those kept (the last account,
    // used first above) made room for it, the most recently used one did not.
    await authorization(SweepSignatureV4, accounts[300 - RECENT_CREDENTIALS]!, "us-east-1", "bedrock");
    expect(SweepSignatureV4.derived).toBe(derivedBefore + 1);
    await authorization(SweepSignatureV4, accounts[299]!, "us-east-1", "bedrock");
    expect(SweepSignatureV4.derived).toBe(derivedBefore + 2);
  });
});
