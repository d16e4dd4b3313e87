import { AigovError, type ChangeAction, type PlannedChange } from "@aigov/core";
import { aiTypeInfo } from "./ai-types.ts";
import { type NormalizeInput, type PlannedSubject, normalizeResource } from "./normalize.ts";
import { plannedWithKeys } from "./planned-keys.ts";
import { isRecord } from "./planned-values.ts";
import { type ConfigurationFacts, readConfiguration } from "./plan-configuration.ts";

/** Plan JSON majors this reader understands; a newer major may change meanings, so it is refused. */
const SUPPORTED_MAJORS = new Set(["0", "1"]);

/** What reading a plan found, besides the AI subjects: the counts a person checks to trust a pass. */
export interface PlanReadResult {
  readonly subjects: readonly PlannedSubject[];
  readonly resourceChanges: number;
  readonly dataSources: number;
  readonly formatVersion: string;
  readonly tool?: string;
}

const FACT_KEYS = [
  "public",
  "keyAuth",
  "cmk",
  "logging",
  "models",
  "owner",
  "guardrail",
  "privateNetwork",
  "rootAccess",
  "region",
  "tags",
  "unrestricted",
  "apiTargets",
] as const;

function shapeError(file: string, path: string, problem: string): AigovError {
  return new AigovError("PLAN_SHAPE", `not a terraform plan: ${path} ${problem}`, {
    position: { file },
    hint: "pass the output of `terraform show -json plan.tfplan` or `tofu show -json plan.tfplan`",
  });
}

/** True for a document that looks like `terraform show -json` output (plan or state). */
export function looksLikePlan(document: unknown): boolean {
  return isRecord(document) && typeof document.format_version === "string";
}

/** Reads a parsed `terraform show -json` / `tofu show -json` plan into planned AI subjects. */
export function readPlanDocument(document: unknown, file: string): PlanReadResult {
  if (!isRecord(document)) throw shapeError(file, "the document", "is not a JSON object");
  const formatVersion = document.format_version;
  if (typeof formatVersion !== "string" || !/^\d+\.\d+/.test(formatVersion)) {
    throw shapeError(file, "format_version", "is missing (every `show -json` output has one)");
  }
  const major = formatVersion.split(".")[0]!;
  if (!SUPPORTED_MAJORS.has(major)) {
    throw new AigovError(
      "PLAN_FORMAT_VERSION",
      `plan format_version ${formatVersion} is newer than this aigov understands (0.x and 1.x)`,
      {
        position: { file },
        hint: "upgrade aigov; a new major format may change what plan fields mean, so it is not guessed",
      },
    );
  }
  // Terraform 1.4+ writes the plan of a failed `terraform plan` with errored: true; 1.8+ marks plans with
  // deferred changes complete: false. Either may leave resources out, so neither can pass the gate.
  if (document.errored === true) {
    throw new AigovError(
      "PLAN_ERRORED",
      "terraform could not finish this plan (errored: true), so it does not show every change",
      {
        position: { file },
        hint: "fix the errors `terraform plan` reported, then gate the new plan",
      },
    );
  }
  if (document.complete === false) {
    throw new AigovError(
      "PLAN_INCOMPLETE",
      "this plan is incomplete (complete: false): some changes are deferred to a later plan",
      {
        position: { file },
        hint: "gate the plan that applies the deferred changes too, or plan without deferrals",
      },
    );
  }
  const changes = document.resource_changes;
  if (changes === undefined) {
    if (isRecord(document.values) && !("planned_values" in document)) {
      throw new AigovError(
        "PLAN_IS_STATE",
        "this is terraform state (`show -json` of a state), not a plan: it has no resource_changes",
        {
          position: { file },
          hint: "run `terraform plan -out plan.tfplan && terraform show -json plan.tfplan > plan.json`",
        },
      );
    }
    // Terraform omits an empty resource_changes, but a plan the gate cannot see changes in is never a pass.
    throw shapeError(
      file,
      "resource_changes",
      "is missing (a plan with nothing to change has nothing to gate; a cut or hand-edited plan is refused)",
    );
  } else if (!Array.isArray(changes)) {
    throw shapeError(file, "resource_changes", "is not an array");
  }
  const configuration = readConfiguration(document.configuration);
  const subjects: PlannedSubject[] = [];
  let dataSources = 0;
  const list = (changes ?? []) as unknown[];
  // The loop visits every resource of the plan, AI or not: positions are spelled out only for an error.
  const at = (index: number, field: string) => `resource_changes[${index}]${field}`;
  for (let index = 0; index < list.length; index++) {
    const entry = list[index];
    if (!isRecord(entry)) throw shapeError(file, at(index, ""), "is not an object");
    const { address, type, mode, change } = entry;
    if (typeof address !== "string" || address === "") throw shapeError(file, at(index, ".address"), "is missing");
    if (typeof type !== "string" || type === "") throw shapeError(file, at(index, ".type"), "is missing");
    if (mode !== "managed" && mode !== "data")
      throw shapeError(file, at(index, ".mode"), `is ${JSON.stringify(mode)} (expected managed or data)`);
    if (
      !isRecord(change) ||
      !Array.isArray(change.actions) ||
      !change.actions.every((action) => typeof action === "string")
    ) {
      throw shapeError(file, at(index, ".change.actions"), "is missing or not a list of strings");
    }
    // Data sources are read, not deployed: nothing to govern.
    if (mode === "data") {
      dataSources++;
      continue;
    }
    // Every action list is checked, so one this reader does not know stops the gate even on a resource that is not AI.
    const action = changeAction(change.actions as string[], file, at(index, ""));
    if (action === "read" || aiTypeInfo(type) === undefined) continue;
    const planned = checkedChange(action, change.actions as string[], change);
    const subject = normalizeChange(entry, type, address, planned, change, configuration, file);
    if (subject !== undefined) subjects.push(...plannedWithKeys(subject));
  }
  const tool = typeof document.terraform_version === "string" ? `terraform ${document.terraform_version}` : undefined;
  return {
    subjects,
    resourceChanges: list.length,
    dataSources,
    formatVersion,
    ...(tool === undefined ? {} : { tool }),
  };
}

/** Terraform's action lists, by their items joined with commas, and what each does to the resource. */
const ACTION_LISTS: ReadonlyMap<string, ChangeAction> = new Map([
  ["create", "create"],
  ["update", "update"],
  ["delete", "delete"],
  ["forget", "delete"],
  ["no-op", "no-op"],
  ["read", "read"],
  ["delete,create", "replace"],
  ["create,delete", "replace"],
  ["create,forget", "replace"],
]);

/** Terraform's action list → one action; an action this reader does not know is an error (never ignored). */
function changeAction(actions: readonly string[], file: string, where: string): ChangeAction {
  const action = ACTION_LISTS.get(actions.length === 1 ? actions[0]! : actions.join(","));
  if (action === undefined)
    throw shapeError(file, `${where}.change.actions`, `has an unknown action list [${actions.join(", ")}]`);
  return action;
}

/** The planned change of one resource: its action (an import when the change imports it) and Terraform's list. */
export function plannedChange(
  actions: readonly string[],
  change: Record<string, unknown>,
  file: string,
  where: string,
): PlannedChange {
  return checkedChange(changeAction(actions, file, where), actions, change);
}

function checkedChange(
  checked: ChangeAction,
  actions: readonly string[],
  change: Record<string, unknown>,
): PlannedChange {
  let action = checked;
  const importing = isRecord(change.importing);
  if (importing && (action === "no-op" || action === "update" || action === "create")) action = "import";
  return { action, actions: [...actions], changedAttributes: [], importing };
}

function normalizeChange(
  entry: Record<string, unknown>,
  type: string,
  address: string,
  planned: PlannedChange,
  change: Record<string, unknown>,
  configuration: ConfigurationFacts,
  file: string,
): PlannedSubject | undefined {
  const before = isRecord(change.before) ? change.before : {};
  const after = isRecord(change.after) ? change.after : {};
  const afterUnknown = isRecord(change.after_unknown) ? change.after_unknown : {};
  const deleting = planned.action === "delete";
  const providerName = typeof entry.provider_name === "string" ? entry.provider_name : undefined;
  const base: Omit<NormalizeInput, "values"> = {
    type,
    address,
    ...(providerName === undefined ? {} : { providerName }),
    source: { file, path: address },
    ...configuration.forResource(address, type),
  };
  const sensitivePaths = deleting ? change.before_sensitive : change.after_sensitive;
  const subject = normalizeResource({
    ...base,
    values: deleting ? before : after,
    unknownPaths: deleting ? {} : afterUnknown,
    sensitivePaths,
    change: planned,
  });
  if (subject === undefined) return undefined;
  if (planned.action !== "update" && planned.action !== "replace" && planned.action !== "import") return subject;
  const previous = normalizeResource({ ...base, values: before, sensitivePaths: change.before_sensitive });
  const changedAttributes = changedKeys(before, after, afterUnknown);
  for (const fact of FACT_KEYS) {
    const now = (subject as unknown as Record<string, unknown>)[fact];
    const then = previous === undefined ? undefined : (previous as unknown as Record<string, unknown>)[fact];
    // Unknown compares by its reason: known → "known after apply" is a change, the same unknown region is not.
    if (JSON.stringify(now) !== JSON.stringify(then)) changedAttributes.push(fact);
  }
  return { ...subject, change: { ...planned, changedAttributes: [...new Set(changedAttributes)] } };
}

/** Top-level attributes whose value differs, or that become known only after apply. */
function changedKeys(
  before: Record<string, unknown>,
  after: Record<string, unknown>,
  afterUnknown: Record<string, unknown>,
): string[] {
  const keys = new Set<string>();
  for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
    if (JSON.stringify(before[key] ?? null) !== JSON.stringify(after[key] ?? null)) keys.add(key);
  }
  for (const [key, mark] of Object.entries(afterUnknown)) {
    if (containsTrue(mark)) keys.add(key);
  }
  return [...keys].sort();
}

function containsTrue(mark: unknown): boolean {
  if (mark === true) return true;
  if (Array.isArray(mark)) return mark.some(containsTrue);
  if (isRecord(mark)) return Object.values(mark).some(containsTrue);
  return false;
}
