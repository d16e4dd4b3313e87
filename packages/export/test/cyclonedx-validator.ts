import { Spec, Validation } from "@cyclonedx/cyclonedx-library";

const validator = new Validation.JsonStrictValidator(Spec.Version.v1dot6);

/** @cyclonedx/cyclonedx-library's strict JSON Schema validation of a CycloneDX 1.6 document: null when valid, else the errors. */
export function validateCycloneDx(json: string): Promise<unknown> {
  return validator.validate(json);
}
