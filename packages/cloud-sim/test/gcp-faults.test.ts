import { request } from "node:https";
import { v1 as aiplatform } from "@google-cloud/aiplatform";
import { ApiKeysClient } from "@google-cloud/apikeys";
import { beforeEach, describe, expect, it } from "vitest";
import { type FaultSpec, parseWorld } from "../src/index.ts";
import { restClientOptions, trustedSimulator } from "./gcp-clients.ts";
import { servedCertificate } from "./sim-clients.ts";

const simulator = trustedSimulator();
beforeEach(() => simulator.sim.setFaults([]));

const endpoints = () =>
  new aiplatform.EndpointServiceClient(restClientOptions(simulator.sim.httpsPort, simulator.auth));
const keys = () => new ApiKeysClient(restClientOptions(simulator.sim.httpsPort, simulator.auth));
const failureOf = (call: Promise<unknown>) => call.then(() => undefined).catch((error: unknown) => error);

describe("faults, in Google's error shapes as the real clients decode them", () => {
  const listEndpoints = (location = "us-central1") =>
    failureOf(endpoints().listEndpoints({ parent: `projects/ml-prod-4821/locations/${location}` }, { timeout: 2000 }));

  it.each<[FaultSpec["kind"], number, string | undefined]>([
    ["throttle", 8, "RATE_LIMIT_EXCEEDED"], // RESOURCE_EXHAUSTED, 429
    ["error500", 13, undefined], // INTERNAL
    ["error503", 14, undefined], // UNAVAILABLE
    ["access-denied", 7, "IAM_PERMISSION_DENIED"],
    ["target-unreachable", 7, "IAM_PERMISSION_DENIED"],
    ["region-disabled", 9, undefined], // FAILED_PRECONDITION
    ["service-disabled", 7, "SERVICE_DISABLED"], // PERMISSION_DENIED, as for an API the project has not enabled
  ])("%s → gRPC code %i", async (kind, code, reason) => {
    simulator.sim.setFaults([{ kind, cloud: "gcp", account: "ml-prod-4821" }]);
    const error = (await listEndpoints()) as { code?: number; reason?: string };
    expect(error.code).toBe(code);
    expect(error.reason).toBe(reason);
    expect(simulator.sim.requests.all().at(-1)?.fault).toBe(kind);
  });

  it("denies access naming the permission the call needed", async () => {
    simulator.sim.setFaults([{ kind: "access-denied", service: "aiplatform", operation: "ListEndpoints" }]);
    expect(await listEndpoints()).toMatchObject({
      errorInfoMetadata: { permission: "aiplatform.endpoints.list" },
    });
  });

  it("target-unreachable hits every API of that project, and no other project", async () => {
    simulator.sim.setFaults([{ kind: "target-unreachable", account: "shadow-ai-7731" }]);
    expect(await failureOf(keys().listKeys({ parent: "projects/shadow-ai-7731/locations/global" }))).toMatchObject({
      code: 7,
    });
    expect(await failureOf(keys().listKeys({ parent: "projects/ml-prod-4821/locations/global" }))).toBeUndefined();
  });

  it("region-disabled hits a Vertex AI location, never a global API", async () => {
    simulator.sim.setFaults([{ kind: "region-disabled", region: "europe-west4" }]);
    expect(await listEndpoints("europe-west4")).toMatchObject({ code: 9 });
    expect(await listEndpoints("us-central1")).toBeUndefined();
    expect(await failureOf(keys().listKeys({ parent: "projects/ml-prod-4821/locations/global" }))).toBeUndefined();
  });

  it("a hang ends with the client's own deadline", async () => {
    simulator.sim.setFaults([{ kind: "hang", service: "aiplatform" }]);
    const error = await failureOf(
      endpoints().listEndpoints({ parent: "projects/ml-prod-4821/locations/us-central1" }, { timeout: 300 }),
    );
    expect(error).toMatchObject({ code: 4 }); // DEADLINE_EXCEEDED
    expect(simulator.sim.requests.all().at(-1)).toMatchObject({ status: 0, fault: "hang" });
  });
});

describe("what the request log says a call is", () => {
  it("a write the simulator does not serve is refused and listed by writes()", async () => {
    const error = await failureOf(
      keys().createKey({ parent: "projects/ml-prod-4821/locations/global", key: { displayName: "new" } }),
    );
    expect(error).toMatchObject({ code: 5 }); // NOT_FOUND: cloud-sim does not simulate it
    expect(simulator.sim.requests.writes().map((r) => [r.cloud, r.operation, r.status])).toEqual([
      ["gcp", "POST /v2/projects/ml-prod-4821/locations/global/keys", 404],
    ]);
  });
});

/** A GET over HTTPS to the simulator under a Google host name (as `curl --resolve` would send it). */
function getAs(host: string, path: string): Promise<{ status: number; body: string }> {
  return new Promise((done, fail) => {
    const outgoing = request(
      {
        host: "127.0.0.1",
        port: simulator.sim.httpsPort,
        servername: host,
        path,
        headers: { host, authorization: "Bearer opaque-token" },
      },
      (response) => {
        let body = "";
        response.on("data", (chunk: Buffer) => {
          body += chunk.toString();
        });
        response.on("end", () => done({ status: response.statusCode ?? 0, body }));
      },
    );
    outgoing.on("error", fail);
    outgoing.end();
  });
}

describe("Google host names", () => {
  it("serves a certificate for *.googleapis.com, Vertex AI's regional endpoints included", async () => {
    const served = await servedCertificate(
      simulator.sim.httpsPort,
      simulator.sim.caCertificate,
      "us-central1-aiplatform.googleapis.com",
    );
    expect(served.checkHost("us-central1-aiplatform.googleapis.com")).toBe("*.googleapis.com");
    expect(served.checkHost("oauth2.googleapis.com")).toBe("*.googleapis.com");
    expect(served.checkHost("googleapis.com.example.org")).toBeUndefined();
  });

  it("answers a regional endpoint only for its own location, and an API only under its own host", async () => {
    const path = "/v1/projects/ml-prod-4821/locations/us-central1/endpoints";
    expect((await getAs("us-central1-aiplatform.googleapis.com", path)).status).toBe(200);
    expect((await getAs("aiplatform.googleapis.com", path)).status).toBe(200);
    const elsewhere = await getAs("europe-west4-aiplatform.googleapis.com", path);
    expect([elsewhere.status, JSON.parse(elsewhere.body).error.status]).toEqual([400, "INVALID_ARGUMENT"]);
    expect((await getAs("apikeys.googleapis.com", path)).status).toBe(404);
    expect(simulator.sim.requests.all().map((r) => [r.service, r.operation, r.region, r.status])).toEqual([
      ["aiplatform", "ListEndpoints", "us-central1", 200],
      ["aiplatform", "ListEndpoints", "us-central1", 200],
      ["aiplatform", "ListEndpoints", "us-central1", 400],
      ["aiplatform", "ListEndpoints", "us-central1", 404],
    ]);
  });
});

describe("the gcp: world section", () => {
  const defect = (yaml: string) => {
    try {
      parseWorld(`version: 1\n${yaml}`, "w.yaml");
      return undefined;
    } catch (error) {
      const { message, position } = error as Error & { position?: { file: string; line?: number } };
      return `${position?.file}:${position?.line}: ${message}`;
    }
  };

  it("refuses what the checks find, at file:line", () => {
    expect(defect("gcp:\n  projects:\n    - projectId: dup-project-1\n    - projectId: dup-project-1\n")).toMatch(
      /^w\.yaml:5: .*duplicate project id dup-project-1/,
    );
    expect(defect("gcp:\n  projects:\n    - { projectId: no-folder-01, folder: Nowhere }\n")).toMatch(
      /a folder needs an organization section/,
    );
    expect(
      defect("gcp:\n  organization: { id: '1' }\n  projects:\n    - { projectId: no-folder-01, folder: Nowhere }\n"),
    ).toMatch(/no folder 'Nowhere'/);
    expect(
      defect(
        "gcp:\n  projects:\n    - projectId: vertex-off-01\n      vertex: { us-central1: { endpoints: [{ name: e }] } }\n",
      ),
    ).toMatch(/Vertex AI needs aiplatform\.googleapis\.com in the project's services/);
    expect(defect("gcp:\n  projects:\n    - { projectId: Upper-Case }\n")).toMatch(/projectId/);
  });
});
