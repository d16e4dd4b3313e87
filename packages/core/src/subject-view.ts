import type { SubjectView } from "./condition.ts";
import { globMatch, globMatchAny } from "./glob.ts";
import type { ApiCall, Subject } from "./model.ts";
import type { Policy } from "./policy.ts";
import { isUnknown, unknown } from "./unknown.ts";

/**
 * The subject as rules read it: its fields, plus what the policy derives — `owner` from the owner tags when the
 * subject does not name one, and `registered` from the AI registry (by id glob, or by carrying every registry tag
 * with a value matching its glob). The policy's part is read once, here, not once per subject.
 */
export function viewDeriver(policy: Policy): (subject: Subject) => SubjectView {
  const { ownerTags } = policy;
  const registryAssets = policy.registry.assets;
  const registryTags = Object.entries(policy.registry.tags);
  return (subject) => {
    if (subject.subject === "api-call") return callView(subject);
    // Subjects written by hand (rule tests) may leave tags out: no tags.
    const tags = subject.tags ?? {};
    let owner: unknown = subject.subject === "asset" ? subject.owner : undefined;
    if (owner === undefined) {
      if (isUnknown(tags)) owner = tags;
      else {
        for (const key of ownerTags) {
          const value: unknown = tags[key];
          if (isUnknown(value) || (typeof value === "string" && value.trim() !== "")) {
            owner = value;
            break;
          }
        }
        if (owner === undefined && Object.values(tags).some(isUnknown))
          owner = unknown("an owner tag may be set at apply");
      }
    }
    let registered: unknown = false;
    if (globMatchAny(registryAssets, subject.id)) registered = true;
    else if (registryTags.length > 0) {
      if (isUnknown(tags)) registered = tags;
      else
        registered = registryTags.every(([key, pattern]) => {
          const value: unknown = tags[key];
          return typeof value === "string" && globMatch(pattern, value);
        });
    }
    return { ...subject, owner, registered };
  };
}

/** A call as rules read it: its own fields; the policy derives nothing for calls. */
export function callView(call: ApiCall): SubjectView {
  // An interface has no index signature, so TypeScript will not see a record in it; every field is a plain value.
  return call as unknown as SubjectView;
}
