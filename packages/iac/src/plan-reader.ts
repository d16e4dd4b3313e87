import { AigovError, ASSET_FACTS, type ChangeAction, type PlannedChange } from "@aigov/core";
import { aiTypeInfo } from "./ai-types.ts";
import { JSON_ARRAY, JSON_OBJECT } from "./json-scanner.ts";
import { type NormalizeInput, type PlannedSubject, normalizeResource } from "./normalize.ts";
import { type ConfigurationFacts, readConfiguration } from "./plan-configuration.ts";
import { parentAttributeOf, withParentLocations } from "./parent-location.ts";
import {
  type ChangeFacts,
  isResourceType,
  type PlanScan,
  type Span,
  type StateResourceOutline,
  scanPlanText,
} from "./plan-scan.ts";
import { plannedWithKeys } from "./planned-keys.ts";
import { isRecord } from "./planned-values.ts";

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

const FACT_KEYS = [...ASSET_FACTS, "region", "tags", "unrestricted", "apiTargets"] as const;

function shapeError(
  file: string,
  path: string,
  problem: string,
  at: { line?: number; column?: number } = {},
): AigovError {
  return new AigovError("PLAN_SHAPE", `not a terraform plan: ${path} ${problem}`, {
    position: { file, ...at },
    hint: "pass the output of `terraform show -json plan.tfplan` or `tofu show -json plan.tfplan`",
  });
}

function editedError(scan: PlanScan, span: Span | undefined, message: string): AigovError {
  return new AigovError("PLAN_INCONSISTENT", message, {
    position: { file: scan.file, ...scan.lineColumn(span) },
    hint: "terraform never writes this: regenerate the plan with `terraform show -json plan.tfplan` instead of editing it",
  });
}

/** True for a document that looks like `terraform show -json` output (plan or state). */
export function looksLikePlan(document: unknown): boolean {
  return isRecord(document) && typeof document.format_version === "string";
}

/** Reads a `terraform show -json` plan already in memory: the same reader as for its text, over its JSON. */
export function readPlanDocument(document: unknown, file: string): PlanReadResult {
  return readPlanText(JSON.stringify(document) ?? "null", file);
}

/** Reads the text of a `terraform show -json` / `tofu show -json` plan into planned AI subjects. */
export function readPlanText(text: string, file: string, firstLine = 1): PlanReadResult {
  return readPlanScan(scanPlanText(text, file, firstLine));
}

/** Reads a validated plan scan (scanPlanText) into planned AI subjects; refuses what it cannot judge. */
export function readPlanScan(scan: PlanScan): PlanReadResult {
  const file = scan.file;
  if (scan.rootKind !== JSON_OBJECT) throw shapeError(file, "the document", "is not a JSON object");
  const formatVersion = scan.decodeTop("format_version");
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
  if (scan.decodeTop("errored") === true) {
    throw new AigovError(
      "PLAN_ERRORED",
      "terraform could not finish this plan (errored: true), so it does not show every change",
      {
        position: { file },
        hint: "fix the errors `terraform plan` reported, then gate the new plan",
      },
    );
  }
  if (scan.decodeTop("complete") === false) {
    throw new AigovError(
      "PLAN_INCOMPLETE",
      "this plan is incomplete (complete: false): some changes are deferred to a later plan",
      {
        position: { file },
        hint: "gate the plan that applies the deferred changes too, or plan without deferrals",
      },
    );
  }
  const terraformVersion = scan.decodeTop("terraform_version");
  const tool = typeof terraformVersion === "string" ? `terraform ${terraformVersion}` : undefined;
  const result = (subjects: PlannedSubject[], resourceChanges: number, dataSources: number): PlanReadResult => ({
    subjects,
    resourceChanges,
    dataSources,
    formatVersion,
    ...(tool === undefined ? {} : { tool }),
  });
  const changes = scan.top.get("resource_changes");
  if (changes === undefined) {
    checkNothingPlanned(scan);
    return result([], 0, 0);
  }
  if (changes.kind !== JSON_ARRAY) throw shapeError(file, "resource_changes", "is not an array");
  const configuration = readConfiguration(scan.decodeTop("configuration"));
  const subjects: PlannedSubject[] = [];
  const changed = new Set<string>();
  let dataSources = 0;
  // The loop visits every resource of the plan, AI or not, and stays small: V8 compiles it while it runs (a fresh
  // process's gate spent more CPU on compiling it than on running it), so what only an AI resource or an error needs
  // is in functions of their own.
  for (let index = 0; index < scan.changeCount; index++) {
    const facts = scan.changeFacts(index);
    const action = checkedAction(scan, index, facts);
    if (facts.mode === "data") {
      dataSources++;
      continue;
    }
    const type = facts.type as string;
    if (aiTypeInfo(type) !== undefined)
      readAiChange(scan, index, type, action, facts.actions as string[], configuration, changed, subjects);
  }
  checkPlannedInChanges(scan, changed);
  const located = withParentLocations(subjects, (subject) => {
    const configured = configuration.parentOf(subject.id);
    const attribute = configured?.attribute ?? parentAttributeOf(subject.native);
    return configured ?? (attribute === undefined ? undefined : { attribute });
  });
  return result(located, scan.changeCount, dataSources);
}

/**
 * The action of resource_changes[index] after checking what every change must be, AI or not (so that an edited plan
 * stops the gate even on a resource that is not AI); throws on anything else.
 */
function checkedAction(scan: PlanScan, index: number, facts: ChangeFacts): ChangeAction {
  const { type, mode, actions } = facts;
  const file = scan.file;
  // Lines are counted only for an error: counting them for every resource would be quadratic.
  // What is checked first is read from the scan's rows; the change's outline (spans for messages) is built only for an
  // error: ten thousand changes made a hundred thousand objects.
  if (scan.changeKind(index) !== JSON_OBJECT)
    throw shapeError(file, changeAt(index, ""), "is not an object", scan.lineColumn(scan.change(index).span));
  if (scan.changeAddressLength(index) <= 2)
    throw shapeError(file, changeAt(index, ".address"), "is missing", scan.lineColumn(scan.change(index).span));
  if (typeof type !== "string" || type === "")
    throw shapeError(file, changeAt(index, ".type"), "is missing", scan.lineColumn(scan.change(index).span));
  if (!isResourceType(type)) {
    throw editedError(
      scan,
      scan.change(index).type,
      `${changeAt(index, ".type")} is ${JSON.stringify(type)}, which is not a terraform resource type ` +
        "(lower-case letters, digits and underscores)",
    );
  }
  if (mode !== "managed" && mode !== "data") {
    const problem = `is ${JSON.stringify(mode)} (expected managed or data)`;
    throw shapeError(file, changeAt(index, ".mode"), problem, scan.lineColumn(scan.change(index).span));
  }
  if (
    scan.changeChangeKind(index) !== JSON_OBJECT ||
    scan.changeActionsKind(index) !== JSON_ARRAY ||
    !actions.every((action) => typeof action === "string")
  ) {
    const problem = "is missing or not a list of strings";
    throw shapeError(file, changeAt(index, ".change.actions"), problem, scan.lineColumn(scan.change(index).span));
  }
  if (!facts.addressNamesType) {
    throw editedError(
      scan,
      scan.change(index).address,
      `${changeAt(index, "")} says it is a ${mode === "data" ? "data source" : "resource"} of type ${type}, ` +
        `but its address ${JSON.stringify(scan.decode(scan.change(index).address))} names another`,
    );
  }
  // Every action list is checked, so one this reader does not know stops the gate even on a resource that is not AI.
  const action = ACTION_LISTS.get(actions.length === 1 ? (actions[0] as string) : actions.join(","));
  if (action === undefined) throw unknownActionsError(actions as string[], file, changeAt(index, ""));
  // Data sources are read, not deployed: nothing to govern. Terraform only ever reads them.
  if (mode === "data" && action !== "read" && action !== "no-op") {
    throw editedError(
      scan,
      scan.change(index).actions,
      `${changeAt(index, ".change.actions")} is [${actions.join(", ")}] on a data source ` +
        `(${scan.decode(scan.change(index).address)}): terraform only reads data sources`,
    );
  }
  if (mode === "managed" && action === "read") {
    throw editedError(
      scan,
      scan.change(index).actions,
      `${changeAt(index, ".change.actions")} is [read] on a managed resource (${scan.decode(scan.change(index).address)}): ` +
        "terraform reads only data sources",
    );
  }
  return action;
}

/** Where a change is in the plan, for messages: built only for an error. */
function changeAt(index: number, field: string): string {
  return `resource_changes[${index}]${field}`;
}

/** An AI resource's change, decoded and normalized into its subjects (and the keys found in it). */
function readAiChange(
  scan: PlanScan,
  index: number,
  type: string,
  action: ChangeAction,
  actions: string[],
  configuration: ConfigurationFacts,
  changed: Set<string>,
  subjects: PlannedSubject[],
): void {
  const decoded = scan.aiChanges.get(index)!;
  const address = decoded.address as string;
  changed.add(address);
  const entry = decoded.entry as Record<string, unknown>;
  const change = entry.change as Record<string, unknown>;
  const planned = checkedChange(action, actions, change);
  const subject = normalizeChange(entry, type, address, planned, change, configuration, scan.file);
  if (subject !== undefined) subjects.push(...plannedWithKeys(subject));
}

/** A resource of planned_values or prior_state that is not an object with a type. */
function stateResourceError(scan: PlanScan, outline: StateResourceOutline): AigovError {
  const tree = outline.tree === "planned" ? "planned_values" : "prior_state";
  return shapeError(scan.file, `a resource of ${tree}`, "has no type", scan.lineColumn(outline.span));
}

/**
 * Every AI resource planned_values holds must be among the resource changes: a plan cut or edited to drop one
 * from resource_changes would otherwise pass without it being judged. (The loop stays small, as readPlanScan's.)
 */
function checkPlannedInChanges(scan: PlanScan, changed: ReadonlySet<string>): void {
  for (let index = 0; index < scan.stateResourceCount; index++) {
    // Read from the scan's rows: the resource's outline is built only for an error.
    if (!scan.isPlannedResource(index)) continue;
    const type = scan.stateTypes[index];
    if (scan.stateResourceKind(index) !== JSON_OBJECT || typeof type !== "string")
      throw stateResourceError(scan, scan.stateResource(index));
    if (scan.stateModes[index] === "data" || aiTypeInfo(type) === undefined) continue;
    const address = scan.plannedAiAddresses.get(index);
    if (typeof address !== "string" || !changed.has(address))
      throw notInChangesError(scan, scan.stateResource(index), type, address);
  }
}

function notInChangesError(scan: PlanScan, outline: StateResourceOutline, type: string, address: unknown): AigovError {
  return editedError(
    scan,
    outline.address ?? outline.span,
    `planned_values holds ${typeof address === "string" ? address : `a ${type}`}, an AI resource that ` +
      "resource_changes does not list, so it would not be judged",
  );
}

/**
 * Terraform leaves resource_changes out of a plan with nothing in it. A plan that plans or holds managed
 * resources without it was cut or edited, and never passes.
 */
function checkNothingPlanned(scan: PlanScan): void {
  const file = scan.file;
  const values = scan.top.get("values");
  if (values?.kind === JSON_OBJECT && !scan.top.has("planned_values")) {
    throw new AigovError(
      "PLAN_IS_STATE",
      "this is terraform state (`show -json` of a state), not a plan: it has no resource_changes",
      {
        position: { file },
        hint: "run `terraform plan -out plan.tfplan && terraform show -json plan.tfplan > plan.json`",
      },
    );
  }
  const missing =
    "is missing (a plan with nothing to change has nothing to gate; a cut or hand-edited plan is refused)";
  if (scan.top.get("planned_values")?.kind !== JSON_OBJECT) throw shapeError(file, "resource_changes", missing);
  for (let index = 0; index < scan.stateResourceCount; index++) {
    const outline = scan.stateResource(index);
    if (outline.span?.kind !== JSON_OBJECT || scan.stateModes[index] !== "data") {
      const tree = outline.tree === "planned" ? "planned_values" : "prior_state";
      throw shapeError(
        file,
        "resource_changes",
        `is missing, but ${tree} holds resources`,
        scan.lineColumn(outline.span),
      );
    }
  }
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
  if (action === undefined) throw unknownActionsError(actions, file, where);
  return action;
}

function unknownActionsError(actions: readonly string[], file: string, where: string): AigovError {
  return shapeError(file, `${where}.change.actions`, `has an unknown action list [${actions.join(", ")}]`);
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
