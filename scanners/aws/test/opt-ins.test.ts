import { startCloudSim } from "@aigov/cloud-sim";
import { describe, expect, it } from "vitest";
import { type AwsScanConfig, createAwsScanner } from "../src/index.ts";
import { FAKE_CREDENTIALS, runSweep } from "./run-sweep.ts";

const WORLD = new URL("./fixtures/org-world.yaml", import.meta.url).pathname;
const NOW = new Date("2026-11-22T00:00:00Z");

async function sweep(extra: Partial<AwsScanConfig>) {
  const sim = await startCloudSim({ world: WORLD });
  try {
    const scanner = createAwsScanner({ credentials: FAKE_CREDENTIALS, now: () => NOW });
    const config: AwsScanConfig = { organization: true, regions: "all-enabled", endpoint: sim.url, ...extra };
    const result = await runSweep(scanner, config);
    const notices = scanner.notices(config).filter((notice) => notice.code.startsWith("ssm-"));
    scanner.close();
    return { result, notices, sent: sim.requests.operations() };
  } finally {
    await sim.close();
  }
}

describe("SSM parameter values are read only on opt-in", () => {
  it("by default: parameters are listed by metadata, no value is requested, and the sweep says so once", async () => {
    const { result, notices, sent } = await sweep({});
    expect(sent).toContain("ssm:DescribeParameters");
    expect(sent).not.toContain("ssm:GetParameters");
    expect(result.keys.filter((key) => key.native.source === "ssm")).toEqual([]);
    // No gap: nothing failed, the configuration chose not to read.
    expect(result.gaps.filter((gap) => gap.service === "ssm")).toEqual([]);
    expect(notices).toEqual([
      {
        provider: "aws",
        kind: "coverage",
        code: "ssm-parameter-values-not-read",
        message:
          "SSM parameter values were not read, so AI keys stored in SSM String/StringList parameters are not found (3 String/StringList parameter(s) in 1 account-region(s) were listed by their metadata only)",
        hint: expect.stringMatching(
          /read_ssm_parameter_values: true \(or --aws-read-ssm-parameter-values\) and grant docs\/permissions\/aws\/member-role-ssm-parameter-values-policy\.json; read its caveat/,
        ),
      },
    ]);
  });

  it("opted in: String values are read without decryption and their keys found, with no notice", async () => {
    const { result, notices, sent } = await sweep({ readSsmParameterValues: true });
    expect(sent).toContain("ssm:GetParameters");
    expect(
      result.keys
        .filter((key) => key.native.source === "ssm")
        .map((key) => key.name)
        .sort(),
    ).toEqual(["/app/gemini:value", "/app/groq-list:value"]);
    expect(notices).toEqual([]);
  });
});

describe("the administrator role is a setting, with a warning", () => {
  it("warns when the sweep assumes OrganizationAccountAccessRole (by name, ARN template or per account), not for the read-only role", async () => {
    const warnings = (config: Partial<AwsScanConfig>) =>
      createAwsScanner({ credentials: FAKE_CREDENTIALS })
        .notices({ organization: true, services: ["sagemaker"], ...config })
        .filter((notice) => notice.kind === "warning");
    expect(warnings({})).toEqual([]);
    expect(warnings({ roleName: "AigovReadOnly" })).toEqual([]);
    const [admin] = warnings({ roleName: "OrganizationAccountAccessRole" });
    expect(admin).toMatchObject({
      code: "admin-role",
      message: expect.stringContaining(
        "OrganizationAccountAccessRole in member accounts, a role with AdministratorAccess",
      ),
      hint: expect.stringContaining("docs/permissions/aws/member-role-stackset.yaml"),
    });
    expect(warnings({ roleName: "arn:aws:iam::{account}:role/AWSControlTowerExecution" })).toHaveLength(1);
    expect(
      warnings({
        organization: undefined,
        accounts: [{ id: "111111111111", roleArn: "arn:aws:iam::111111111111:role/OrganizationAccountAccessRole" }],
      }),
    ).toHaveLength(1);
  });
});

describe("AgentCore invocations are data events", () => {
  it("says the sweep sees AgentCore's management calls only, when it reads CloudTrail for AgentCore", () => {
    const coverage = (config: Partial<AwsScanConfig>) =>
      createAwsScanner({ credentials: FAKE_CREDENTIALS })
        .notices({ organization: true, ...config })
        .filter((notice) => notice.code === "agentcore-invocations-not-read");
    expect(coverage({})).toEqual([
      expect.objectContaining({
        kind: "coverage",
        message: expect.stringContaining("CloudTrail data events, which LookupEvents does not return"),
        hint: expect.stringContaining("AWS::BedrockAgentCore::Runtime"),
      }),
    ]);
    expect(coverage({ services: ["bedrock-agentcore"] })).toEqual([]);
    expect(coverage({ cloudTrailEventSources: ["bedrock.amazonaws.com"] })).toEqual([]);
  });
});
