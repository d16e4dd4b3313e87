import { fingerprintSecret } from "../../../packages/core/src/ai-key-patterns.ts";
import { type CloudSim, startCloudSim } from "@aigov/cloud-sim";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AwsScanConfig, createAwsScanner } from "../src/index.ts";
import { FAKE_CREDENTIALS, runSweep, type SweepResult } from "./run-sweep.ts";
import { leakForms, type Placement, secretWorld } from "./secret-world.ts";

// A distinct fake key in every string field the simulator serves, swept with the real SDK clients: each key the
// scanner reads comes back as a Key subject, and no key, in any form, is in anything the scanner returns.
const NOW = new Date();
const { world, placements } = secretWorld(NOW);
let sim: CloudSim;
let result: SweepResult;

beforeAll(async () => {
  sim = await startCloudSim({ world, pageSize: 2 });
  const scanner = createAwsScanner({ credentials: FAKE_CREDENTIALS, now: () => NOW });
  const config: AwsScanConfig = {
    organization: true,
    regions: "all-enabled",
    endpoint: sim.url,
    roleName: "OrganizationAccountAccessRole",
    // The opt-in, so the SSM values are read too (without it, see the last test).
    readSsmParameterValues: true,
  };
  result = await runSweep(scanner, config);
  scanner.close();
});

afterAll(async () => {
  await sim?.close();
});

// A SageMaker name comes back lower-cased inside ARNs, and some APIs return only the ARN: the lower-cased key counts.
const reported = (placement: Placement) =>
  result.keys.some(
    (key) =>
      key.fingerprint === placement.fingerprint ||
      (placement.form === "name" && key.fingerprint === fingerprintSecret(placement.secret.toLowerCase())),
  );

describe("keys in every string the simulator serves", () => {
  it("places keys in every resource type the scanner collects, in every form", () => {
    const types = new Set(placements.map((p) => /\.regions\.[^.]+\.(\w+\.\w+)/.exec(p.where)?.[1] ?? "account"));
    expect([...types].sort()).toEqual([
      "account",
      "bedrock.customModels",
      "bedrock.guardrails",
      "bedrock.importedModels",
      "bedrock.inferenceProfiles",
      "bedrock.invocationLogging",
      "bedrock.marketplaceEndpoints",
      "bedrock.provisionedThroughputs",
      "bedrockAgent.agents",
      "bedrockAgent.flows",
      "bedrockAgent.knowledgeBases",
      "bedrockAgent.prompts",
      "bedrockAgentCore.agentRuntimes",
      "bedrockAgentCore.apiKeyCredentialProviders",
      "bedrockAgentCore.browsers",
      "bedrockAgentCore.codeInterpreters",
      "bedrockAgentCore.gateways",
      "bedrockAgentCore.memories",
      "bedrockAgentCore.oauth2CredentialProviders",
      "cloudtrail.events",
      "ecs.taskDefinitions",
      "lambda.functions",
      "qbusiness.applications",
      "sagemaker.clusters",
      "sagemaker.domains",
      "sagemaker.endpointConfigs",
      "sagemaker.endpoints",
      "sagemaker.inferenceComponents",
      "sagemaker.modelPackageGroups",
      "sagemaker.models",
      "sagemaker.monitoringSchedules",
      "sagemaker.notebookInstances",
      "sagemaker.processingJobs",
      "sagemaker.trainingJobs",
      "ssm.parameters",
    ]);
    expect(new Set(placements.map((p) => p.form)).size).toBe(7);
    expect(new Set(placements.map((p) => p.patternId)).size).toBe(16);
    expect(new Set(placements.map((p) => p.fingerprint)).size).toBe(placements.length);
  });

  it("reads the whole world: no coverage gap", () => {
    expect(result.gaps).toEqual([]);
  });

  it("reports every key the scanner reads as a Key subject, and none it never reads", () => {
    const missed = placements.filter((p) => p.expect === "key" && !reported(p)).map((p) => `${p.where} (${p.form})`);
    expect(missed).toEqual([]);
    const quietButReported = placements.filter((p) => p.expect === "quiet" && reported(p)).map((p) => p.where);
    expect(quietButReported).toEqual([]);
    // The store keeps one subject per id: two keys must never share one.
    const ids = result.keys.map((key) => key.id);
    expect(ids.filter((id, index) => ids.indexOf(id) !== index)).toEqual([]);
  });

  it("returns no key, in any form, in any target, subject or gap", () => {
    const everything = JSON.stringify(result);
    const leaked = placements.filter((p) => leakForms(p.secret).some((form) => everything.includes(form)));
    expect(leaked.map((p) => `${p.where} (${p.form})`)).toEqual([]);
  });

  it("without the SSM opt-in, parameter values are not read but their descriptions still are", async () => {
    const scanner = createAwsScanner({ credentials: FAKE_CREDENTIALS, now: () => NOW });
    const ssmOnly = await runSweep(scanner, {
      organization: true,
      regions: "all-enabled",
      endpoint: sim.url,
      roleName: "OrganizationAccountAccessRole",
      services: ["ssm"],
    });
    scanner.close();
    const fingerprints = new Set(ssmOnly.keys.map((key) => key.fingerprint));
    const ssm = placements.filter((p) => /\.ssm\.parameters\[[01]\]\.(Value|Description)$/.test(p.where));
    expect(ssm.map((p) => [p.where.replace(/^.*\.ssm\./, ""), fingerprints.has(p.fingerprint)])).toEqual([
      ["parameters[0].Value", false],
      ["parameters[0].Description", true],
      ["parameters[1].Value", false],
    ]);
    const everything = JSON.stringify(ssmOnly);
    expect(placements.filter((p) => leakForms(p.secret).some((form) => everything.includes(form)))).toEqual([]);
  });
});
