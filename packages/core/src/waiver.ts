import type { Outcome, WaiverRef } from "./finding.ts";
import { mayGenerateCode } from "./condition.ts";
import { compileGlob, globExpression, globMatch } from "./glob.ts";
import type { ApiCall, Subject } from "./model.ts";
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
   * flags it, and each waiver's subject glob is tried on them once at most, however many rules ask. `isCall`: whether
   * it is an api-call (the engine knows); `read`: its names read beforehand, as this reads them (an asset's or key's
   * id, name and source path; a call's event id and principal), by code that reads its group's few shapes.
   */
  startSubject(subject: Subject, isCall?: boolean, read?: readonly unknown[]): void;
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
  /** Its place in the policy, where the answer for the current subject is kept. */
  readonly index: number;
  /** Whether its subject glob matches one name (a name that is not a string only by a glob of stars alone). */
  readonly coversName: (name: unknown) => boolean;
  /** What a finding carries: the same object for every finding this waiver covers. */
  readonly ref: WaiverRef;
}

const COVERS = 1;
const DOES_NOT_COVER = 2;

/**
 * What is known of the subject being judged: its names (listed when a rule that a waiver names first flags it, in
 * three slots, as no subject has more), and each waiver's answer, kept in buffers reused from subject to subject and
 * valid for the subject whose number they carry (numbering subjects spares clearing them for each one).
 */
class SubjectNames {
  subject: Subject | undefined = undefined;
  /** Names given whole (the aggregator's), in place of a subject's. */
  given: readonly unknown[] | undefined = undefined;
  isCall = false;
  read: readonly unknown[] | undefined = undefined;
  number = 0;
  listed = false;
  count = 0;
  first: unknown = undefined;
  second: unknown = undefined;
  third: unknown = undefined;
  readonly answers: Uint8Array;
  readonly answeredFor: Float64Array;

  constructor(waivers: number) {
    this.answers = new Uint8Array(waivers);
    this.answeredFor = new Float64Array(waivers);
  }

  start(
    subject: Subject | undefined,
    given: readonly unknown[] | undefined,
    isCall: boolean,
    read: readonly unknown[] | undefined,
  ): void {
    this.subject = subject;
    this.given = given;
    this.isCall = isCall;
    this.read = read;
    this.listed = false;
    this.number += 1;
  }

  /** Whether the waiver's subject glob matches one of the current subject's names: tried once per subject. */
  covers(entry: WaiverEntry): boolean {
    const { index } = entry;
    if (this.answeredFor[index] === this.number) return this.answers[index] === COVERS;
    if (!this.listed) this.list();
    const { coversName } = entry;
    const { count } = this;
    let answer =
      (count > 0 && coversName(this.first)) ||
      (count > 1 && coversName(this.second)) ||
      (count > 2 && coversName(this.third));
    // Only names given whole can be more than three.
    if (!answer && count > 3) answer = this.given!.slice(3).some(coversName);
    this.answeredFor[index] = this.number;
    this.answers[index] = answer ? COVERS : DOES_NOT_COVER;
    return answer;
  }

  /** Whether a glob matches one of the names past the third (only names given whole are more than three). */
  coversMore(coversName: (name: unknown) => boolean): boolean {
    return this.given!.slice(3).some(coversName);
  }

  /**
   * The names a waiver's `subject:` glob is matched against: an asset's or key's id, name and source path (when it
   * has one); a call's event id and principal, those that are strings.
   */
  list(): void {
    this.listed = true;
    const { subject, given } = this;
    if (given !== undefined || subject === undefined) {
      const names = given ?? [];
      this.count = names.length;
      this.first = names[0];
      this.second = names[1];
      this.third = names[2];
      return;
    }
    const { read } = this;
    if (this.isCall) {
      const call = subject as ApiCall;
      const eventId: unknown = read === undefined ? call.eventId : read[0];
      const principal: unknown = read === undefined ? call.principal : read[1];
      const eventIdIsName = typeof eventId === "string";
      const principalIsName = typeof principal === "string";
      this.count = (eventIdIsName ? 1 : 0) + (principalIsName ? 1 : 0);
      this.first = eventIdIsName ? eventId : principal;
      this.second = eventIdIsName ? principal : undefined;
      return;
    }
    const resource = subject as Exclude<Subject, ApiCall>;
    const path = read === undefined ? resource.source?.path : read[2];
    this.count = path === undefined ? 2 : 3;
    this.first = read === undefined ? resource.id : read[0];
    this.second = read === undefined ? resource.name : read[1];
    this.third = path;
  }
}

/**
 * Rules whose waivers are asked about this many subjects have their look-up written as code of their own (a gate
 * asking about a few subjects does not pay for compiling it).
 */
const GENERATE_AFTER = 32;

/** The waivers that name one rule, in policy order, asked about the subject their SubjectNames holds. */
class NamingWaivers implements RuleWaivers {
  readonly none: boolean;
  readonly #entries: readonly WaiverEntry[];
  readonly #names: SubjectNames;
  #asked = 0;
  #generated: ((names: SubjectNames) => WaiverRef | undefined) | undefined = undefined;

  constructor(entries: readonly WaiverEntry[], names: SubjectNames) {
    this.none = entries.length === 0;
    this.#entries = entries;
    this.#names = names;
  }

  find(): WaiverRef | undefined {
    const generated = this.#generated;
    if (generated !== undefined) return generated(this.#names);
    if (this.#asked < GENERATE_AFTER && ++this.#asked === GENERATE_AFTER)
      this.#generated = generatedFind(this.#entries);
    const entries = this.#entries;
    for (let index = 0; index < entries.length; index++) {
      const entry = entries[index]!;
      if (this.#names.covers(entry)) return entry.ref;
    }
    return undefined;
  }
}

/**
 * One rule's waiver look-up as code of its own: SubjectNames.covers for each of its waivers in turn, written out, so
 * that each waiver's subject glob is called from a place of its own (where V8 compiles it in, as it calls one
 * function only), not from one place calling every waiver's glob, and no call per waiver asked. Undefined where code
 * may not be generated.
 */
function generatedFind(entries: readonly WaiverEntry[]): ((names: SubjectNames) => WaiverRef | undefined) | undefined {
  if (!mayGenerateCode()) return undefined;
  // How often each unit is in the rule's waivers' globs: a glob's part is searched for from its rarest unit.
  const unitCounts = new Map<number, number>();
  for (const { waiver } of entries)
    for (let at = 0; at < waiver.subject.length; at++) {
      const unit = waiver.subject.charCodeAt(at);
      unitCounts.set(unit, (unitCounts.get(unit) ?? 0) + 1);
    }
  const body = entries.map(({ index, waiver }, place) => {
    // The glob's test written in (its native string tests then know their text), or its first refusals.
    const on = (name: string) => globExpression(waiver.subject, name, `covers${place}(${name})`, unitCounts);
    return [
      `if (answeredFor[${index}] === number) {`,
      `  if (answers[${index}] === ${COVERS}) return ref${place};`,
      "} else {",
      `  const answer = (count > 0 && ${on("first")}) || (count > 1 && ${on("second")}) ||`,
      `    (count > 2 && ${on("third")}) || (count > 3 && names.coversMore(covers${place}));`,
      `  answeredFor[${index}] = number;`,
      `  answers[${index}] = answer ? ${COVERS} : ${DOES_NOT_COVER};`,
      `  if (answer) return ref${place};`,
      "}",
    ].join("\n");
  });
  const factory = new Function(
    ...entries.flatMap((_, place) => [`covers${place}`, `ref${place}`]),
    [
      '"use strict";',
      "return function find(names) {",
      "if (!names.listed) names.list();",
      "const { number, answers, answeredFor, count, first, second, third } = names;",
      ...body,
      "return undefined;",
      "};",
    ].join("\n"),
  ) as (...values: unknown[]) => (names: SubjectNames) => WaiverRef | undefined;
  return factory(...entries.flatMap((entry) => [entry.coversName, entry.ref]));
}

/**
 * The one place the engine and the aggregator learn whether a finding is waived. A sweep judges millions of subjects,
 * and most fail some rule that a `rule: "*"` waiver names: a subject's names and each waiver's answer are worked out
 * once per subject, in buffers reused from subject to subject.
 */
export function policyWaivers(waivers: readonly Waiver[], now: number): Waivers {
  const entries: WaiverEntry[] = waivers.map((waiver, index) => ({
    waiver,
    index,
    // A glob's first test is its text before the first wildcard, natively (most names start otherwise): no test
    // before it, which would compare the same characters twice on every name that does start so.
    coversName: compileGlob(waiver.subject) as (name: unknown) => boolean,
    ref: Object.freeze({
      reason: waiver.reason,
      approver: waiver.approver,
      ...(waiver.expires === undefined ? {} : { expires: waiver.expires }),
      expired: isExpired(waiver, now),
    }),
  }));
  const names = new SubjectNames(entries.length);
  const byRule = new Map<string, RuleWaivers>();
  const forRule = (ruleId: string): RuleWaivers => {
    let found = byRule.get(ruleId);
    if (found === undefined) {
      found = new NamingWaivers(
        entries.filter(({ waiver }) => globMatch(waiver.rule, ruleId)),
        names,
      );
      byRule.set(ruleId, found);
    }
    return found;
  };
  return {
    find(ruleId, subjectNames) {
      if (entries.length === 0) return undefined;
      names.start(undefined, subjectNames, false, undefined);
      return forRule(ruleId).find();
    },
    forRule,
    startSubject: (subject, isCall = subject.subject === "api-call", read = undefined) =>
      names.start(subject, undefined, isCall, read),
    expired: () => entries.filter((entry) => entry.ref.expired).map((entry) => entry.waiver),
  };
}

/** A violation or unknown under a waiver in force is waived; an expired waiver changes nothing (it is reported). */
export function waivedOutcome<O extends Outcome>(outcome: O, waiver: WaiverRef | undefined): O | "waived" {
  return waiver !== undefined && !waiver.expired ? "waived" : outcome;
}
