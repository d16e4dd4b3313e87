// cloud-sim: what the simulator costs per request, next to a bare node:http server answering the same requests
// (same client, same connections, same mix of awsJson1_1 / restJson1 / awsQuery requests), how long a
// 200-account × 4-region world takes to load and index, and how closely added latency matches what was asked.
// Each server runs in its own process so its CPU time and peak RSS are its own.
import { spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import { Agent, createServer, request } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { loadWorld, startCloudSim, type World } from "../../packages/cloud-sim/src/index.ts";
import { stringify } from "yaml";
import { median, writeBenchResult } from "./bench-result.ts";

const ACCOUNTS = 200;
const REGIONS = ["us-east-1", "us-west-2", "eu-west-1", "ap-southeast-1"];
const REQUESTS = 6000;
const CONCURRENCY = 64;
const ROUNDS = 3;

function benchWorld(): World {
  return {
    version: 1,
    aws: {
      organization: { managementAccountId: "100000000001" },
      accounts: Array.from({ length: ACCOUNTS }, (_, i) => ({
        id: String(100000000001 + i),
        name: `acct-${i}`,
        iam: { users: [{ name: `dev-${i}`, serviceSpecificCredentials: [{ id: `ACCA${i}`, expires: null }] }] },
        regions: Object.fromEntries(
          REGIONS.map((region) => [
            region,
            {
              sagemaker: {
                endpoints: [{ EndpointName: `ep-${i}`, EndpointConfigName: "cfg" }],
                endpointConfigs: [
                  { EndpointConfigName: "cfg", ProductionVariants: [{ VariantName: "v1", ModelName: "m" }] },
                ],
                notebookInstances: [{ NotebookInstanceName: "nb" }],
              },
              bedrock: { customModels: [{ modelName: "tuned" }], guardrails: [{ name: "g" }] },
              lambda: { functions: [{ FunctionName: "fn", Environment: { Variables: { LOG_LEVEL: "info" } } }] },
              cloudtrail: {
                events: [
                  { eventName: "InvokeModel", eventSource: "bedrock.amazonaws.com", eventTime: "2026-11-21T10:00:00Z" },
                ],
              },
            },
          ]),
        ),
      })),
    },
  };
}

/** The i-th request of the mix: a SigV4-shaped header is all the simulator reads (it does not check signatures). */
function requestOf(i: number): { method: string; path: string; headers: Record<string, string>; body: string } {
  const account = String(100000000001 + (i % ACCOUNTS));
  const region = REGIONS[(i >> 3) % REGIONS.length]!;
  const auth = (service: string) =>
    `AWS4-HMAC-SHA256 Credential=AKIA${account}BNCH/20261122/${region}/${service}/aws4_request, SignedHeaders=host, Signature=00`;
  switch (i % 4) {
    case 0:
      return {
        method: "POST",
        path: "/",
        headers: {
          authorization: auth("sagemaker"),
          "x-amz-target": "SageMaker.ListEndpoints",
          "content-type": "application/x-amz-json-1.1",
        },
        body: "{}",
      };
    case 1:
      return {
        method: "POST",
        path: "/",
        headers: {
          authorization: auth("sagemaker"),
          "x-amz-target": "SageMaker.DescribeEndpoint",
          "content-type": "application/x-amz-json-1.1",
        },
        body: JSON.stringify({ EndpointName: `ep-${i % ACCOUNTS}` }),
      };
    case 2:
      return {
        method: "GET",
        path: "/custom-models?maxResults=10",
        headers: { authorization: auth("bedrock") },
        body: "",
      };
    default:
      return {
        method: "POST",
        path: "/",
        headers: { authorization: auth("iam"), "content-type": "application/x-www-form-urlencoded" },
        body: "Action=ListServiceSpecificCredentials&Version=2010-05-08&ServiceName=bedrock.amazonaws.com&AllUsers=true",
      };
  }
}

/** Child process: serve until SIGTERM, then print own CPU time and peak RSS. */
async function serve(kind: "bare" | "sim", latencyMs: number): Promise<void> {
  let served = 0;
  let url: string;
  let close: () => Promise<void>;
  if (kind === "sim") {
    const sim = await startCloudSim({ world: benchWorld(), latencyMs, onRequest: () => served++ });
    url = sim.url;
    close = () => sim.close();
  } else {
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (chunk: Buffer) => chunks.push(chunk));
      req.on("end", () => {
        served++;
        const body = '{"Endpoints":[]}';
        res.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(body) });
        res.end(body);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    close = () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
  }
  const cpu0 = process.cpuUsage();
  process.stdout.write(`${JSON.stringify({ url })}\n`);
  process.once("SIGTERM", () => {
    const cpu = process.cpuUsage(cpu0);
    process.stdout.write(
      `${JSON.stringify({ served, cpuUs: cpu.user + cpu.system, maxRssKiB: process.resourceUsage().maxRSS })}\n`,
    );
    void close().then(() => process.exit(0));
  });
}

async function drive(url: string, count: number): Promise<{ wallMs: number; latencies: number[]; failures: number }> {
  const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  const target = new URL(url);
  let next = 0;
  let failures = 0;
  const latencies: number[] = [];
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < count) {
        const spec = requestOf(next++);
        const sent = performance.now();
        const status = await new Promise<number>((resolve, reject) => {
          const req = request(
            {
              host: target.hostname,
              port: target.port,
              method: spec.method,
              path: spec.path,
              headers: spec.headers,
              agent,
            },
            (res) => {
              res.resume();
              res.on("end", () => resolve(res.statusCode ?? 0));
            },
          );
          req.on("error", reject);
          req.end(spec.body);
        });
        latencies.push(performance.now() - sent);
        if (status !== 200) failures++;
      }
    }),
  );
  agent.destroy();
  return { wallMs: performance.now() - started, latencies, failures };
}

async function measure(kind: "bare" | "sim", latencyMs: number, count: number) {
  const child = spawn(process.execPath, [fileURLToPath(import.meta.url), "serve", kind, String(latencyMs)], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  const lines: string[] = [];
  let buffered = "";
  const lineArrived = () =>
    new Promise<string>((resolve) => {
      const poll = () => (lines.length > 0 ? resolve(lines.shift()!) : setTimeout(poll, 5));
      poll();
    });
  child.stdout.on("data", (chunk: Buffer) => {
    buffered += chunk.toString("utf8");
    let newline = buffered.indexOf("\n");
    while (newline >= 0) {
      lines.push(buffered.slice(0, newline));
      buffered = buffered.slice(newline + 1);
      newline = buffered.indexOf("\n");
    }
  });
  const { url } = JSON.parse(await lineArrived()) as { url: string };
  const driven = await drive(url, count);
  child.kill("SIGTERM");
  const stats = JSON.parse(await lineArrived()) as { served: number; cpuUs: number; maxRssKiB: number };
  await new Promise((resolve) => child.once("exit", resolve));
  return { ...driven, ...stats, cpuPerRequestUs: stats.cpuUs / stats.served };
}

async function main(): Promise<void> {
  const bare: Awaited<ReturnType<typeof measure>>[] = [];
  const sim: Awaited<ReturnType<typeof measure>>[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    bare.push(await measure("bare", 0, REQUESTS));
    sim.push(await measure("sim", 0, REQUESTS));
  }
  const failures = sim.reduce((sum, run) => sum + run.failures, 0);
  if (failures > 0) throw new Error(`${failures} simulator requests did not answer 200`);

  // Latency: 40 ms asked, at the benchmark's concurrency; the floor is count / concurrency × 40 ms.
  const latencyCount = 2000;
  const delayed = await measure("sim", 40, latencyCount);
  const floorMs = Math.ceil(latencyCount / CONCURRENCY) * 40;

  // World loading: YAML file → checked World → indexed, serving server.
  const file = join(tmpdir(), `cloud-sim-bench-${process.pid}.yaml`);
  const yamlText = stringify(benchWorld());
  writeFileSync(file, yamlText);
  const loads: number[] = [];
  const starts: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    let at = performance.now();
    const world = await loadWorld(file);
    loads.push(performance.now() - at);
    at = performance.now();
    const server = await startCloudSim({ world });
    starts.push(performance.now() - at);
    await server.close();
  }

  const bareCpu = median(bare.map((run) => run.cpuPerRequestUs));
  const simCpu = median(sim.map((run) => run.cpuPerRequestUs));
  writeBenchResult("cloud-sim", {
    world: { accounts: ACCOUNTS, regions: REGIONS.length, yamlBytes: Buffer.byteLength(yamlText) },
    requests: REQUESTS,
    concurrency: CONCURRENCY,
    mix: "SageMaker ListEndpoints + DescribeEndpoint (awsJson1_1), Bedrock ListCustomModels (restJson1), IAM ListServiceSpecificCredentials (awsQuery)",
    serverCpuPerRequestUs: {
      bareNodeHttp: Math.round(bareCpu),
      cloudSim: Math.round(simCpu),
      ratio: Number((simCpu / bareCpu).toFixed(2)),
    },
    throughputPerSecond: {
      bareNodeHttp: Math.round(median(bare.map((run) => (REQUESTS / run.wallMs) * 1000))),
      cloudSim: Math.round(median(sim.map((run) => (REQUESTS / run.wallMs) * 1000))),
    },
    medianRequestMs: {
      bareNodeHttp: Number(median(bare.flatMap((run) => run.latencies)).toFixed(2)),
      cloudSim: Number(median(sim.flatMap((run) => run.latencies)).toFixed(2)),
    },
    serverPeakRssMiB: {
      bareNodeHttp: Math.round(median(bare.map((run) => run.maxRssKiB)) / 1024),
      cloudSim: Math.round(median(sim.map((run) => run.maxRssKiB)) / 1024),
    },
    latency40ms: {
      requests: latencyCount,
      medianRequestMs: Number(median(delayed.latencies).toFixed(1)),
      wallMs: Math.round(delayed.wallMs),
      floorMs,
      ratioToFloor: Number((delayed.wallMs / floorMs).toFixed(3)),
    },
    worldLoadMs: Math.round(median(loads)),
    worldStartMs: Math.round(median(starts)),
    benchPeakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
  });
}

if (process.argv[2] === "serve") await serve(process.argv[3] as "bare" | "sim", Number(process.argv[4] ?? 0));
else await main();
