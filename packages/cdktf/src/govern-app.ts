import { createRequire } from "node:module";
import { AigovError } from "@aigov/core";
import type { IConstruct } from "constructs";
import { AigovAspect } from "./aspect.ts";
import { type AppLike, isApp, type StackLike, stacksUnder } from "./construct-kinds.ts";
import {
  type Governance,
  type GovernanceOptions,
  type GovernedFinding,
  isGovernance,
  loadGovernance,
} from "./governance.ts";
import { Governor } from "./governor.ts";

/** What `governApp` returns: the findings of the latest synth, per construct. */
export interface GovernedApp {
  readonly governor: Governor;
  readonly findings: readonly GovernedFinding[];
}

const GOVERNORS = Symbol.for("aigov/app-governors");
const PATCHED = Symbol.for("aigov/app-class-patched");

/**
 * The one call that governs a whole cdktf or cdktn app: every stack it has now and every stack added before
 * `app.synth()`. Synth then fails, naming the construct path, for each AI resource the policy blocks.
 *
 * The guards are put into the stacks from `app.synth()` itself, because cdktf offers no hook for "a stack was
 * added" and runs no aspect added to the App; a validation on the App then checks that every stack was
 * judged, so a stack that escaped (a custom synthesizer, a bypassed synth) fails the synth instead of passing.
 */
export async function governApp(app: IConstruct, options: GovernanceOptions | Governance = {}): Promise<GovernedApp> {
  if (!isApp(app)) {
    throw new AigovError(
      "CDKTF_NOT_AN_APP",
      `governApp needs the cdktf/cdktn App, got ${app.node.path || "a construct"}`,
      {
        hint: "pass the App; for a single stack use Aspects.of(stack).add(await AigovAspect.create(options))",
      },
    );
  }
  const loading = isGovernance(options) ? options : loadGovernance(options);
  const governor = new Governor(loading);
  wrapSynth(app, governor);
  await loading;
  return {
    governor,
    get findings() {
      return governor.findings;
    },
  };
}

function wrapSynth(app: AppLike, governor: Governor): void {
  const governed = app as AppLike & { [GOVERNORS]?: Governor[] };
  const already = Object.hasOwn(governed, GOVERNORS) ? governed[GOVERNORS] : undefined;
  if (already !== undefined) {
    already.push(governor);
  } else {
    const governors = [governor];
    Object.defineProperty(app, GOVERNORS, { value: governors, enumerable: false });
    const synth = app.synth;
    // An own property shadows App.prototype.synth for this app only.
    Object.defineProperty(app, "synth", {
      value: function governedSynth(this: AppLike): void {
        for (const stack of stacksUnder(app)) for (const each of governors) each.guard(stack);
        adoptOuterAspects(app);
        for (const each of governors) each.startSynth();
        synth.call(this);
      },
      enumerable: false,
      writable: true,
      configurable: true,
    });
    app.node.addValidation({
      validate: () =>
        governors.flatMap((each) =>
          stacksUnder(app)
            .filter((stack) => !each.judgedStacks.has(stack.node.path))
            .map((stack) => `[aigov] stack ${stack.node.path} was not judged during synth: it is not governed`),
        ),
    });
  }
  for (const stack of stacksUnder(app)) governor.guard(stack);
}

/**
 * Passes every AigovAspect added to a construct above a stack (the App, a grouping construct) down to the stacks
 * below it, which is where cdktf and cdktn look for aspects. Reads each construct's aspect list through the
 * library's own (non-global) symbol by its description, so it works for any copy of cdktf or cdktn.
 */
export function adoptOuterAspects(root: IConstruct): void {
  for (const stack of stacksUnder(root)) {
    for (let scope = stack.node.scope; scope !== undefined; scope = scope.node.scope) {
      for (const aspect of aspectsOf(scope))
        if (aspect instanceof AigovAspect) aspect.governor.guard(stack as StackLike);
    }
  }
}

function aspectsOf(construct: IConstruct): readonly unknown[] {
  for (const symbol of Object.getOwnPropertySymbols(construct)) {
    if (symbol.description !== "cdktf-aspects") continue;
    const all = (construct as unknown as Record<symbol, { all?: unknown }>)[symbol]?.all;
    return Array.isArray(all) ? all : [];
  }
  return [];
}

/**
 * Teaches the App classes of cdktf and cdktn (the copies this package resolves, which are the user's when the
 * package manager dedupes them) to adopt outer AigovAspects at synth, so `Aspects.of(app).add(aigovAspect)`
 * governs every stack instead of silently nothing.
 */
function patchAppClasses(): void {
  const require = createRequire(import.meta.url);
  for (const library of ["cdktf", "cdktn"]) {
    let App: { prototype: { synth(): void } } | undefined;
    try {
      App = (require(library) as { App?: { prototype: { synth(): void } } }).App;
    } catch {
      continue;
    }
    if (App === undefined) continue;
    const prototype = App.prototype as { synth(): void; [PATCHED]?: true };
    if (Object.hasOwn(prototype, PATCHED)) continue;
    const synth = prototype.synth;
    Object.defineProperty(prototype, PATCHED, { value: true });
    prototype.synth = function synthAdoptingAigovAspects(this: IConstruct & { synth(): void }): void {
      adoptOuterAspects(this);
      synth.call(this);
    };
  }
}

patchAppClasses();
