import { BedrockClient, paginateListCustomModels } from "@aws-sdk/client-bedrock";
import { IAMClient, paginateListUsers } from "@aws-sdk/client-iam";
import { paginateListEndpoints, SageMakerClient } from "@aws-sdk/client-sagemaker";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CloudSim, startCloudSim, type World } from "../src/index.ts";
import { clientConfig, KEYS } from "./sim-clients.ts";

function world(count: number): World {
  const names = Array.from({ length: count }, (_, i) => `r${i}`);
  return {
    aws: {
      accounts: [
        {
          id: "222222222222",
          name: "paged",
          iam: { users: names.map((name) => ({ name })) },
          regions: {
            "us-east-1": {
              sagemaker: { endpoints: names.map((name) => ({ EndpointName: name, EndpointConfigName: "c" })) },
              bedrock: { customModels: names.map((modelName) => ({ modelName })) },
            },
          },
        },
      ],
    },
  };
}

/** One simulator per page size, reused across the property's runs (setWorld swaps the contents). */
const sims = new Map<number, CloudSim>();
beforeAll(async () => {
  for (const pageSize of [1, 2, 3, 5]) sims.set(pageSize, await startCloudSim({ world: world(0), pageSize }));
});
afterAll(async () => {
  await Promise.all([...sims.values()].map((s) => s.close()));
});

async function all<P, T>(
  pages: AsyncIterable<P>,
  pick: (page: P) => T[] | undefined,
  name: (item: T) => string | undefined,
): Promise<string[]> {
  const out: string[] = [];
  for await (const page of pages) out.push(...(pick(page) ?? []).map((item) => name(item) ?? ""));
  return out;
}

describe("pagination with the SDK paginators", () => {
  it("returns every item exactly once, in order, in ceil(n / pageSize) requests, for each protocol's token style", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(1, 2, 3, 5),
        fc.integer({ min: 0, max: 11 }),
        fc.option(fc.integer({ min: 1, max: 4 }), { nil: undefined }),
        async (pageSize, count, maxResults) => {
          const sim = sims.get(pageSize)!;
          sim.setWorld(world(count));
          sim.requests.clear();
          const expected = Array.from({ length: count }, (_, i) => `r${i}`);
          const perPage = Math.min(pageSize, maxResults ?? pageSize);
          const calls = Math.max(1, Math.ceil(count / perPage));
          const sagemaker = new SageMakerClient(clientConfig(sim.url, KEYS.prod));
          const endpoints = await all(
            paginateListEndpoints(
              { client: sagemaker, ...(maxResults === undefined ? {} : { pageSize: maxResults }) },
              {},
            ),
            (p) => p.Endpoints,
            (e) => e.EndpointName,
          );
          expect(endpoints).toEqual(expected);
          const bedrock = new BedrockClient(clientConfig(sim.url, KEYS.prod));
          const models = await all(
            paginateListCustomModels(
              { client: bedrock, ...(maxResults === undefined ? {} : { pageSize: maxResults }) },
              {},
            ),
            (p) => p.modelSummaries,
            (m) => m.modelName,
          );
          expect(models).toEqual(expected);
          const iam = new IAMClient(clientConfig(sim.url, KEYS.prod));
          const users = await all(
            paginateListUsers({ client: iam, ...(maxResults === undefined ? {} : { pageSize: maxResults }) }, {}),
            (p) => p.Users,
            (u) => u.UserName,
          );
          expect(users).toEqual(expected);
          expect(sim.requests.count({ operation: "ListEndpoints" })).toBe(calls);
          expect(sim.requests.count({ operation: "ListCustomModels" })).toBe(calls);
          expect(sim.requests.count({ operation: "ListUsers" })).toBe(calls);
        },
      ),
      { numRuns: 25, seed: 42 },
    );
  });
});
