import { type Finding, loadPolicy, loadRules, type Policy, type Rule, type Severity } from "@aigov/core";
import { judgePlanned, readCdktfStack } from "@aigov/iac";
import type { IConstruct } from "constructs";
import { annotate, isResource, type ResourceLike, type StackLike, stacksUnder } from "./construct-kinds.ts";
import { suppressionProblem, suppressionsFor } from "./suppressions.ts";

export interface GovernanceOptions {
  /** Policy file; default ./aigov.yaml when it exists, else the built-in default policy (the same as `aigov gate`). */
  readonly policy?: string;
  /** Extra rule directories on top of the default pack. */
  readonly rules?: readonly string[];
  /** Block at this severity instead of the policy's `gate.fail_on`. */
  readonly failOn?: Severity;
  /** Evaluation time for waiver expiry (default: now). */
  readonly now?: Date;
}

/** The loaded policy and rules: load once, govern any number of stacks and apps with it. */
export interface Governance {
  readonly policy: Policy;
  readonly rules: readonly Rule[];
  readonly failOn?: Severity;
  readonly now?: Date;
}

/** Loaded governance, as opposed to the options to load it (whose `policy` is a file name). */
export function isGovernance(value: GovernanceOptions | Governance): value is Governance {
  return typeof value.policy === "object";
}

export async function loadGovernance(options: GovernanceOptions = {}): Promise<Governance> {
  const policy = await loadPolicy(options.policy);
  const rules = await loadRules({ dirs: options.rules ?? [], policy });
  return {
    policy,
    rules,
    ...(options.failOn === undefined ? {} : { failOn: options.failOn }),
    ...(options.now === undefined ? {} : { now: options.now }),
  };
}

/** What governance concluded about one finding on one construct during synth. */
export interface GovernedFinding {
  readonly stack: string;
  readonly constructPath: string;
  readonly finding: Finding;
  /** error: blocks synth; warning: reported; suppressed: a suppression with a reason covers it. */
  readonly outcome: "error" | "warning" | "suppressed" | "waived";
  readonly suppression?: { readonly reason: string; readonly declaredAt: string };
}

/**
 * Judges every TerraformResource of one stack, in its final synthesized form (after every aspect and
 * escape-hatch override: the same document `aigov gate cdk.tf.json` reads, through the same reader), and
 * annotates the constructs: errors for blocking findings, warnings for the rest.
 */
export function judgeStack(stack: StackLike, governance: Governance): GovernedFinding[] {
  const document = asRecord(stack.toTerraform());
  // The same ids `aigov gate cdktf.out` gives: stack-prefixed when the app has several stacks, so waivers match both.
  const prefix = stacksUnder(stack.node.root).length > 1 ? `${stack.node.id}/` : "";
  const { subjects } = readCdktfStack(document, `cdktf stack ${stack.node.path}`, prefix);
  const resources = new Map<string, ResourceLike>();
  for (const node of stack.node.findAll()) if (isResource(node)) resources.set(node.node.path, node);
  const ruleIds = new Set(governance.rules.map((rule) => rule.id));
  // The gate's own decision (what blocks, waivers, unknowns), so synth and `aigov gate cdk.tf.json` agree.
  const result = judgePlanned(subjects, {
    rules: governance.rules,
    policy: governance.policy,
    ...(governance.failOn === undefined ? {} : { failOn: governance.failOn }),
    ...(governance.now === undefined ? {} : { now: governance.now }),
  });
  const results: GovernedFinding[] = [];
  for (const entry of result.entries) {
    const node: IConstruct = resources.get(entry.finding.source?.path ?? "") ?? stack;
    results.push(decide(stack, node, entry.finding, entry.blocking, usableSuppressions(node, ruleIds)));
  }
  return results;
}

function decide(
  stack: StackLike,
  node: IConstruct,
  finding: Finding,
  blocking: boolean,
  suppressions: ReadonlyMap<string, { reason: string; declaredAt: string }>,
): GovernedFinding {
  const base = { stack: stack.node.path, constructPath: node.node.path, finding };
  const suppression = suppressions.get(finding.ruleId);
  const what = `${finding.ruleId} (${finding.severity}): ${finding.message}`;
  if (finding.status === "waived") {
    const waiver = finding.waiver;
    annotate(
      node,
      "info",
      `[aigov] waived ${what} — ${waiver?.reason ?? ""} (approved by ${waiver?.approver ?? "?"}${waiver?.expires ? `, expires ${waiver.expires}` : ""})`,
    );
    return { ...base, outcome: "waived" };
  }
  if (suppression !== undefined) {
    annotate(
      node,
      "info",
      `[aigov] suppressed ${what} — reason: ${suppression.reason} (declared on ${suppression.declaredAt})`,
    );
    return { ...base, outcome: "suppressed", suppression };
  }
  const fix = `Fix: ${finding.remediation.text}`;
  if (blocking) {
    annotate(
      node,
      "error",
      `[aigov] ${what} ${fix} To accept it, AigovSuppressions.of(construct).add({ rule: "${finding.ruleId}", reason: "…" }) or add a waiver to the policy.`,
    );
    return { ...base, outcome: "error" };
  }
  annotate(node, "warn", `[aigov] ${what} ${fix}`);
  return { ...base, outcome: "warning" };
}

/**
 * The suppressions that count for this construct. One without a reason, or naming no rule, does not count
 * and is itself an error (it was written around `AigovSuppressions.add`, which refuses it); one naming a rule
 * that does not exist is a warning, since it suppresses nothing.
 */
function usableSuppressions(
  node: IConstruct,
  ruleIds: ReadonlySet<string>,
): Map<string, { reason: string; declaredAt: string }> {
  const usable = new Map<string, { reason: string; declaredAt: string }>();
  for (const declared of suppressionsFor(node)) {
    const problem = suppressionProblem(declared);
    if (problem !== undefined) {
      annotate(node, "error", `[aigov] suppression on ${declared.declaredAt} refused: ${problem}`);
      continue;
    }
    const rule = String(declared.rule);
    if (!ruleIds.has(rule)) {
      annotate(
        node,
        "warn",
        `[aigov] suppression on ${declared.declaredAt} names rule ${rule}, which is not in the loaded rules`,
      );
      continue;
    }
    if (!usable.has(rule)) usable.set(rule, { reason: String(declared.reason), declaredAt: declared.declaredAt });
  }
  return usable;
}

function asRecord(value: unknown): Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}
