import { ownProperty, type SubjectView } from "./condition.ts";
import { compileGlob, compileGlobs } from "./glob.ts";
import type { ApiCall, Asset, Key, Subject } from "./model.ts";
import type { Policy } from "./policy.ts";
import { isUnknown, unknown } from "./unknown.ts";

/**
 * The subject as rules read it: its fields, plus what the policy derives — `owner` from the owner tags when the
 * subject does not name one, and `registered` from the AI registry (by id glob, or by carrying every registry tag
 * with a value matching its glob). The policy's part is read once, here, not once per subject; a subject's derived
 * facts are worked out when a rule first reads them (most rules read neither).
 */
export function viewDeriver(policy: Policy): (subject: Subject, isCall: boolean) => SubjectView {
  const inRegistry = compileGlobs(policy.registry.assets);
  const registryTags = Object.entries(policy.registry.tags).map(([key, pattern]) => ({
    key,
    matches: compileGlob(pattern),
  }));
  // Each owner tag's place in the policy's list: a subject's tags are read in one pass, not looked up tag by tag (a
  // look-up by name on tags of every shape is slow, and most subjects have few tags and no owner tag).
  const ownerTagPlace = new Map<string, number>();
  policy.ownerTags.forEach((key, place) => {
    if (!ownerTagPlace.has(key)) ownerTagPlace.set(key, place);
  });
  const facts: PolicyFacts = {
    owner(subject) {
      const owner: unknown = subject.subject === "asset" ? subject.owner : undefined;
      if (owner !== undefined) return owner;
      const tags = tagsOf(subject);
      if (isUnknown(tags)) return tags;
      // The owner is the value of the first owner tag (in the policy's order) that is set or unknown.
      let found: unknown;
      let foundPlace = Number.POSITIVE_INFINITY;
      let someUnknown = false;
      for (const key in tags) {
        if (!Object.hasOwn(tags, key)) continue;
        const value: unknown = tags[key];
        const valueUnknown = isUnknown(value);
        if (valueUnknown) someUnknown = true;
        const place = ownerTagPlace.get(key);
        if (
          place !== undefined &&
          place < foundPlace &&
          (valueUnknown || (typeof value === "string" && value.trim() !== ""))
        ) {
          found = value;
          foundPlace = place;
        }
      }
      if (foundPlace !== Number.POSITIVE_INFINITY) return found;
      return someUnknown ? unknown("an owner tag may be set at apply") : undefined;
    },
    registered(subject) {
      if (inRegistry(subject.id)) return true;
      if (registryTags.length === 0) return false;
      const tags = tagsOf(subject);
      if (isUnknown(tags)) return tags;
      for (const { key, matches } of registryTags) {
        const value: unknown = tags[key];
        if (typeof value !== "string" || !matches(value)) return false;
      }
      return true;
    },
  };
  return (subject, isCall) => (isCall ? callView(subject as ApiCall) : new PolicyView(subject as Resource, facts));
}

/** A call as rules read it: its own fields; the policy derives nothing for calls. */
export function callView(call: ApiCall): SubjectView {
  return new CallView(call);
}

type Resource = Asset | Key;

interface PolicyFacts {
  owner(subject: Resource): unknown;
  registered(subject: Resource): unknown;
}

/** Subjects written by hand (rule tests) may leave tags out: no tags. */
function tagsOf(subject: Resource): NonNullable<Resource["tags"]> {
  return subject.tags ?? {};
}

/** Marks a derived fact not yet worked out (`undefined` is a fact: no owner). */
const NOT_YET: unique symbol = Symbol("not yet derived");

class PolicyView implements SubjectView {
  readonly fields: Readonly<Record<string, unknown>>;
  #plainFields: boolean | undefined = undefined;
  readonly #subject: Resource;
  readonly #facts: PolicyFacts;
  #owner: unknown = NOT_YET;
  #registered: unknown = NOT_YET;

  constructor(subject: Resource, facts: PolicyFacts) {
    // An interface has no index signature, so TypeScript will not see a record in it; every field is a plain value.
    this.fields = subject as unknown as Readonly<Record<string, unknown>>;
    this.#subject = subject;
    this.#facts = facts;
  }

  /** Asked when a test reads the subject itself (a group's first subjects): tests on slots need not know. */
  get plainFields(): boolean {
    this.#plainFields ??= Object.getPrototypeOf(this.fields) === Object.prototype;
    return this.#plainFields;
  }

  owner(): unknown {
    if (this.#owner === NOT_YET) this.#owner = this.#facts.owner(this.#subject);
    return this.#owner;
  }

  registered(): unknown {
    if (this.#registered === NOT_YET) this.#registered = this.#facts.registered(this.#subject);
    return this.#registered;
  }
}

class CallView implements SubjectView {
  readonly fields: Readonly<Record<string, unknown>>;
  #plainFields: boolean | undefined = undefined;

  constructor(call: ApiCall) {
    this.fields = call as unknown as Readonly<Record<string, unknown>>;
  }

  get plainFields(): boolean {
    this.#plainFields ??= Object.getPrototypeOf(this.fields) === Object.prototype;
    return this.#plainFields;
  }

  owner(): unknown {
    return ownProperty(this.fields, "owner");
  }

  registered(): unknown {
    return ownProperty(this.fields, "registered");
  }
}
