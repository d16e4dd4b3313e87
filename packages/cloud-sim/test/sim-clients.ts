import { X509Certificate } from "node:crypto";
import { connect } from "node:tls";
import { fileURLToPath } from "node:url";

/** The test world (three of most things, so page size 2 makes every paginator fetch several pages). */
export const WORLD_FILE = fileURLToPath(new URL("./fixtures/world.yaml", import.meta.url));

/** Access key ids whose characters 5..16 name the account they act as. */
export const KEYS = {
  management: { accessKeyId: "AKIA111111111111TEST", secretAccessKey: "fake" },
  prod: { accessKeyId: "AKIA222222222222TEST", secretAccessKey: "fake" },
  dev: { accessKeyId: "AKIA333333333333TEST", secretAccessKey: "fake" },
} as const;

/** Client options for a real SDK client pointed at the simulator, failing fast (no retries unless asked). */
export function clientConfig(
  url: string,
  credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string },
  region = "us-east-1",
  maxAttempts = 1,
) {
  return { region, endpoint: url, credentials, maxAttempts };
}

/** Every item of every page a paginator returns, in order. */
export async function collect<P, T>(pages: AsyncIterable<P>, pick: (page: P) => T[] | undefined): Promise<T[]> {
  const all: T[] = [];
  for await (const page of pages) all.push(...(pick(page) ?? []));
  return all;
}

/** The certificate a TLS server on 127.0.0.1 presents for `servername`, verified against `ca`. */
export function servedCertificate(port: number, ca: string, servername: string): Promise<X509Certificate> {
  return new Promise((done, fail) => {
    const socket = connect({ host: "127.0.0.1", port, ca, servername }, () => {
      done(new X509Certificate(socket.getPeerX509Certificate()!.raw));
      socket.end();
    });
    socket.on("error", fail);
  });
}
