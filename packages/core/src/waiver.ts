import type { Outcome, WaiverRef } from "./finding.ts";
import { compileGlob, globMatch } from "./glob.ts";
import type { Subject } from "./model.ts";
import type { Waiver } from "./policy.ts";

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
/** A time must say its zone: `2026-12-05T18:00` would expire at a different instant on every machine's clock. */
const ZONED_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;
const DAY_MS = 86_400_000;

/**
 * The first instant (ms since the epoch) at which a waiver no longer applies, or undefined when `expires` is neither
 * a date nor a time with a zone. A date (`2026-12-05`) is in force through the whole of that day in UTC, so it stops
 * applying at 00:00 UTC the next day; a time (`2026-12-05T18:00:00Z`, `…+02:00`) stops applying at that instant.
 */
export function waiverEndsAt(expires: string): number | undefined {
  const date = expires.slice(0, 10);
  if (!DATE_ONLY.test(date) || (expires.length > 10 && !ZONED_TIME.test(expires))) return undefined;
  const midnight = Date.parse(`${date}T00:00:00Z`);
  // Date.parse rolls 2026-02-30 over into March: a day that is not on the calendar is refused, not moved.
  if (Number.isNaN(midnight) || new Date(midnight).toISOString().slice(0, 10) !== date) return undefined;
  if (expires.length === 10) return midnight + DAY_MS;
  const time = Date.parse(expires);
  return Number.isNaN(time) ? undefined : time;
}

function isExpired(waiver: Waiver, now: number): boolean {
  if (waiver.expires === undefined) return false;
  // The policy loader refuses an expiry it cannot read; a waiver built elsewhere with one applies to nothing.
  return now >= (waiverEndsAt(waiver.expires) ?? Number.NEGATIVE_INFINITY);
}

/** The policy's waivers at one evaluation time: which one covers a finding, and which have expired. */
export interface Waivers {
  /** The first waiver whose rule glob matches the rule id and whose subject glob matches one of the subject's names. */
  find(ruleId: string, subjectNames: readonly string[]): WaiverRef | undefined;
  /** The waivers whose rule glob matches one rule, matched once so that judging a subject only tries their subjects. */
  forRule(ruleId: string): RuleWaivers;
  /**
   * Starts judging a new subject (for RuleWaivers.find): its names are listed only if a rule that a waiver names
   * flags it, and each waiver's subject glob is tried on them once at most, however many rules ask.
   */
  startSubject(subject: Subject): void;
  /** Waivers whose expiry has passed: they no longer apply, and users should hear about it. */
  expired(): readonly Waiver[];
}

/** The waivers that name one rule, in policy order. */
export interface RuleWaivers {
  /** No waiver names the rule: a subject's names need not be worked out. */
  readonly none: boolean;
  /** The first of them whose subject glob matches one of the names of the subject last started. */
  find(): WaiverRef | undefined;
}

interface WaiverEntry {
  readonly waiver: Waiver;
  /** Its place in the policy, where the answers for the current subject are kept. */
  readonly index: number;
  readonly coversSubject: (name: string) => boolean;
  /** The text every name its subject glob matches starts with: the glob up to its first wildcard ("" if none). */
  readonly head: string;
  /** What a finding carries: the same object for every finding this waiver covers. */
  readonly ref: WaiverRef;
}

const NOT_TRIED = 0;
const COVERS = 1;
const DOES_NOT_COVER = 2;

/**
 * The one place the engine and the aggregator learn whether a finding is waived. What is known of the subject being
 * judged (its names, each waiver's answer) lives in buffers reused from subject to subject: a sweep judges millions
 * of subjects, and most fail some rule that a `rule: "*"` waiver names.
 */
export function policyWaivers(waivers: readonly Waiver[], now: number): Waivers {
  const entries: WaiverEntry[] = waivers.map((waiver, index) => ({
    waiver,
    index,
    coversSubject: compileGlob(waiver.subject),
    head: waiver.subject.split(/[*?]/, 1)[0]!,
    ref: Object.freeze({
      reason: waiver.reason,
      approver: waiver.approver,
      ...(waiver.expires === undefined ? {} : { expires: waiver.expires }),
      expired: isExpired(waiver, now),
    }),
  }));
  // The current subject: listed on first need; answers[index] is NOT_TRIED, COVERS or DOES_NOT_COVER for the subject
  // whose number is answeredFor[index] (numbering subjects spares clearing the answers for each one).
  let subject: Subject | undefined;
  let names: readonly string[] | undefined;
  let subjectNumber = 0;
  const answers = new Uint8Array(entries.length);
  const answeredFor = new Float64Array(entries.length);
  const covers = (entry: WaiverEntry): boolean => {
    const { index } = entry;
    if (answeredFor[index] === subjectNumber && answers[index] !== NOT_TRIED) return answers[index] === COVERS;
    names ??= subject === undefined ? [] : waiverSubjectNames(subject);
    let answer = false;
    for (const name of names) {
      // Most names start otherwise than the glob does (an ARN of another service, a short name): refused by one native
      // prefix test, without calling the glob (which matches no name that is not a string when it has a head).
      if (entry.head !== "" && (typeof name !== "string" || !name.startsWith(entry.head))) continue;
      if (entry.coversSubject(name)) {
        answer = true;
        break;
      }
    }
    answeredFor[index] = subjectNumber;
    answers[index] = answer ? COVERS : DOES_NOT_COVER;
    return answer;
  };
  const startSubject = (next: Subject | undefined, nextNames?: readonly string[]): void => {
    subject = next;
    names = nextNames;
    subjectNumber += 1;
  };
  const byRule = new Map<string, RuleWaivers>();
  const forRule = (ruleId: string): RuleWaivers => {
    let found = byRule.get(ruleId);
    if (found === undefined) {
      const naming = entries.filter(({ waiver }) => globMatch(waiver.rule, ruleId));
      found = {
        none: naming.length === 0,
        find() {
          for (const entry of naming) if (covers(entry)) return entry.ref;
          return undefined;
        },
      };
      byRule.set(ruleId, found);
    }
    return found;
  };
  return {
    find(ruleId, subjectNames) {
      if (entries.length === 0) return undefined;
      startSubject(undefined, subjectNames);
      return forRule(ruleId).find();
    },
    forRule,
    startSubject,
    expired: () => entries.filter((entry) => entry.ref.expired).map((entry) => entry.waiver),
  };
}

/** The names a waiver's `subject:` glob is matched against: an asset's or key's id, name and source path; a call's event id and principal. */
export function waiverSubjectNames(subject: Subject): string[] {
  if (subject.subject === "api-call")
    return [subject.eventId, subject.principal].filter((name): name is string => typeof name === "string");
  const names = [subject.id, subject.name];
  if (subject.source?.path !== undefined) names.push(subject.source.path);
  return names;
}

/** A violation or unknown under a waiver in force is waived; an expired waiver changes nothing (it is reported). */
export function waivedOutcome<O extends Outcome>(outcome: O, waiver: WaiverRef | undefined): O | "waived" {
  return waiver !== undefined && !waiver.expired ? "waived" : outcome;
}
