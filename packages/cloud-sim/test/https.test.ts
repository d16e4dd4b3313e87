import { execFile } from "node:child_process";
import { X509Certificate } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { ListEndpointsCommand, SageMakerClient } from "@aws-sdk/client-sagemaker";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CloudSim, startCloudSim } from "../src/index.ts";
import { clientConfig, KEYS, servedCertificate, WORLD_FILE } from "./sim-clients.ts";

const PACKAGE = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const NODE = join(PACKAGE, "../../node_modules/.bin/node");

let sim: CloudSim;
beforeAll(async () => {
  sim = await startCloudSim({ world: WORLD_FILE });
});
afterAll(async () => {
  await sim.close();
});

/** A SageMaker ListEndpoints (its first page) from the real SDK in a fresh Node process: the endpoint names, or the error's code. */
function listEndpointsInChild(endpoint: string, extraCaCerts?: string): Promise<string> {
  const script = `
    import { ListEndpointsCommand, SageMakerClient } from "@aws-sdk/client-sagemaker";
    const client = new SageMakerClient({
      region: "us-east-1", endpoint: ${JSON.stringify(endpoint)}, maxAttempts: 1,
      credentials: { accessKeyId: "AKIA222222222222TEST", secretAccessKey: "x" },
    });
    try {
      const { Endpoints } = await client.send(new ListEndpointsCommand({}));
      console.log(Endpoints.map((e) => e.EndpointName).join(","));
    } catch (error) {
      console.log("refused: " + (error.code ?? error.cause?.code ?? error.name));
    }`;
  const { NODE_EXTRA_CA_CERTS: _inherited, ...env } = process.env;
  return new Promise((done, fail) => {
    execFile(
      NODE,
      ["--input-type=module", "-e", script],
      { cwd: PACKAGE, env: extraCaCerts === undefined ? env : { ...env, NODE_EXTRA_CA_CERTS: extraCaCerts } },
      (error, stdout, stderr) => (error === null ? done(stdout.trim()) : fail(new Error(stderr))),
    );
  });
}

describe("HTTPS", () => {
  it("is trusted by a Node client given the CA through NODE_EXTRA_CA_CERTS, and refused by one without it", async () => {
    sim.requests.clear();
    expect(sim.httpsUrl).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(await listEndpointsInChild(sim.httpsUrl, sim.caCertificateFile)).toBe("chat,embed");
    expect(await listEndpointsInChild(`https://localhost:${sim.httpsPort}`, sim.caCertificateFile)).toBe("chat,embed");
    expect(await listEndpointsInChild(sim.httpsUrl)).toMatch(/^refused: \w*(CERT|ISSUER|SIGNATURE)\w*$/);
    // The refused client never got as far as a request.
    expect(sim.requests.all().map((r) => [r.operation, r.status])).toEqual([
      ["ListEndpoints", 200],
      ["ListEndpoints", 200],
    ]);
  }, 30_000);

  it("is trusted in process once the CA joins Node's default CA certificates (as the README says)", async () => {
    const { getCACertificates, setDefaultCACertificates } = await import("node:tls");
    const defaults = getCACertificates("default");
    const sagemaker = new SageMakerClient(clientConfig(sim.httpsUrl, KEYS.prod));
    await expect(sagemaker.send(new ListEndpointsCommand({}))).rejects.toThrow();
    setDefaultCACertificates([...defaults, sim.caCertificate]);
    try {
      const trusting = new SageMakerClient(clientConfig(sim.httpsUrl, KEYS.prod));
      expect((await trusting.send(new ListEndpointsCommand({}))).Endpoints?.map((e) => e.EndpointName)).toEqual([
        "chat",
        "embed",
      ]);
    } finally {
      setDefaultCACertificates(defaults);
    }
  });

  it("serves a certificate for the loopback names, signed by the CA in the file", async () => {
    expect(readFileSync(sim.caCertificateFile, "utf8")).toBe(sim.caCertificate);
    const ca = new X509Certificate(sim.caCertificate);
    expect(ca.ca).toBe(true);
    const served = await servedCertificate(sim.httpsPort, sim.caCertificate, "localhost");
    expect(served.verify(ca.publicKey)).toBe(true);
    expect(served.checkIP("127.0.0.1")).toBe("127.0.0.1");
    expect(served.checkHost("localhost")).toBe("localhost");
    expect(served.checkHost("example.com")).toBeUndefined();
  });

  it("removes the CA file when it closes", async () => {
    const other = await startCloudSim({ world: WORLD_FILE });
    expect(existsSync(other.caCertificateFile)).toBe(true);
    await other.close();
    expect(existsSync(other.caCertificateFile)).toBe(false);
  });
});
