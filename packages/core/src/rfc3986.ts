/**
 * RFC 3986 percent-encoding of everything but the unreserved characters (A–Z a–z 0–9 - _ . ~), as AWS SigV4 and
 * the AWS SDK encode a URI's parts: `encodeURIComponent` leaves `!'()*` unescaped, so they are escaped here.
 */
export function encodeRfc3986(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}
