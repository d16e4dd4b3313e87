import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sectionReader } from "@aigov/scanner-kit/testing";
import { describe, expect, it } from "vitest";
import { normalizeAzureConfig } from "../src/index.ts";
import { azureScannerPlugin } from "../src/plugin.ts";

const DIR = mkdtempSync(join(tmpdir(), "aigov-azure-policy-"));
const FILE = join(DIR, "aigov.yaml");
writeFileSync(join(DIR, "proxy-ca.pem"), "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n");
const SUB = "11111111-1111-4111-8111-111111111111";

const { configOf, refusal } = sectionReader(azureScannerPlugin, FILE);

describe("targets.azure: the Azure scanner's policy section", () => {
  it("maps every key onto the scanner's settings; the CA file is read relative to the policy file", () => {
    const config = configOf(`targets:
  azure:
    management_group: contoso-ai
    exclude_subscriptions: [${SUB}]
    tenant_id: 72f988bf-86f1-41af-91ab-2d7cd011db47
    locations: [East US, westeurope]
    arm_endpoint: https://management.usgovcloudapi.net
    authority_host: https://login.microsoftonline.us
    ca_file: proxy-ca.pem
    services: [cognitive-services, activity-log]
    concurrency: 7
    max_attempts: 3
    retry_base_delay_ms: 50
    retry_max_delay_ms: 900
    request_timeout_ms: 1000
    rate_limits: { insights: { rate_per_second: 2, burst: 4 } }
    activity_log_lookback_hours: 48
    activity_log_max_events: 100
    read_app_settings: true
`);
    expect(config).toMatchObject({
      managementGroup: "contoso-ai",
      excludeSubscriptions: [SUB],
      tenantId: "72f988bf-86f1-41af-91ab-2d7cd011db47",
      locations: ["East US", "westeurope"],
      armEndpoint: "https://management.usgovcloudapi.net",
      authorityHost: "https://login.microsoftonline.us",
      caCertificate: expect.stringContaining("BEGIN CERTIFICATE"),
      services: ["cognitive-services", "activity-log"],
      concurrency: 7,
      rateLimits: { insights: { ratePerSecond: 2, burst: 4 } },
      activityLogLookbackHours: 48,
      readAppSettings: true,
    });
    const normalized = normalizeAzureConfig(config!);
    expect([...normalized.locations!]).toEqual(["eastus", "westeurope"]);
    // A sovereign cloud's ARM endpoint brings its own token audience.
    expect(normalized.armAudience).toBe("https://management.usgovcloudapi.net/.default");
    // The opt-in's collector runs only when asked for, in services or by default.
    expect([...normalized.services]).toEqual(["cognitive-services", "activity-log"]);
  });

  it("an empty section sweeps every subscription the identity can read; flags replace the section's choice", () => {
    expect(configOf("targets:\n  azure: {}\n")).toEqual({});
    expect(configOf("targets:\n  azure: { management_group: g }\n", { "azure-subscription": [SUB] })).toMatchObject({
      subscriptions: [SUB],
      managementGroup: undefined,
    });
    expect(
      configOf(`targets:\n  azure: { subscriptions: [${SUB}] }\n`, { "azure-all-subscriptions": true }),
    ).toMatchObject({
      subscriptions: [],
      managementGroup: undefined,
    });
    // Flags alone name Azure without a section.
    expect(configOf("{}\n", { "azure-management-group": "contoso", "azure-location": ["all"] })).toMatchObject({
      managementGroup: "contoso",
      locations: "all",
    });
    expect(configOf("{}\n")).toBeUndefined();
  });

  it("refuses what it cannot sweep, at file:line:column", () => {
    expect(refusal("targets:\n  azure:\n    subscriptions: [not-a-guid]\n")).toMatch(
      /aigov\.yaml:3:\d+.*targets\.azure\.subscriptions/,
    );
    expect(refusal("targets:\n  azure:\n    arm_endpoint: http://management.azure.com\n")).toMatch(/arm_endpoint/);
    expect(refusal("targets:\n  azure:\n    regions: [eastus]\n")).toMatch(/regions/);
    expect(refusal("targets:\n  azure:\n    ca_file: missing.pem\n")).toMatch(/cannot read the CA file .*missing\.pem/);
    expect(() => normalizeAzureConfig({ subscriptions: [SUB], managementGroup: "g" })).toThrow(
      /subscriptions or a management group, not both/,
    );
  });
});
