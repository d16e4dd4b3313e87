import { AigovError } from "@aigov/core";
import type { IConstruct } from "constructs";

/** The construct metadata type suppressions are stored under (like cdk-nag's `cdk_nag` entry). */
export const SUPPRESSION_METADATA = "aigov:suppression";

/** A reason shorter than this says nothing a reviewer can check ("ok", "n/a", "temp"). */
export const MIN_REASON_LENGTH = 10;

export interface Suppression {
  /** The rule id, exactly as in the finding (`ai-resource-ungoverned`, `azure-cognitive-local-auth` …). */
  readonly rule: string;
  /** Why this is acceptable here: shown in the synth output next to the suppressed finding. */
  readonly reason: string;
}

/** A suppression read back from a construct, with where it was declared. */
export interface DeclaredSuppression {
  readonly rule: unknown;
  readonly reason: unknown;
  readonly declaredAt: string;
}

/**
 * Suppressions as construct metadata, applying to the construct and everything below it:
 * `AigovSuppressions.of(endpoint).add({ rule: "...", reason: "..." })`. A suppression without a real reason
 * is refused here, when it is declared.
 */
export class AigovSuppressions {
  readonly #scope: IConstruct;

  private constructor(scope: IConstruct) {
    this.#scope = scope;
  }

  static of(scope: IConstruct): AigovSuppressions {
    return new AigovSuppressions(scope);
  }

  add(...suppressions: readonly Suppression[]): this {
    for (const suppression of suppressions) {
      const problem = suppressionProblem(suppression);
      if (problem !== undefined) {
        throw new AigovError("CDKTF_BAD_SUPPRESSION", `${this.#scope.node.path}: ${problem}`, {
          hint: `AigovSuppressions.of(construct).add({ rule: "<rule id>", reason: "<why this is acceptable, at least ${MIN_REASON_LENGTH} characters>" })`,
        });
      }
      this.#scope.node.addMetadata(SUPPRESSION_METADATA, { rule: suppression.rule, reason: suppression.reason.trim() });
    }
    return this;
  }
}

/** Why a suppression is not acceptable, or undefined when it is. */
export function suppressionProblem(suppression: {
  readonly rule: unknown;
  readonly reason: unknown;
}): string | undefined {
  if (typeof suppression.rule !== "string" || suppression.rule.trim() === "")
    return "a suppression must name the rule id it suppresses";
  if (typeof suppression.reason !== "string" || suppression.reason.trim().length < MIN_REASON_LENGTH) {
    return `the suppression of ${suppression.rule} has no reason (at least ${MIN_REASON_LENGTH} characters): a suppression without a reason is refused`;
  }
  return undefined;
}

/** Every suppression declared on `node` or its ancestors, nearest first. */
export function suppressionsFor(node: IConstruct): DeclaredSuppression[] {
  const found: DeclaredSuppression[] = [];
  for (let current: IConstruct | undefined = node; current !== undefined; current = current.node.scope) {
    for (const entry of current.node.metadata) {
      if (entry.type !== SUPPRESSION_METADATA) continue;
      const data = (typeof entry.data === "object" && entry.data !== null ? entry.data : {}) as Record<string, unknown>;
      found.push({ rule: data.rule, reason: data.reason, declaredAt: current.node.path || "(app)" });
    }
  }
  return found;
}
