import { type Asset, createEngine, loadRules, type Outcome, parsePolicy, type Rule, type Subject } from "@aigov/core";
import { readPlanDocument } from "@aigov/iac";
import { beforeAll, describe, expect, it } from "vitest";
import { byName, simConfig, SUBSCRIPTIONS, sweepWorld, TENANT } from "./sweep-harness.ts";

// One Azure OpenAI account and its deployment, written twice: as terraform plans them (azurerm_cognitive_account,
// azurerm_cognitive_deployment, and a diagnostic setting when the account has one) and as ARM returns them to a
// sweep. For every rule the plan can judge (its outcome is not unknown), the live resource gets the same outcome.

interface Setup {
  readonly name: string;
  readonly publicAccess: boolean;
  readonly localAuth: boolean;
  readonly cmk: boolean;
  readonly identity: boolean;
  readonly outboundRestricted: boolean;
  readonly diagnostics: boolean;
  readonly owner?: string;
  readonly model: string;
  readonly sku: string;
  readonly capacity: number;
  readonly raiPolicy?: string;
  readonly upgrade: "NoAutoUpgrade" | "OnceNewDefaultVersionAvailable";
}

const SHADOW: Setup = {
  name: "oai-shadow",
  publicAccess: true,
  localAuth: true,
  cmk: false,
  identity: false,
  outboundRestricted: false,
  diagnostics: false,
  model: "gpt-35-turbo",
  sku: "GlobalStandard",
  capacity: 2000,
  upgrade: "OnceNewDefaultVersionAvailable",
};
const GOVERNED: Setup = {
  name: "oai-governed",
  publicAccess: false,
  localAuth: false,
  cmk: true,
  identity: true,
  outboundRestricted: true,
  diagnostics: true,
  owner: "ml-platform",
  model: "gpt-4o",
  sku: "Standard",
  capacity: 50,
  raiPolicy: "strict",
  upgrade: "NoAutoUpgrade",
};

const POLICY = parsePolicy(
  `approved_models: { azure: ["gpt-4o*"] }
approved_regions: { azure: [Sweden Central] }
approved_principals: { azure: ["pipeline@contoso.com"] }
`,
  "/parity/aigov.yaml",
);

const ACCOUNT_ID = (name: string) =>
  `/subscriptions/${SUBSCRIPTIONS.prod}/resourceGroups/rg-parity/providers/Microsoft.CognitiveServices/accounts/${name}`;

/** The ARM bodies of the world file, as the service returns them. */
function armAccount(s: Setup) {
  return {
    name: s.name,
    kind: "OpenAI",
    ...(s.identity ? { identity: { type: "SystemAssigned" } } : {}),
    ...(s.owner === undefined ? {} : { tags: { owner: s.owner } }),
    properties: {
      customSubDomainName: s.name,
      disableLocalAuth: !s.localAuth,
      publicNetworkAccess: s.publicAccess ? "Enabled" : "Disabled",
      restrictOutboundNetworkAccess: s.outboundRestricted,
      ...(s.cmk ? { encryption: { keySource: "Microsoft.KeyVault", keyVaultProperties: { keyName: "k" } } } : {}),
    },
    deployments: [
      {
        name: "chat",
        sku: { name: s.sku, capacity: s.capacity },
        properties: {
          model: { format: "OpenAI", name: s.model, version: "1" },
          versionUpgradeOption: s.upgrade,
          ...(s.raiPolicy === undefined ? {} : { raiPolicyName: s.raiPolicy }),
        },
      },
    ],
    ...(s.diagnostics
      ? {
          diagnosticSettings: [
            {
              name: "law",
              properties: {
                workspaceId: "/subscriptions/x/workspaces/law",
                logs: [{ categoryGroup: "allLogs", enabled: true }],
              },
            },
          ],
        }
      : {}),
  };
}

/** The same resources as a terraform plan (show -json) with the azurerm provider plans them. */
function plan(s: Setup) {
  const change = (type: string, name: string, after: Record<string, unknown>) => ({
    address: `${type}.${name}`,
    mode: "managed",
    type,
    name,
    provider_name: "registry.terraform.io/hashicorp/azurerm",
    change: { actions: ["create"], before: null, after, after_unknown: { id: true }, after_sensitive: {} },
  });
  const configured = (type: string, name: string, expressions: Record<string, unknown> = {}) => ({
    address: `${type}.${name}`,
    mode: "managed",
    type,
    name,
    provider_config_key: "azurerm",
    expressions,
  });
  return {
    format_version: "1.2",
    terraform_version: "1.9.0",
    resource_changes: [
      change("azurerm_cognitive_account", "oai", {
        name: s.name,
        kind: "OpenAI",
        sku_name: "S0",
        location: "Sweden Central",
        resource_group_name: "rg-parity",
        custom_subdomain_name: s.name,
        public_network_access_enabled: s.publicAccess,
        local_auth_enabled: s.localAuth,
        outbound_network_access_restricted: s.outboundRestricted,
        customer_managed_key: s.cmk ? [{ key_vault_key_id: "https://kv.vault.azure.net/keys/k" }] : [],
        identity: s.identity ? [{ type: "SystemAssigned" }] : [],
        network_acls: [],
        tags: s.owner === undefined ? null : { owner: s.owner },
      }),
      change("azurerm_cognitive_deployment", "chat", {
        name: "chat",
        model: [{ format: "OpenAI", name: s.model, version: "1" }],
        sku: [{ name: s.sku, capacity: s.capacity }],
        rai_policy_name: s.raiPolicy ?? null,
        version_upgrade_option: s.upgrade,
      }),
      ...(s.diagnostics
        ? [
            change("azurerm_monitor_diagnostic_setting", "law", {
              name: "law",
              enabled_log: [{ category_group: "allLogs" }],
            }),
          ]
        : []),
    ],
    configuration: {
      provider_config: { azurerm: { name: "azurerm", full_name: "registry.terraform.io/hashicorp/azurerm" } },
      root_module: {
        resources: [
          configured("azurerm_cognitive_account", "oai"),
          configured("azurerm_cognitive_deployment", "chat", {
            cognitive_account_id: { references: ["azurerm_cognitive_account.oai.id", "azurerm_cognitive_account.oai"] },
          }),
          ...(s.diagnostics
            ? [
                configured("azurerm_monitor_diagnostic_setting", "law", {
                  target_resource_id: {
                    references: ["azurerm_cognitive_account.oai.id", "azurerm_cognitive_account.oai"],
                  },
                }),
              ]
            : []),
        ],
      },
    },
  };
}

/** The same account and deployment deployed with the azapi provider: ARM bodies, as a sweep reads them. */
function azapiPlan(s: Setup) {
  // azapi takes tags beside the body, as terraform resources do; the rest is the ARM body.
  const { deployments, diagnosticSettings: _settings, name, tags, ...account } = armAccount(s);
  const [deployment] = deployments;
  const change = (address: string, type: string, resourceName: string, body: unknown, tagged?: unknown) => ({
    address,
    mode: "managed",
    type: "azapi_resource",
    name: address.split(".")[1],
    provider_name: "registry.terraform.io/azure/azapi",
    change: {
      actions: ["create"],
      before: null,
      after: { type, name: resourceName, location: "swedencentral", body, tags: tagged ?? null },
      after_unknown: { id: true },
      after_sensitive: {},
    },
  });
  return {
    format_version: "1.2",
    terraform_version: "1.9.0",
    resource_changes: [
      change("azapi_resource.oai", "Microsoft.CognitiveServices/accounts@2025-06-01", name, account, tags),
      change("azapi_resource.chat", "Microsoft.CognitiveServices/accounts/deployments@2025-06-01", "chat", {
        sku: deployment!.sku,
        properties: deployment!.properties,
      }),
    ],
  };
}

let rules: Rule[];
beforeAll(async () => {
  rules = await loadRules();
});

function outcomes(subject: Subject): Map<string, Outcome> {
  const engine = createEngine(rules, POLICY, { now: new Date("2026-11-22T00:00:00Z") });
  return new Map(
    engine
      .judge(subject)
      .filter((j) => j.outcome !== "not-applicable")
      .map((j) => [j.rule.id, j.outcome]),
  );
}

/** The rules the plan could judge, with the live resource's outcome beside the planned one's. */
function compare(planned: Asset, live: Asset) {
  const plannedOutcomes = outcomes(planned);
  const liveOutcomes = outcomes(live);
  const judged = [...plannedOutcomes].filter(([, outcome]) => outcome !== "unknown");
  return {
    planned: Object.fromEntries(judged),
    live: Object.fromEntries(judged.map(([rule]) => [rule, liveOutcomes.get(rule) ?? "not-applicable"])),
    unknownInPlan: [...plannedOutcomes]
      .filter(([, o]) => o === "unknown")
      .map(([rule]) => rule)
      .sort(),
    violations: [...plannedOutcomes]
      .filter(([, o]) => o === "violation")
      .map(([rule]) => rule)
      .sort(),
  };
}

describe("the same Azure OpenAI account and deployment, planned and swept", () => {
  for (const setup of [SHADOW, GOVERNED]) {
    it(`${setup.name}: every rule the plan can judge gives the live resource the same outcome`, async () => {
      const world = {
        version: 1 as const,
        azure: {
          tenants: [{ id: TENANT }],
          subscriptions: [
            {
              id: SUBSCRIPTIONS.prod,
              name: "parity",
              resourceGroups: [
                { name: "rg-parity", location: "swedencentral", cognitiveAccounts: [armAccount(setup)] },
              ],
            },
          ],
        },
      };
      const { result } = await sweepWorld(world, (sim) => simConfig(sim));
      const planned = readPlanDocument(plan(setup), "parity.json").subjects.filter(
        (s): s is Asset => s.subject === "asset",
      );
      const account = compare(
        planned.find((a) => a.type === "azurerm_cognitive_account")!,
        byName(result.assets, "Microsoft.CognitiveServices/accounts", setup.name),
      );
      const deployment = compare(
        planned.find((a) => a.type === "azurerm_cognitive_deployment")!,
        byName(result.assets, "Microsoft.CognitiveServices/accounts/deployments", "chat"),
      );
      expect(account.live).toEqual(account.planned);
      expect(deployment.live).toEqual(deployment.planned);
      // The facts the same rules judge, read from each side's own shape.
      expect(byName(result.assets, "Microsoft.CognitiveServices/accounts", setup.name).id).toBe(ACCOUNT_ID(setup.name));
      if (setup === SHADOW) {
        expect(account.violations).toEqual([
          "ai-invocation-logging-disabled",
          "ai-key-auth-enabled",
          "ai-no-customer-managed-key",
          "ai-public-network-access",
          "ai-resource-ungoverned",
          "azure-ai-account-no-managed-identity",
          "azure-ai-outbound-network-not-restricted",
        ]);
        expect(deployment.violations).toEqual([
          "ai-model-not-approved",
          "azure-ai-deployment-global-processing",
          "azure-ai-deployment-model-auto-upgrade",
          "azure-ai-deployment-no-content-filter",
          "azure-openai-deployment-capacity-above-limit",
        ]);
      } else {
        expect(account.violations).toEqual([]);
        expect(deployment.violations).toEqual([]);
      }
      // Deployed with azapi (ARM bodies in the plan), the same resources get the same outcomes too.
      const azapi = readPlanDocument(azapiPlan(setup), "azapi.json").subjects.filter(
        (a): a is Asset => a.subject === "asset",
      );
      const viaAzapi = compare(
        azapi.find((a) => a.type === "Microsoft.CognitiveServices/accounts")!,
        byName(result.assets, "Microsoft.CognitiveServices/accounts", setup.name),
      );
      expect(viaAzapi.live).toEqual(viaAzapi.planned);
      expect(viaAzapi.violations).toEqual(
        account.violations.filter((rule) => rule !== "ai-invocation-logging-disabled"),
      );
      const deploymentViaAzapi = compare(
        azapi.find((a) => a.type === "Microsoft.CognitiveServices/accounts/deployments")!,
        byName(result.assets, "Microsoft.CognitiveServices/accounts/deployments", "chat"),
      );
      expect(deploymentViaAzapi.live).toEqual(deploymentViaAzapi.planned);
      expect(deploymentViaAzapi.violations).toEqual(deployment.violations);
      // A deployment has no location of its own: the gate reads its account's, as ARM places it, so the region rule
      // judges the planned deployment as it judges the live one.
      expect(deployment.unknownInPlan).toEqual([]);
      expect(account.unknownInPlan).toEqual([]);
      expect(deploymentViaAzapi.unknownInPlan).toEqual([]);
    });
  }
});
