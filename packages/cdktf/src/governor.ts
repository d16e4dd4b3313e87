import { AigovError } from "@aigov/core";
import { Construct, type IConstruct } from "constructs";
import { annotate, CUSTOM_SYNTHESIS, type StackLike } from "./construct-kinds.ts";
import { type GovernedFinding, type Governance, judgeStack } from "./governance.ts";

const GUARD_ID = "aigov-governance";

/**
 * Governs stacks with one policy and rule set. It puts a guard construct into each stack it governs; the guard
 * judges the stack from the synthesis hook that cdktf and cdktn run after every aspect and validation, so what
 * is judged is exactly what lands in cdk.tf.json — including tags another aspect added.
 */
export class Governor {
  #governance: Governance | undefined;
  #loadError: unknown;
  readonly #byStack = new Map<string, GovernedFinding[]>();
  readonly #judged = new Set<string>();
  readonly #guarded = new WeakSet<IConstruct>();

  constructor(governance: Governance | Promise<Governance>) {
    if (governance instanceof Promise) {
      governance.then(
        (loaded) => {
          this.#governance = loaded;
        },
        (error: unknown) => {
          this.#loadError = error;
        },
      );
    } else {
      this.#governance = governance;
    }
  }

  /** Every finding of the latest synthesis of each governed stack. */
  get findings(): readonly GovernedFinding[] {
    return [...this.#byStack.values()].flat();
  }

  /** Paths of the stacks judged since the last `startSynth()`. */
  get judgedStacks(): ReadonlySet<string> {
    return this.#judged;
  }

  startSynth(): void {
    this.#judged.clear();
  }

  isGuarding(stack: IConstruct): boolean {
    return this.#guarded.has(stack);
  }

  /** Makes sure `stack` is judged when it is synthesized (idempotent). */
  guard(stack: StackLike): void {
    if (this.#guarded.has(stack)) return;
    this.#guarded.add(stack);
    let id = GUARD_ID;
    for (let n = 2; stack.node.tryFindChild(id) !== undefined; n++) id = `${GUARD_ID}-${n}`;
    const guard = new Construct(stack, id);
    Object.defineProperty(guard, CUSTOM_SYNTHESIS, {
      value: { onSynthesize: () => this.#judge(stack) },
      enumerable: false,
    });
  }

  #judge(stack: StackLike): void {
    this.#judged.add(stack.node.path);
    if (this.#governance === undefined) {
      const problem =
        this.#loadError === undefined
          ? "the policy and rules were still loading when the app was synthesized: await governApp(app, …) (or AigovAspect.create(…)) before app.synth()"
          : `the policy or rules could not be loaded: ${this.#loadError instanceof AigovError ? this.#loadError.format() : String(this.#loadError)}`;
      annotate(stack, "error", `[aigov] stack not governed: ${problem}`);
      return;
    }
    this.#byStack.set(stack.node.path, judgeStack(stack, this.#governance));
  }
}
