import { BedrockClient, ListCustomModelsCommand } from "@aws-sdk/client-bedrock";
import { CloudTrailClient, LookupEventsCommand } from "@aws-sdk/client-cloudtrail";
import { IAMClient, ListUsersCommand } from "@aws-sdk/client-iam";
import { LambdaClient, ListFunctionsCommand } from "@aws-sdk/client-lambda";
import { OrganizationsClient, ListAccountsCommand } from "@aws-sdk/client-organizations";
import { ListEndpointsCommand, SageMakerClient } from "@aws-sdk/client-sagemaker";
import { AssumeRoleCommand, STSClient } from "@aws-sdk/client-sts";
import { afterEach, describe, expect, it } from "vitest";
import { type CloudSim, type FaultSpec, startCloudSim } from "../src/index.ts";
import { clientConfig, KEYS, WORLD_FILE } from "./sim-clients.ts";

const running: CloudSim[] = [];
async function sim(
  faults: FaultSpec[],
  options: { seed?: number; latencyMs?: number; rateLimits?: boolean } = {},
): Promise<CloudSim> {
  const started = await startCloudSim({ world: WORLD_FILE, faults, ...options });
  running.push(started);
  return started;
}
afterEach(async () => {
  await Promise.all(running.splice(0).map((s) => s.close()));
});

describe("faults as each protocol encodes them", () => {
  it("throttles awsJson with a 400 ThrottlingException, restJson with 429, Lambda with TooManyRequestsException, IAM with Throttling", async () => {
    const s = await sim([{ kind: "throttle" }]);
    await expect(
      new SageMakerClient(clientConfig(s.url, KEYS.prod)).send(new ListEndpointsCommand({})),
    ).rejects.toMatchObject({
      name: "ThrottlingException",
      $metadata: { httpStatusCode: 400 },
    });
    await expect(
      new BedrockClient(clientConfig(s.url, KEYS.prod)).send(new ListCustomModelsCommand({})),
    ).rejects.toMatchObject({
      name: "ThrottlingException",
      $metadata: { httpStatusCode: 429 },
    });
    await expect(
      new LambdaClient(clientConfig(s.url, KEYS.prod)).send(new ListFunctionsCommand({})),
    ).rejects.toMatchObject({
      name: "TooManyRequestsException",
      $metadata: { httpStatusCode: 429 },
    });
    await expect(new IAMClient(clientConfig(s.url, KEYS.prod)).send(new ListUsersCommand({}))).rejects.toMatchObject({
      name: "Throttling",
      $metadata: { httpStatusCode: 400 },
    });
    await expect(
      new OrganizationsClient(clientConfig(s.url, KEYS.management)).send(new ListAccountsCommand({})),
    ).rejects.toMatchObject({ name: "TooManyRequestsException" });
    expect(s.requests.all().every((r) => r.fault === "throttle")).toBe(true);
  });

  it("lets the SDK's retries get through intermittent throttling, and counts every attempt", async () => {
    const s = await sim([{ kind: "throttle", rate: 0.5 }], { seed: 1 });
    const client = new SageMakerClient(clientConfig(s.url, KEYS.prod, "us-east-1", 10));
    for (let i = 0; i < 4; i++) {
      const endpoints = await client.send(new ListEndpointsCommand({ NameContains: `e${i % 2 === 0 ? "" : "mb"}` }));
      expect(endpoints.Endpoints?.length).toBeGreaterThan(0);
    }
    const attempts = s.requests.filter({ operation: "ListEndpoints" });
    expect(attempts.filter((r) => r.status === 200).length).toBe(4);
    expect(attempts.some((r) => r.errorCode === "ThrottlingException")).toBe(true);
  });

  it("answers 500 and 503 with the server-error codes the SDK retries", async () => {
    const s = await sim([
      { kind: "error500", service: "sagemaker" },
      { kind: "error503", service: "bedrock" },
    ]);
    await expect(
      new SageMakerClient(clientConfig(s.url, KEYS.prod)).send(new ListEndpointsCommand({})),
    ).rejects.toMatchObject({ $metadata: { httpStatusCode: 500 }, $fault: "server" });
    await expect(
      new BedrockClient(clientConfig(s.url, KEYS.prod)).send(new ListCustomModelsCommand({})),
    ).rejects.toMatchObject({
      name: "ServiceUnavailableException",
      $metadata: { httpStatusCode: 503 },
    });
    const retried = new SageMakerClient(clientConfig(s.url, KEYS.prod, "us-east-1", 2));
    await expect(retried.send(new ListEndpointsCommand({}))).rejects.toMatchObject({ $metadata: { attempts: 2 } });
  });

  it("denies one service in one account and leaves the rest alone", async () => {
    const s = await sim([{ kind: "access-denied", service: "sagemaker", account: "222222222222" }]);
    await expect(
      new SageMakerClient(clientConfig(s.url, KEYS.prod)).send(new ListEndpointsCommand({})),
    ).rejects.toMatchObject({ name: "AccessDeniedException" });
    expect(
      (await new SageMakerClient(clientConfig(s.url, KEYS.dev)).send(new ListEndpointsCommand({}))).Endpoints,
    ).toEqual([]);
    expect(
      (await new BedrockClient(clientConfig(s.url, KEYS.prod)).send(new ListCustomModelsCommand({}))).modelSummaries
        ?.length,
    ).toBe(2);
    const iamDenied = await sim([{ kind: "access-denied", service: "iam" }]);
    await expect(
      new IAMClient(clientConfig(iamDenied.url, KEYS.prod)).send(new ListUsersCommand({})),
    ).rejects.toMatchObject({ name: "AccessDenied", $metadata: { httpStatusCode: 403 } });
  });

  it("calls an unassumable role by its generic name, target-unreachable, too; other accounts' roles still work", async () => {
    const s = await sim([{ kind: "target-unreachable", role: "AigovReader" }]);
    const sts = new STSClient(clientConfig(s.url, KEYS.management));
    await expect(
      sts.send(
        new AssumeRoleCommand({
          RoleArn: "arn:aws:iam::222222222222:role/AigovReader",
          RoleSessionName: "aigov",
          ExternalId: "s3cret",
        }),
      ),
    ).rejects.toMatchObject({ name: "AccessDenied", $metadata: { httpStatusCode: 403 } });
    const other = await sts.send(
      new AssumeRoleCommand({ RoleArn: "arn:aws:iam::333333333333:role/Reader", RoleSessionName: "aigov" }),
    );
    expect(other.Credentials?.AccessKeyId).toMatch(/^ASIA333333333333/);
    expect(s.requests.filter({ operation: "AssumeRole" }).map((r) => [r.fault ?? "", r.readOnly])).toEqual([
      ["target-unreachable", false],
      ["", false],
    ]);
  });

  it("makes a role unassumable by fault, by account or by role name", async () => {
    const s = await sim([{ kind: "unassumable-role", account: "333333333333" }]);
    const sts = new STSClient(clientConfig(s.url, KEYS.management));
    await expect(
      sts.send(new AssumeRoleCommand({ RoleArn: "arn:aws:iam::333333333333:role/Reader", RoleSessionName: "aigov" })),
    ).rejects.toMatchObject({ name: "AccessDenied" });
    const ok = await sts.send(
      new AssumeRoleCommand({
        RoleArn: "arn:aws:iam::222222222222:role/AigovReader",
        RoleSessionName: "aigov",
        ExternalId: "s3cret",
      }),
    );
    expect(ok.Credentials?.AccessKeyId).toMatch(/^ASIA222222222222/);
  });

  it("answers a region the account has not enabled like an opt-in region: the token is not valid there", async () => {
    const s = await sim([{ kind: "region-disabled", account: "222222222222", region: "eu-west-1" }]);
    await expect(
      new SageMakerClient(clientConfig(s.url, KEYS.prod, "us-west-2")).send(new ListEndpointsCommand({})),
    ).rejects.toMatchObject({
      name: "UnrecognizedClientException",
      $metadata: { httpStatusCode: 400 },
    });
    await expect(
      new SageMakerClient(clientConfig(s.url, KEYS.prod, "eu-west-1")).send(new ListEndpointsCommand({})),
    ).rejects.toMatchObject({ name: "UnrecognizedClientException" });
    await expect(
      new BedrockClient(clientConfig(s.url, KEYS.prod, "ap-east-1")).send(new ListCustomModelsCommand({})),
    ).rejects.toMatchObject({
      name: "UnrecognizedClientException",
      $metadata: { httpStatusCode: 403 },
    });
    expect(
      (await new IAMClient(clientConfig(s.url, KEYS.prod, "eu-west-1")).send(new ListUsersCommand({}))).Users?.length,
    ).toBe(2);
  });

  it("answers a service the account is not subscribed to as AWS does (OptInRequired / SubscriptionRequiredException)", async () => {
    const s = await sim([
      { kind: "service-disabled", service: "sagemaker" },
      { kind: "service-disabled", service: "iam" },
    ]);
    await expect(
      new SageMakerClient(clientConfig(s.url, KEYS.prod)).send(new ListEndpointsCommand({})),
    ).rejects.toMatchObject({ name: "SubscriptionRequiredException", $metadata: { httpStatusCode: 400 } });
    await expect(
      new IAMClient(clientConfig(s.url, KEYS.prod, "eu-west-1")).send(new ListUsersCommand({})),
    ).rejects.toMatchObject({ name: "OptInRequired", $metadata: { httpStatusCode: 403 } });
    expect(s.requests.filter({ service: "sagemaker" })[0]).toMatchObject({ fault: "service-disabled" });
  });

  it("adds latency to every answer and more where a latency fault matches", async () => {
    const s = await sim([{ kind: "latency", service: "bedrock", latencyMs: 150 }], { latencyMs: 40 });
    const sagemaker = new SageMakerClient(clientConfig(s.url, KEYS.prod));
    const bedrock = new BedrockClient(clientConfig(s.url, KEYS.prod));
    await sagemaker.send(new ListEndpointsCommand({})); // warm the connection
    let start = performance.now();
    await sagemaker.send(new ListEndpointsCommand({}));
    const plain = performance.now() - start;
    start = performance.now();
    await bedrock.send(new ListCustomModelsCommand({}));
    const slowed = performance.now() - start;
    expect(plain).toBeGreaterThanOrEqual(39);
    expect(plain).toBeLessThan(150);
    expect(slowed).toBeGreaterThanOrEqual(189);
  });

  it("hangs a request until the client gives up, and close() still returns", async () => {
    const s = await sim([{ kind: "hang", service: "lambda" }]);
    const lambda = new LambdaClient({
      ...clientConfig(s.url, KEYS.prod),
      requestHandler: { requestTimeout: 300, throwOnRequestTimeout: true },
    });
    const start = performance.now();
    await expect(lambda.send(new ListFunctionsCommand({}))).rejects.toMatchObject({ name: "TimeoutError" });
    expect(performance.now() - start).toBeGreaterThanOrEqual(290);
    expect(s.requests.filter({ service: "lambda" })[0]).toMatchObject({ status: 0, fault: "hang" });
    const other = new LambdaClient({ ...clientConfig(s.url, KEYS.prod), requestHandler: { requestTimeout: 60_000 } });
    const pending = other.send(new ListFunctionsCommand({})).catch((error: unknown) => error);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const closing = performance.now();
    await s.close();
    expect(performance.now() - closing).toBeLessThan(1000);
    expect(await pending).toBeInstanceOf(Error);
  });
});

describe("documented rate limits", () => {
  it("throttles CloudTrail LookupEvents beyond 2 requests per second per account and region when asked to", async () => {
    const s = await sim([], { rateLimits: true });
    const east = new CloudTrailClient(clientConfig(s.url, KEYS.prod));
    const outcomes = await Promise.all(
      Array.from({ length: 5 }, () =>
        east.send(new LookupEventsCommand({})).then(
          () => "ok",
          (error: Error) => error.name,
        ),
      ),
    );
    expect(outcomes.filter((o) => o === "ok").length).toBe(2);
    expect(outcomes.filter((o) => o === "ThrottlingException").length).toBe(3);
    // Another region of the same account, and another account, have their own allowance.
    await new CloudTrailClient(clientConfig(s.url, KEYS.prod, "eu-west-1")).send(new LookupEventsCommand({}));
    await new CloudTrailClient(clientConfig(s.url, KEYS.dev)).send(new LookupEventsCommand({}));
    await new Promise((resolve) => setTimeout(resolve, 550));
    await east.send(new LookupEventsCommand({}));
    expect(s.requests.filter({ service: "cloudtrail" }).filter((r) => r.fault === "rate-limit").length).toBe(3);
    // Each request says which rate it counted against, so a benchmark can compute the cloud's own bound.
    expect(s.requests.filter({ operation: "LookupEvents" }).map((r) => r.ratePerSecond)).toEqual(Array(8).fill(2));
  });

  it("does not limit rates unless asked", async () => {
    const s = await sim([]);
    const east = new CloudTrailClient(clientConfig(s.url, KEYS.prod));
    const outcomes = await Promise.all(
      Array.from({ length: 5 }, () =>
        east.send(new LookupEventsCommand({})).then(
          () => "ok",
          (error: Error) => error.name,
        ),
      ),
    );
    expect(outcomes).toEqual(["ok", "ok", "ok", "ok", "ok"]);
    expect(s.requests.all().every((r) => r.ratePerSecond === undefined)).toBe(true);
  });
});

describe("deterministic fault draws", () => {
  async function statuses(seed: number): Promise<string[]> {
    const s = await sim([{ kind: "throttle", rate: 0.3 }], { seed });
    const client = new SageMakerClient(clientConfig(s.url, KEYS.prod));
    // Concurrent, so arrival order varies from run to run; the draws must not depend on it.
    await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        client.send(new ListEndpointsCommand({ NameContains: `n${i}` })).catch(() => undefined),
      ),
    );
    return s.requests
      .all()
      .map((r) => `${r.status}`)
      .slice()
      .sort();
  }

  async function perRequest(seed: number): Promise<Map<string, number>> {
    const s = await sim([{ kind: "throttle", rate: 0.3 }], { seed });
    const client = new SageMakerClient(clientConfig(s.url, KEYS.prod));
    const outcome = new Map<string, number>();
    await Promise.all(
      Array.from({ length: 40 }, async (_, i) => {
        const ok = await client.send(new ListEndpointsCommand({ NameContains: `n${i}` })).then(
          () => 200,
          () => 400,
        );
        outcome.set(`n${i}`, ok);
      }),
    );
    return outcome;
  }

  it("throttles the same requests on every run with the same seed, whatever the arrival order, at about the rate asked", async () => {
    const first = await perRequest(7);
    const second = await perRequest(7);
    expect([...second.entries()].sort()).toEqual([...first.entries()].sort());
    const throttled = [...first.values()].filter((status) => status === 400).length;
    expect(throttled).toBeGreaterThanOrEqual(4);
    expect(throttled).toBeLessThanOrEqual(20);
    const other = await perRequest(8);
    expect([...other.entries()].sort()).not.toEqual([...first.entries()].sort());
    expect((await statuses(7)).filter((s) => s === "400").length).toBe(throttled);
  });
});
