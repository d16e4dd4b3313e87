// The gate bench's real-resource plan: the resource_changes of three public plans, repeated under module prefixes to
// 10,001 changes (one in twenty AI), as one valid `terraform show -json` document. Unlike the generated plan, its
// resources carry what real providers write: long `before`/`after` objects, nested blocks, modules within modules,
// no-op and update changes beside creates.
//   - checkov's runner plan: 55 AWS changes (bridgecrewio/checkov, Apache-2.0)
//   - infracost's Terraform 0.12 plan: 26 AWS changes in nested modules, updates and no-ops (infracost/infracost,
//     Apache-2.0)
//   - pike-ai-types-plan.json: one create of each of 128 AI types (JamesWoolfenden/pike, Apache-2.0)
// Sources and commits: test/fixtures/plans/README.md.
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const plans = join(dirname(fileURLToPath(import.meta.url)), "../fixtures/plans");

export const REAL_PLAN_CHANGES = 10_001;
/** One change in this many is an AI resource (500 of 10,001). */
const AI_EVERY = 20;

interface Change {
  address: string;
  module_address?: string;
  mode: string;
  type: string;
  name: string;
  index?: unknown;
  provider_name: string;
  change: { actions: string[]; after: unknown };
  [field: string]: unknown;
}

interface ModuleNode {
  address?: string;
  resources: unknown[];
  child_modules: ModuleNode[];
}

function changesOf(file: string): Change[] {
  return (JSON.parse(readFileSync(join(plans, file), "utf8")) as { resource_changes: Change[] }).resource_changes;
}

/** A source plan's changes, each copy under its own module (module.<name>_<copy>), so every address is unique. */
class Repeated {
  private taken = 0;
  private readonly name: string;
  private readonly changes: Change[];

  constructor(name: string, changes: Change[]) {
    this.name = name;
    this.changes = changes;
  }

  next(): Change {
    const original = this.changes[this.taken % this.changes.length]!;
    const prefix = `module.${this.name}_${Math.floor(this.taken / this.changes.length)}`;
    this.taken++;
    return {
      ...original,
      address: `${prefix}.${original.address}`,
      module_address: original.module_address === undefined ? prefix : `${prefix}.${original.module_address}`,
    };
  }
}

/** planned_values as terraform writes it: each module's resources (values = the planned `after`) in a module tree. */
function plannedValues(changes: readonly Change[]): { root_module: ModuleNode } {
  const root: ModuleNode = { resources: [], child_modules: [] };
  const modules = new Map<string, ModuleNode>();
  const moduleAt = (address: string): ModuleNode => {
    const known = modules.get(address);
    if (known !== undefined) return known;
    const node: ModuleNode = { address, resources: [], child_modules: [] };
    modules.set(address, node);
    const parent = address.lastIndexOf(".module.");
    (parent === -1 ? root : moduleAt(address.slice(0, parent))).child_modules.push(node);
    return node;
  };
  for (const change of changes) {
    if (change.change.after === null || change.change.actions.includes("delete")) continue;
    const module = change.module_address === undefined ? root : moduleAt(change.module_address);
    module.resources.push({
      address: change.address,
      mode: change.mode,
      type: change.type,
      name: change.name,
      ...(change.index === undefined ? {} : { index: change.index }),
      provider_name: change.provider_name,
      schema_version: 0,
      values: change.change.after,
      sensitive_values: {},
    });
  }
  return { root_module: root };
}

/** The plan's text: 10,001 resource_changes, 500 AI, with planned_values to match. */
export function realResourcePlan(): string {
  const ai = new Repeated("ai", changesOf("pike-ai-types-plan.json"));
  const checkov = new Repeated("checkov", changesOf("checkov/checkov_runner_tfplan_55rc.json"));
  const infracost = new Repeated("infracost", changesOf("infracost/terraform_v0.12_plan.json"));
  const changes: Change[] = [];
  for (let index = 0; index < REAL_PLAN_CHANGES; index++) {
    if (index % AI_EVERY === AI_EVERY - 1) changes.push(ai.next());
    else changes.push(index % 3 === 0 ? infracost.next() : checkov.next());
  }
  return JSON.stringify({
    format_version: "1.2",
    terraform_version: "1.9.8",
    planned_values: plannedValues(changes),
    resource_changes: changes,
    configuration: { root_module: {} },
  });
}
