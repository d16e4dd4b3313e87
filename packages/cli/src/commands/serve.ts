import { AigovError, loadRules, SEVERITIES, type Severity } from "@aigov/core";
import {
  createPlanJudgePool,
  createRunTaskServer,
  DEFAULT_MAX_PLAN_BYTES,
  formatRunTaskEvent,
  tfcHost,
} from "@aigov/iac/run-task";
import type { Command, CommandContext } from "../command.ts";
import { stopSignal } from "../stop-signal.ts";
import { loadCheckedPolicy } from "../policy-load.ts";

const SERVICES = ["run-task"] as const;

export const command: Command = {
  name: "serve",
  summary: "run a long-lived endpoint: run-task (HCP Terraform / Terraform Enterprise run task)",
  usage: "aigov serve run-task [--port 8080] [--host 127.0.0.1] [--hmac-key-env NAME] [options]",
  description: `Listens for HCP Terraform / Terraform Enterprise run task requests, fetches each run's plan from the trusted
host and judges it as 'aigov gate' does; the verdict goes back to the run. Stops cleanly on SIGINT/SIGTERM after
the runs it accepted.`,
  subcommands: { "run-task": "an HCP Terraform / Terraform Enterprise run task endpoint" },
  options: {
    port: { type: "string", example: "8443", description: "the port to listen on", default: "8080" },
    host: { type: "string", example: "0.0.0.0", description: "the address to listen on", default: "127.0.0.1" },
    "hmac-key-env": {
      type: "string",
      example: "AIGOV_HMAC_KEY",
      description: "the environment variable holding the run task's HMAC key (requests are not authenticated without)",
    },
    "tfc-host": {
      type: "string",
      example: "tfe.example.com",
      description: "the only host plans are fetched from",
      default: "app.terraform.io",
    },
    "fail-on": {
      type: "string",
      example: "critical",
      description: "fail runs on findings of this severity and above",
      default: "the policy's gate.fail_on, high",
    },
    "block-existing": { type: "boolean", description: "fail on findings of untouched AI resources too" },
    "max-concurrent": { type: "string", example: "4", description: "plans judged at once (1–64)", default: "2" },
    "max-plan-bytes": {
      type: "string",
      example: "536870912",
      description: "the largest plan accepted",
      default: String(DEFAULT_MAX_PLAN_BYTES),
    },
    "insecure-http-tfc-host": {
      type: "boolean",
      description: "allow an http:// --tfc-host (local test doubles only: the run token travels in clear)",
    },
  },
  examples: [
    "AIGOV_HMAC_KEY=… aigov serve run-task --host 0.0.0.0 --hmac-key-env AIGOV_HMAC_KEY",
    "aigov serve run-task --tfc-host tfe.example.com --policy /etc/aigov/aigov.yaml",
  ],
  exitCodes: [
    [0, "stopped by SIGINT/SIGTERM"],
    [2, "could not start (bad arguments, policy or rules, port in use)"],
  ],
  async run(context) {
    const service = context.positionals[0];
    if (service === undefined || !(SERVICES as readonly string[]).includes(service) || context.positionals.length > 1) {
      throw new AigovError("CLI_BAD_ARGUMENTS", `serve needs one of: ${SERVICES.join(", ")}`, {
        hint: `usage: ${command.usage}; see 'aigov help serve'`,
      });
    }
    return serveRunTask(context);
  },
};

async function serveRunTask(context: CommandContext): Promise<number> {
  const port = integerOption(context, "port", 8080, 0, 65535);
  const host = context.stringOption("host") ?? "127.0.0.1";
  const failOn = context.stringOption("fail-on", SEVERITIES) as Severity | undefined;
  const insecure = context.options["insecure-http-tfc-host"] === true;
  const trusted = tfcHost(context.stringOption("tfc-host") ?? "app.terraform.io", { allowHttp: insecure });
  const hmacKey = readHmacKey(context);
  // Loaded here first so a broken policy or rule stops `serve` with file:line before it listens.
  const policyFile = context.stringOption("policy");
  const policy = await loadCheckedPolicy(policyFile, context.io.cwd);
  await loadRules({ dirs: context.ruleDirs(), policy });
  const maxConcurrent = integerOption(context, "max-concurrent", 2, 1, 64);
  const judges = await createPlanJudgePool(
    {
      ...(policyFile === undefined ? {} : { policyFile }),
      cwd: context.io.cwd,
      ruleDirs: context.ruleDirs(),
      ...(failOn === undefined ? {} : { failOn }),
      blockExisting: context.options["block-existing"] === true,
    },
    maxConcurrent,
  );
  const runTask = createRunTaskServer({
    judge: judges.judge,
    trusted,
    ...(hmacKey === undefined ? {} : { hmacKey }),
    maxConcurrent,
    maxPlanBytes: integerOption(context, "max-plan-bytes", DEFAULT_MAX_PLAN_BYTES, 1024, 4 * 1024 ** 3),
    log: (event) => context.message(formatRunTaskEvent(event)),
  });
  const address = await runTask.listen(port, host).catch(async (error: NodeJS.ErrnoException) => {
    await judges.close();
    throw new AigovError("SERVE_LISTEN", `cannot listen on ${host}:${port}: ${error.code ?? error.message}`);
  });
  if (hmacKey === undefined) {
    context.message(
      "warning: no --hmac-key-env: requests are not authenticated; set an HMAC key on the run task and pass its variable",
    );
  }
  if (insecure)
    context.message(
      `warning: --insecure-http-tfc-host: the run token may travel over plain http to ${trusted.host} (tests and development only)`,
    );
  const stopped = stopSignal();
  context.message(
    `aigov run task listening on http://${address.address}:${address.port} (HCP Terraform host ${trusted.host})`,
  );
  await stopped;
  context.message("aigov run task stopping: finishing the runs already accepted");
  await runTask.close();
  await judges.close();
  return 0;
}

/** The key comes from the environment, never the command line, where `ps` and shell history would show it. */
function readHmacKey(context: CommandContext): string | undefined {
  const name = context.stringOption("hmac-key-env");
  if (name === undefined) return undefined;
  const value = context.io.env[name];
  if (value === undefined || value === "") {
    throw new AigovError(
      "SERVE_NO_HMAC_KEY",
      `--hmac-key-env ${name}: the environment variable ${name} is not set or empty`,
      {
        hint: `export ${name} with the HMAC key configured on the run task in HCP Terraform`,
      },
    );
  }
  return value;
}

function integerOption(context: CommandContext, name: string, fallback: number, min: number, max: number): number {
  const raw = context.stringOption(name);
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new AigovError("CLI_BAD_ARGUMENTS", `--${name} ${raw} is not a whole number from ${min} to ${max}`);
  }
  return value;
}
