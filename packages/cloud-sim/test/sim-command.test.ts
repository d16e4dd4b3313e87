import { spawn } from "node:child_process";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { BedrockClient, ListCustomModelsCommand } from "@aws-sdk/client-bedrock";
import { OrganizationsClient, paginateListAccounts } from "@aws-sdk/client-organizations";
import { ListEndpointsCommand, SageMakerClient } from "@aws-sdk/client-sagemaker";
import { describe, expect, it } from "vitest";
import { WORLD_FILE } from "./sim-clients.ts";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");
const NODE = join(ROOT, "node_modules/.bin/node");
const CLI = join(ROOT, "packages/cli/bin/aigov.js");

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `aigov sim …`; once the URL is printed, `whileUp` runs (with the JSON output, if any), then the process gets SIGTERM. */
function runSim(
  args: string[],
  whileUp?: (started: {
    url: string;
    env: Record<string, string>;
    caCertificateFile?: string;
    azureEnv?: Record<string, string>;
  }) => Promise<void>,
): Promise<Run & { failure?: unknown }> {
  return new Promise((done, reject) => {
    const child = spawn(NODE, [CLI, "sim", ...args], { cwd: ROOT, env: { ...process.env, NO_COLOR: "1" } });
    let stdout = "";
    let stderr = "";
    let failure: unknown;
    let started = false;
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString("utf8");
      const ready = stdout.startsWith("{") ? stdout.trimEnd().endsWith("}") : /AWS_REGION=.*\n/.test(stdout);
      if (!started && whileUp !== undefined && ready) {
        started = true;
        whileUp(
          stdout.startsWith("{")
            ? (JSON.parse(stdout) as { url: string; env: Record<string, string>; azureEnv?: Record<string, string> })
            : { url: "", env: {} },
        )
          .catch((error: unknown) => {
            failure = error;
          })
          .finally(() => child.kill("SIGTERM"));
      }
    });
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString("utf8");
    });
    child.on("error", reject);
    child.on("close", (code) => done({ code, stdout, stderr, failure }));
  });
}

describe("aigov sim", () => {
  it("serves the world with the faults file until SIGTERM, prints the URL and an env snippet, logs requests on stderr", async () => {
    const dir = await mkdtemp(join(tmpdir(), "aigov-sim-"));
    const faults = join(dir, "faults.yaml");
    await writeFile(faults, "seed: 5\nfaults:\n  - { kind: access-denied, service: bedrock }\n");
    let endpoints: string[] = [];
    const run = await runSim(
      ["--world", WORLD_FILE, "--faults", faults, "--format", "json", "--page-size", "5"],
      async ({ url, env }) => {
        expect(env.AWS_ENDPOINT_URL).toBe(url);
        const credentials = { accessKeyId: "AKIA222222222222TEST", secretAccessKey: env.AWS_SECRET_ACCESS_KEY! };
        const sagemaker = new SageMakerClient({ region: "us-east-1", endpoint: url, credentials, maxAttempts: 1 });
        endpoints = ((await sagemaker.send(new ListEndpointsCommand({}))).Endpoints ?? []).map((e) => e.EndpointName!);
        const bedrock = new BedrockClient({ region: "us-east-1", endpoint: url, credentials, maxAttempts: 1 });
        await expect(bedrock.send(new ListCustomModelsCommand({}))).rejects.toMatchObject({
          name: "AccessDeniedException",
        });
      },
    );
    expect(run.failure).toBeUndefined();
    expect(run.code).toBe(0);
    expect(endpoints).toEqual(["chat", "embed", "legacy"]);
    const printed = JSON.parse(run.stdout) as { url: string; port: number; env: Record<string, string> };
    expect(printed.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(printed.env.AWS_ACCESS_KEY_ID).toBe("AKIA111111111111SIMU");
    expect(printed).toMatchObject({
      httpsUrl: expect.stringMatching(/^https:\/\/127\.0\.0\.1:\d+$/),
      caCertificateFile: expect.stringMatching(/ca\.pem$/),
      awsCli: `aws --endpoint-url ${printed.url}`,
    });
    expect(run.stderr).toContain("sagemaker:ListEndpoints account=222222222222 region=us-east-1 -> 200");
    expect(run.stderr).toContain(
      "bedrock:ListCustomModels account=222222222222 region=us-east-1 -> 403 AccessDeniedException (fault access-denied)",
    );
    expect(run.stderr).toContain("stopped after 2 request(s)");
  });

  it("prints export lines in text format", async () => {
    const run = await runSim(["--world", WORLD_FILE, "--quiet"], async () => undefined);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^export AWS_ENDPOINT_URL=http:\/\/127\.0\.0\.1:\d+$/m);
    expect(run.stdout).toContain("export AWS_ACCESS_KEY_ID=AKIA111111111111SIMU");
    // The AWS CLI v1 reads only AWS_DEFAULT_REGION; CLIs older than 2.13 / 1.29 need --endpoint-url.
    expect(run.stdout).toContain("export AWS_DEFAULT_REGION=us-east-1");
    // Google Cloud clients take an endpoint, not an environment variable: the snippet says what to give them.
    expect(run.stdout).toMatch(
      /^# {3}port: \d+, protocol: 'http' \} .*aigov: --gcp-endpoint http:\/\/127\.0\.0\.1:\d+$/m,
    );
    expect(run.stdout).toMatch(/^# {3}aws --endpoint-url http:\/\/127\.0\.0\.1:\d+ sts get-caller-identity$/m);
    expect(run.stdout).toMatch(/^# cloud-sim listening on http:\/\/127\.0\.0\.1:\d+ and https:\/\/127\.0\.0\.1:\d+$/m);
  });

  it("exits 2 with file:line when the faults file is wrong, and when the world file is missing", async () => {
    const dir = await mkdtemp(join(tmpdir(), "aigov-sim-"));
    const faults = join(dir, "faults.yaml");
    await writeFile(faults, "- { kind: throttle }\n- { kind: explode }\n");
    const bad = await runSim(["--world", WORLD_FILE, "--faults", faults]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain(`${faults}:2:`);
    expect(bad.stderr).toContain("kind must be one of");
    const missing = await runSim(["--world", join(dir, "nope.yaml")]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("cannot read world file");
  });

  it("serves the demo organization when no --world is given", async () => {
    const accounts: string[] = [];
    const run = await runSim(["--format", "json", "--quiet"], async ({ url, env }) => {
      const org = new OrganizationsClient({
        region: "us-east-1",
        endpoint: url,
        credentials: { accessKeyId: env.AWS_ACCESS_KEY_ID!, secretAccessKey: "x" },
        maxAttempts: 1,
      });
      for await (const page of paginateListAccounts({ client: org }, {}))
        accounts.push(...(page.Accounts ?? []).map((a) => a.Id!));
    });
    expect(run.failure).toBeUndefined();
    expect(run.code).toBe(0);
    expect(accounts.length).toBeGreaterThan(1);
    expect(run.stderr).toContain("from the demo organization");
  });

  it("prints what DefaultAzureCredential needs for the Azure part of a world, and an Azure SDK client sweeps with it", async () => {
    const world = fileURLToPath(new URL("./fixtures/azure-world.yaml", import.meta.url));
    let subscriptions: string[] = [];
    const run = await runSim(
      ["--world", world, "--format", "json", "--quiet"],
      async ({ azureEnv, caCertificateFile }) => {
        const { getCACertificates, setDefaultCACertificates } = await import("node:tls");
        const { readFileSync } = await import("node:fs");
        const { DefaultAzureCredential } = await import("@azure/identity");
        const { SubscriptionClient } = await import("@azure/arm-resources-subscriptions");
        const defaults = getCACertificates("default");
        const saved = { ...process.env };
        setDefaultCACertificates([...defaults, readFileSync(caCertificateFile!, "utf8")]);
        try {
          Object.assign(process.env, azureEnv);
          const client = new SubscriptionClient(new DefaultAzureCredential({ disableInstanceDiscovery: true }), {
            endpoint: azureEnv!.AZURE_AUTHORITY_HOST!,
            credentials: { scopes: ["https://management.azure.com/.default"] },
          });
          for await (const subscription of client.subscriptions.list()) subscriptions.push(subscription.displayName!);
        } finally {
          process.env = saved;
          setDefaultCACertificates(defaults);
        }
      },
    );
    expect(run.failure).toBeUndefined();
    expect(JSON.parse(run.stdout)).toMatchObject({
      azureEnv: {
        AZURE_TENANT_ID: "72f988bf-86f1-41af-91ab-2d7cd011db47",
        AZURE_CLIENT_ID: "5f6a8c3e-1111-4aaa-8bbb-000000000001",
        AZURE_CLIENT_SECRET: "scanner-secret",
      },
      azureSweep: expect.stringMatching(/^aigov sweep --azure-arm-endpoint https:\/\/127\.0\.0\.1:\d+ /),
    });
    subscriptions = subscriptions.sort();
    expect(subscriptions).toEqual(["ai-dev", "ai-prod"]);
    expect(run.stderr).toContain("0 AWS accounts, 4 Azure subscriptions and 0 Google Cloud projects");
  });
});
