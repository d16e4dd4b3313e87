import { blocks, createEngine, type Finding, type Policy, type Rule, type Severity } from "@aigov/core";
import type { PlannedSubject } from "./normalize.ts";

export interface JudgeOptions {
  readonly rules: readonly Rule[];
  readonly policy: Policy;
  /** Severity threshold; default the policy's `gate.fail_on`. */
  readonly failOn?: Severity;
  /** Violations on resources the plan does not touch block too (default: reported only). */
  readonly blockExisting?: boolean;
  readonly now?: Date;
}

/** How the plan relates to a finding's subject. */
export type GateRole = "introduced" | "changed" | "existing";

/** One finding with the gate's view of it. */
export interface GateFinding {
  readonly finding: Finding;
  readonly role: GateRole;
  readonly blocking: boolean;
}

export interface GateResult {
  /** 0 pass, 1 blocked by policy, 2 could not judge (the gate command also maps every thrown error to 2). */
  readonly exitCode: 0 | 1 | 2;
  /** Every non-pass finding on what the plan creates, replaces, imports, updates or leaves untouched. */
  readonly findings: readonly Finding[];
  readonly entries: readonly GateFinding[];
  readonly blocking: readonly Finding[];
  readonly waived: readonly Finding[];
  readonly unknown: readonly Finding[];
  /** Findings on untouched resources (and on updates, where the violation is not in what changes). */
  readonly existing: readonly Finding[];
  readonly threshold: Severity;
  readonly counts: {
    readonly subjects: number;
    readonly introduced: number;
    readonly changed: number;
    readonly untouched: number;
    readonly deleted: number;
  };
}

/** `native.network_acls.0.default_action` → network_acls; `owner`/`registered`/`tags.x` → the tags. */
function attributesOf(field: string): readonly string[] {
  const [head, next] = field.split(".");
  if (head === "native" && next !== undefined) return [next];
  if (head === "owner" || head === "registered" || head === "tags") return ["tags", "owner"];
  return [head ?? field];
}

/** An update is judged on what it changes: a violation it does not touch was there before the plan. */
function touchesChange(finding: Finding, changed: ReadonlySet<string>): boolean {
  if (finding.evidence.length === 0) return true;
  return finding.evidence.some((item) => attributesOf(item.field).some((attribute) => changed.has(attribute)));
}

/**
 * The gate's decision on planned subjects: creates, replaces, imports and the changed part of updates are
 * judged; deletes never block; findings on untouched resources are reported and block only with blockExisting.
 */
export function judgePlanned(subjects: readonly PlannedSubject[], options: JudgeOptions): GateResult {
  const engine = createEngine(options.rules, options.policy, options.now === undefined ? {} : { now: options.now });
  const threshold = options.failOn ?? options.policy.gate.failOn;
  const entries: GateFinding[] = [];
  const counts = { subjects: subjects.length, introduced: 0, changed: 0, untouched: 0, deleted: 0 };
  for (const subject of subjects) {
    const action = subject.change?.action ?? "create";
    if (action === "delete" || action === "read") {
      counts.deleted += action === "delete" ? 1 : 0;
      continue;
    }
    if (action === "no-op") counts.untouched++;
    else if (action === "update") counts.changed++;
    else counts.introduced++;
    const changed = new Set(subject.change?.changedAttributes ?? []);
    for (const finding of engine.findings(subject)) {
      const role: GateRole =
        action === "no-op"
          ? "existing"
          : action === "update" && !touchesChange(finding, changed)
            ? "existing"
            : action === "update"
              ? "changed"
              : "introduced";
      const eligible = role !== "existing" || options.blockExisting === true;
      entries.push({ finding, role, blocking: eligible && blocks(finding, options.policy, threshold) });
    }
  }
  const findings = entries.map((entry) => entry.finding);
  const blocking = entries.filter((entry) => entry.blocking).map((entry) => entry.finding);
  return {
    exitCode: blocking.length > 0 ? 1 : 0,
    findings,
    entries,
    blocking,
    waived: findings.filter((finding) => finding.status === "waived"),
    unknown: findings.filter((finding) => finding.status === "unknown"),
    existing: entries.filter((entry) => entry.role === "existing").map((entry) => entry.finding),
    threshold,
    counts,
  };
}
