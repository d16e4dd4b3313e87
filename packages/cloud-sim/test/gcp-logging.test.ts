import { Logging } from "@google-cloud/logging";
import { describe, expect, it } from "vitest";
import { restClientOptions, trustedSimulator } from "./gcp-clients.ts";

const simulator = trustedSimulator({ pageSize: 1 });

interface EntriesPage {
  entries?: Record<string, unknown>[];
  nextPageToken?: string;
}

/** `entries:list` as the documented REST method, through google-auth-library's authorized request. */
async function listEntries(body: Record<string, unknown>): Promise<Record<string, unknown>[]> {
  const entries: Record<string, unknown>[] = [];
  let pageToken: string | undefined;
  do {
    const response = await simulator.auth.request<EntriesPage>({
      url: `${simulator.sim.httpsUrl}/v2/entries:list`,
      method: "POST",
      data: { ...body, ...(pageToken === undefined ? {} : { pageToken }) },
    });
    entries.push(...(response.data.entries ?? []));
    pageToken = response.data.nextPageToken;
  } while (pageToken !== undefined);
  return entries;
}

describe("Cloud Logging entries:list", () => {
  it("answers a project's audit entries matching the filter, newest first, one per page", async () => {
    const entries = await listEntries({
      resourceNames: ["projects/ml-prod-4821"],
      filter:
        '(logName="projects/ml-prod-4821/logs/cloudaudit.googleapis.com%2Factivity" OR logName="projects/ml-prod-4821/logs/cloudaudit.googleapis.com%2Fdata_access") AND protoPayload.serviceName="aiplatform.googleapis.com" AND timestamp>="2026-11-20T10:30:00Z"',
      orderBy: "timestamp desc",
      pageSize: 1,
    });
    expect(entries.map((e) => [e.timestamp, (e.protoPayload as { methodName: string }).methodName, e.logName])).toEqual(
      [
        [
          "2026-11-21T09:30:00Z",
          "google.cloud.aiplatform.v1.PredictionService.Predict",
          "projects/ml-prod-4821/logs/cloudaudit.googleapis.com%2Fdata_access",
        ],
        [
          "2026-11-20T11:00:00Z",
          "google.cloud.aiplatform.v1.EndpointService.DeployModel",
          "projects/ml-prod-4821/logs/cloudaudit.googleapis.com%2Factivity",
        ],
      ],
    );
    expect(entries[0]).toMatchObject({
      insertId: expect.any(String),
      severity: "INFO",
      resource: { type: "audited_resource", labels: { project_id: "ml-prod-4821", location: "us-central1" } },
      protoPayload: { "@type": "type.googleapis.com/google.cloud.audit.AuditLog" },
    });
    expect(simulator.sim.requests.filter({ operation: "ListLogEntries" }).map((r) => r.account)).toEqual([
      "ml-prod-4821",
      "ml-prod-4821",
    ]);
  });

  it("refuses a filter it cannot read, and resource names other than projects", async () => {
    const refused = (data: Record<string, unknown>) =>
      simulator.auth
        .request({ url: `${simulator.sim.httpsUrl}/v2/entries:list`, method: "POST", data })
        .then(() => undefined)
        .catch((error: { status?: number; response?: { data?: { error?: { status?: string } } } }) => [
          error.status,
          error.response?.data?.error?.status,
        ]);
    expect(await refused({ resourceNames: ["projects/ml-prod-4821"], filter: "timestamp >= (" })).toEqual([
      400,
      "INVALID_ARGUMENT",
    ]);
    expect(await refused({ resourceNames: ["organizations/123456789012"] })).toEqual([400, "INVALID_ARGUMENT"]);
    expect(await refused({ resourceNames: ["projects/not-a-project-0000"] })).toEqual([403, "PERMISSION_DENIED"]);
  });

  it("cannot be read through @google-cloud/logging's REST transport: it ships no AuditLog type to decode", async () => {
    // Why the scanner reads entries:list through google-auth-library instead of the Logging client: on the REST
    // transport the client decodes each entry's protoPayload (a google.protobuf.Any) with the protos it ships,
    // and google.cloud.audit.AuditLog is not among them, so every page of audit entries fails.
    const logging = new Logging({
      projectId: "ml-prod-4821",
      ...restClientOptions(simulator.sim.httpsPort, simulator.auth),
    });
    const failure = await logging
      .getEntries({
        // A filter with a time of its own: without one the client adds "the last 24 hours".
        filter: 'timestamp>="2026-01-01T00:00:00Z"',
        autoPaginate: false,
        pageSize: 5,
        gaxOptions: { timeout: 2000, maxRetries: 0 },
      })
      .catch((error: Error) => error.message);
    expect(failure).toMatch(/cannot find type google\.cloud\.audit\.AuditLog/);
    expect(simulator.sim.requests.count({ operation: "ListLogEntries" })).toBeGreaterThan(0);
  });
});
