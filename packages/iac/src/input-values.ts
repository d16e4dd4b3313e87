import { readFileSync } from "node:fs";
import { AigovError, fileErrorReason, unknown } from "@aigov/core";
import { decodeJsonBytes, parseJsonDocument } from "./plan-text.ts";
import { isRecord } from "./planned-values.ts";

/**
 * A value given from outside a configuration for one of its inputs, as text: `--var name=value`, or a
 * `TF_VAR_name` environment variable. What the text means depends on the input's declared type, which only the
 * reader of the configuration or template knows.
 */
export interface GivenValue {
  readonly name: string;
  readonly text: string;
}

/**
 * A template's parameters as given: typed values from parameters files, and text from `--var`, which the template's
 * reader types by the parameter's declared type. A name is in one map only: the one given last.
 */
export interface GivenParameters {
  readonly values: ReadonlyMap<string, unknown>;
  readonly texts: ReadonlyMap<string, string>;
}

export const NO_PARAMETERS: GivenParameters = { values: new Map(), texts: new Map() };

/**
 * CloudFormation and ARM refuse a deployment given a parameter the template does not declare; so does the gate, so
 * that a misspelt parameter is not silently judged by its default.
 */
export function refuseUndeclared(given: GivenParameters, declares: (name: string) => boolean, file: string): void {
  const undeclared = [...given.values.keys(), ...given.texts.keys()].filter((name) => !declares(name));
  if (undeclared.length > 0)
    throw new AigovError("GATE_VAR", `the template declares no parameter ${undeclared.join(", ")}`, {
      position: { file },
      hint: "give values only for the parameters the template declares (--var-file, --var)",
    });
}

/** `--var name=value` arguments, in the order given (a later one wins). */
export function commandLineValues(assignments: readonly string[]): GivenValue[] {
  return assignments.map((assignment) => {
    const equals = assignment.indexOf("=");
    if (equals <= 0)
      throw new AigovError("GATE_VAR", `--var ${assignment}: give a name and a value, as name=value`, {
        hint: "e.g. --var owner=ml-platform (terraform variables, CloudFormation or ARM parameters)",
      });
    return { name: assignment.slice(0, equals), text: assignment.slice(equals + 1) };
  });
}

/** Terraform's `TF_VAR_name` environment variables. Terraform ignores those naming no declared variable; so do callers. */
export function environmentValues(env: NodeJS.ProcessEnv): GivenValue[] {
  return Object.entries(env).flatMap(([key, text]) =>
    key.startsWith("TF_VAR_") && key.length > "TF_VAR_".length && text !== undefined
      ? [{ name: key.slice("TF_VAR_".length), text }]
      : [],
  );
}

/**
 * A value given as text for an input declared as a number (terraform), an int (ARM) or a bool: refused with the
 * input's name (`what`: "variable replicas") when the text is not of that type.
 */
export function givenScalar(what: string, text: string, type: "number" | "int" | "bool"): number | boolean {
  if (type === "bool") {
    if (text !== "true" && text !== "false")
      throw new AigovError("GATE_VAR", `${what} is a bool (true or false), not ${JSON.stringify(text)}`);
    return text === "true";
  }
  const number = Number(text);
  const valid = text.trim() !== "" && (type === "int" ? Number.isInteger(number) : Number.isFinite(number));
  if (!valid)
    throw new AigovError(
      "GATE_VAR",
      `${what} is ${type === "int" ? "an int" : "a number"}, not ${JSON.stringify(text)}`,
    );
  return number;
}

/** A JSON value given as text for an input declared as a list, map or object: refused with its name when not JSON. */
export function parseGivenJson(given: GivenValue, what: string): unknown {
  try {
    return JSON.parse(given.text);
  } catch {
    throw new AigovError(
      "GATE_VAR",
      `--var ${given.name}: ${what} takes a JSON value, not ${JSON.stringify(given.text)}`,
    );
  }
}

/**
 * A template's parameters file → name → value:
 * - CloudFormation: the AWS CLI's `--parameters file://…` list (`[{"ParameterKey": …, "ParameterValue": …}]`), or a
 *   CodePipeline template configuration (`{"Parameters": {name: value}}`);
 * - ARM: a deployment parameters file (`{"parameters": {name: {"value": …}}}`); a Key Vault `reference` is known only
 *   when the template deploys.
 */
export function readParametersFile(path: string, shown: string, kind: "cloudformation" | "arm"): Map<string, unknown> {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    throw new AigovError("GATE_VAR_FILE", `cannot read the parameters file ${shown}: ${fileErrorReason(error)}`, {
      hint: "pass an existing parameters file to --var-file",
    });
  }
  const text = decodeJsonBytes(bytes, shown);
  if (!/^\s*[[{]/.test(text))
    throw new AigovError("GATE_VAR_FILE", `${shown}: a parameters file is JSON, and this is not`, {
      position: { file: shown, line: 1, column: 1 },
      hint: "pass the JSON given to `aws cloudformation … --parameters file://…` or an ARM deploymentParameters file",
    });
  const document = parseJsonDocument(text, shown, "parameters file");
  const values = new Map<string, unknown>();
  const refuse = (expected: string) =>
    new AigovError("GATE_VAR_FILE", `${shown} is not a ${expected}`, { position: { file: shown } });
  if (kind === "cloudformation") {
    if (Array.isArray(document)) {
      for (const entry of document) {
        if (!isRecord(entry) || typeof entry.ParameterKey !== "string")
          throw refuse("CloudFormation parameters list ([{ParameterKey, ParameterValue}])");
        // UsePreviousValue: the value the stack already has, which the template alone cannot know.
        values.set(
          entry.ParameterKey,
          entry.UsePreviousValue === true
            ? unknown(`parameter ${entry.ParameterKey} keeps the deployed stack's value`)
            : entry.ParameterValue,
        );
      }
      return values;
    }
    if (isRecord(document) && isRecord(document.Parameters)) {
      for (const [name, value] of Object.entries(document.Parameters)) values.set(name, value);
      return values;
    }
    throw refuse("CloudFormation parameters file ([{ParameterKey, ParameterValue}] or {Parameters: {…}})");
  }
  if (!isRecord(document) || !isRecord(document.parameters))
    throw refuse('ARM parameters file ({"parameters": {name: {"value": …}}})');
  for (const [name, entry] of Object.entries(document.parameters)) {
    if (isRecord(entry) && "value" in entry) values.set(name, entry.value);
    else if (isRecord(entry) && "reference" in entry)
      values.set(name, unknown(`parameter ${name} is read from Key Vault when the template deploys`));
    else throw refuse(`ARM parameters file: parameters.${name} has neither a value nor a reference`);
  }
  return values;
}
