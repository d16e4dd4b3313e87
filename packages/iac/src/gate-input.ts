import { readFileSync, type Stats, statSync } from "node:fs";
import { readdir, readFile } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";
import { AigovError, fileErrorReason } from "@aigov/core";
import { looksLikeArmTemplate, readArmTemplate } from "./arm-template.ts";
import { looksLikeTerraformJson, readCdktfStack } from "./cdktf-reader.ts";
import { looksLikeCloudFormation, readCloudFormationTemplate } from "./cloudformation-template.ts";
import { parseCloudFormationYaml } from "./cloudformation-yaml.ts";
import type { PlannedSubject } from "./normalize.ts";
import { readPlanScan } from "./plan-reader.ts";
import { scanPlanText } from "./plan-scan.ts";
import { decodeJsonBytes, jsonInputBytes, parseJsonDocument, READABLE_INPUTS } from "./plan-text.ts";
import { isRecord } from "./planned-values.ts";
import { type GivenParameters, type GivenValue, readParametersFile } from "./input-values.ts";
import type { TemplateReadResult } from "./template-read-result.ts";
import { isConfigFileName } from "./terraform-config-files.ts";
import { readTerraformConfiguration } from "./terraform-config-reader.ts";

/** What the gate read, for the summary a person checks before trusting a pass. */
export interface GateInput {
  readonly subjects: readonly PlannedSubject[];
  /**
   * What was read: a plan (changes against state), or configuration with no prior state, every resource introduced
   * (cdktf synth, terraform HCL, a CloudFormation or ARM template).
   */
  readonly source: "plan" | "cdktf" | "terraform-configuration" | "cloudformation" | "arm";
  readonly file: string;
  /** resource_changes in a plan, resources in synth output, resource instances in configuration. */
  readonly resources: number;
  readonly dataSources: number;
  /**
   * Module calls (cdktf synth holds none; configuration's registry/git modules), nested stacks and deployments: their
   * resources are not in the input, so not judged.
   */
  readonly modulesNotInspected: readonly string[];
  readonly stacks: readonly string[];
  readonly formatVersion?: string;
  /** Configuration files read (terraform configuration). */
  readonly files?: number;
  /** What the input left open that changes what was judged (a count known only at plan …). */
  readonly notes?: readonly string[];
}

/** Values for the input's own inputs: a terraform configuration's variables, a template's parameters. */
export interface GateReadOptions {
  /**
   * `--var-file`: variables files applied to a terraform configuration after terraform.tfvars and *.auto.tfvars; a
   * template's parameters files.
   */
  readonly varFiles?: readonly string[];
  /** `--var name=value`, after every file. */
  readonly vars?: readonly GivenValue[];
  /** `TF_VAR_name` environment variables, below every file (terraform configuration only). */
  readonly environment?: readonly GivenValue[];
}

/** Plan JSON / cdk.tf.json / cdktf.out directory / terraform configuration / "-" (stdin) → planned AI subjects. */
export async function readGateInput(pathOrDash: string, stdin?: NodeJS.ReadableStream): Promise<PlannedSubject[]> {
  return [...(await readGateSource(pathOrDash, stdin)).subjects];
}

/** Like readGateInput, with the counts of what was read. */
export async function readGateSource(
  pathOrDash: string,
  stdin?: NodeJS.ReadableStream,
  options: GateReadOptions = {},
): Promise<GateInput> {
  if (pathOrDash === "-") return readGateText(await readStream(stdin ?? process.stdin), "<stdin>", options);
  const path = resolve(pathOrDash);
  // Synchronous, as the plan's read below: a gate of a plan file then never starts libuv's thread pool (four
  // threads, a few milliseconds of a fresh process), which only directories and stdin need.
  let info: Stats;
  try {
    info = statSync(path);
  } catch (error) {
    throw new AigovError("GATE_INPUT_NOT_FOUND", `cannot read ${pathOrDash}: ${fileErrorReason(error)}`, {
      hint: `pass ${READABLE_INPUTS}`,
    });
  }
  if (info.isDirectory()) {
    // A cdktf.out directory has its manifest; a terraform module directory has its .tf files.
    const names = await readdir(path);
    if (names.includes("manifest.json")) return readCdktfOut(join(path, "manifest.json"), pathOrDash, options);
    if (names.some(isConfigFileName)) return readConfiguration(path, pathOrDash, options);
    throw new AigovError(
      "GATE_INPUT_UNKNOWN",
      `${pathOrDash} is a directory with neither a cdktf manifest.json nor terraform .tf/.tf.json files`,
      { hint: `pass ${READABLE_INPUTS}` },
    );
  }
  if (basename(path) === "manifest.json") return readCdktfOut(path, pathOrDash, options);
  if (isTerraformConfigurationFile(path)) return readConfiguration(path, pathOrDash, options);
  // Read in one synchronous call: the gate has nothing else to do meanwhile, and fs/promises would read a plan of
  // tens of megabytes in 512 KiB round trips through the thread pool. Bytes, not text: the scan reads bytes.
  const bytes = readFileSync(path);
  const name = basename(path);
  if (name.endsWith(".tf.json") && name !== "cdk.tf.json" && !isCdktfSynth(bytes, pathOrDash))
    return readConfiguration(path, pathOrDash, options);
  return readGateText(bytes, pathOrDash, options);
}

/** `main.tf`. (A `.tf.json` is configuration too, unless it is cdktf's synth output: see isCdktfSynth.) */
function isTerraformConfigurationFile(path: string): boolean {
  return basename(path).endsWith(".tf");
}

/**
 * cdktf writes its synth (`cdk.tf.json`) in terraform's JSON syntax with its own metadata (`"//": {"metadata": …}`):
 * read as a synth, it keeps its stack name and construct paths. A file named cdk.tf.json is a synth too; other
 * `.tf.json` files are configuration.
 */
function isCdktfSynth(bytes: Uint8Array, shown: string): boolean {
  const document = parseJsonDocument(bytes, shown, "terraform JSON configuration");
  return isRecord(document) && isRecord(document["//"]) && isRecord(document["//"].metadata);
}

async function readConfiguration(path: string, shown: string, options: GateReadOptions): Promise<GateInput> {
  const read = await readTerraformConfiguration(path, shown, options);
  return {
    subjects: read.subjects,
    source: "terraform-configuration",
    file: shown,
    resources: read.resources,
    dataSources: read.dataSources,
    modulesNotInspected: read.modulesNotInspected,
    stacks: [],
    files: read.files,
    notes: read.notes,
  };
}

/** A plan or cdk.tf.json held in memory (bytes, or text): what readGateSource does with a file's contents. */
export function readGateText(input: Uint8Array | string, file: string, options: GateReadOptions = {}): GateInput {
  const yaml = cloudFormationYamlText(input, file);
  if (yaml !== undefined) {
    const { document, resourceLines } = parseCloudFormationYaml(yaml, file);
    if (!looksLikeCloudFormation(document))
      throw new AigovError("TEMPLATE_SHAPE", "a YAML file that is not a CloudFormation template", {
        position: { file },
        hint: `pass ${READABLE_INPUTS}`,
      });
    const parameters = templateParameters("cloudformation", options);
    return fromTemplate("cloudformation", readCloudFormationTemplate(document, file, resourceLines, parameters), file);
  }
  return fromBytes(jsonInputBytes(input, file), file, options);
}

/**
 * A YAML CloudFormation template: text that does not open as JSON, in a .yaml/.yml/.template file or naming
 * `AWSTemplateFormatVersion:` or `Resources:` at the start of a line. Anything else goes the JSON way.
 */
function cloudFormationYamlText(input: Uint8Array | string, file: string): string | undefined {
  // A plan of tens of megabytes is never decoded whole just to see that it opens as JSON.
  if (typeof input !== "string" && opensAsJson(input)) return undefined;
  const text = typeof input === "string" ? input : decodeJsonBytes(input, file);
  if (/^\s*([{[]|$)/.test(text)) return undefined;
  const named = /\.(ya?ml|template)$/i.test(file);
  return named || /^(AWSTemplateFormatVersion|Resources)\s*:/m.test(text) ? text : undefined;
}

/** The first byte after a UTF-8 byte order mark and whitespace opens a JSON object or array. */
function opensAsJson(bytes: Uint8Array): boolean {
  let at = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  while (at < bytes.length && (bytes[at] === 0x20 || bytes[at] === 0x0a || bytes[at] === 0x0d || bytes[at] === 0x09))
    at++;
  return bytes[at] === 0x7b || bytes[at] === 0x5b;
}

function fromTemplate(source: "cloudformation" | "arm", template: TemplateReadResult, file: string): GateInput {
  return {
    subjects: template.subjects,
    source,
    file,
    resources: template.resources,
    dataSources: 0,
    modulesNotInspected: template.notInspected,
    stacks: [],
  };
}

/**
 * One validating pass over the text finds out what it is; a plan is read from that pass (only its AI resources
 * and configuration are decoded), anything else is parsed whole.
 */
function fromBytes(input: { bytes: Buffer; line: number }, file: string, options: GateReadOptions): GateInput {
  const scan = scanPlanText(input.bytes, file, input.line);
  if (scan.isPlan) {
    refuseGivenValues("a terraform plan", options);
    const plan = readPlanScan(scan);
    return {
      subjects: plan.subjects,
      source: "plan",
      file,
      resources: plan.resourceChanges,
      dataSources: plan.dataSources,
      modulesNotInspected: [],
      stacks: [],
      formatVersion: plan.formatVersion,
    };
  }
  // Validated by the scan: JSON.parse sees one document with no duplicate keys.
  const document: unknown = JSON.parse(input.bytes.toString("utf8"));
  if (looksLikeTerraformJson(document)) {
    refuseGivenValues("cdktf synth output", options);
    const stack = readCdktfStack(document, file);
    return {
      subjects: stack.subjects,
      source: "cdktf",
      file,
      resources: stack.resources,
      dataSources: stack.dataSources,
      modulesNotInspected: stack.modules,
      stacks: stack.stack === undefined ? [] : [stack.stack],
    };
  }
  if (looksLikeArmTemplate(document))
    return fromTemplate("arm", readArmTemplate(document, file, templateParameters("arm", options)), file);
  if (looksLikeCloudFormation(document)) {
    const parameters = templateParameters("cloudformation", options);
    return fromTemplate("cloudformation", readCloudFormationTemplate(document, file, new Map(), parameters), file);
  }
  if (isRecord(document) && isRecord(document.stacks)) {
    throw new AigovError(
      "GATE_INPUT_MANIFEST",
      "this is a cdktf manifest: pass its directory (cdktf.out) or the file named manifest.json",
      { position: { file } },
    );
  }
  throw new AigovError(
    "PLAN_SHAPE",
    "not a terraform plan (no format_version), not cdktf synth output (no resource/terraform block), not a " +
      "CloudFormation template (no Resources of AWS:: types) and not an ARM template (no deploymentTemplate.json $schema)",
    { position: { file }, hint: `pass ${READABLE_INPUTS}` },
  );
}

/** A template's parameters: each --var-file in order, then each --var (as text; the template's reader types it). */
function templateParameters(kind: "cloudformation" | "arm", options: GateReadOptions): GivenParameters {
  const values = new Map<string, unknown>();
  const texts = new Map<string, string>();
  for (const file of options.varFiles ?? [])
    for (const [name, value] of readParametersFile(file, file, kind)) values.set(name, value);
  for (const given of options.vars ?? []) {
    values.delete(given.name);
    texts.set(given.name, given.text);
  }
  return { values, texts };
}

/**
 * A plan and cdktf synth carry their variables' values already: values given for them would be ignored, and a gate
 * that silently ignores what it is told is not trusted.
 */
function refuseGivenValues(what: string, options: GateReadOptions): void {
  if ((options.varFiles ?? []).length === 0 && (options.vars ?? []).length === 0) return;
  throw new AigovError("GATE_VAR_NOT_APPLICABLE", `--var and --var-file do not apply to ${what}: it holds its values`, {
    hint: "give them to `terraform plan`, or pass the configuration directory or template to the gate",
  });
}

/** cdktf.out/manifest.json lists every stack; all of them are judged, a missing one is an error. */
async function readCdktfOut(manifestPath: string, shown: string, options: GateReadOptions): Promise<GateInput> {
  refuseGivenValues("cdktf synth output", options);
  const bytes = await readFile(manifestPath).catch(() => {
    throw new AigovError("GATE_INPUT_NOT_FOUND", `${shown}: no manifest.json (is this a cdktf.out directory?)`, {
      hint: "run `cdktf synth` first, or pass a plan JSON",
    });
  });
  const manifest = parseJsonDocument(bytes, manifestPath, "manifest.json");
  if (!isRecord(manifest) || !isRecord(manifest.stacks)) {
    throw new AigovError("CDKTF_MANIFEST", "manifest.json has no `stacks` object", {
      position: { file: manifestPath },
    });
  }
  const entries = Object.entries(manifest.stacks);
  if (entries.length === 0)
    throw new AigovError("CDKTF_MANIFEST", "manifest.json lists no stacks", { position: { file: manifestPath } });
  const subjects: PlannedSubject[] = [];
  const modules: string[] = [];
  const stacks: string[] = [];
  let resources = 0;
  let dataSources = 0;
  for (const [name, stack] of entries) {
    const stackPath =
      isRecord(stack) && typeof stack.synthesizedStackPath === "string" ? stack.synthesizedStackPath : undefined;
    if (stackPath === undefined) {
      throw new AigovError("CDKTF_MANIFEST", `manifest.json: stack ${name} has no synthesizedStackPath`, {
        position: { file: manifestPath },
      });
    }
    const file = join(dirname(manifestPath), stackPath);
    const stackBytes = await readFile(file).catch(() => {
      throw new AigovError("CDKTF_STACK_MISSING", `stack ${name}: ${stackPath} does not exist`, {
        position: { file: manifestPath },
        hint: "run `cdktf synth` again",
      });
    });
    const read = readCdktfStack(
      parseJsonDocument(stackBytes, file, "cdk.tf.json"),
      file,
      entries.length > 1 ? `${name}/` : "",
    );
    subjects.push(...read.subjects);
    modules.push(...read.modules.map((module) => `${name}/${module}`));
    stacks.push(name);
    resources += read.resources;
    dataSources += read.dataSources;
  }
  return { subjects, source: "cdktf", file: shown, resources, dataSources, modulesNotInspected: modules, stacks };
}

async function readStream(stream: NodeJS.ReadableStream): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream)
    chunks.push(typeof chunk === "string" ? Buffer.from(chunk) : Buffer.from(chunk as Uint8Array));
  return Buffer.concat(chunks);
}
