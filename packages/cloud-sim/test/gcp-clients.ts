import { generateKeyPairSync } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { getCACertificates, setDefaultCACertificates } from "node:tls";
import { GoogleAuth } from "google-auth-library";
import { afterAll, beforeAll, beforeEach } from "vitest";
import { type CloudSim, startCloudSim } from "../src/index.ts";

/** The Google Cloud test world (three of most things: page size 1 or 2 makes every listing go round several pages). */
export const GCP_WORLD_FILE = fileURLToPath(new URL("./fixtures/gcp-world.yaml", import.meta.url));

export const SCANNER_EMAIL = "aigov-reader@sec-tools.iam.gserviceaccount.com";

/**
 * A service-account key file as `gcloud iam service-accounts keys create` writes it, with its `token_uri` at the
 * simulator: what GOOGLE_APPLICATION_CREDENTIALS points at. The private key is made here and signs real JWTs.
 */
export function serviceAccountKeyFile(tokenUri: string, email = SCANNER_EMAIL): string {
  const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const file = join(mkdtempSync(join(tmpdir(), "aigov-gcp-key-")), "key.json");
  writeFileSync(
    file,
    JSON.stringify({
      type: "service_account",
      project_id: "sec-tools",
      private_key_id: "0123456789abcdef",
      private_key: privateKey.export({ type: "pkcs8", format: "pem" }),
      client_email: email,
      client_id: "100000000000000000001",
      auth_uri: "https://accounts.google.com/o/oauth2/auth",
      token_uri: tokenUri,
    }),
  );
  return file;
}

/**
 * Application Default Credentials from a key file, with the scope a scanner asks for, signing its own JWTs as the
 * `@google-cloud/*` clients make it do (they set `useJWTAccessWithScope` on the auth they are given): the Node
 * library sends a service account's token requests to oauth2.googleapis.com whatever the key's `token_uri` says.
 */
export function keyFileAuth(keyFile: string): GoogleAuth {
  const auth = new GoogleAuth({ keyFile, scopes: ["https://www.googleapis.com/auth/cloud-platform"] });
  auth.useJWTAccessWithScope = true;
  return auth;
}

/**
 * Options for a real `@google-cloud/*` client on its REST transport, pointed at the simulator's HTTPS listener.
 * The clients on google-gax 5 (Resource Manager, Service Usage, Notebooks) declare google-auth-library 10's
 * GoogleAuth, the others 11's; one GoogleAuth serves both at run time, so its declared type is left to the client.
 */
export function restClientOptions(httpsPort: number, auth: GoogleAuth) {
  return { fallback: true as const, protocol: "https", apiEndpoint: "127.0.0.1", port: httpsPort, auth: auth as never };
}

/**
 * The test world's simulator for one test file, its CA trusted in process (and no longer after the file), the
 * request log cleared before each test, and a service account's Application Default Credentials.
 */
export function trustedSimulator(options: { pageSize?: number } = {}): {
  readonly sim: CloudSim;
  readonly auth: GoogleAuth;
} {
  const defaultCAs = getCACertificates("default");
  let sim: CloudSim | undefined;
  let auth: GoogleAuth | undefined;
  beforeAll(async () => {
    sim = await startCloudSim({ world: GCP_WORLD_FILE, ...options });
    setDefaultCACertificates([...defaultCAs, sim.caCertificate]);
    auth = keyFileAuth(serviceAccountKeyFile(`${sim.httpsUrl}/token`));
  });
  afterAll(async () => {
    setDefaultCACertificates(defaultCAs);
    await sim?.close();
  });
  beforeEach(() => sim?.requests.clear());
  return {
    get sim() {
      return sim!;
    },
    get auth() {
      return auth!;
    },
  };
}
