import { type BigIntStats, closeSync, fstatSync, openSync, readFileSync, type Stats, statSync } from "node:fs";
import { basename, resolve } from "node:path";
import { AigovError, fileErrorReason } from "@aigov/core";
import type { GivenValue } from "./input-values.ts";
import type { PlannedSubject } from "./normalize.ts";
import { scanPlanFile, scanPlanText } from "./plan-scan.ts";
import { fromPlanScan, opensAsJson } from "./gate-plan.ts";
import { jsonInputBytes, READABLE_INPUTS } from "./plan-text.ts";

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
  if (pathOrDash === "-") return readGateBytes(await readStream(stdin ?? process.stdin), "<stdin>", options);
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
  if (info.isDirectory()) return (await readers()).readDirectory(path, pathOrDash, options);
  if (basename(path) === "manifest.json") return (await readers()).readCdktfOut(path, pathOrDash, options);
  if (isTerraformConfigurationFile(path)) return (await readers()).readConfiguration(path, pathOrDash, options);
  const name = basename(path);
  // Whole files are read in one synchronous call: the gate has nothing else to do meanwhile, and fs/promises would
  // read a plan of tens of megabytes in 512 KiB round trips through the thread pool. Bytes, not text: the scan reads
  // bytes.
  if (name.endsWith(".tf.json") && name !== "cdk.tf.json")
    return (await readers()).readTfJson(path, readFileSync(path), pathOrDash, options);
  return readPlanFile(path, pathOrDash, options) ?? readGateBytes(readFileSync(path), pathOrDash, options);
}

/**
 * The readers of everything but a plan (cdktf synth, terraform configuration, CloudFormation and ARM templates: some
 * 80 KB of code), loaded when the input is one of them: a gate of a plan never compiles them.
 */
const readers = () => import("./gate-readers.ts");

/** A plan's bytes are read here; anything else by the readers (readGateText). */
async function readGateBytes(bytes: Uint8Array, file: string, options: GateReadOptions): Promise<GateInput> {
  // What opens as JSON is never YAML (see readGateText): one validating pass over it finds out whether it is a plan.
  if (!opensAsJson(bytes)) return (await readers()).readGateText(bytes, file, options);
  const input = jsonInputBytes(bytes, file);
  const scan = scanPlanText(input.bytes, file, input.line);
  return scan.isPlan ? fromPlanScan(scan, file, options) : (await readers()).fromJsonScan(input, file, options);
}

/**
 * A plan file read in windows (scanPlanFile) rather than whole: a fresh process pays for every new page of memory a
 * whole plan would fill. Undefined for anything else, or anything wrong: the file is then read whole
 * (readGateBytes), which reads everything else and says what is wrong (the same message either way). So is a file
 * that changed while it was read, which would mix two plans' bytes.
 */
function readPlanFile(path: string, file: string, options: GateReadOptions): GateInput | undefined {
  if ((options.varFiles ?? []).length > 0 || (options.vars ?? []).length > 0) return undefined;
  let fd: number;
  try {
    fd = openSync(path, "r");
  } catch {
    return undefined;
  }
  try {
    const before = fstatSync(fd, { bigint: true });
    if (!before.isFile()) return undefined;
    const scan = scanPlanFile(fd, file);
    if (scan === undefined || !scan.isPlan) return undefined;
    const input = fromPlanScan(scan, file, options);
    return sameFile(before, fstatSync(fd, { bigint: true })) ? input : undefined;
  } catch {
    return undefined;
  } finally {
    closeSync(fd);
  }
}

function sameFile(before: BigIntStats, after: BigIntStats): boolean {
  return (
    before.dev === after.dev &&
    before.ino === after.ino &&
    before.size === after.size &&
    before.mtimeNs === after.mtimeNs &&
    before.ctimeNs === after.ctimeNs
  );
}

/** `main.tf`. (A `.tf.json` is configuration too, unless it is cdktf's synth output: see readTfJson.) */
function isTerraformConfigurationFile(path: string): boolean {
  return basename(path).endsWith(".tf");
}

async function readStream(stream: NodeJS.ReadableStream): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream)
    chunks.push(typeof chunk === "string" ? Buffer.from(chunk) : Buffer.from(chunk as Uint8Array));
  return Buffer.concat(chunks);
}
