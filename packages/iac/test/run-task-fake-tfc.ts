import { readFileSync } from "node:fs";
import { createServer, type IncomingHttpHeaders, request as httpRequest, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import type { TaskResultBody } from "../src/run-task/index.ts";

export const FIXTURES = join(import.meta.dirname, "../../../test/fixtures/plans");
export const SAMPLE_PLAN = readFileSync(join(FIXTURES, "sample-ai-plan.json"));
export const TOKEN = "at-run-token-7f3c";

export interface Recorded {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
  readonly at: number;
}

/**
 * A local stand-in for HCP Terraform: the plan JSON endpoint answers with a redirect to a signed download URL on
 * another host (as HCP Terraform redirects to archivist), and the callback endpoint records the task result.
 */
export class FakeTfc {
  readonly requests: Recorded[] = [];
  readonly archivistRequests: Recorded[] = [];
  plan: Buffer = SAMPLE_PLAN;
  /** When set, the plan download waits for this promise (to hold a run in flight). */
  hold: Promise<void> | undefined;
  /** How many of the next callback PATCHes answer 503 (HCP Terraform having a bad moment). */
  failCallbacks = 0;
  #callbackWaiters: Array<(body: TaskResultBody) => void> = [];
  readonly callbacks: Recorded[] = [];
  api!: Server;
  archivist!: Server;
  host = "";
  archivistHost = "";

  async start(): Promise<void> {
    this.archivist = createServer(async (req, res) => {
      this.archivistRequests.push({
        method: req.method ?? "",
        url: req.url ?? "",
        headers: req.headers,
        body: "",
        at: Date.now(),
      });
      if (this.hold !== undefined) await this.hold;
      res.writeHead(200, { "content-type": "application/json" }).end(this.plan);
    });
    this.api = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (chunk: Buffer) => chunks.push(chunk));
      req.on("end", () => {
        const recorded = {
          method: req.method ?? "",
          url: req.url ?? "",
          headers: req.headers,
          body: Buffer.concat(chunks).toString("utf8"),
          at: Date.now(),
        };
        this.requests.push(recorded);
        if (req.headers.authorization !== `Bearer ${TOKEN}`) {
          res.writeHead(401).end();
          return;
        }
        if (req.method === "GET" && req.url === "/api/v2/plans/plan-1/json-output") {
          res.writeHead(307, { location: `http://${this.archivistHost}/v1/object/signed-plan-1` }).end();
          return;
        }
        if (req.method === "PATCH" && req.url === "/api/v2/task-results/tr-1/callback") {
          if (this.failCallbacks > 0) {
            this.failCallbacks--;
            res.writeHead(503).end();
            return;
          }
          this.callbacks.push(recorded);
          res.writeHead(200, { "content-type": "application/vnd.api+json" }).end("{}");
          for (const resolve of this.#callbackWaiters.splice(0)) resolve(JSON.parse(recorded.body) as TaskResultBody);
          return;
        }
        res.writeHead(404).end();
      });
    });
    this.host = await listen(this.api);
    this.archivistHost = await listen(this.archivist);
  }

  nextCallback(): Promise<TaskResultBody> {
    return new Promise((resolve) => this.#callbackWaiters.push(resolve));
  }

  payload(overrides: Record<string, unknown> = {}): Buffer {
    return Buffer.from(
      JSON.stringify({
        payload_version: 1,
        stage: "post_plan",
        access_token: TOKEN,
        capabilities: { outcomes: true },
        configuration_version_download_url: `http://${this.host}/api/v2/configuration-versions/cv-1/download`,
        is_speculative: false,
        organization_name: "acme",
        workspace_name: "ml-prod",
        run_id: "run-abc123",
        run_app_url: `http://${this.host}/app/acme/ml-prod/runs/run-abc123`,
        plan_json_api_url: `http://${this.host}/api/v2/plans/plan-1/json-output`,
        task_result_id: "tr-1",
        task_result_enforcement_level: "mandatory",
        task_result_callback_url: `http://${this.host}/api/v2/task-results/tr-1/callback`,
        ...overrides,
      }),
    );
  }

  async stop(): Promise<void> {
    this.api.closeAllConnections();
    this.archivist.closeAllConnections();
    await Promise.all([new Promise((r) => this.api.close(r)), new Promise((r) => this.archivist.close(r))]);
  }
}

function listen(server: Server): Promise<string> {
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () => resolve(`127.0.0.1:${(server.address() as AddressInfo).port}`)),
  );
}

/** POSTs raw bytes with the given headers; resolves with the status and body. */
export function post(
  address: AddressInfo,
  body: Buffer,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: string; at: number }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: "127.0.0.1",
        port: address.port,
        method: "POST",
        path: "/",
        headers: { "content-type": "application/json", "content-length": String(body.length), ...headers },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", () =>
          resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8"), at: Date.now() }),
        );
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}
