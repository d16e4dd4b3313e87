import { KeyObject, webcrypto } from "node:crypto";

/** A certificate authority made for one process, and the server certificate it signed. PEM throughout. */
export interface SimCertificate {
  /** What a client trusts (NODE_EXTRA_CA_CERTS, AWS_CA_BUNDLE, tls.setDefaultCACertificates). */
  readonly caCertificate: string;
  readonly certificate: string;
  readonly privateKey: string;
}

/** Where clients reach the simulator whatever the cloud: the loopback addresses. */
const LOOPBACK_NAMES = ["localhost", "127.0.0.1", "::1"];
const DAY_MS = 24 * 60 * 60 * 1000;

const issued = new Map<string, Promise<SimCertificate>>();

/**
 * A server certificate for the loopback names and `hostnames` (`management.azure.com`, `*.googleapis.com` …, which
 * clients reach through an endpoint override to 127.0.0.1), signed by a CA generated here, in process: no openssl
 * is needed, and the CA's private key never leaves memory. One per process and set of names: every simulator a
 * process starts serves the same one, so a test trusts one CA file however many it starts.
 */
export function simCertificate(hostnames: readonly string[]): Promise<SimCertificate> {
  const names = [...new Set([...LOOPBACK_NAMES, ...hostnames])].sort();
  const key = names.join(" ");
  let certificate = issued.get(key);
  if (certificate === undefined) {
    certificate = generate(names);
    issued.set(key, certificate);
  }
  return certificate;
}

async function generate(names: readonly string[]): Promise<SimCertificate> {
  // @peculiar/x509 resolves its parts through tsyringe, which needs the Reflect metadata API first. Loaded here, on
  // first use, so nothing that never starts a simulator pays for it.
  await import("reflect-metadata");
  const x509 = await import("@peculiar/x509");
  x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[1]);
  const algorithm = { name: "ECDSA", namedCurve: "P-256", hash: "SHA-256" };
  const generateKeys = async () =>
    (await webcrypto.subtle.generateKey(algorithm, true, ["sign", "verify"])) as webcrypto.CryptoKeyPair;
  const caKeys = await generateKeys();
  const serverKeys = await generateKeys();
  // Valid from an hour ago (clock skew) for thirty days: longer than any `aigov sim` session.
  const notBefore = new Date(Date.now() - DAY_MS / 24);
  const notAfter = new Date(Date.now() + 30 * DAY_MS);
  // Random, 16 bytes, and positive as RFC 5280 asks: a leading 01 byte keeps the sign bit clear.
  const serial = () => `01${Buffer.from(webcrypto.getRandomValues(new Uint8Array(15))).toString("hex")}`;
  const ca = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serial(),
    name: "CN=aigov cloud-sim CA (generated for one process), O=aigov",
    notBefore,
    notAfter,
    signingAlgorithm: algorithm,
    keys: caKeys,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(caKeys.publicKey),
    ],
  });
  const server = await x509.X509CertificateGenerator.create({
    serialNumber: serial(),
    subject: "CN=cloud-sim, O=aigov",
    issuer: ca.subject,
    notBefore,
    notAfter,
    signingAlgorithm: algorithm,
    publicKey: serverKeys.publicKey,
    signingKey: caKeys.privateKey,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      new x509.SubjectAlternativeNameExtension(
        names.map((name) => ({ type: /^[\d.]+$|:/.test(name) ? ("ip" as const) : ("dns" as const), value: name })),
      ),
      await x509.AuthorityKeyIdentifierExtension.create(caKeys.publicKey),
      await x509.SubjectKeyIdentifierExtension.create(serverKeys.publicKey),
    ],
  });
  return {
    caCertificate: ca.toString("pem"),
    certificate: server.toString("pem"),
    privateKey: String(KeyObject.from(serverKeys.privateKey).export({ type: "pkcs8", format: "pem" })),
  };
}
