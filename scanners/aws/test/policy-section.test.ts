import { sectionReader } from "@aigov/scanner-kit/testing";
import { describe, expect, it } from "vitest";
import { COLLECTOR_NAMES, normalizeAwsConfig } from "../src/index.ts";
import schema from "../schema/targets-aws.schema.json" with { type: "json" };
import { awsScannerPlugin } from "../src/plugin.ts";

const FILE = "/policies/aigov.yaml";

const { configOf, refusal } = sectionReader(awsScannerPlugin, FILE);

describe("targets.aws: the AWS scanner's policy section", () => {
  it("maps every key of the section onto the scanner's settings, timeouts, retries, page size and lookbacks included", () => {
    const config = configOf(`targets:
  aws:
    accounts: ["111122223333", { id: "444455556666", name: prod, role_arn: "arn:aws:iam::444455556666:role/Custom" }]
    role: AuditReader
    external_id: ext-1
    session_name: audit
    assume_role_in_own_account: true
    regions: [eu-west-1]
    home_region: eu-central-1
    endpoint: http://127.0.0.1:4566
    services: [sagemaker, cloudtrail]
    concurrency: 7
    max_attempts: 3
    retry_base_delay_ms: 50
    retry_max_delay_ms: 900
    request_timeout_ms: 1000
    connection_timeout_ms: 700
    page_size: 20
    rate_limits: { "cloudtrail:LookupEvents": { rate_per_second: 1, burst: 1 } }
    cloudtrail_lookback_hours: 6
    cloudtrail_event_sources: [bedrock.amazonaws.com]
    cloudtrail_max_events: 500
    job_lookback_days: 3
    read_ssm_parameter_values: true
`);
    expect(config).toBeDefined();
    const normalized = normalizeAwsConfig(config ?? {});
    expect(normalized).toMatchObject({
      accounts: [
        { id: "111122223333" },
        { id: "444455556666", name: "prod", roleArn: "arn:aws:iam::444455556666:role/Custom" },
      ],
      organization: undefined,
      roleName: "AuditReader",
      externalId: "ext-1",
      sessionName: "audit",
      assumeRoleInOwnAccount: true,
      regions: ["eu-west-1"],
      homeRegion: "eu-central-1",
      endpoint: "http://127.0.0.1:4566",
      concurrency: 7,
      maxAttempts: 3,
      retryBaseDelayMs: 50,
      retryMaxDelayMs: 900,
      requestTimeoutMs: 1000,
      connectionTimeoutMs: 700,
      pageSize: 20,
      cloudTrailLookbackHours: 6,
      cloudTrailEventSources: ["bedrock.amazonaws.com"],
      cloudTrailMaxEvents: 500,
      jobLookbackDays: 3,
      readSsmParameterValues: true,
    });
    expect([...normalized.services]).toEqual(["sagemaker", "cloudtrail"]);
    expect(normalized.rateLimits["cloudtrail:LookupEvents"]).toEqual({ ratePerSecond: 1, burst: 1 });
  });

  it("offers editors exactly the collectors the scanner has", () => {
    expect(awsScannerPlugin.policySchema).toBe(schema);
    expect(schema.properties.services.items.enum).toEqual([...COLLECTOR_NAMES]);
  });

  it("refuses a defect at its file:line:column, naming the full path", () => {
    expect(refusal("targets:\n  aws:\n    organization: true\n    regionz: [us-east-1]\n")).toMatch(
      /^\/policies\/aigov\.yaml:4:5: targets\.aws\.regionz: unknown key 'regionz'\n {2}hint: allowed here: organization, accounts, /,
    );
    expect(refusal("targets:\n  aws:\n    accounts: [012345678901]\n")).toBe(
      "/policies/aigov.yaml:3:16: targets.aws.accounts[0]: must be a string, not number 12345678901\n  hint: write it quoted: unquoted, YAML reads it as a number or a boolean (and drops leading zeros)",
    );
    expect(refusal("targets:\n  aws:\n    organization: true\n    regions: [eu-west-1, mars]\n")).toMatch(
      /aigov\.yaml:4:26: targets\.aws\.regions\[1\]: is "mars", which does not match/,
    );
    expect(refusal("targets:\n  aws:\n    organization: true\n    regions: []\n")).toMatch(
      /aigov\.yaml:4:14: targets\.aws\.regions: needs at least 1 item/,
    );
    expect(refusal("targets:\n  aws:\n    organization: true\n    request_timeout_ms: 0\n")).toMatch(
      /aigov\.yaml:4:25: targets\.aws\.request_timeout_ms: must be at least 1$/,
    );
    expect(refusal("targets:\n  aws:\n    regions: [us-east-1]\n")).toMatch(
      /aigov\.yaml:3:5: targets\.aws: no accounts: give accounts: \[\.\.\.\] or organization: true\n {2}hint: flags: --aws-account/,
    );
  });

  it("lets flags override the section for one run: accounts and organization replace each other", () => {
    const policy = "targets:\n  aws:\n    organization: true\n    regions: [us-east-1]\n";
    const byAccount = normalizeAwsConfig(configOf(policy, { "aws-account": ["111122223333,222233334444"] }) ?? {});
    expect([byAccount.organization, byAccount.accounts.map((a) => a.id)]).toEqual([
      undefined,
      ["111122223333", "222233334444"],
    ]);
    const listed = "targets:\n  aws:\n    accounts: ['111122223333']\n";
    const byOrganization = normalizeAwsConfig(configOf(listed, { "aws-organization": true }) ?? {});
    expect(byOrganization.organization).toEqual({ excludeAccounts: [] });
    const flagsOnly = configOf("approved_regions: [us-east-1]\n", {
      "aws-account": ["111122223333"],
      "aws-region": ["all-enabled"],
      "aws-role": "arn:aws:iam::{account}:role/Audit",
      "aws-read-ssm-parameter-values": true,
    });
    expect(flagsOnly).toMatchObject({
      accounts: [{ id: "111122223333" }],
      regions: "all-enabled",
      roleName: "arn:aws:iam::{account}:role/Audit",
      readSsmParameterValues: true,
    });
    expect(configOf("approved_regions: [us-east-1]\n")).toBeUndefined();
  });

  it("applies the defaults its schema shows editors", () => {
    // Every default the schema documents, written out; the scanner must sweep exactly as with the keys left out.
    const defaults = Object.entries(schema.properties).flatMap(([key, property]) =>
      "default" in property ? [`    ${key}: ${JSON.stringify(property.default)}`] : [],
    );
    expect(defaults.length).toBeGreaterThan(15);
    const section = "targets:\n  aws:\n    accounts: ['111122223333']\n";
    const written = normalizeAwsConfig(configOf(`${section}${defaults.join("\n")}\n`) ?? {});
    const leftOut = normalizeAwsConfig(configOf(section) ?? {});
    expect(leftOut).toEqual(written);
  });
});
