import type { IConstruct } from "constructs";
import { stackOf } from "./construct-kinds.ts";
import { type Governance, type GovernanceOptions, type GovernedFinding, loadGovernance } from "./governance.ts";
import { Governor } from "./governor.ts";

/**
 * The cdk-nag style entry point: `Aspects.of(stack).add(await AigovAspect.create({ policy: "aigov.yaml" }))`.
 * Every stack it reaches is judged at synth. cdktf and cdktn never run aspects added to the App (they invoke
 * aspects per stack); importing @aigov/cdktf teaches their App to pass an AigovAspect added there (or on any
 * construct above a stack) down to every stack below, and `governApp` does the same for any copy of either.
 */
export class AigovAspect {
  readonly governor: Governor;

  constructor(governance: Governance | Promise<Governance>) {
    this.governor = new Governor(governance);
  }

  static async create(options: GovernanceOptions = {}): Promise<AigovAspect> {
    return new AigovAspect(await loadGovernance(options));
  }

  get findings(): readonly GovernedFinding[] {
    return this.governor.findings;
  }

  visit(node: IConstruct): void {
    const stack = stackOf(node);
    if (stack !== undefined) this.governor.guard(stack);
  }
}
