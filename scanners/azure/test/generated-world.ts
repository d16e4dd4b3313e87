import type { World } from "@aigov/cloud-sim";

export const GENERATED_TENANT = "00000000-0000-4000-8000-00000000a1a1";

/** Subscription ids 00000000-0000-4000-8000-000000000001 … */
export function subscriptionId(index: number): string {
  return `00000000-0000-4000-8000-${String(index + 1).padStart(12, "0")}`;
}

const KINDS = ["OpenAI", "AIServices", "TextAnalytics", "OpenAI"] as const;

/**
 * `subscriptions` subscriptions, each with `accounts` Cognitive Services accounts (OpenAI, AI Services and a
 * language account in turn; the generative ones with a model deployment, every other one with diagnostic
 * settings), an AI Foundry hub with an online endpoint and compute, an AI Search service, and Activity Log events:
 * enough for every collector to have work, cheap enough to generate a hundred subscriptions for the benchmark.
 */
export function generatedAzureWorld(subscriptions: number, accounts: number, now = "2026-11-22T00:00:00Z"): World {
  const hourAgo = new Date(Date.parse(now) - 3_600_000).toISOString();
  return {
    version: 1,
    azure: {
      tenants: [{ id: GENERATED_TENANT, name: "generated" }],
      managementGroups: [{ name: "ai" }],
      subscriptions: Array.from({ length: subscriptions }, (_, s) => {
        const id = subscriptionId(s);
        const group = `/subscriptions/${id}/resourceGroups/rg-ai/providers/Microsoft.CognitiveServices/accounts`;
        return {
          id,
          name: `sub-${s}`,
          managementGroup: "ai",
          tags: { owner: `team-${s % 5}` },
          resourceGroups: [
            {
              name: "rg-ai",
              location: s % 2 === 0 ? "eastus" : "West Europe",
              cognitiveAccounts: Array.from({ length: accounts }, (_, a) => {
                const kind = KINDS[a % KINDS.length]!;
                const generative = kind !== "TextAnalytics";
                return {
                  name: `ai-${s}-${a}`,
                  kind,
                  ...(a % 3 === 0 ? {} : { tags: { owner: `app-${a}` } }),
                  properties: {
                    customSubDomainName: `ai-${s}-${a}`,
                    ...(a % 2 === 0 ? { disableLocalAuth: true, publicNetworkAccess: "Disabled" } : {}),
                  },
                  ...(generative
                    ? {
                        deployments: [
                          {
                            name: `d-${a}`,
                            sku: { name: a % 4 === 1 ? "GlobalStandard" : "Standard", capacity: 10 },
                            properties: {
                              model: { format: "OpenAI", name: a % 5 === 0 ? "gpt-35-turbo" : "gpt-4o", version: "1" },
                              ...(a % 2 === 0 ? { raiPolicyName: "Microsoft.DefaultV2" } : {}),
                            },
                          },
                        ],
                      }
                    : {}),
                  ...(a % 2 === 1
                    ? {
                        diagnosticSettings: [
                          {
                            name: "to-law",
                            properties: {
                              workspaceId: `/subscriptions/${id}/resourceGroups/ops/providers/Microsoft.OperationalInsights/workspaces/law`,
                              logs: [{ categoryGroup: "allLogs", enabled: true }],
                            },
                          },
                        ],
                      }
                    : {}),
                };
              }),
              machineLearningWorkspaces: [
                {
                  name: `hub-${s}`,
                  kind: "Hub",
                  properties: {
                    managedNetwork: {
                      isolationMode: s % 2 === 0 ? "AllowOnlyApprovedOutbound" : "AllowInternetOutbound",
                    },
                  },
                  onlineEndpoints: [{ name: `ep-${s}` }],
                  computes: [{ name: `gpu-${s}`, properties: { computeType: "AmlCompute" } }],
                },
              ],
              searchServices: [{ name: `search-${s}`, sku: { name: "basic" } }],
            },
          ],
          activityLog: [
            {
              operationName: "Microsoft.CognitiveServices/accounts/listKeys/action",
              eventTimestamp: hourAgo,
              resourceId: `${group}/ai-${s}-1`,
              caller: `dev-${s}@example.com`,
            },
            {
              operationName: "Microsoft.CognitiveServices/accounts/deployments/write",
              eventTimestamp: hourAgo,
              resourceId: `${group}/ai-${s}-0/deployments/d-0`,
              caller: "pipeline@example.com",
            },
          ],
        };
      }),
    },
  };
}
