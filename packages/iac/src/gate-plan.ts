// What gate-input.ts (a plan) and gate-readers.ts (everything else) share, apart from both: the readers are loaded
// only for an input that is not a plan, which a module they imported from gate-input.ts would defeat (the bundler
// keeps modules that import each other in one chunk).
import { AigovError } from "@aigov/core";
import type { GateInput, GateReadOptions } from "./gate-input.ts";
import { readPlanScan } from "./plan-reader.ts";
import type { PlanScan } from "./plan-scan.ts";

/** A plan, read from its validating pass: only its AI resources and configuration are decoded. */
export function fromPlanScan(scan: PlanScan, file: string, options: GateReadOptions): GateInput {
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

/** The first byte after a UTF-8 byte order mark and whitespace opens a JSON object or array. */
export function opensAsJson(bytes: Uint8Array): boolean {
  let at = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  while (at < bytes.length && (bytes[at] === 0x20 || bytes[at] === 0x0a || bytes[at] === 0x0d || bytes[at] === 0x09))
    at++;
  return bytes[at] === 0x7b || bytes[at] === 0x5b;
}

/**
 * A plan and cdktf synth carry their variables' values already: values given for them would be ignored, and a gate
 * that silently ignores what it is told is not trusted.
 */
export function refuseGivenValues(what: string, options: GateReadOptions): void {
  if ((options.varFiles ?? []).length === 0 && (options.vars ?? []).length === 0) return;
  throw new AigovError("GATE_VAR_NOT_APPLICABLE", `--var and --var-file do not apply to ${what}: it holds its values`, {
    hint: "give them to `terraform plan`, or pass the configuration directory or template to the gate",
  });
}
