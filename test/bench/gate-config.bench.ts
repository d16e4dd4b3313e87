// `pnpm bench gate-config`: the gate on a terraform configuration directory of 2,000 resources (about 5% AI, the AI
// blocks taken from the pike and checkov corpora in test/fixtures/hcl-corpora, the rest ordinary infrastructure
// with variables, locals, count and for_each), beside the HCL parser alone (a node process that loads hcl2json and
// parses the same files), run interleaved so both see the same machine load. Medians and their ratio; in process too
// (reading the configuration vs parsing its files, both warm).
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { aiTypeInfo, readTerraformConfiguration } from "../../packages/iac/src/index.ts";
import { requireFreshBundle } from "./fresh-bundle.ts";
import { median, writeBenchResult } from "./bench-result.ts";

const root = join(dirname(fileURLToPath(import.meta.url)), "../..");
const corpora = join(root, "test/fixtures/hcl-corpora");
const work = mkdtempSync(join(tmpdir(), "gate-config-bench-"));
const configDir = join(work, "infra");
mkdirSync(configDir);
const RESOURCES = 2_000;
const AI_SHARE = 0.05;
const FILES = 20;
const RUNS = 11;

/** `resource "<ai type>" "name" { … }` blocks of the corpora, with their text, by a brace count over lines. */
function corpusAiBlocks(): { type: string; text: string }[] {
  const blocks: { type: string; text: string }[] = [];
  const walk = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
      entry.isDirectory() ? walk(join(dir, entry.name)) : entry.name.endsWith(".tf") ? [join(dir, entry.name)] : [],
    );
  for (const file of walk(corpora).sort()) {
    const lines = readFileSync(file, "utf8").split("\n");
    for (let start = 0; start < lines.length; start++) {
      const head = /^resource "([a-z0-9_]+)" "[^"]+" \{\s*$/.exec(lines[start]!);
      if (head === null || aiTypeInfo(head[1]!) === undefined) continue;
      const end = lines.findIndex((line, index) => index > start && line === "}");
      if (end === -1) continue;
      blocks.push({ type: head[1]!, text: lines.slice(start + 1, end).join("\n") });
      start = end;
    }
  }
  return blocks;
}

/** Ordinary infrastructure of the shapes real modules have: tags from locals, names from variables, count, for_each. */
function ordinaryBlock(index: number): { text: string; instances: number } {
  switch (index % 5) {
    case 0:
      return {
        text: `resource "aws_s3_bucket" "data_${index}" {
  bucket        = "\${var.prefix}-data-${index}"
  force_destroy = false
  tags          = merge(local.tags, { dataset = "d${index}" })
}
`,
        instances: 1,
      };
    case 1:
      return {
        text: `resource "aws_instance" "app_${index}" {
  count         = 2
  ami           = var.ami
  instance_type = "m5.large"
  subnet_id     = aws_subnet.private[count.index].id
  root_block_device {
    volume_size = 50
    volume_type = "gp3"
    encrypted   = true
  }
  metadata_options {
    http_tokens = "required"
  }
  tags = merge(local.tags, { Name = "app-${index}-\${count.index}" })
}
`,
        instances: 2,
      };
    case 2:
      return {
        text: `resource "azurerm_storage_account" "sa_${index}" {
  name                     = "acmesa${index}"
  resource_group_name      = var.resource_group
  location                 = var.location
  account_tier             = "Standard"
  account_replication_type = "GRS"
  min_tls_version          = "TLS1_2"
  tags                     = local.tags
}
`,
        instances: 1,
      };
    case 3:
      return {
        text: `resource "google_storage_bucket" "gcs_${index}" {
  for_each                    = toset(var.environments)
  name                        = "acme-\${each.key}-${index}"
  location                    = "EU"
  project                     = var.project
  uniform_bucket_level_access = true
  versioning {
    enabled = true
  }
  labels = { env = each.key, owner = local.owner }
}
`,
        instances: 3,
      };
    default:
      return {
        text: `resource "aws_security_group" "sg_${index}" {
  name   = "sg-${index}"
  vpc_id = var.vpc_id
  ingress {
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = ["10.0.0.0/8"]
  }
  tags = local.tags
}
`,
        instances: 1,
      };
  }
}

/** Writes the directory; returns how many resource instances and AI blocks it holds. */
function generateConfiguration(): { resources: number; aiBlocks: number; files: number } {
  const ai = corpusAiBlocks();
  const files: string[][] = Array.from({ length: FILES }, () => []);
  files[0]!.push(
    `variable "prefix" {
  default = "acme"
}
variable "ami" {
  default = "ami-0c55b159cbfafe1f0"
}
variable "resource_group" {
  default = "rg-data"
}
variable "location" {
  default = "westeurope"
}
variable "project" {
  default = "acme-data"
}
variable "vpc_id" {}
variable "environments" {
  default = ["dev", "staging", "prod"]
}
locals {
  owner = "platform"
  tags  = { owner = local.owner, env = "prod", "cost-center" = "cc-1" }
}
provider "aws" {
  region = "eu-west-1"
  default_tags {
    tags = { managed-by = "terraform" }
  }
}
`,
  );
  let resources = 0;
  let aiBlocks = 0;
  let block = 0;
  while (resources < RESOURCES) {
    const file = files[block % FILES]!;
    // An AI block whenever AI falls below its share of the instances so far.
    if (aiBlocks < (resources + 1) * AI_SHARE) {
      const source = ai[aiBlocks % ai.length]!;
      file.push(`resource "${source.type}" "ai_${block}" {\n${source.text}\n}\n`);
      aiBlocks++;
      resources++;
    } else {
      const ordinary = ordinaryBlock(block);
      if (resources + ordinary.instances > RESOURCES) {
        file.push(ordinaryBlock(0).text.replace(/data_0/, `data_last_${block}`));
        resources++;
      } else {
        file.push(ordinary.text);
        resources += ordinary.instances;
      }
    }
    block++;
  }
  for (const [index, blocks] of files.entries())
    writeFileSync(join(configDir, `${String(index).padStart(2, "0")}.tf`), blocks.join("\n"));
  return { resources, aiBlocks, files: FILES };
}

const generated = generateConfiguration();
const fileNames = readdirSync(configDir).sort();

// The parser alone: load hcl2json (its WASM) and parse every file, as the gate does before judging. All files at
// once, as the gate asks for them: one after another is slower, and would flatter the gate.
const parseOnly = join(work, "parse-only.cjs");
const hcl2jsonPath = createRequire(join(root, "packages/iac/package.json")).resolve("@cdktf/hcl2json");
writeFileSync(
  parseOnly,
  `const { readdirSync, readFileSync } = require("node:fs");
const { join } = require("node:path");
const { parse } = require(${JSON.stringify(hcl2jsonPath)});
(async () => {
  const dir = process.argv[2];
  await Promise.all(readdirSync(dir).sort().map((name) => parse(name, readFileSync(join(dir, name), "utf8"))));
})();
`,
);

function timed(args: string[]): number {
  const started = process.hrtime.bigint();
  const run = spawnSync(process.execPath, args, {
    env: { ...process.env, NO_COLOR: "1", AIGOV_NO_CACHE: "1", NODE_DISABLE_COMPILE_CACHE: "1" },
    stdio: ["ignore", "ignore", "pipe"],
    cwd: work,
  });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (run.status === null || run.status > 1)
    throw new Error(`${args.join(" ")} failed (${run.status}): ${run.stderr.toString()}`);
  return ms;
}

requireFreshBundle("before");
const cli = join(root, "packages/cli/bin/aigov.js");
const gateArgs = [cli, "gate", configDir, "--format", "json", "--output", join(work, "result.json")];
const parseArgs = [parseOnly, configDir];

timed(gateArgs); // warm the file cache once; not counted
const result = JSON.parse(readFileSync(join(work, "result.json"), "utf8")) as {
  exitCode: number;
  input: { resources: number; files: number };
  counts: { subjects: number };
  findings: unknown[];
};
const samples = { gate: [] as number[], parse: [] as number[] };
for (let run = 0; run < RUNS; run++) {
  // Alternating which goes first, so neither always runs on a warmer machine.
  if (run % 2 === 0) {
    samples.gate.push(timed(gateArgs));
    samples.parse.push(timed(parseArgs));
  } else {
    samples.parse.push(timed(parseArgs));
    samples.gate.push(timed(gateArgs));
  }
}

// In process, warm: reading the configuration (parse + evaluate + normalize) against parsing its files alone.
const { parse } = createRequire(import.meta.url)(hcl2jsonPath) as {
  parse: (name: string, text: string) => Promise<unknown>;
};
const texts = fileNames.map((name) => [name, readFileSync(join(configDir, name), "utf8")] as const);
const inProcess = { read: [] as number[], parse: [] as number[] };
for (let run = 0; run < RUNS + 1; run++) {
  let started = process.hrtime.bigint();
  await readTerraformConfiguration(configDir, "infra");
  const read = Number(process.hrtime.bigint() - started) / 1e6;
  started = process.hrtime.bigint();
  await Promise.all(texts.map(([name, text]) => parse(name, text)));
  const parsed = Number(process.hrtime.bigint() - started) / 1e6;
  if (run === 0) continue; // the first loads the WASM module
  inProcess.read.push(read);
  inProcess.parse.push(parsed);
}

const gateMs = median(samples.gate);
const parseMs = median(samples.parse);
writeBenchResult("gate-config", {
  configuration: {
    files: generated.files,
    resources: result.input.resources,
    aiBlocks: generated.aiBlocks,
    aiSubjects: result.counts.subjects,
    findings: result.findings.length,
    gateExitCode: result.exitCode,
  },
  runs: RUNS,
  command: "aigov gate infra/ --format json --output result.json (bin/aigov.js, the bundle; no caches)",
  gateMedianMs: Math.round(gateMs),
  hclParseOnlyMedianMs: Math.round(parseMs),
  ratio: Number((gateMs / parseMs).toFixed(2)),
  inProcess: {
    readConfigurationMedianMs: Number(median(inProcess.read).toFixed(1)),
    hclParseMedianMs: Number(median(inProcess.parse).toFixed(1)),
    ratio: Number((median(inProcess.read) / median(inProcess.parse)).toFixed(2)),
  },
  loadAverage: (await import("node:os")).loadavg().map((load) => Number(load.toFixed(2))),
});
rmSync(work, { recursive: true, force: true });
