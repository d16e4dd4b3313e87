// `pnpm bench gate`: the gate on two plans of 10,000 resources, each as a process, against a node process that only
// reads and JSON.parses the same file, run interleaved so all see the same machine load:
//   - generated: a generated plan (about 5% AI) with the attribute volume of small resources;
//   - real: the resource_changes of three public plans repeated under module prefixes to 10,001 changes, 500 AI,
//     17 MB (real-plan.ts): real providers' long before/after objects, nested modules, updates and no-ops.
// Also the gate's start-up on a tiny plan. Reports medians of wall time and of each process's CPU time (user+system,
// read inside the child at exit: steadier than wall time when other work shares the machine), ratios, peak RSS.
// The gate runs as users run it: `aigov gate plan.json` through bin/aigov.js, which runs the built bundle (`pnpm bench`
// builds it first); the same run from the TypeScript sources is measured beside it.
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { defaultPolicy, loadRules } from "../../packages/core/src/index.ts";
import { judgePlanned } from "../../packages/iac/src/index.ts";
import { readGateSource } from "../../packages/iac/src/gate.ts";
import { requireFreshBundle } from "./fresh-bundle.ts";
import { median, writeBenchResult } from "./bench-result.ts";
import { measuredChild } from "./child-process-usage.ts";
import { REAL_PLAN_CHANGES, realResourcePlan } from "./real-plan.ts";

const root = join(dirname(fileURLToPath(import.meta.url)), "../..");
const dir = mkdtempSync(join(tmpdir(), "gate-bench-"));
const RESOURCES = 10_000;
const RUNS = 11;

/** Deterministic pseudo-random numbers, so every run benchmarks the same plan. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1_664_525 + 1_013_904_223) >>> 0;
    return state / 2 ** 32;
  };
}

interface Planned {
  readonly type: string;
  readonly provider: string;
  readonly after: Record<string, unknown>;
  readonly afterUnknown: Record<string, unknown>;
}

const next = random(20261122);
const tags = (index: number): Record<string, string> =>
  next() < 0.7 ? { owner: `team-${index % 40}`, env: "prod", "cost-center": `cc-${index % 97}` } : { env: "dev" };

// Ordinary infrastructure, with the attribute volume real plans carry.
function ordinary(index: number): Planned {
  const pick = index % 4;
  if (pick === 0) {
    return {
      type: "aws_s3_bucket",
      provider: "aws",
      after: {
        bucket: `acme-data-${index}`,
        force_destroy: false,
        tags: tags(index),
        tags_all: tags(index),
        timeouts: null,
        object_lock_enabled: false,
      },
      afterUnknown: {
        arn: true,
        id: true,
        bucket_domain_name: true,
        hosted_zone_id: true,
        region: true,
        acceleration_status: true,
        grant: true,
        lifecycle_rule: true,
        policy: true,
      },
    };
  }
  if (pick === 1) {
    return {
      type: "aws_instance",
      provider: "aws",
      after: {
        ami: "ami-0c55b159cbfafe1f0",
        instance_type: "m5.large",
        monitoring: true,
        ebs_block_device: [],
        root_block_device: [
          { delete_on_termination: true, volume_size: 50, volume_type: "gp3", encrypted: true, tags: null },
        ],
        metadata_options: [{ http_endpoint: "enabled", http_tokens: "required", http_put_response_hop_limit: 1 }],
        tags: tags(index),
        user_data: "IyEvYmluL2Jhc2gKZWNobyBoZWxsbw==",
        vpc_security_group_ids: [`sg-${(index * 7919).toString(16).padStart(8, "0")}`],
      },
      afterUnknown: {
        arn: true,
        id: true,
        private_ip: true,
        public_ip: true,
        private_dns: true,
        root_block_device: [{ device_name: true, iops: true, kms_key_id: true, throughput: true, volume_id: true }],
      },
    };
  }
  if (pick === 2) {
    return {
      type: "azurerm_storage_account",
      provider: "azurerm",
      after: {
        name: `acmesa${index}`,
        location: "westeurope",
        resource_group_name: "rg-data",
        account_tier: "Standard",
        account_replication_type: "GRS",
        min_tls_version: "TLS1_2",
        tags: tags(index),
        network_rules: [],
      },
      afterUnknown: {
        id: true,
        primary_access_key: true,
        primary_blob_endpoint: true,
        secondary_access_key: true,
        identity: [],
      },
    };
  }
  return {
    type: "google_storage_bucket",
    provider: "google",
    after: {
      name: `acme-gcs-${index}`,
      location: "EU",
      project: "acme-data",
      storage_class: "STANDARD",
      uniform_bucket_level_access: true,
      labels: tags(index),
      versioning: [{ enabled: true }],
    },
    afterUnknown: { id: true, self_link: true, url: true, effective_labels: true, terraform_labels: true },
  };
}

// AI resources across the three clouds, some governed, some not.
function ai(index: number): Planned {
  const pick = index % 5;
  if (pick === 0) {
    return {
      type: "azurerm_cognitive_account",
      provider: "azurerm",
      after: {
        name: `oai-${index}`,
        kind: "OpenAI",
        sku_name: "S0",
        location: "swedencentral",
        public_network_access_enabled: next() < 0.5,
        local_auth_enabled: next() < 0.5,
        tags: tags(index),
        custom_subdomain_name: `oai-${index}`,
        network_acls: [],
        customer_managed_key: [],
      },
      afterUnknown: { id: true, endpoint: true, primary_access_key: true, secondary_access_key: true, identity: [] },
    };
  }
  if (pick === 1) {
    return {
      type: "azurerm_cognitive_deployment",
      provider: "azurerm",
      after: {
        name: `chat-${index}`,
        model: [{ format: "OpenAI", name: next() < 0.5 ? "gpt-4o" : "gpt-4o-mini", version: "2024-08-06" }],
        sku: [{ name: "GlobalStandard", capacity: 50 }],
      },
      afterUnknown: { id: true, cognitive_account_id: true },
    };
  }
  if (pick === 2) {
    return {
      type: "aws_sagemaker_notebook_instance",
      provider: "aws",
      after: {
        name: `nb-${index}`,
        instance_type: "ml.t3.medium",
        direct_internet_access: next() < 0.5 ? "Enabled" : "Disabled",
        root_access: "Disabled",
        tags: tags(index),
        tags_all: tags(index),
      },
      afterUnknown: { arn: true, id: true, url: true, role_arn: true, network_interface_id: true },
    };
  }
  if (pick === 3) {
    return {
      type: "google_vertex_ai_endpoint",
      provider: "google",
      after: {
        name: `${index}`,
        display_name: `endpoint-${index}`,
        location: "europe-west4",
        project: "acme-genai",
        labels: tags(index),
        encryption_spec: [],
      },
      afterUnknown: { id: true, create_time: true, deployed_models: true, effective_labels: true, etag: true },
    };
  }
  return {
    type: "aws_bedrockagent_agent",
    provider: "aws",
    after: {
      agent_name: `agent-${index}`,
      foundation_model: "anthropic.claude-3-haiku-20240307-v1:0",
      idle_session_ttl_in_seconds: 600,
      tags: tags(index),
      guardrail_configuration: [],
    },
    afterUnknown: { agent_arn: true, agent_id: true, agent_resource_role_arn: true, id: true, tags_all: true },
  };
}

function generatePlan(): string {
  const changes: unknown[] = [];
  const planned: unknown[] = [];
  const configured: unknown[] = [];
  for (let index = 0; index < RESOURCES; index++) {
    const resource = index % 20 === 7 ? ai(index) : ordinary(index);
    const module = index % 3 === 0 ? `module.svc_${index % 50}.` : "";
    const address = `${module}${resource.type}.r[${index}]`;
    const actions = next() < 0.8 ? ["create"] : next() < 0.5 ? ["no-op"] : ["update"];
    const before = actions[0] === "create" ? null : resource.after;
    changes.push({
      address,
      ...(module === "" ? {} : { module_address: module.slice(0, -1) }),
      mode: "managed",
      type: resource.type,
      name: "r",
      index,
      provider_name: `registry.terraform.io/hashicorp/${resource.provider}`,
      change: {
        actions,
        before,
        after: resource.after,
        after_unknown: resource.afterUnknown,
        before_sensitive: before === null ? false : {},
        after_sensitive: {},
      },
    });
    planned.push({
      address,
      mode: "managed",
      type: resource.type,
      name: "r",
      index,
      provider_name: `registry.terraform.io/hashicorp/${resource.provider}`,
      schema_version: 0,
      values: resource.after,
      sensitive_values: {},
    });
    configured.push({
      address: `${resource.type}.r`,
      mode: "managed",
      type: resource.type,
      name: "r",
      provider_config_key: resource.provider,
      expressions: { name: { constant_value: `r${index}` } },
      schema_version: 0,
    });
  }
  return JSON.stringify({
    format_version: "1.2",
    terraform_version: "1.9.8",
    planned_values: { root_module: { resources: planned } },
    resource_changes: changes,
    configuration: {
      provider_config: {
        aws: {
          name: "aws",
          full_name: "registry.terraform.io/hashicorp/aws",
          expressions: { region: { constant_value: "eu-west-1" } },
        },
      },
      root_module: { resources: configured.slice(0, 2000) },
    },
  });
}

const readOnly = join(dir, "read-only.mjs");
writeFileSync(
  readOnly,
  `import { readFileSync } from "node:fs";
const plan = JSON.parse(readFileSync(process.argv[2], "utf8"));
if (!Array.isArray(plan.resource_changes)) process.exit(3);
`,
);

// The aigov executable keeps two caches between runs: Node's compile cache (compiled modules) and aigov's rule cache
// (checked rule files). "Cold" runs turn both off (a fresh CI machine; the rule pack the build checked stays, as it is
// part of what is installed); "cached" runs keep them (every run after the first).
const compileCache = join(dir, "compile-cache");
const ruleCache = join(dir, "rule-cache");

interface Timed {
  readonly ms: number;
  readonly cpuMs: number;
  readonly rssKiB: number;
  readonly status: number | null;
}

function timed(args: string[], cached = false): Timed {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: "1" };
  delete env.NODE_COMPILE_CACHE;
  if (cached) Object.assign(env, { NODE_COMPILE_CACHE: compileCache, AIGOV_CACHE_DIR: ruleCache });
  else Object.assign(env, { NODE_DISABLE_COMPILE_CACHE: "1", AIGOV_NO_CACHE: "1" });
  const run = measuredChild(args, { env, cwd: dir });
  if (run.status === null || run.status > 1) throw new Error(`${args.join(" ")} failed (${run.status}): ${run.stderr}`);
  return { ms: run.ms, cpuMs: run.cpuMs, rssKiB: run.maxRssKiB, status: run.status };
}

requireFreshBundle("before");
const cli = join(root, "packages/cli/bin/aigov.js");
const sources = join(root, "packages/cli/src/main.ts");
const tinyPlan = join(root, "test/fixtures/plans/checkov/plan_after_unknown.json");
const policy = defaultPolicy();
const rules = await loadRules({ policy });

/** One plan's processes: the gate (text and JSON output), read+parse, and (generated only) cached and from sources. */
class PlanRuns {
  readonly file: string;
  readonly sizeMiB: number;
  readonly gateArgs: string[];
  readonly jsonArgs: string[];
  readonly resultFile: string;
  readonly samples = {
    gate: [] as Timed[],
    json: [] as Timed[],
    read: [] as Timed[],
    gateCached: [] as Timed[],
    sources: [] as Timed[],
  };
  readonly inProcess = { gate: [] as number[], read: [] as number[] };

  constructor(name: string, text: string) {
    this.file = join(dir, `${name}.json`);
    writeFileSync(this.file, text);
    this.sizeMiB = statSync(this.file).size / 2 ** 20;
    this.resultFile = join(dir, `${name}-result.json`);
    this.gateArgs = [cli, "gate", this.file];
    this.jsonArgs = [cli, "gate", this.file, "--format", "json", "--output", this.resultFile];
    timed(this.jsonArgs); // warm the file cache once; not counted
    timed(this.gateArgs, true); // fill the caches; not counted
  }

  run(withVariants: boolean): void {
    this.samples.gate.push(timed(this.gateArgs));
    this.samples.read.push(timed([readOnly, this.file]));
    this.samples.json.push(timed(this.jsonArgs));
    if (!withVariants) return;
    this.samples.gateCached.push(timed(this.gateArgs, true));
    this.samples.sources.push(timed([sources, "gate", this.file]));
  }

  /** In this process, with modules and rules already loaded: the gate's work on the plan against reading and parsing it. */
  async runInProcess(): Promise<void> {
    let started = performance.now();
    const input = await readGateSource(this.file);
    const judged = judgePlanned(input.subjects, { rules, policy });
    JSON.stringify({ findings: judged.findings, assets: input.subjects }, null, 2);
    this.inProcess.gate.push(performance.now() - started);
    started = performance.now();
    JSON.parse(readFileSync(this.file, "utf8"));
    this.inProcess.read.push(performance.now() - started);
  }

  result(resources: number, startup: { tiny: Timed[]; bare: Timed[] }): Record<string, unknown> {
    const result = JSON.parse(readFileSync(this.resultFile, "utf8")) as {
      counts: { subjects: number };
      findings: unknown[];
    };
    const ms = (values: Timed[]) => median(values.map((value) => value.ms));
    const cpu = (values: Timed[]) => median(values.map((value) => value.cpuMs));
    const mib = (values: Timed[]) => Number((median(values.map((value) => value.rssKiB)) / 1024).toFixed(1));
    const read = this.samples.read;
    const ratio = (values: Timed[]) => Number((ms(values) / ms(read)).toFixed(2));
    const cpuRatio = (values: Timed[]) => Number((cpu(values) / cpu(read)).toFixed(2));
    const measured = (values: Timed[]) =>
      values.length === 0
        ? undefined
        : {
            gateMedianMs: Math.round(ms(values)),
            ratio: ratio(values),
            cpuMedianMs: Math.round(cpu(values)),
            cpuRatio: cpuRatio(values),
          };
    return {
      plan: {
        resources,
        aiSubjects: result.counts.subjects,
        findings: result.findings.length,
        sizeMiB: Number(this.sizeMiB.toFixed(1)),
        gateExitCode: this.samples.gate.at(-1)!.status,
      },
      // `aigov gate plan.json`: the table a CI log shows, on stdout.
      gateMedianMs: Math.round(ms(this.samples.gate)),
      readAndParseMedianMs: Math.round(ms(read)),
      ratio: ratio(this.samples.gate),
      gateCpuMedianMs: Math.round(cpu(this.samples.gate)),
      readAndParseCpuMedianMs: Math.round(cpu(read)),
      cpuRatio: cpuRatio(this.samples.gate),
      target: "<= 1.2",
      json: {
        command: "aigov gate plan.json --format json --output result.json",
        ...measured(this.samples.json),
        peakRssMiB: mib(this.samples.json),
      },
      withCaches: measured(this.samples.gateCached),
      fromSources:
        this.samples.sources.length === 0
          ? undefined
          : { command: "node packages/cli/src/main.ts gate plan.json", ...measured(this.samples.sources) },
      inProcess: {
        gateMedianMs: Math.round(median(this.inProcess.gate)),
        readAndParseMedianMs: Math.round(median(this.inProcess.read)),
        ratio: Number((median(this.inProcess.gate) / median(this.inProcess.read)).toFixed(2)),
      },
      // Work on the plan itself, start-up taken out of both: (gate − gate on a tiny plan) / (read+parse − bare node).
      planWorkRatio: Number(((ms(this.samples.gate) - ms(startup.tiny)) / (ms(read) - ms(startup.bare))).toFixed(2)),
      planWorkCpuRatio: Number(
        ((cpu(this.samples.gate) - cpu(startup.tiny)) / (cpu(read) - cpu(startup.bare))).toFixed(2),
      ),
      gatePeakRssMiB: mib(this.samples.gate),
      readAndParsePeakRssMiB: mib(read),
      samplesMs: {
        gate: this.samples.gate.map((value) => Math.round(value.ms)),
        readAndParse: read.map((value) => Math.round(value.ms)),
      },
    };
  }
}

const generated = new PlanRuns("generated", generatePlan());
const real = new PlanRuns("real", realResourcePlan());
const startup = { tiny: [] as Timed[], bare: [] as Timed[], tinyCached: [] as Timed[] };
for (let run = 0; run < RUNS; run++) {
  generated.run(true);
  real.run(false);
  startup.tiny.push(timed([cli, "gate", tinyPlan]));
  startup.bare.push(timed(["-e", ""]));
  startup.tinyCached.push(timed([cli, "gate", tinyPlan], true));
}
for (let run = 0; run < RUNS; run++) {
  await generated.runInProcess();
  await real.runInProcess();
}
const load = loadavg().map((value) => Number(value.toFixed(2)));

const startupMs = (values: Timed[]) => Math.round(median(values.map((value) => value.ms)));
writeBenchResult("gate", {
  runs: RUNS,
  loadAverage: load,
  executable: "bin/aigov.js running the esbuild bundle (packages/cli/dist); cold: no compile cache, no rule cache",
  generated: generated.result(RESOURCES, startup),
  real: real.result(REAL_PLAN_CHANGES, startup),
  startupTinyPlanMedianMs: startupMs(startup.tiny),
  startupTinyPlanCpuMedianMs: Math.round(median(startup.tiny.map((value) => value.cpuMs))),
  startupTinyPlanWithCachesMedianMs: startupMs(startup.tinyCached),
  bareNodeStartupMedianMs: startupMs(startup.bare),
  bareNodeStartupCpuMedianMs: Math.round(median(startup.bare.map((value) => value.cpuMs))),
});
rmSync(dir, { recursive: true, force: true });
