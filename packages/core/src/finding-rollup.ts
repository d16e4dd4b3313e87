import { callGroupRef, type Evidence, type Finding, findingId, findingMessage, type SubjectRef } from "./finding.ts";
import type { ApiCall } from "./model.ts";
import { isUnknown } from "./unknown.ts";

/**
 * The window per-call findings are rolled up over: one UTC day. Windows start at UTC midnight, so a run that reads
 * the same day's calls again (another file, a later hour) names the same finding.
 */
export const ROLLUP_WINDOW_MS = 86_400_000;

/** How many event ids, and distinct operations, a rolled-up finding quotes. */
const SAMPLE_EVENTS = 5;
const SAMPLE_OPERATIONS = 10;

interface Group {
  readonly first: Finding;
  readonly subject: SubjectRef;
  count: number;
  firstSeen: string;
  lastSeen: string;
  readonly eventIds: string[];
  readonly operations: Set<string>;
}

/**
 * Per-call rules judge one call at a time, but 5,000 InvokeModel calls by one unapproved role are one fact, not 5,000
 * findings. The rollup keeps one finding per (rule, status, principal, service, model, account, region, window) with
 * the count, first and last seen and a sample of event ids. Its id is a hash of the rule and that pattern, so it is
 * the same on every run and machine and a SIEM sees one evolving finding. Memory grows with the patterns, not the
 * calls.
 */
export class FindingRollup {
  readonly #groups = new Map<string, Group>();

  /** Folds one call's per-call findings in. */
  add(findings: readonly Finding[], call: ApiCall): void {
    for (const finding of findings) this.#add(finding, call);
  }

  /** Rolled-up findings, in the order their patterns were first seen. */
  findings(): Finding[] {
    return [...this.#groups.values()].map(rolledUp);
  }

  get size(): number {
    return this.#groups.size;
  }

  #add(finding: Finding, call: ApiCall): void {
    const pattern = patternOf(finding, call);
    const key = `${finding.ruleId}\n${pattern.id}`;
    const group = this.#groups.get(key);
    if (group === undefined) {
      this.#groups.set(key, {
        first: finding,
        subject: pattern,
        count: 1,
        firstSeen: call.time,
        lastSeen: call.time,
        eventIds: [call.eventId],
        operations: new Set([call.operation]),
      });
      return;
    }
    group.count += 1;
    if (call.time < group.firstSeen) group.firstSeen = call.time;
    if (call.time > group.lastSeen) group.lastSeen = call.time;
    if (group.eventIds.length < SAMPLE_EVENTS) group.eventIds.push(call.eventId);
    if (group.operations.size < SAMPLE_OPERATIONS) group.operations.add(call.operation);
  }
}

/** The pattern a call's finding belongs to, as the subject the rolled-up finding is about. */
function patternOf(finding: Finding, call: ApiCall): SubjectRef {
  const windowStart = Math.floor(Date.parse(call.time) / ROLLUP_WINDOW_MS) * ROLLUP_WINDOW_MS;
  const window = Number.isNaN(windowStart) ? "unknown" : new Date(windowStart).toISOString().slice(0, 10);
  const principal = named(call.principal);
  const model = call.model === undefined ? "(none)" : named(call.model);
  const parts = [
    `principal=${principal}`,
    `service=${call.service}`,
    `model=${model}`,
    `account=${named(call.account)}`,
    `region=${named(call.region)}`,
    `window=${window}`,
  ];
  // A waived call and an open one of the same pattern (a waiver naming one event id) stay two findings.
  if (finding.status !== "open") parts.push(`status=${finding.status}`);
  return callGroupRef(
    call,
    parts.join(","),
    `${call.service} calls by ${principal}${model === "(none)" ? "" : ` (model ${model})`} on ${window}`,
  );
}

function named(value: unknown): string {
  return isUnknown(value) || typeof value !== "string" ? "(unknown)" : value;
}

function rolledUp(group: Group): Finding {
  const { first, subject, count } = group;
  const operations = [...group.operations];
  const evidence: Evidence[] = [
    ...first.evidence,
    { field: "count", value: count, expected: "calls of this pattern in the window" },
    { field: "firstSeen", value: group.firstSeen, expected: "first call in the window" },
    { field: "lastSeen", value: group.lastSeen, expected: "last call in the window" },
    { field: "operations", value: operations, expected: "operations called" },
    { field: "eventIds", value: [...group.eventIds], expected: "sample of the calls" },
  ];
  const detail = `${count} call${count === 1 ? "" : "s"}: ${operations.join(", ")}, ${group.firstSeen} … ${group.lastSeen}`;
  return {
    ...first,
    id: findingId(first.ruleId, subject),
    subject,
    message: findingMessage(first.title, first.status, subject.name, detail),
    evidence,
  };
}
