import { isUnknown, type Unknown } from "@aigov/core";
import type { PlannedSubject } from "./normalize.ts";

/** What one CloudFormation or ARM template holds, as the gate judges it. */
export interface TemplateReadResult {
  readonly subjects: readonly PlannedSubject[];
  /** Resources the template declares (ARM copy loops counted per instance). */
  readonly resources: number;
  /** Nested stacks and deployments, and loops only a transform expands: their resources were not judged. */
  readonly notInspected: readonly string[];
}

/**
 * A template names neither the account nor (mostly) the region: the deployment does. Says so, rather than pointing at a
 * provider configuration templates do not have. A value the template names stays.
 */
export function deployedBy<T extends PlannedSubject>(
  subject: T,
  scope: { readonly account: Unknown; readonly region: Unknown },
): T {
  return {
    ...subject,
    ...(isUnknown(subject.account) ? { account: scope.account } : {}),
    ...(isUnknown(subject.region) ? { region: scope.region } : {}),
  };
}
