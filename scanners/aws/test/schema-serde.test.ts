import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { ListNotebookInstancesCommand, SageMakerClient } from "@aws-sdk/client-sagemaker";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AwsClientFactory } from "../src/aws-clients.ts";
import { classifyAwsError } from "../src/aws-error.ts";
import { normalizeAwsConfig } from "../src/config.ts";

// A stand-in for SageMaker that answers each request with the next body: a good page, then one cut short.
const BODIES = [
  { status: 200, body: '{"NotebookInstances":[{"NotebookInstanceName":"nb-1","NotebookInstanceStatus":"InService"}]}' },
  { status: 200, body: '{"NotebookInstances":[{"NotebookInst' },
];
let server: Server;
let url: string;
let answered = 0;

beforeAll(async () => {
  server = createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      const { status, body } = BODIES[Math.min(answered++, BODIES.length - 1)]!;
      res.writeHead(status, { "content-type": "application/x-amz-json-1.1", "x-amzn-requestid": `req-${answered}` });
      res.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe("the sweep's schema serializer and deserializer", () => {
  it("read an answer as the SDK does, and a cut answer is an error with the raw response and the request id", async () => {
    const factory = new AwsClientFactory(
      normalizeAwsConfig({ accounts: [{ id: "111111111111" }], regions: ["us-east-1"], endpoint: url, maxAttempts: 1 }),
    );
    try {
      const sagemaker = factory.create(SageMakerClient, "sagemaker", {
        account: "111111111111",
        region: "us-east-1",
        credentials: async () => ({ accessKeyId: "AKIAFAKE", secretAccessKey: "fake" }),
      });
      const page = await sagemaker.send(new ListNotebookInstancesCommand({}));
      expect(page.NotebookInstances).toEqual([{ NotebookInstanceName: "nb-1", NotebookInstanceStatus: "InService" }]);
      expect(page.$metadata).toMatchObject({ httpStatusCode: 200, requestId: "req-1" });

      const error = await sagemaker.send(new ListNotebookInstancesCommand({})).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(Error);
      expect((error as Error).message).toMatch(/Deserialization error/);
      expect(error).toMatchObject({ $metadata: { httpStatusCode: 200, requestId: "req-2" } });
      // The raw response rides along, hidden (not enumerable), as the SDK leaves it.
      expect(Object.keys(error as object)).not.toContain("$response");
      expect((error as { $response?: { statusCode?: number } }).$response?.statusCode).toBe(200);
      expect(classifyAwsError(error)).toBe("Error");
    } finally {
      factory.close();
    }
  });
});
