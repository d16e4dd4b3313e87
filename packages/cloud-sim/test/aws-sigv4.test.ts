import { createHash, createHmac } from "node:crypto";
import { SignatureV4 } from "@smithy/signature-v4";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { SimRequest } from "../src/core/frontend.ts";
import { signatureMismatch } from "../src/frontends/aws/sigv4.ts";

type Data = string | ArrayBuffer | ArrayBufferView;
const bytes = (data: Data) =>
  typeof data === "string"
    ? data
    : data instanceof ArrayBuffer
      ? new Uint8Array(data)
      : new Uint8Array(data.buffer, data.byteOffset, data.byteLength);

/** node:crypto behind the hash interface the SDK's signer takes (a plain hash, or an HMAC given a secret). */
class NodeSha256 {
  readonly #hash;
  constructor(secret?: Data) {
    this.#hash = secret === undefined ? createHash("sha256") : createHmac("sha256", bytes(secret));
  }
  update(data: Data): void {
    this.#hash.update(bytes(data));
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.#hash.digest());
  }
}

/** How the SDK's serializers encode a path label or a query name or value before signing: RFC 3986, `!'()*` too. */
const encode = (text: string) =>
  encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

// Text that makes canonical forms differ: reserved and unreserved marks, spaces, percent signs, plus, non-ASCII.
const part = fc.string({
  unit: fc.constantFrom(..."aZ09-_.~ !'()*+%&=/?:@,;$é€😀".split(/(?:)/u)),
  minLength: 0,
  maxLength: 8,
});

const SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";

describe("cloud-sim's SigV4 check against the AWS SDK's signer", () => {
  it("accepts every request the SDK signs, over random paths, queries and header spacing; refuses another key's", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom("sagemaker", "s3", "lambda", "bedrock"),
        fc.constantFrom("GET", "POST"),
        fc.array(part, { maxLength: 4 }),
        fc.array(fc.tuple(part, part), { maxLength: 5 }),
        fc.stringMatching(/^[ a-z0-9]{0,12}$/),
        fc.string({ maxLength: 40 }),
        async (service, method, segments, query, spacedValue, body) => {
          const s3 = service === "s3";
          const signer = new SignatureV4({
            service,
            region: "eu-west-1",
            sha256: NodeSha256,
            credentials: { accessKeyId: "ASIA222222222222SIGN", secretAccessKey: SECRET, sessionToken: "token" },
            // S3 signs its path as sent; every other service encodes it once more.
            uriEscapePath: !s3,
            applyChecksum: s3,
          });
          // A name given twice keeps its last value, as the SDK's query object does.
          const queryObject = Object.fromEntries(query);
          const path = `/${segments.map(encode).join("/")}`;
          const signed = (await signer.sign({
            method,
            protocol: "http:",
            hostname: "127.0.0.1",
            port: 4566,
            path,
            query: queryObject,
            headers: { host: "127.0.0.1:4566", "x-custom-spaced": `  ${spacedValue}  ` },
            body,
          })) as unknown as { headers: Record<string, string> };
          // What the simulator receives: the path and query as the SDK's HTTP handler writes them.
          const search = Object.entries(queryObject)
            .map(([name, value]) => `${encode(name)}=${encode(value)}`)
            .join("&");
          const received = (secret: string) =>
            signatureMismatch(
              {
                method,
                url: `${path}${search === "" ? "" : `?${search}`}`,
                path,
                search: search === "" ? "" : `?${search}`,
                headers: Object.fromEntries(Object.entries(signed.headers).map(([k, v]) => [k.toLowerCase(), v])),
                body,
                secure: false,
              } satisfies SimRequest,
              secret,
            );
          expect(received(SECRET)).toBeUndefined();
          expect(received(`${SECRET}x`)).toMatch(/does not match/);
        },
      ),
      { numRuns: 300 },
    );
  });
});
