import { readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { aiTypeInfo, armAiType, isOwnedKind, isOwnedType } from "../src/index.ts";
import { PLANS } from "./plan-fixture.ts";

/**
 * Hostile plans: a plan the gate passes (ordinary infrastructure and governed AI), then one change a hand, a script
 * or a wrapper could make to it. Each class is invalid or ambiguous (the gate must refuse it: exit 2) or adds AI
 * that nobody governs (the gate must block it: exit 1). None may pass.
 */
export type HostileClass =
  | "duplicate-key"
  | "two-documents"
  | "odd-actions"
  | "data-write"
  | "odd-type"
  | "address-mismatch"
  | "planned-only-ai"
  | "deep-nesting"
  | "awscc-ai"
  | "azapi-ai"
  | "future-ai-type";

export interface HostileCase {
  readonly kind: HostileClass;
  readonly text: string;
  /** 2: refused (invalid or ambiguous); 1: blocked (ungoverned AI). */
  readonly expected: 1 | 2;
  /** The plan before the hostile change, which the gate passes. */
  readonly base: string;
}

const awsccTypes = (
  JSON.parse(readFileSync(join(PLANS, "../providers/awscc-ai-types.json"), "utf8")) as { types: { type: string }[] }
).types.map((entry) => entry.type);
const armTypes = (
  JSON.parse(readFileSync(join(PLANS, "../providers/azure-arm-ai-types.json"), "utf8")) as { types: { type: string }[] }
).types.map((entry) => entry.type);

/** AI types that carry an owner (an untagged one blocks): the primary awscc and ARM types of owned kinds. */
export const OWNED_AWSCC = awsccTypes.filter((type) => isOwnedType(aiTypeInfo(type)!));
export const OWNED_ARM = armTypes.filter((type) => {
  const ai = armAiType(type)!;
  return ai.primary && isOwnedKind(ai.kind);
});

interface Resource {
  readonly address: string;
  readonly type: string;
  readonly mode: "managed" | "data";
  readonly actions: readonly string[];
  readonly after: Record<string, unknown> | null;
  readonly provider: string;
}

const OWNER = { owner: "ml-platform", "cost-center": "cc-1" };

// Resources a plan the gate passes is made of: infrastructure, and AI that carries an owner.
const ordinary = fc.oneof(
  fc.record({
    type: fc.constant("aws_s3_bucket"),
    after: fc.record({
      bucket: fc.string({ maxLength: 12 }),
      tags: fc.dictionary(fc.string({ maxLength: 6 }), fc.string({ maxLength: 6 }), { maxKeys: 3 }),
    }),
    provider: fc.constant("aws"),
  }),
  fc.record({
    type: fc.constant("aws_instance"),
    after: fc.record({ instance_type: fc.constantFrom("t3.micro", "m5.large"), monitoring: fc.boolean() }),
    provider: fc.constant("aws"),
  }),
  fc.record({
    type: fc.constant("azurerm_storage_account"),
    after: fc.record({ name: fc.string({ maxLength: 12 }), location: fc.constant("westeurope") }),
    provider: fc.constant("azurerm"),
  }),
  fc.record({
    type: fc.constant("aws_sagemaker_endpoint"),
    after: fc.record({ name: fc.string({ maxLength: 12 }), tags: fc.constant(OWNER), tags_all: fc.constant(OWNER) }),
    provider: fc.constant("aws"),
  }),
  fc.record({
    type: fc.constant("awscc_sagemaker_endpoint"),
    after: fc.record({
      endpoint_name: fc.string({ maxLength: 12 }),
      tags: fc.constant(Object.entries(OWNER).map(([key, value]) => ({ key, value }))),
    }),
    provider: fc.constant("awscc"),
  }),
);

const basePlan = fc
  .record({
    resources: fc.array(fc.tuple(ordinary, fc.constantFrom(["create"], ["update"], ["no-op"], ["delete", "create"])), {
      minLength: 1,
      maxLength: 6,
    }),
    module: fc.constantFrom("", 'module.ml["prod"].', "module.a.module.b[0]."),
    withData: fc.boolean(),
  })
  .map(({ resources, module, withData }) => {
    const list: Resource[] = resources.map(([resource, actions], index) => ({
      address: `${index % 2 === 0 ? module : ""}${resource.type}.r${index}`,
      type: resource.type,
      mode: "managed",
      actions,
      after: resource.after,
      provider: resource.provider,
    }));
    if (withData)
      list.push({
        address: "data.aws_caller_identity.me",
        type: "aws_caller_identity",
        mode: "data",
        actions: ["read"],
        after: {},
        provider: "aws",
      });
    return list;
  });

function change(resource: Resource): Record<string, unknown> {
  return {
    address: resource.address,
    mode: resource.mode,
    type: resource.type,
    name: resource.address.split(".").at(-1)!.replace(/\[.*$/, ""),
    provider_name: `registry.terraform.io/hashicorp/${resource.provider}`,
    change: {
      actions: resource.actions,
      before: resource.actions[0] === "create" ? null : resource.after,
      after: resource.after,
      after_unknown: {},
    },
  };
}

/** The plan as terraform writes it: resource_changes, and planned_values holding what will exist. */
function planDocument(resources: readonly Resource[], plannedOnly: readonly Resource[] = []): Record<string, unknown> {
  const planned = [
    ...resources.filter((resource) => !resource.actions.every((action) => action === "delete")),
    ...plannedOnly,
  ];
  return {
    format_version: "1.2",
    terraform_version: "1.9.8",
    planned_values: {
      root_module: {
        resources: planned.map((resource) => ({
          address: resource.address,
          mode: resource.mode,
          type: resource.type,
          name: resource.address.split(".").at(-1),
          provider_name: `registry.terraform.io/hashicorp/${resource.provider}`,
          values: resource.after ?? {},
        })),
      },
    },
    resource_changes: resources.map(change),
    configuration: { root_module: {} },
  };
}

const text = (document: unknown) => JSON.stringify(document);

// An AI resource nobody owns, of a type the catalog knows or does not (yet).
const untaggedAi = (type: string, values: Record<string, unknown> = {}): Resource => ({
  address: `${type}.hostile`,
  type,
  mode: "managed",
  actions: ["create"],
  after: values,
  provider: type.split("_")[0]!,
});

const hostile: fc.Arbitrary<(base: Resource[]) => { kind: HostileClass; text: string; expected: 1 | 2 }> = fc.oneof(
  // A key twice in one object: the top level, a resource change, its change, its values.
  fc
    .record({ where: fc.constantFrom("top", "entry", "change", "after"), pick: fc.nat() })
    .map(({ where, pick }) => (base: Resource[]) => {
      // A copy whose objects are not shared, so the marked object is the only one marked.
      const document = JSON.parse(text(planDocument(base))) as Record<string, unknown>;
      const entries = document.resource_changes as Record<string, Record<string, unknown>>[];
      const entry = entries[pick % entries.length]!;
      const target =
        where === "top"
          ? document
          : where === "entry"
            ? entry
            : where === "change"
              ? (entry.change as Record<string, unknown>)
              : ((entry.change as { after: Record<string, unknown> | null }).after ??
                (entry.change as Record<string, unknown>));
      const keys = Object.keys(target);
      const key = keys[pick % keys.length]!;
      const again =
        key === "resource_changes" ? [] : key === "type" ? "aws_s3_bucket" : key === "actions" ? ["no-op"] : null;
      target.__duplicate__ = true;
      return {
        kind: "duplicate-key" as const,
        text: text(document).replace('"__duplicate__":true', `${JSON.stringify(key)}:${JSON.stringify(again)}`),
        expected: 2 as const,
      };
    }),
  // Two documents: back to back, on two lines, or two JSON lines in setup-terraform wrapper output.
  fc
    .record({
      second: fc.constantFrom("plan", "empty-plan", "{}", "[]", "1", '"x"'),
      layout: fc.constantFrom("", "\n", " \r\n", "wrapper"),
    })
    .map(({ second, layout }) => (base: Resource[]) => {
      const first = text(planDocument(base));
      const other =
        second === "plan"
          ? first
          : second === "empty-plan"
            ? text({ format_version: "1.2", planned_values: { root_module: {} } })
            : second;
      const joined =
        layout === "wrapper"
          ? `[command]/home/runner/terraform-bin show -json plan\n${first}\n${other}\n::debug::Terraform exited with code 0.\n`
          : `${first}${layout}${other}`;
      return { kind: "two-documents" as const, text: joined, expected: 2 as const };
    }),
  // Action lists terraform never writes for a managed resource.
  fc
    .record({
      pick: fc.nat(),
      actions: fc.oneof(
        fc.constantFrom(
          ["read"],
          [],
          ["Create"],
          ["create", "create"],
          ["update", "create"],
          ["no-op", "delete"],
          [" create"],
          ["create\u0000"],
          ["delete", "read"],
        ),
        fc
          .array(fc.string({ maxLength: 8 }), { minLength: 1, maxLength: 3 })
          .filter(
            (actions) =>
              ![
                "create",
                "update",
                "delete",
                "forget",
                "no-op",
                "delete,create",
                "create,delete",
                "create,forget",
              ].includes(actions.join(",")),
          ),
      ),
    })
    .map(({ pick, actions }) => (base: Resource[]) => {
      const managed = base.filter((resource) => resource.mode === "managed");
      const target = managed[pick % managed.length]!;
      const edited = base.map((resource) => (resource === target ? { ...resource, actions } : resource));
      return { kind: "odd-actions" as const, text: text(planDocument(edited)), expected: 2 as const };
    }),
  // A data source that would be written.
  fc
    .constantFrom(["create"], ["update"], ["delete"], ["delete", "create"], ["create", "delete"])
    .map((actions) => (base: Resource[]) => {
      const data: Resource = {
        address: "data.aws_sagemaker_endpoint.x",
        type: "aws_sagemaker_endpoint",
        mode: "data",
        actions,
        after: {},
        provider: "aws",
      };
      return { kind: "data-write" as const, text: text(planDocument([...base, data])), expected: 2 as const };
    }),
  // A resource type with the wrong case, spaces, control characters or look-alike letters; its address agrees.
  fc
    .record({
      pick: fc.nat(),
      odd: fc.constantFrom(
        (t: string) => t.toUpperCase(),
        (t: string) => `${t} `,
        (t: string) => ` ${t}`,
        (t: string) => t.replace("_", "\u0000"),
        (t: string) => t.replace("_", "\t"),
        (t: string) => t.replace("a", "\u0430"),
        (t: string) => t.replace(/^./, (c) => c.toUpperCase()),
        (t: string) => t.replace("_", " "),
      ),
    })
    .map(({ pick, odd }) => (base: Resource[]) => {
      const managed = base.filter((resource) => resource.mode === "managed");
      const target = managed[pick % managed.length]!;
      const type = odd(target.type);
      const edited = base.map((resource) =>
        resource === target ? { ...resource, type, address: resource.address.replace(resource.type, type) } : resource,
      );
      return { kind: "odd-type" as const, text: text(planDocument(edited)), expected: 2 as const };
    }),
  // A change whose address names another type than its own.
  fc.nat().map((pick) => (base: Resource[]) => {
    const managed = base.filter((resource) => resource.mode === "managed");
    const target = managed[pick % managed.length]!;
    const edited = base.map((resource) =>
      resource === target ? { ...resource, type: "aws_sagemaker_notebook_instance", after: {} } : resource,
    );
    return { kind: "address-mismatch" as const, text: text(planDocument(edited)), expected: 2 as const };
  }),
  // An AI resource planned_values holds but resource_changes does not list.
  fc
    .constantFrom(
      "aws_sagemaker_notebook_instance",
      "awscc_sagemaker_endpoint",
      "azurerm_cognitive_account",
      "google_vertex_ai_endpoint",
      "azapi_resource",
    )
    .map((type) => (base: Resource[]) => {
      const values =
        type === "azapi_resource" ? { type: "Microsoft.CognitiveServices/accounts@2024-10-01", body: {} } : {};
      return {
        kind: "planned-only-ai" as const,
        text: text(planDocument(base, [untaggedAi(type, values)])),
        expected: 2 as const,
      };
    }),
  // Values nested past any plan's depth.
  fc
    .record({ depth: fc.integer({ min: 513, max: 12_000 }), object: fc.boolean(), pick: fc.nat() })
    .map(({ depth, object, pick }) => (base: Resource[]) => {
      const managed = base.filter((resource) => resource.mode === "managed");
      const target = managed[pick % managed.length]!;
      const edited = base.map((resource) =>
        resource === target ? { ...resource, after: { ...resource.after, deep: "DEEP" } } : resource,
      );
      const deep = object
        ? `${'{"a":'.repeat(depth)}1${"}".repeat(depth)}`
        : `${"[".repeat(depth)}${"]".repeat(depth)}`;
      return {
        kind: "deep-nesting" as const,
        text: text(planDocument(edited)).replace('"DEEP"', deep),
        expected: 2 as const,
      };
    }),
  // AI of the AWS Cloud Control provider, of Azure by ARM type through azapi, or of a type newer than the catalog.
  fc.constantFrom(...OWNED_AWSCC).map((type) => (base: Resource[]) => ({
    kind: "awscc-ai" as const,
    text: text(planDocument([...base, untaggedAi(type)])),
    expected: 1 as const,
  })),
  fc.constantFrom(...OWNED_ARM).map((arm) => (base: Resource[]) => ({
    kind: "azapi-ai" as const,
    text: text(
      planDocument([...base, untaggedAi("azapi_resource", { type: `${arm}@2025-06-01`, name: "x", body: {} })]),
    ),
    expected: 1 as const,
  })),
  fc
    .constantFrom(
      "awscc_bedrockagentcore_",
      "awscc_sagemaker_",
      "aws_bedrock_",
      "google_vertex_ai_",
      "azurerm_cognitive_",
      "azurerm_machine_learning_",
    )
    .map((prefix) => (base: Resource[]) => ({
      kind: "future-ai-type" as const,
      text: text(planDocument([...base, untaggedAi(`${prefix}launched_next_year`)])),
      expected: 1 as const,
    })),
);

export const hostilePlan: fc.Arbitrary<HostileCase> = fc.tuple(basePlan, hostile).map(([base, change]) => ({
  ...change(base),
  base: text(planDocument(base)),
}));
