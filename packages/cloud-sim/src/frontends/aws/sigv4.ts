import { createHmac } from "node:crypto";
import { encodeRfc3986, sha256Hex } from "@aigov/core";
import { header, type SimRequest } from "../../core/frontend.ts";

// Signature Version 4, checked as AWS checks it, from the request as it arrived: the canonical request
// (https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html), the string to sign, and the HMAC
// chain from the secret key. Written from that description; a client's signer is what it tests.

const AUTHORIZATION =
  /^AWS4-HMAC-SHA256 Credential=([^/,\s]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, ?SignedHeaders=([a-z0-9;_.-]+), ?Signature=([0-9a-f]{64})$/;

/** A percent-encoded part of a URI as its text (a `+` in a query is a space only in forms, not here). */
function decodePart(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}

/**
 * The canonical URI. S3 signs the path as sent. Every other service signs it normalized as RFC 3986 says (empty and
 * `.` segments dropped, `..` taking the one before it, a trailing slash kept) and each segment encoded once more: the
 * path arrives encoded, so it is signed encoded twice.
 */
function canonicalPath(path: string, service: string): string {
  if (service === "s3") return path === "" ? "/" : path;
  const segments: string[] = [];
  for (const segment of path.split("/")) {
    if (segment === "" || segment === ".") continue;
    if (segment === "..") segments.pop();
    else segments.push(encodeRfc3986(segment));
  }
  const trailing = segments.length > 0 && path.endsWith("/") ? "/" : "";
  return `/${segments.join("/")}${trailing}`;
}

/** The canonical query: each name and value decoded and encoded again, sorted by name, then value. */
function canonicalQuery(search: string): string {
  if (search.length <= 1) return "";
  const pairs = search
    .slice(1)
    .split("&")
    .filter((pair) => pair !== "")
    .map((pair) => {
      const at = pair.indexOf("=");
      const name = at < 0 ? pair : pair.slice(0, at);
      const value = at < 0 ? "" : pair.slice(at + 1);
      return [encodeRfc3986(decodePart(name)), encodeRfc3986(decodePart(value))] as const;
    });
  pairs.sort(([a, x], [b, y]) => (a < b ? -1 : a > b ? 1 : x < y ? -1 : x > y ? 1 : 0));
  return pairs.map(([name, value]) => `${name}=${value}`).join("&");
}

// A sweep signs thousands of requests with one key per session, day, region and service: four HMACs each, kept.
const signingKeys = new Map<string, Buffer>();

function signingKey(secretAccessKey: string, date: string, region: string, service: string): Buffer {
  const cacheKey = `${secretAccessKey}/${date}/${region}/${service}`;
  let key = signingKeys.get(cacheKey);
  if (key === undefined) {
    key = Buffer.from(`AWS4${secretAccessKey}`, "utf8");
    for (const part of [date, region, service, "aws4_request"]) key = createHmac("sha256", key).update(part).digest();
    if (signingKeys.size >= 10_000) signingKeys.clear();
    signingKeys.set(cacheKey, key);
  }
  return key;
}

/**
 * Why the request's SigV4 signature is not the one `secretAccessKey` gives it, or undefined when it is. A request
 * without a SigV4 Authorization header is not this function's to judge (the frontend refuses it before).
 */
export function signatureMismatch(request: SimRequest, secretAccessKey: string): string | undefined {
  const match = AUTHORIZATION.exec(header(request, "authorization") ?? "");
  if (match === null)
    return "the Authorization header is not AWS4-HMAC-SHA256 with Credential, SignedHeaders, Signature";
  const [, , date, region, service, signedHeaders, signature] = match as unknown as [
    string,
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  const amzDate = header(request, "x-amz-date");
  if (amzDate === undefined || !amzDate.startsWith(date))
    return "X-Amz-Date is missing or not of the credential scope's day";
  const names = signedHeaders.split(";");
  if (!names.includes("host")) return "the Host header is not signed";
  const canonicalHeaders = names.map((name) => {
    const value = header(request, name);
    return `${name}:${(value ?? "").trim().replace(/\s+/g, " ")}\n`;
  });
  const payloadHash = header(request, "x-amz-content-sha256") ?? sha256Hex(request.body);
  const canonicalRequest = [
    request.method,
    canonicalPath(request.path, service),
    canonicalQuery(request.search),
    canonicalHeaders.join(""),
    signedHeaders,
    payloadHash,
  ].join("\n");
  const scope = `${date}/${region}/${service}/aws4_request`;
  const stringToSign = ["AWS4-HMAC-SHA256", amzDate, scope, sha256Hex(canonicalRequest)].join("\n");
  const expected = createHmac("sha256", signingKey(secretAccessKey, date, region, service))
    .update(stringToSign)
    .digest("hex");
  return expected === signature ? undefined : "the request signature does not match the one its secret key gives";
}
