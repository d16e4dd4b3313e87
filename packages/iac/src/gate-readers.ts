// The gate's readers of everything but a plan: cdktf synth (a file or cdktf.out), terraform configuration (HCL and
// .tf.json), CloudFormation (YAML or JSON) and ARM templates. gate-input.ts loads this module when the input is one of
// them, so a gate of a plan never compiles them.
import { readdir, readFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { AigovError } from "@aigov/core";
import { looksLikeArmTemplate, readArmTemplate } from "./arm-template.ts";
import { looksLikeTerraformJson, readCdktfStack } from "./cdktf-reader.ts";
import { looksLikeCloudFormation, readCloudFormationTemplate } from "./cloudformation-template.ts";
import { parseCloudFormationYaml } from "./cloudformation-yaml.ts";
import type { GateInput, GateReadOptions } from "./gate-input.ts";
import { fromPlanScan, opensAsJson, refuseGivenValues } from "./gate-plan.ts";
import { type GivenParameters, readParametersFile } from "./input-values.ts";
import type { PlannedSubject } from "./normalize.ts";
import { scanPlanText } from "./plan-scan.ts";
import { decodeJsonBytes, jsonInputBytes, parseJsonDocument, READABLE_INPUTS } from "./plan-text.ts";
import { isRecord } from "./planned-values.ts";
import type { TemplateReadResult } from "./template-read-result.ts";
import { isConfigFileName } from "./terraform-config-files.ts";
import { readTerraformConfiguration } from "./terraform-config-reader.ts";

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
  const json = jsonInputBytes(input, file);
  const scan = scanPlanText(json.bytes, file, json.line);
  return scan.isPlan ? fromPlanScan(scan, file, options) : fromJsonScan(json, file, options);
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

/** JSON that is not a plan, validated by the plan's scan (one document, no duplicate keys): parsed whole. */
export function fromJsonScan(input: { bytes: Buffer }, file: string, options: GateReadOptions): GateInput {
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

/** A directory: cdktf.out (it has its manifest.json) or a terraform module (its .tf files). */
export async function readDirectory(path: string, shown: string, options: GateReadOptions): Promise<GateInput> {
  const names = await readdir(path);
  if (names.includes("manifest.json")) return readCdktfOut(join(path, "manifest.json"), shown, options);
  if (names.some(isConfigFileName)) return readConfiguration(path, shown, options);
  throw new AigovError(
    "GATE_INPUT_UNKNOWN",
    `${shown} is a directory with neither a cdktf manifest.json nor terraform .tf/.tf.json files`,
    { hint: `pass ${READABLE_INPUTS}` },
  );
}

/** A `.tf.json` file: terraform configuration, unless it is cdktf's synth output (isCdktfSynth). */
export async function readTfJson(
  path: string,
  bytes: Uint8Array,
  shown: string,
  options: GateReadOptions,
): Promise<GateInput> {
  return isCdktfSynth(bytes, shown) ? readGateText(bytes, shown, options) : readConfiguration(path, shown, options);
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

export async function readConfiguration(path: string, shown: string, options: GateReadOptions): Promise<GateInput> {
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

/** cdktf.out/manifest.json lists every stack; all of them are judged, a missing one is an error. */
export async function readCdktfOut(manifestPath: string, shown: string, options: GateReadOptions): Promise<GateInput> {
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
