import { execFile, spawn, spawnSync } from "node:child_process";
import { existsSync, realpathSync } from "node:fs";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WORLD_FILE } from "./sim-clients.ts";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");
const NODE = join(ROOT, "node_modules/.bin/node");
const CLI = join(ROOT, "packages/cli/bin/aigov.js");
/** A Bedrock model for CLIs that predate Bedrock (see fixtures/botocore-data/README.md). */
const BEDROCK_MODEL_DIR = fileURLToPath(new URL("./fixtures/botocore-data", import.meta.url));
const DEBIAN_AWS_CLI = "/usr/bin/aws";

/**
 * The AWS CLIs on this machine: Debian's (`apt-get install awscli`, 2.9 on Debian 12: it does not read
 * AWS_ENDPOINT_URL and knows no Bedrock) and, when it is another program, the `aws` first on PATH.
 */
function awsClis(): string[] {
  const onPath = spawnSync("sh", ["-c", "command -v aws"], { encoding: "utf8" }).stdout.trim();
  const clis = [DEBIAN_AWS_CLI, onPath].filter((cli) => cli !== "" && existsSync(cli));
  return [...new Map(clis.map((cli) => [realpathSync(cli), cli])).values()];
}

interface Sim {
  readonly snippet: string;
  readonly stderr: () => string;
  stop(): Promise<number | null>;
}

/** `aigov sim` in text format, up once its snippet is printed. */
function startSim(): Promise<Sim> {
  return new Promise((ready, fail) => {
    const child = spawn(NODE, [CLI, "sim", "--world", WORLD_FILE], {
      cwd: ROOT,
      env: { ...process.env, NO_COLOR: "1" },
    });
    let stdout = "";
    let stderr = "";
    const exited = new Promise<number | null>((done) => child.on("close", done));
    child.on("error", fail);
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString("utf8");
    });
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString("utf8");
      if (/sts get-caller-identity\n/.test(stdout))
        ready({
          snippet: stdout,
          stderr: () => stderr,
          stop: () => {
            child.kill("SIGTERM");
            return exited;
          },
        });
    });
    void exited.then((code) => fail(new Error(`aigov sim exited ${code} before printing its snippet:\n${stderr}`)));
  });
}

/**
 * Runs the snippet in bash, then one AWS CLI command given the endpoint as the snippet says; the JSON it prints.
 * The environment is the snippet's alone (a fresh HOME: no ~/.aws of the machine's user).
 */
function runCli(sim: Sim, cli: string, command: string, extraEnv: Record<string, string> = {}): Promise<unknown> {
  return new Promise((done, fail) => {
    const script = `set -e\n${sim.snippet}\n${command.replace(/(^|\s)aws /, '$1"$AWS_CLI" --endpoint-url "$AWS_ENDPOINT_URL" --output json ')}\n`;
    execFile(
      "bash",
      ["-c", script],
      { env: { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: home, AWS_PAGER: "", AWS_CLI: cli, ...extraEnv } },
      (error, stdout, stderr) => {
        if (error !== null) fail(new Error(`${cli}: ${command} failed (${error.message.split("\n")[0]}):\n${stderr}`));
        else done(JSON.parse(stdout));
      },
    );
  });
}

let home: string;
let sim: Sim;
const clis = awsClis();

beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), "aigov-aws-cli-home-"));
  sim = await startSim();
});
afterAll(async () => {
  await sim?.stop();
});

describe("the real AWS CLI against `aigov sim`, configured by the snippet it prints", () => {
  it("is installed", () => {
    // Not skipped when missing: the simulator's claim to speak what the official CLI sends is tested here.
    expect(
      clis,
      "the AWS CLI is not installed: apt-get install awscli (Debian's package, which .ci/run installs)",
    ).not.toEqual([]);
  });

  for (const cli of clis) {
    it(`${cli}: Organizations, CloudTrail (the full X-Amz-Target namespace botocore sends), SageMaker, Bedrock, STS, IAM`, async () => {
      const prod = { AWS_ACCESS_KEY_ID: "AKIA222222222222CLI0" };
      // A CLI that predates Bedrock is handed botocore's model for it.
      const bedrock = await runCli(sim, cli, "aws bedrock list-foundation-models", prod).catch(async (error: Error) => {
        if (!/Invalid choice|invalid choice/.test(error.message)) throw error;
        return runCli(sim, cli, "aws bedrock list-foundation-models", { ...prod, AWS_DATA_PATH: BEDROCK_MODEL_DIR });
      });
      const [accounts, events, endpoints, identity, credentials] = await Promise.all([
        runCli(sim, cli, "aws organizations list-accounts"),
        runCli(sim, cli, "AWS_ACCESS_KEY_ID=AKIA222222222222CLI0 aws cloudtrail lookup-events"),
        runCli(sim, cli, "AWS_ACCESS_KEY_ID=AKIA222222222222CLI0 aws sagemaker list-endpoints"),
        runCli(sim, cli, "aws sts get-caller-identity"),
        runCli(
          sim,
          cli,
          "AWS_ACCESS_KEY_ID=AKIA222222222222CLI0 aws iam list-service-specific-credentials --user-name alice --service-name bedrock.amazonaws.com",
        ),
      ]);
      expect((accounts as { Accounts: { Id: string }[] }).Accounts.map((a) => a.Id)).toEqual([
        "111111111111",
        "222222222222",
        "333333333333",
        "444444444444",
      ]);
      expect((events as { Events: { EventName: string }[] }).Events.map((e) => e.EventName)).toEqual([
        "Converse",
        "InvokeModel",
        "InvokeModel",
        "CreateEndpoint",
      ]);
      expect((endpoints as { Endpoints: { EndpointName: string }[] }).Endpoints.map((e) => e.EndpointName)).toEqual([
        "chat",
        "embed",
        "legacy",
      ]);
      expect((bedrock as { modelSummaries: { modelId: string }[] }).modelSummaries.map((m) => m.modelId)).toContain(
        "anthropic.claude-3-haiku-20240307-v1:0",
      );
      expect(identity).toMatchObject({ Account: "111111111111", Arn: "arn:aws:iam::111111111111:user/aigov-sim" });
      expect(
        (
          credentials as { ServiceSpecificCredentials: { ServiceSpecificCredentialId: string }[] }
        ).ServiceSpecificCredentials.map((c) => c.ServiceSpecificCredentialId),
      ).toEqual(["ACCAALICEKEY0000001", "ACCAALICEKEY0000002"]);
      expect(sim.stderr()).toContain("cloudtrail:LookupEvents account=222222222222 region=us-east-1 -> 200");
    }, 60_000);

    it(`${cli}: an assumed role's session, signed by botocore, verifies in every protocol; a wrong secret does not`, async () => {
      const assumed = (await runCli(
        sim,
        cli,
        "aws sts assume-role --role-arn arn:aws:iam::222222222222:role/AigovReader --role-session-name cli --external-id s3cret",
      )) as { Credentials: { AccessKeyId: string; SecretAccessKey: string; SessionToken: string } };
      const { AccessKeyId, SecretAccessKey, SessionToken } = assumed.Credentials;
      const as = (secret: string) =>
        `AWS_ACCESS_KEY_ID=${AccessKeyId} AWS_SECRET_ACCESS_KEY=${secret} AWS_SESSION_TOKEN=${SessionToken} aws`;
      // JSON (SageMaker), query (STS), EC2's query, REST with a query string (Lambda), REST-XML with a path (S3).
      const commands = [
        "sagemaker list-endpoints",
        "sts get-caller-identity",
        "ec2 describe-vpc-endpoints",
        "lambda list-functions --max-items 5",
        "s3api get-bucket-encryption --bucket ml-prod-artifacts",
      ];
      const signed = await Promise.allSettled(
        commands.map((command) => runCli(sim, cli, `${as(SecretAccessKey)} ${command}`)),
      );
      const refusals = (results: PromiseSettledResult<unknown>[]) =>
        results.map((result) =>
          result.status === "fulfilled"
            ? "answered"
            : (/\((SignatureDoesNotMatch|InvalidSignatureException|AuthFailure|\w+)\)/.exec(
                (result.reason as Error).message,
              )?.[1] ?? "failed"),
        );
      expect(refusals(signed).slice(0, 4)).toEqual(["answered", "answered", "answered", "answered"]);
      // The bucket does not exist in this world: S3 answers NoSuchBucket only once the signature is good.
      expect(refusals(signed)[4]).toMatch(/^(answered|NoSuchBucket|ServerSideEncryptionConfigurationNotFoundError)$/);
      const wrong = await Promise.allSettled(
        commands.map((command) => runCli(sim, cli, `${as(`${SecretAccessKey}x`)} ${command}`)),
      );
      expect(refusals(wrong)).toEqual([
        "InvalidSignatureException",
        "SignatureDoesNotMatch",
        "AuthFailure",
        "InvalidSignatureException",
        "SignatureDoesNotMatch",
      ]);
    }, 60_000);
  }
});
