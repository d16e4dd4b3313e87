import {
  type CompiledCondition,
  compileCondition,
  compilePath,
  type EvalContext,
  type SubjectView,
  TRUE,
} from "./condition.ts";
import { parseDuration } from "./duration.ts";
import { AigovError } from "./errors.ts";
import { callGroupRef, type Evidence, type Finding, newFinding } from "./finding.ts";
import type { ApiCall } from "./model.ts";
import type { Policy } from "./policy.ts";
import type { Rule } from "./rule.ts";
import { callView } from "./subject-view.ts";
import { isUnknown } from "./unknown.ts";
import { policyWaivers, type Waivers, waivedOutcome } from "./waiver.ts";

/**
 * Log rules that judge many API calls together: `aggregate:` in a rule groups the calls its `condition` selects
 * (per principal / model / account …) and reports a group, not a call:
 *
 * - `threshold: N` (+ optional `window: 1h`): N or more calls within the window (no window: within the run);
 * - `first_seen: true`: the first call of a group ever (remembered across runs through a FirstSeenStore);
 * - `sequence: [cond, cond, …]`: calls matching each step in order, by one group, within the window (LLMjacking).
 *
 * State is bounded: a ring of the last N call times per group, one step counter per sequence group, and at most
 * `max_groups` groups per rule (the least recently active is evicted first).
 */
export interface AggregateSpec {
  readonly by: readonly string[];
  readonly windowMs?: number;
  readonly window?: string;
  readonly threshold?: number;
  readonly firstSeen: boolean;
  readonly sequence?: readonly CompiledCondition[];
  readonly maxGroups: number;
}

/** Default bound on the groups one rule tracks at a time. */
export const DEFAULT_MAX_GROUPS = 100_000;

export function isAggregateRule(rule: Rule): boolean {
  return rule.raw.aggregate !== undefined;
}

/** A rule file's `aggregate:` section, as the rule schema lets it be written. */
interface AggregateSection {
  readonly by: readonly string[];
  readonly window?: string;
  readonly threshold?: number;
  readonly first_seen?: boolean;
  readonly sequence?: readonly unknown[];
  readonly max_groups?: number;
}

/** Compiles a rule's `aggregate:` section; AigovError at file:line for a bad window or sequence step. */
export function compileAggregate(rule: Rule, policy: Policy): AggregateSpec | undefined {
  // The rule schema (rule.schema.json) checked the section's shape when the file was loaded.
  const raw = rule.raw.aggregate as AggregateSection | undefined;
  if (raw === undefined) return undefined;
  if (rule.appliesTo.subject !== "api-call") {
    throw new AigovError("RULE_INVALID", "aggregate: applies to api-call rules only", {
      position: rule.source.locate(["aggregate"], "key"),
      hint: "set applies_to.subject: api-call, or remove aggregate",
    });
  }
  let windowMs: number | undefined;
  if (raw.window !== undefined) {
    try {
      windowMs = parseDuration(raw.window);
    } catch (error) {
      throw new AigovError("RULE_INVALID", error instanceof Error ? error.message : String(error), {
        position: rule.source.locate(["aggregate", "window"]),
        hint: "write 10m, 1h, 1d …",
      });
    }
  }
  const sequence =
    raw.sequence !== undefined
      ? raw.sequence.map((step, index) => compileCondition(step, rule.source, ["aggregate", "sequence", index], policy))
      : undefined;
  if (sequence !== undefined && windowMs === undefined) {
    throw new AigovError("RULE_INVALID", "a sequence needs a window", {
      position: rule.source.locate(["aggregate"], "key"),
      hint: "add window: 1h (or how long the steps may take)",
    });
  }
  return {
    by: raw.by,
    ...(windowMs === undefined || raw.window === undefined ? {} : { windowMs, window: raw.window }),
    ...(raw.threshold === undefined ? {} : { threshold: raw.threshold }),
    firstSeen: raw.first_seen === true,
    ...(sequence === undefined ? {} : { sequence }),
    maxGroups: raw.max_groups ?? DEFAULT_MAX_GROUPS,
  };
}

/** Groups already seen in earlier runs, for `first_seen` (the log reader keeps them in its SQLite table). */
export interface FirstSeenStore {
  has(ruleId: string, group: string): boolean;
  add(ruleId: string, group: string, time: string): void;
}

export function memoryFirstSeenStore(): FirstSeenStore {
  const seen = new Set<string>();
  return {
    has: (ruleId, group) => seen.has(`${ruleId}\n${group}`),
    add: (ruleId, group) => {
      seen.add(`${ruleId}\n${group}`);
    },
  };
}

export interface Aggregator {
  /** Feeds one call; returns the findings of groups that crossed their rule's line with it. */
  push(call: ApiCall): Finding[];
  /** Calls that matched at least one aggregate rule's condition. */
  readonly matched: number;
}

export interface AggregatorOptions {
  readonly now?: Date;
  readonly firstSeen?: FirstSeenStore;
}

interface GroupState {
  /** Ring of the last `threshold` call times (ms), or the sequence's start time. */
  readonly times: number[];
  next: number;
  count: number;
  step: number;
  startedAt: number;
  readonly eventIds: string[];
}

interface CompiledAggregate {
  readonly rule: Rule;
  readonly filter: CompiledCondition;
  readonly spec: AggregateSpec;
  readonly paths: readonly ((view: SubjectView) => unknown)[];
  readonly groups: Map<string, GroupState>;
  readonly fired: Set<string>;
}

/** How many event ids a finding quotes as evidence. */
const SAMPLE_EVENTS = 5;

export function createAggregator(rules: readonly Rule[], policy: Policy, options: AggregatorOptions = {}): Aggregator {
  const observedAt = (options.now ?? new Date()).toISOString();
  const now = (options.now ?? new Date()).getTime();
  const firstSeen = options.firstSeen ?? memoryFirstSeenStore();
  const waivers = policyWaivers(policy.waivers, now);
  const compiled: CompiledAggregate[] = [];
  for (const rule of rules) {
    const spec = compileAggregate(rule, policy);
    if (spec === undefined) continue;
    compiled.push({
      rule,
      filter: compileCondition(rule.condition, rule.source, ["condition"], policy),
      spec,
      paths: spec.by.map(compilePath),
      groups: new Map(),
      fired: new Set(),
    });
  }
  let matched = 0;
  return {
    get matched() {
      return matched;
    },
    push(call) {
      const view = callView(call);
      const context: EvalContext = { now, provider: call.provider };
      const findings: Finding[] = [];
      let matchedAny = false;
      for (const entry of compiled) {
        if (!applies(entry.rule, call)) continue;
        if (entry.filter.test(view, context) !== TRUE) continue;
        matchedAny = true;
        const values = entry.paths.map((path) => path(view));
        // A call whose group cannot be named (principal unknown …) cannot be counted towards any group.
        if (values.some((value) => value === undefined || value === null || isUnknown(value))) continue;
        const group = entry.spec.by.map((field, index) => `${field}=${String(values[index])}`).join(",");
        if (entry.fired.has(group)) continue;
        const evidence = step(entry, group, call, view, context, firstSeen);
        if (evidence === undefined) continue;
        entry.fired.add(group);
        entry.groups.delete(group);
        findings.push(
          groupFinding(
            entry.rule,
            group,
            call,
            [...entry.spec.by.map((field, index) => ({ field, value: values[index], expected: "group" })), ...evidence],
            waivers,
            observedAt,
          ),
        );
      }
      if (matchedAny) matched += 1;
      return findings;
    },
  };
}

function applies(rule: Rule, call: ApiCall): boolean {
  const { provider, type } = rule.appliesTo;
  return (
    (provider === undefined || provider.includes(call.provider)) && (type === undefined || type.includes(call.service))
  );
}

/** Advances one group's state with a call; returns the evidence when the group crosses the rule's line. */
function step(
  entry: CompiledAggregate,
  group: string,
  call: ApiCall,
  view: SubjectView,
  context: EvalContext,
  firstSeen: FirstSeenStore,
): Evidence[] | undefined {
  const { spec, rule } = entry;
  const time = Date.parse(call.time);
  if (spec.firstSeen) {
    if (firstSeen.has(rule.id, group)) return undefined;
    firstSeen.add(rule.id, group, call.time);
    return [
      { field: "firstSeen", value: call.time, expected: "first call of this group" },
      { field: "eventId", value: call.eventId, expected: "first call" },
    ];
  }
  const state = groupState(entry, group);
  if (spec.sequence !== undefined) {
    const window = spec.windowMs ?? Number.POSITIVE_INFINITY;
    if (state.step > 0 && time - state.startedAt > window) {
      state.step = 0;
      state.eventIds.length = 0;
    }
    const next = spec.sequence[state.step];
    if (next === undefined || next.test(view, context) !== TRUE) return undefined;
    if (state.step === 0) state.startedAt = time;
    state.step += 1;
    if (state.eventIds.length < SAMPLE_EVENTS * 2) state.eventIds.push(call.eventId);
    if (state.step < spec.sequence.length) return undefined;
    return [
      {
        field: "sequence",
        value: spec.sequence.length,
        expected: `${spec.sequence.length} steps in order within ${spec.window}`,
      },
      {
        field: "window",
        value: { from: new Date(state.startedAt).toISOString(), to: call.time },
        expected: `<= ${spec.window}`,
      },
      { field: "eventIds", value: [...state.eventIds], expected: "the calls of the sequence" },
    ];
  }
  const threshold = spec.threshold ?? 1;
  const times = state.times;
  if (times.length < threshold) times.push(time);
  else times[state.next] = time;
  state.next = (state.next + 1) % threshold;
  state.count += 1;
  if (state.eventIds.length < SAMPLE_EVENTS) state.eventIds.push(call.eventId);
  if (times.length < threshold) return undefined;
  // Logs are not strictly ordered across files: the window is the spread of the last N call times (this one among them).
  let first = time;
  let last = time;
  for (const value of times) {
    if (value < first) first = value;
    if (value > last) last = value;
  }
  if (spec.windowMs !== undefined && last - first > spec.windowMs) return undefined;
  return [
    {
      field: "count",
      value: threshold,
      expected: spec.window === undefined ? `>= ${threshold} calls` : `>= ${threshold} calls within ${spec.window}`,
    },
    {
      field: "window",
      value: { from: new Date(first).toISOString(), to: new Date(last).toISOString() },
      expected: spec.window ?? "this run",
    },
    { field: "eventIds", value: [...state.eventIds], expected: "sample of the calls" },
  ];
}

function groupState(entry: CompiledAggregate, group: string): GroupState {
  const groups = entry.groups;
  let state = groups.get(group);
  if (state !== undefined) {
    // Re-insert so the Map's order is least recently active first, for eviction.
    groups.delete(group);
    groups.set(group, state);
    return state;
  }
  if (groups.size >= entry.spec.maxGroups) {
    const oldest = groups.keys().next().value;
    if (oldest !== undefined) groups.delete(oldest);
  }
  state = { times: [], next: 0, count: 0, step: 0, startedAt: 0, eventIds: [] };
  groups.set(group, state);
  return state;
}

/** Waivers name an aggregate finding by its group (`principal=arn:…`) or by a glob over it. */
function groupFinding(
  rule: Rule,
  group: string,
  call: ApiCall,
  evidence: Evidence[],
  waivers: Waivers,
  observedAt: string,
): Finding {
  const subject = callGroupRef(call, group, group);
  const waiver = waivers.find(rule.id, [group]);
  return newFinding(rule, subject, {
    outcome: waivedOutcome("violation", waiver),
    evidence,
    ...(waiver === undefined ? {} : { waiver }),
    ...(call.source === undefined ? {} : { source: call.source }),
    observedAt,
  });
}
