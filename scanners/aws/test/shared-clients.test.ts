import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  ListNotebookInstancesCommand,
  paginateListNotebookInstances,
  SageMakerClient,
} from "@aws-sdk/client-sagemaker";
import { type CloudSim, type RequestRecord, startCloudSim } from "@aigov/cloud-sim";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AwsClientFactory } from "../src/aws-clients.ts";
import { normalizeAwsConfig } from "../src/config.ts";

// Two accounts in one region, each with its own notebooks: the simulator answers each request with the notebooks of
// the account its access key belongs to, and records that key.
const ACCOUNTS = ["111111111111", "222222222222"] as const;
const WORLD = `version: 1
aws:
  accounts:
${ACCOUNTS.map(
  (id) => `    - id: "${id}"
      name: account-${id}
      regions:
        us-east-1:
          sagemaker:
            notebookInstances: [{ NotebookInstanceName: nb-${id}-a }, { NotebookInstanceName: nb-${id}-b }, { NotebookInstanceName: nb-${id}-c }]`,
).join("\n")}
`;

// Static keys, with no expiration: what the SDK would resolve once per client and keep for good.
const keysOf = (account: string) => async () => ({
  accessKeyId: `AKIA${account}AAAA`,
  secretAccessKey: `secret-of-${account}`,
});

let sim: CloudSim;
const records: RequestRecord[] = [];

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), "aigov-shared-clients-"));
  writeFileSync(join(dir, "world.yaml"), WORLD);
  // One notebook per page: every listing takes three requests, so the accounts' requests interleave.
  sim = await startCloudSim({
    world: join(dir, "world.yaml"),
    pageSize: 1,
    latencyMs: 5,
    onRequest: (record) => records.push(record),
  });
});

afterAll(async () => {
  await sim?.close();
});

async function notebookNames(client: SageMakerClient): Promise<string[]> {
  const names: string[] = [];
  for await (const page of paginateListNotebookInstances({ client }, {}))
    for (const notebook of page.NotebookInstances ?? []) names.push(notebook.NotebookInstanceName ?? "");
  return names.sort();
}

describe("SDK clients shared across accounts", () => {
  it("signs each account's requests with that account's keys, sent concurrently through one client", async () => {
    const factory = new AwsClientFactory(
      normalizeAwsConfig({ organization: true, endpoint: sim.url, concurrency: 16 }),
    );
    try {
      const views = ACCOUNTS.map((account) =>
        factory.create(SageMakerClient, "sagemaker", { account, region: "us-east-1", credentials: keysOf(account) }),
      );
      // One SDK client under both accounts' views.
      expect(Object.getPrototypeOf(views[0])).toBe(Object.getPrototypeOf(views[1]));
      records.length = 0;
      // Ten listings per account, alternating, all in flight at once: 60 requests.
      const listings = await Promise.all(
        Array.from({ length: 20 }, (_, i) => notebookNames(views[i % 2]!).then((names) => ({ i, names }))),
      );
      for (const { i, names } of listings) {
        const account = ACCOUNTS[i % 2]!;
        expect(names).toEqual([`nb-${account}-a`, `nb-${account}-b`, `nb-${account}-c`]);
      }
      expect(records).toHaveLength(60);
      for (const account of ACCOUNTS) {
        const own = records.filter((record) => record.account === account);
        expect(own).toHaveLength(30);
        expect(new Set(own.map((record) => record.principal))).toEqual(new Set([`AKIA${account}AAAA`]));
      }
    } finally {
      factory.close();
    }
  });

  it("after a command's middleware order is kept, still signs each request with its account's keys and runs a middleware added later", async () => {
    const factory = new AwsClientFactory(normalizeAwsConfig({ organization: true, endpoint: sim.url }));
    try {
      const views = ACCOUNTS.map((account) =>
        factory.create(SageMakerClient, "sagemaker", { account, region: "us-east-1", credentials: keysOf(account) }),
      );
      // The first request works the order out; the next ones, of either account and at once, reuse it.
      await views[0]!.send(new ListNotebookInstancesCommand({}));
      records.length = 0;
      const pages = await Promise.all(
        [1, 0, 1, 0, 1].map((index) => views[index]!.send(new ListNotebookInstancesCommand({}))),
      );
      expect(pages.map((page) => page.NotebookInstances?.[0]?.NotebookInstanceName)).toEqual(
        [1, 0, 1, 0, 1].map((index) => `nb-${ACCOUNTS[index]}-a`),
      );
      expect(records.map((record) => record.principal)).toEqual(
        expect.arrayContaining([`AKIA${ACCOUNTS[0]}AAAA`, `AKIA${ACCOUNTS[1]}AAAA`]),
      );
      for (const record of records) expect(record.principal).toBe(`AKIA${record.account}AAAA`);
      // A middleware added to the shared client afterwards runs on the next request (the kept order is dropped).
      const seen: string[] = [];
      const shared = Object.getPrototypeOf(views[1]) as SageMakerClient;
      shared.middlewareStack.add(
        (next, context) => (args) => {
          seen.push(context.commandName ?? "");
          return next(args);
        },
        { step: "build", name: "testWatcher" },
      );
      await views[1]!.send(new ListNotebookInstancesCommand({}));
      expect(seen).toEqual(["ListNotebookInstancesCommand"]);
    } finally {
      factory.close();
    }
  });

  it("refuses a request sent on the shared client outside an account's view, after others were signed", async () => {
    const factory = new AwsClientFactory(normalizeAwsConfig({ organization: true, endpoint: sim.url }));
    try {
      const view = factory.create(SageMakerClient, "sagemaker", {
        account: ACCOUNTS[0],
        region: "us-east-1",
        credentials: keysOf(ACCOUNTS[0]),
      });
      await view.send(new ListNotebookInstancesCommand({}));
      records.length = 0;
      const shared = Object.getPrototypeOf(view) as SageMakerClient;
      await expect(shared.send(new ListNotebookInstancesCommand({}))).rejects.toThrow(
        /outside an account's client view/,
      );
      expect(records).toEqual([]);
    } finally {
      factory.close();
    }
  });
});
