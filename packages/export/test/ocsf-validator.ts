import { readFileSync } from "node:fs";
import { Ajv, type ValidateFunction } from "ajv";
import addFormats from "ajv-formats";

function schema(name: string): object {
  return JSON.parse(readFileSync(new URL(`./schemas/ocsf/${name}`, import.meta.url), "utf8")) as object;
}

const ajv = new Ajv({ allErrors: true, strict: true });
addFormats.default(ajv);

/** ajv validators of the committed OCSF 1.8.0 class schemas (see schemas/ocsf/README.md). */
export const validateDetection: ValidateFunction = ajv.compile(schema("ocsf-1.8.0-detection_finding.schema.json"));
export const validateCompliance: ValidateFunction = ajv.compile(schema("ocsf-1.8.0-compliance_finding.schema.json"));

/** The validator of an event's class, by its class_uid. */
export function validatorFor(event: { class_uid?: unknown }): ValidateFunction {
  if (event.class_uid === 2004) return validateDetection;
  if (event.class_uid === 2003) return validateCompliance;
  throw new Error(`not an OCSF Detection or Compliance Finding: class_uid ${String(event.class_uid)}`);
}
