import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ServiceUsageClient } from "@google-cloud/service-usage";
import { GoogleAuth } from "google-auth-library";
import { describe, expect, it } from "vitest";
import { restClientOptions, trustedSimulator } from "./gcp-clients.ts";

const simulator = trustedSimulator();
const directory = mkdtempSync(join(tmpdir(), "aigov-gcp-credentials-"));

const unsignedJwt = (claims: Record<string, unknown>) =>
  [{ alg: "RS256", typ: "JWT" }, claims]
    .map((part) => Buffer.from(JSON.stringify(part)).toString("base64url"))
    .join(".") + ".c2lnbmF0dXJl";

function credentialFile(name: string, content: unknown): string {
  const file = join(directory, name);
  writeFileSync(file, typeof content === "string" ? content : JSON.stringify(content));
  return file;
}

describe("credentials the real google-auth-library sends", () => {
  it("Workload Identity Federation: the external_account file's token_url and impersonation URL reach the simulator", async () => {
    // What a GitHub Actions job's credential file looks like (google-github-actions/auth writes one): an OIDC token
    // in a file, exchanged at STS, then a service account impersonated through IAM Credentials.
    const oidcToken = credentialFile(
      "oidc-token",
      unsignedJwt({ iss: "https://token.actions.githubusercontent.com", sub: "repo:acme/infra:ref:refs/heads/main" }),
    );
    const keyFile = credentialFile("external-account.json", {
      type: "external_account",
      audience: "//iam.googleapis.com/projects/555/locations/global/workloadIdentityPools/github/providers/actions",
      subject_token_type: "urn:ietf:params:oauth:token-type:jwt",
      token_url: `${simulator.sim.httpsUrl}/v1/token`,
      service_account_impersonation_url: `${simulator.sim.httpsUrl}/v1/projects/-/serviceAccounts/aigov-reader@sec-tools.iam.gserviceaccount.com:generateAccessToken`,
      credential_source: { file: oidcToken },
    });
    const auth = new GoogleAuth({ keyFile, scopes: ["https://www.googleapis.com/auth/cloud-platform"] });
    const client = new ServiceUsageClient(restClientOptions(simulator.sim.httpsPort, auth));
    const [services] = await client.listServices({ parent: "projects/ml-prod-4821", filter: "state:ENABLED" });
    expect(services.length).toBeGreaterThan(0);
    expect(
      simulator.sim.requests.all().map((r) => [`${r.service}:${r.operation}`, r.principal, r.readOnly, r.status]),
    ).toEqual([
      [
        "sts:ExchangeToken",
        "principal://iam.googleapis.com/projects/555/locations/global/workloadIdentityPools/github/subject/repo:acme/infra:ref:refs/heads/main",
        false,
        200,
      ],
      [
        "iamcredentials:GenerateAccessToken",
        "principal://iam.googleapis.com/projects/555/locations/global/workloadIdentityPools/github/subject/repo:acme/infra:ref:refs/heads/main",
        false,
        200,
      ],
      ["serviceusage:ListServices", "aigov-reader@sec-tools.iam.gserviceaccount.com", true, 200],
      ["serviceusage:ListServices", "aigov-reader@sec-tools.iam.gserviceaccount.com", true, 200],
      ["serviceusage:ListServices", "aigov-reader@sec-tools.iam.gserviceaccount.com", true, 200],
    ]);
  });

  it("a user's refresh token (gcloud auth application-default login) at the OAuth token endpoint", async () => {
    const keyFile = credentialFile("authorized-user.json", {
      type: "authorized_user",
      client_id: "764086051850-sim.apps.googleusercontent.com",
      client_secret: "d-FL95Q19q7MQmFpd7hHD0Ty",
      refresh_token: "1//0sim-refresh-token",
    });
    // The token endpoint of a user credential is a client option, not a field of the file.
    const auth = new GoogleAuth({
      keyFile,
      clientOptions: { endpoints: { oauth2TokenUrl: `${simulator.sim.httpsUrl}/token` } },
    });
    const client = new ServiceUsageClient(restClientOptions(simulator.sim.httpsPort, auth));
    await client.listServices({ parent: "projects/ml-prod-4821" });
    expect(simulator.sim.requests.all().map((r) => [`${r.service}:${r.operation}`, r.principal])).toEqual([
      ["oauth2:Token", "scanner@sec-tools.iam.gserviceaccount.com"],
      ["serviceusage:ListServices", "scanner@sec-tools.iam.gserviceaccount.com"],
      ["serviceusage:ListServices", "scanner@sec-tools.iam.gserviceaccount.com"],
      ["serviceusage:ListServices", "scanner@sec-tools.iam.gserviceaccount.com"],
    ]);
  });

  it("refuses a request without a Bearer credential, and an unknown grant, in their own error shapes", async () => {
    const unauthenticated = await fetch(`${simulator.sim.url}/v1/projects/ml-prod-4821/services`);
    expect(unauthenticated.status).toBe(401);
    expect(((await unauthenticated.json()) as { error: unknown }).error).toMatchObject({
      code: 401,
      status: "UNAUTHENTICATED",
    });
    const grant = await fetch(`${simulator.sim.url}/token`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "grant_type=password&username=u&password=p",
    });
    expect([grant.status, ((await grant.json()) as { error: string }).error]).toEqual([400, "unsupported_grant_type"]);
    expect(simulator.sim.requests.all().map((r) => [r.service, r.operation, r.status, r.readOnly])).toEqual([
      ["serviceusage", "ListServices", 401, true],
      ["oauth2", "Token", 400, false],
    ]);
  });
});
