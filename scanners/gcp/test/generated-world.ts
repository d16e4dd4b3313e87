import type { Gcp, World } from "@aigov/cloud-sim";

export const ORGANIZATION = "900000000001";

/** Project ids ai-proj-0000, ai-proj-0001 … */
export function projectId(index: number): string {
  return `ai-proj-${String(index).padStart(4, "0")}`;
}

/**
 * An organization of `projects` projects in two folders, each enabling Vertex AI, Workbench and API Keys (every
 * third the Gemini API too), with a small fixed set of AI resources in each of `locations`, two API keys, a
 * Workbench instance and two audit entries in the window: work for every collector, cheap enough to generate
 * hundreds of projects for the benchmark.
 */
export function generatedWorld(projects: number, locations: readonly string[], auditTime: string): World {
  return {
    version: 1,
    gcp: {
      organization: {
        id: ORGANIZATION,
        displayName: "example.com",
        folders: [{ displayName: "Prod" }, { displayName: "Dev" }],
      },
      projects: Array.from({ length: projects }, (_, i): Gcp.GcpProject => {
        const id = projectId(i);
        return {
          projectId: id,
          folder: i % 2 === 0 ? "Prod" : "Dev",
          labels: i % 4 === 3 ? {} : ({ owner: `team-${i % 7}` } as Record<string, string>),
          services: [
            "aiplatform.googleapis.com",
            "notebooks.googleapis.com",
            "apikeys.googleapis.com",
            "logging.googleapis.com",
            ...(i % 3 === 0 ? ["generativelanguage.googleapis.com"] : []),
          ],
          ...(i % 2 === 0
            ? {
                auditConfigs: [
                  { service: "aiplatform.googleapis.com", auditLogConfigs: [{ logType: "DATA_READ" as const }] },
                ],
              }
            : {}),
          apiKeys: [
            { name: `open-${i}`, displayName: "quick test" },
            { name: `maps-${i}`, restrictions: { apiTargets: [{ service: "maps-backend.googleapis.com" }] } },
          ],
          vertex: Object.fromEntries(
            locations.map((location) => [
              location,
              {
                endpoints: [
                  {
                    name: "1",
                    displayName: "chat",
                    deployedModels: [{ id: "11", model: `projects/${id}/locations/${location}/models/tuned` }],
                  },
                  {
                    name: "2",
                    displayName: "private",
                    privateServiceConnectConfig: { enablePrivateServiceConnect: true },
                    encryptionSpec: { kmsKeyName: `projects/kms/locations/${location}/keyRings/r/cryptoKeys/k` },
                  },
                ],
                models: [
                  {
                    name: "tuned",
                    baseModelSource: { modelGardenSource: { publicModelName: "publishers/google/models/gemma-2" } },
                  },
                ],
                datasets: [{ name: "3", displayName: "tickets" }],
              },
            ]),
          ),
          workbenchInstances: [
            {
              name: "nb",
              location: `${locations[0]}-a`,
              gceSetup: { machineType: "e2-standard-4", disablePublicIp: false },
            },
          ],
          auditLogs: [
            {
              timestamp: auditTime,
              protoPayload: {
                serviceName: "aiplatform.googleapis.com",
                methodName: "google.cloud.aiplatform.v1.PredictionService.GenerateContent",
                resourceName: `projects/${id}/locations/${locations[0]}/publishers/google/models/gemini-2.0-flash`,
                authenticationInfo: { principalEmail: `app@${id}.iam.gserviceaccount.com` },
              },
            },
            {
              timestamp: auditTime,
              protoPayload: {
                serviceName: "aiplatform.googleapis.com",
                methodName: "google.cloud.aiplatform.v1.EndpointService.DeployModel",
                resourceName: `projects/${id}/locations/${locations[0]}/endpoints/1`,
                authenticationInfo: { principalEmail: "alice@example.com" },
              },
            },
          ],
        };
      }),
    },
  };
}
