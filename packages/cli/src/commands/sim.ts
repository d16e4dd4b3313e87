import { AigovError, escapeControlCharacters } from "@aigov/core";
import {
  DEFAULT_AZURE_TENANT,
  loadFaults,
  loadWorld,
  type RequestRecord,
  startCloudSim,
  type World,
} from "@aigov/cloud-sim";
import { DEMO_WORLD } from "../assets.ts";
import type { Command, CommandContext } from "../command.ts";
import { anchorWorldClock } from "../sweep/demo-world.ts";
import { stopSignal } from "../stop-signal.ts";

const FORMATS = ["text", "json"] as const;

export const command: Command = {
  name: "sim",
  summary:
    "run the simulated clouds (AWS wire protocols, Azure Resource Manager and Entra ID, Google Cloud APIs, over HTTP and HTTPS) from a world file, for manual use against the real SDKs and CLIs",
  usage: "aigov sim [--world FILE] [--port N] [--https-port N] [--faults FILE] [options]",
  description: `Prints the environment the AWS, Azure and Google SDKs and CLIs need to reach it (text: export lines for a shell; json: the same
as an object), then logs each request on stderr until Ctrl-C.`,
  options: {
    format: { type: "string", short: "f", example: "json", description: "text or json", default: "text" },
    world: {
      type: "string",
      example: "world.yaml",
      description: "the simulated organization",
      default: "the demo organization",
    },
    port: { type: "string", example: "4566", description: "the HTTP port", default: "any free port" },
    "https-port": { type: "string", example: "4567", description: "the HTTPS port", default: "any free port" },
    faults: {
      type: "string",
      example: "faults.yaml",
      description: "fault rules to inject (throttling, 5xx, timeouts, access denied)",
    },
    "page-size": { type: "string", example: "5", description: "items per page of every listing (1–1000)" },
    latency: { type: "string", example: "50", description: "milliseconds added to every response" },
    seed: { type: "string", example: "42", description: "the seed of random faults", default: "the faults file's" },
    "rate-limits": { type: "boolean", description: "throttle as the real services' rate limits do" },
    quiet: { type: "boolean", description: "do not log each request" },
  },
  examples: [
    "aigov sim --port 4566      # prints the AWS_* exports for another shell",
    "aigov sim --world world.yaml --faults faults.yaml --format json",
  ],
  exitCodes: [
    [0, "stopped by SIGINT/SIGTERM"],
    [2, "could not start (bad world or faults file, port in use)"],
  ],
  run: sim,
};

function integer(context: CommandContext, name: string, min: number, max: number): number | undefined {
  const raw = context.stringOption(name);
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new AigovError("CLI_BAD_ARGUMENTS", `--${name} ${raw} is not an integer within ${min}..${max}`, {
      hint: "see 'aigov help sim'",
    });
  }
  return value;
}

async function sim(context: CommandContext): Promise<number> {
  const format = context.stringOption("format", FORMATS) ?? "text";
  const given = context.stringOption("world");
  const worldFile = given ?? DEMO_WORLD;
  // The demo world's CloudTrail events are moved to the last hours, as `aigov demo` does, so a sweep's window sees them.
  const world =
    given === undefined ? anchorWorldClock(await loadWorld(worldFile), new Date()) : await loadWorld(worldFile);
  const faultsFile = context.stringOption("faults");
  const faults = faultsFile === undefined ? undefined : await loadFaults(faultsFile);
  const seed = integer(context, "seed", 0, 2 ** 32 - 1) ?? faults?.seed;
  const port = integer(context, "port", 0, 65535) ?? 0;
  const httpsPort = integer(context, "https-port", 0, 65535) ?? 0;
  const pageSize = integer(context, "page-size", 1, 1000);
  const latencyMs = integer(context, "latency", 0, 600_000);
  const quiet = context.options.quiet === true;
  const server = await startCloudSim({
    world,
    port,
    httpsPort,
    ...(faults === undefined ? {} : { faults: faults.faults }),
    ...(seed === undefined ? {} : { seed }),
    ...(pageSize === undefined ? {} : { pageSize }),
    ...(latencyMs === undefined ? {} : { latencyMs }),
    rateLimits: context.options["rate-limits"] === true,
    ...(quiet ? {} : { onRequest: (record: RequestRecord) => context.message(requestLine(record)) }),
  }).catch((error: NodeJS.ErrnoException) => {
    if (error.code === "EADDRINUSE" || error.code === "EACCES")
      throw new AigovError("SIM_LISTEN", `cannot listen on 127.0.0.1 (ports ${port}, ${httpsPort}): ${error.code}`, {
        hint: "choose another --port / --https-port, or 0 for any free port",
      });
    throw error;
  });
  const env = awsEnvironment(world, server.url);
  const azureEnv = world.azure === undefined ? undefined : azureEnvironment(world, server.httpsUrl);
  // What points `aigov sweep` (or any Azure SDK client) at the simulator's ARM and Entra ID.
  const azureSweep = `aigov sweep --azure-arm-endpoint ${server.httpsUrl} --azure-authority-host ${server.httpsUrl} --azure-ca-file ${server.caCertificateFile}`;
  // The AWS CLI reads AWS_ENDPOINT_URL only from 2.13 / 1.29 on; older ones (Debian 12 ships 2.9) need the option.
  const awsCli = `aws --endpoint-url ${server.url}`;
  const stopped = stopSignal();
  if (format === "json") {
    await context.resultJson({
      url: server.url,
      port: server.port,
      httpsUrl: server.httpsUrl,
      httpsPort: server.httpsPort,
      caCertificateFile: server.caCertificateFile,
      env,
      awsCli,
      ...(azureEnv === undefined ? {} : { azureEnv, azureSweep }),
    });
  } else {
    await context.result(
      [
        `# cloud-sim listening on ${server.url} and ${server.httpsUrl}`,
        `# (HTTPS clients trust ${server.caCertificateFile}: NODE_EXTRA_CA_CERTS, or AWS_CA_BUNDLE for the AWS CLI)`,
        ...Object.entries(env).map(([name, value]) => `export ${name}=${value}`),
        "# AWS CLI older than 2.13 (Debian 12 ships 2.9) does not read AWS_ENDPOINT_URL: give it the endpoint, e.g.",
        `#   ${awsCli} sts get-caller-identity`,
        ...(azureEnv === undefined
          ? []
          : [
              `# Azure: ARM and Entra ID at ${server.httpsUrl} (Azure SDKs send tokens over HTTPS only; Node trusts the CA`,
              `# with NODE_EXTRA_CA_CERTS=${server.caCertificateFile}). DefaultAzureCredential reads these:`,
              ...Object.entries(azureEnv).map(([name, value]) => `export ${name}=${value}`),
              `#   ${azureSweep}`,
            ]),
        "# Google Cloud clients (@google-cloud/*, REST transport): { fallback: true, apiEndpoint: '127.0.0.1',",
        `#   port: ${server.port}, protocol: 'http' } (or port ${server.httpsPort} with the CA); aigov: --gcp-endpoint ${server.url}`,
      ].join("\n"),
    );
  }
  const accounts = world.aws?.accounts.length ?? 0;
  const subscriptions = world.azure?.subscriptions.length ?? 0;
  const projects = world.gcp?.projects?.length ?? 0;
  context.message(
    `cloud-sim: ${accounts} AWS account${accounts === 1 ? "" : "s"}, ${subscriptions} Azure subscription${subscriptions === 1 ? "" : "s"} and ${projects} Google Cloud project${projects === 1 ? "" : "s"} from ${given ?? "the demo organization"}${faults === undefined ? "" : `, ${faults.faults.length} fault rule(s) from ${faultsFile}`}; Ctrl-C to stop`,
  );
  await stopped;
  await server.close();
  context.message(`cloud-sim: stopped after ${server.requests.size} request(s)`);
  return 0;
}

/**
 * What the AWS SDKs and CLI need to reach the simulator as the world's caller: a key id that embeds the caller's
 * account acts as that account (see the cloud-sim README); the secret is never checked.
 */
function awsEnvironment(world: World, endpoint: string): Record<string, string> {
  const caller =
    world.aws?.caller?.account ?? world.aws?.organization?.managementAccountId ?? world.aws?.accounts[0]?.id;
  const region = Object.keys(world.aws?.accounts.find((a) => a.id === caller)?.regions ?? {})[0] ?? "us-east-1";
  return {
    AWS_ENDPOINT_URL: endpoint,
    AWS_ACCESS_KEY_ID: `AKIA${caller ?? "000000000000"}SIMU`,
    AWS_SECRET_ACCESS_KEY: "cloud-sim",
    AWS_REGION: region,
    // The AWS CLI v1 and botocore read only this one.
    AWS_DEFAULT_REGION: region,
  };
}

/**
 * What DefaultAzureCredential needs to get a token from the simulator's Entra ID: the world's first principal with a
 * secret, or, when the world lists none (any client then gets a token), a made-up one in its first tenant.
 */
function azureEnvironment(world: World, httpsUrl: string): Record<string, string> {
  const principal = world.azure?.principals?.find((p) => p.clientSecret !== undefined);
  const tenant = principal?.tenant ?? world.azure?.tenants?.[0]?.id ?? DEFAULT_AZURE_TENANT;
  return {
    AZURE_TENANT_ID: tenant,
    AZURE_CLIENT_ID: principal?.clientId ?? "c1c1c1c1-0000-4000-8000-0000000051ae",
    AZURE_CLIENT_SECRET: principal?.clientSecret ?? "cloud-sim",
    AZURE_AUTHORITY_HOST: httpsUrl,
  };
}

function requestLine(record: RequestRecord): string {
  const outcome =
    record.status === 0 ? "hanging" : `${record.status}${record.errorCode === undefined ? "" : ` ${record.errorCode}`}`;
  return escapeControlCharacters(
    `${record.service}:${record.operation} account=${record.account || "?"} region=${record.region} -> ${outcome}${record.fault === undefined ? "" : ` (fault ${record.fault})`}`,
  );
}
