import type { PlannedSubject } from "./normalize.ts";

/** What one CloudFormation or ARM template holds, as the gate judges it. */
export interface TemplateReadResult {
  readonly subjects: readonly PlannedSubject[];
  /** Resources the template declares (ARM copy loops counted per instance). */
  readonly resources: number;
  /** Nested stacks and deployments, and loops only a transform expands: their resources were not judged. */
  readonly notInspected: readonly string[];
}
