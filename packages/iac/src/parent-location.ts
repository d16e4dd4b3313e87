import { isUnknown, type Maybe, unknown } from "@aigov/core";
import { type PlannedSubject, REGION_FROM_PROVIDER } from "./normalize.ts";

/**
 * Attributes by which an Azure child resource names its parent: a model deployment, RAI policy or connection its
 * Cognitive Services account or project, an ML compute or datastore its workspace, a Foundry project its hub, a shared
 * private link its search service, an azapi resource its parent. The first one a resource has is its parent.
 */
export const AZURE_PARENT_ATTRIBUTES: readonly string[] = [
  "cognitive_account_id",
  "cognitive_project_id",
  "machine_learning_workspace_id",
  "workspace_id",
  "ai_services_hub_id",
  "search_service_id",
  "parent_id",
];

/** Where a child's configuration points at its parent. */
export interface ParentReference {
  readonly attribute: string;
  /** The parent's address relative to the child's module (`azurerm_cognitive_account.this`), when configuration says it. */
  readonly address?: string;
}

/**
 * An Azure child resource has no location of its own: ARM puts it where its parent is. A planned child whose
 * location is missing takes its parent's, found through the reference in configuration (a new parent) or the parent's
 * ARM id in the child's planned values (an existing one the plan also holds). A parent the plan does not hold leaves
 * the child's region as it was.
 */
export function withParentLocations(
  subjects: readonly PlannedSubject[],
  referenceOf: (subject: PlannedSubject) => ParentReference | undefined,
): PlannedSubject[] {
  const orphans = subjects.filter((subject) => subject.provider === "azure" && hasNoLocation(subject));
  if (orphans.length === 0) return [...subjects];
  const byId = new Map<string, PlannedSubject>();
  for (const subject of subjects) {
    const id = subject.native.id;
    if (subject.subject === "asset" && typeof id === "string") byId.set(id.toLowerCase(), subject);
  }
  const located = new Map<PlannedSubject, Maybe<string>>();
  for (const child of orphans) {
    const reference = referenceOf(child);
    if (reference === undefined) continue;
    const region = parentRegion(child, reference, subjects, byId);
    if (region !== undefined) located.set(child, region);
  }
  return subjects.map((subject) => {
    const region = located.get(subject);
    return region === undefined ? subject : { ...subject, region };
  });
}

/** The reference a child's planned values hold: the first parent attribute present, known or not. */
export function parentAttributeOf(values: Readonly<Record<string, unknown>>): string | undefined {
  return AZURE_PARENT_ATTRIBUTES.find((attribute) => attribute in values);
}

/** A resource that names no location of its own (one known only after apply is its own, just not known yet). */
function hasNoLocation(subject: PlannedSubject): boolean {
  return isUnknown(subject.region) && subject.region.reason === REGION_FROM_PROVIDER;
}

function parentRegion(
  child: PlannedSubject,
  reference: ParentReference,
  subjects: readonly PlannedSubject[],
  byId: ReadonlyMap<string, PlannedSubject>,
): Maybe<string> | undefined {
  const id = child.native[reference.attribute];
  const byArmId = typeof id === "string" ? byId.get(id.toLowerCase()) : undefined;
  if (byArmId !== undefined) return byArmId.region;
  if (reference.address === undefined) return undefined;
  // The reference is relative to the child's module instance; the parent may have instances of its own (count).
  const address = moduleInstanceOf(child.id) + reference.address;
  const parents = subjects.filter(
    (subject) =>
      subject !== child &&
      subject.subject === "asset" &&
      (subject.id === address || subject.id.startsWith(`${address}[`)),
  );
  if (parents.length === 0) return undefined;
  const regions = new Set(parents.map((parent) => JSON.stringify(parent.region)));
  if (regions.size > 1) return unknown(`location is its parent's (${address}), whose instances are in several`);
  const region = parents[0]!.region;
  return isUnknown(region) ? unknown(`location is its parent's (${address}): ${region.reason}`) : region;
}

/** `module.a["x"].module.b.azurerm_x.main[0]` → `module.a["x"].module.b.` (a stack prefix `ai/` stays too). */
function moduleInstanceOf(address: string): string {
  const resource = /(?:^|[./])([a-z0-9_]+\.[^./[]+(?:\[[^\]]*\])?)$/i.exec(address);
  return resource === null ? "" : address.slice(0, address.length - resource[1]!.length);
}
