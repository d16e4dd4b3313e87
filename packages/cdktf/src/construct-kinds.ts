import type { IConstruct } from "constructs";

/**
 * cdktf and its fork cdktn brand their constructs with the same global symbols, so one check recognises
 * both libraries — and two copies of one library — without importing either (an `instanceof` against our
 * copy would miss a stack built with the user's copy and leave it ungoverned).
 */
const STACK = Symbol.for("cdktf/TerraformStack");
const RESOURCE = Symbol.for("cdktf/TerraformResource");
const APP = Symbol.for("cdktf/App");
/** The hook both libraries call for every construct during a stack's synthesis, after aspects and validations. */
export const CUSTOM_SYNTHESIS = Symbol.for("cdktf/customSynthesis");

/** The surface of a cdktf/cdktn TerraformStack that governance reads. */
export interface StackLike extends IConstruct {
  toTerraform(): unknown;
}

/** The surface of a cdktf/cdktn TerraformResource that governance reads. */
export interface ResourceLike extends IConstruct {
  readonly terraformResourceType: string;
  readonly friendlyUniqueId: string;
  readonly terraformGeneratorMetadata?: { readonly providerName?: string };
}

export interface AppLike extends IConstruct {
  synth(): void;
}

export function isStack(node: unknown): node is StackLike {
  return typeof node === "object" && node !== null && STACK in node;
}

export function isResource(node: unknown): node is ResourceLike {
  return typeof node === "object" && node !== null && RESOURCE in node;
}

export function isApp(node: unknown): node is AppLike {
  return typeof node === "object" && node !== null && APP in node;
}

/** The stack a construct belongs to, or undefined for the app and constructs outside any stack. */
export function stackOf(node: IConstruct): StackLike | undefined {
  for (let current: IConstruct | undefined = node; current !== undefined; current = current.node.scope) {
    if (isStack(current)) return current;
  }
  return undefined;
}

/** Every stack at or below `root`. */
export function stacksUnder(root: IConstruct): StackLike[] {
  return root.node.findAll().filter(isStack);
}

/**
 * The annotation levels cdktf and cdktn write as construct metadata; an `error` makes `app.synth()` throw
 * (and the cdktf CLI fail) naming the construct path. Written as metadata directly so it works whichever
 * library (or copy) built the construct.
 */
export type AnnotationLevel = "info" | "warn" | "error";

export function annotate(node: IConstruct, level: AnnotationLevel, message: string): void {
  node.node.addMetadata(`@cdktf/${level}`, message);
}
