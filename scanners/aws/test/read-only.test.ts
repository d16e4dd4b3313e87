import { startCloudSim } from "@aigov/cloud-sim";
import { SageMakerClient, CreateEndpointCommand, ListEndpointsCommand } from "@aws-sdk/client-sagemaker";
import { GetParametersCommand, SSMClient } from "@aws-sdk/client-ssm";
import { describeReadOnlyCatalogue } from "@aigov/scanner-kit/testing";
import { describe, expect, it } from "vitest";
import { AwsClientFactory } from "../src/aws-clients.ts";
import { normalizeAwsConfig } from "../src/config.ts";
import { AWS_CATALOGUE, COMMAND_CATALOGUE, createAwsScanner, grantedActions, iamAction } from "../src/index.ts";
import { FAKE_CREDENTIALS, runSweep } from "./run-sweep.ts";

const SRC = new URL("../src/", import.meta.url).pathname;

// Reads that return secret material, or that could: never allowed, even though their names look like reads.
const SECRET_RETURNING = new Set([
  "ssm:GetParameter",
  "ssm:GetParametersByPath",
  "ssm:GetParameterHistory",
  "secretsmanager:GetSecretValue",
  "secretsmanager:BatchGetSecretValue",
  "iam:GetServiceSpecificCredential",
  "iam:ResetServiceSpecificCredential",
  "iam:CreateServiceSpecificCredential",
  "iam:GetLoginProfile",
  "iam:GetSSHPublicKey",
  "lambda:GetFunction",
  "sts:GetSessionToken",
  "sts:GetFederationToken",
  "ecr:GetAuthorizationToken",
]);
// bedrock:GetFoundationModelAvailability was listed here with no reason given; its response (API reference and the
// SDK's GetFoundationModelAvailabilityResponse) is the model id and four status enums, no secret material, so the
// scanner reads it to see which models' access agreements were accepted.

function isRead(entry: (typeof COMMAND_CATALOGUE)[number]): boolean {
  if (entry.service === "sts") return entry.operation === "AssumeRole" || entry.operation === "GetCallerIdentity";
  return /^(List|Describe|Get)[A-Z]/.test(entry.operation) || entry.operation === "LookupEvents";
}

/** The SDK commands a source file can send: the commands it imports, and the List command of each paginator it runs. */
function* commandsIn(text: string): Generator<string> {
  for (const block of text.matchAll(/import\s*\{([^}]*)\}\s*from\s*"@aws-sdk\/client-[a-z-]+"/g)) {
    for (const name of (block[1] ?? "").split(",").map(
      (n) =>
        n
          .trim()
          .replace(/^type\s+/, "")
          .split(/\s+as\s+/)[0] ?? "",
    )) {
      if (/Command$/.test(name)) yield name;
    }
  }
  // Paginators send their List command; it must be catalogued too.
  for (const paginator of text.matchAll(/paginate([A-Z]\w+)\(/g)) yield `${paginator[1]}Command`;
}

describeReadOnlyCatalogue({
  catalogue: AWS_CATALOGUE,
  sources: SRC,
  callsIn: commandsIn,
  callName: (entry) => entry.command.name,
  looksLikeRead: isRead,
  sessionOperations: ["AssumeRole"],
  secretPermissions: SECRET_RETURNING,
  secretPattern: /Secret|Password|Decrypt|Token$/,
  granted: grantedActions,
});

describe("read-only by construction", () => {
  it("the catalogue covers what the scanner reads; GetParameters only without decryption; no policy grants KMS decryption", () => {
    expect(COMMAND_CATALOGUE.length).toBeGreaterThan(40);
    expect(COMMAND_CATALOGUE.filter((entry) => !isRead(entry)).map(iamAction)).toEqual([]);
    expect(
      COMMAND_CATALOGUE.map(iamAction).filter(
        (action) => SECRET_RETURNING.has(action) || /Secret|Password|Decrypt|Token$/.test(action),
      ),
    ).toEqual([]);
    // GetParameters is a read, but only without decryption: SecureString values must stay ciphertext.
    expect(COMMAND_CATALOGUE.find((e) => e.operation === "GetParameters")?.requiredInput).toEqual({
      WithDecryption: false,
    });
    expect(grantedActions().some((a) => a.startsWith("kms:"))).toBe(false);
  });

  it("refuses, before anything is sent, a command outside the catalogue, GetParameters with decryption, and GetParameters without the opt-in", async () => {
    const sim = await startCloudSim({
      world: { version: 1, aws: { accounts: [{ id: "111111111111", name: "a", regions: { "us-east-1": {} } }] } },
    });
    try {
      const factory = new AwsClientFactory(
        normalizeAwsConfig({
          accounts: [{ id: "111111111111" }],
          regions: ["us-east-1"],
          endpoint: sim.url,
          readSsmParameterValues: true,
        }),
      );
      const scope = { account: "111111111111", region: "us-east-1", credentials: FAKE_CREDENTIALS };
      const sagemaker = factory.create(SageMakerClient, "sagemaker", scope);
      await expect(
        sagemaker.send(new CreateEndpointCommand({ EndpointName: "x", EndpointConfigName: "y" })),
      ).rejects.toMatchObject({ code: "AWS_COMMAND_NOT_ALLOWED" });
      const ssm = factory.create(SSMClient, "ssm", scope);
      await expect(ssm.send(new GetParametersCommand({ Names: ["/a"], WithDecryption: true }))).rejects.toMatchObject({
        code: "AWS_COMMAND_NOT_ALLOWED",
      });
      await expect(ssm.send(new GetParametersCommand({ Names: ["/a"] }))).rejects.toMatchObject({
        code: "AWS_COMMAND_NOT_ALLOWED",
      });
      // Without the opt-in, GetParameters is refused even as the one allowed form.
      const defaults = new AwsClientFactory(
        normalizeAwsConfig({ accounts: [{ id: "111111111111" }], regions: ["us-east-1"], endpoint: sim.url }),
      );
      await expect(
        defaults
          .create(SSMClient, "ssm", scope)
          .send(new GetParametersCommand({ Names: ["/a"], WithDecryption: false })),
      ).rejects.toMatchObject({ code: "AWS_COMMAND_NOT_ALLOWED", message: /read_ssm_parameter_values/ });
      defaults.close();
      expect(sim.requests.size).toBe(0);
      // A catalogued read goes through, and so does GetParameters without decryption once opted in.
      await sagemaker.send(new ListEndpointsCommand({}));
      await ssm.send(new GetParametersCommand({ Names: ["/a"], WithDecryption: false }));
      expect(sim.requests.operations()).toEqual(["sagemaker:ListEndpoints", "ssm:GetParameters"]);
      factory.close();
    } finally {
      await sim.close();
    }
  });

  it("a full sweep sends only catalogued operations (from the simulator's request log)", async () => {
    const sim = await startCloudSim({
      world: new URL("./fixtures/org-world.yaml", import.meta.url).pathname,
      pageSize: 3,
    });
    try {
      const scanner = createAwsScanner({ credentials: FAKE_CREDENTIALS, now: () => new Date("2026-11-22T00:00:00Z") });
      const result = await runSweep(scanner, { organization: true, regions: "all-enabled", endpoint: sim.url });
      scanner.close();
      expect(result.assets.length).toBeGreaterThan(30);
      const allowed = new Set(COMMAND_CATALOGUE.map((e) => `${e.service}:${e.operation}`));
      const sent = sim.requests.operations();
      expect(sent.filter((op) => !allowed.has(op))).toEqual([]);
      // The sweep exercised most of the catalogue (the rest are detail reads for resources this world lacks).
      expect(sent.length).toBeGreaterThan(40);
    } finally {
      await sim.close();
    }
  });
});
