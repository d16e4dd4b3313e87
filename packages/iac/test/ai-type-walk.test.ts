import { readFileSync } from "node:fs";
import { join } from "node:path";
import { defaultPolicy, loadRules, parsePolicy, type Policy, type Rule } from "@aigov/core";
import { parse as parseYaml } from "yaml";
import { beforeAll, describe, expect, it } from "vitest";
import {
  aiTypeFamilies,
  aiTypeInfo,
  armAiNamespaces,
  judgePlanned,
  knownAiTypes,
  knownArmAiTypes,
  type PlannedSubject,
  readPlanDocument,
} from "../src/index.ts";
import { PLANS, plan, resourceChange } from "./plan-fixture.ts";

/**
 * Every AI type the gate recognizes, walked: the catalog's named types, the providers' AI types committed as test
 * data (test/fixtures/providers), every ARM type azapi can deploy from an AI provider, and a type newer than the
 * catalog in every AI family. Each must become a planned subject that a rule judges and that can block the gate.
 */
const providers = join(PLANS, "../providers");
const awscc = JSON.parse(readFileSync(join(providers, "awscc-ai-types.json"), "utf8")) as {
  version: string;
  types: { type: string; tags: "list" | "map" | null; attributes: string[]; lists: string[] }[];
};
const arm = JSON.parse(readFileSync(join(providers, "azure-arm-ai-types.json"), "utf8")) as {
  types: { type: string; latestApiVersion: string }[];
};
const ungovernedKinds = (
  parseYaml(readFileSync(join(PLANS, "../../../rules/common/ai-resource-ungoverned.yaml"), "utf8")) as {
    applies_to: { kind: string[] };
  }
).applies_to.kind;

/** A resource of each type, in the plan: terraform types by name, ARM types as azapi_resource. */
interface Walked {
  readonly label: string;
  readonly address: string;
  readonly change: Record<string, unknown>;
}

// Values that make a conditional type AI (an AI key, a project service enabling Vertex AI).
const CONDITIONAL_VALUES: Readonly<Record<string, Record<string, unknown>>> = {
  aws_iam_service_specific_credential: { service_name: "bedrock.amazonaws.com", user_name: "ci" },
  google_apikeys_key: { display_name: "walk" },
  google_project_service: { service: "aiplatform.googleapis.com" },
};

function terraformType(type: string): Walked {
  const address = `${type}.walk`;
  const values = { ...(type.startsWith("azurerm_") ? { location: "westeurope" } : {}), ...CONDITIONAL_VALUES[type] };
  return { label: type, address, change: resourceChange(address, type, ["create"], values) };
}

function armType(type: string, index: number): Walked {
  const address = `azapi_resource.walk_${index}`;
  const values = { type: `${type}@2025-06-01`, name: "walk", location: "westeurope", body: {} };
  return {
    label: `azapi_resource ${type}`,
    address,
    change: resourceChange(address, "azapi_resource", ["create"], values, {
      provider: "registry.terraform.io/azure/azapi",
    }),
  };
}

const terraformTypes = new Set([
  ...knownAiTypes().filter((type) => type !== "azapi_resource"),
  ...awscc.types.map((entry) => entry.type),
  ...aiTypeFamilies().map(([prefix]) => `${prefix}walk_future_type`),
]);
const armTypes = new Map<string, string>();
for (const type of [
  ...arm.types.map((entry) => entry.type),
  ...knownArmAiTypes().map((entry) => entry.armType),
  ...armAiNamespaces().map((namespace) => `${namespace}walkFutureTypes`),
]) {
  if (!armTypes.has(type.toLowerCase())) armTypes.set(type.toLowerCase(), type);
}
const walked: Walked[] = [...[...terraformTypes].sort().map(terraformType), ...[...armTypes.values()].map(armType)];

const regionsConfiguration = {
  provider_config: Object.fromEntries(
    [
      ["aws", "us-east-1"],
      ["awscc", "us-east-1"],
      ["google", "us-central1"],
    ].map(([name, region]) => [name, { name, expressions: { region: { constant_value: region } } }]),
  ),
  root_module: {},
};

let rules: Rule[];
let subjects: readonly PlannedSubject[];
const blockingRules = (policy: Policy, subjectList = subjects) => {
  const result = judgePlanned(subjectList, { rules, policy });
  const byAddress = new Map<string, Set<string>>();
  for (const finding of result.blocking) {
    if (!byAddress.has(finding.subject.id)) byAddress.set(finding.subject.id, new Set());
    byAddress.get(finding.subject.id)!.add(finding.ruleId);
  }
  return byAddress;
};

beforeAll(async () => {
  rules = await loadRules({ policy: defaultPolicy() });
  subjects = readPlanDocument(
    plan(
      walked.map((entry) => entry.change),
      { configuration: regionsConfiguration },
    ),
    "walk.json",
  ).subjects;
});

describe("every AI type the gate recognizes is judged and can block", () => {
  it(`walks ${walked.length} types: the catalog, awscc ${awscc.version}, the ARM AI types, and a newer type in every family`, () => {
    expect(awscc.types.length).toBeGreaterThanOrEqual(98);
    expect(arm.types.length).toBeGreaterThanOrEqual(96);
    expect(walked.length).toBeGreaterThan(knownAiTypes().length + awscc.types.length);
  });

  it("turns every one into a planned subject (none is skipped)", () => {
    const ids = new Set(subjects.map((subject) => subject.id));
    expect(walked.filter((entry) => !ids.has(entry.address)).map((entry) => entry.label)).toEqual([]);
  });

  it("blocks every owned type that carries no owner and is not registered, and lets it through once registered", () => {
    const blocked = blockingRules(defaultPolicy());
    const owned = subjects.filter((subject) => subject.subject === "asset" && ungovernedKinds.includes(subject.kind));
    expect(owned.length).toBeGreaterThan(150);
    const label = (id: string) => walked.find((entry) => entry.address === id)!.label;
    expect(
      owned.filter((subject) => !blocked.get(subject.id)?.has("ai-resource-ungoverned")).map((s) => label(s.id)),
    ).toEqual([]);
    const registry = parsePolicy(
      `registry:\n  assets:\n${owned.map((subject) => `    - ${JSON.stringify(subject.id)}`).join("\n")}\n`,
      "aigov.yaml",
    );
    const registered = blockingRules(registry);
    expect(
      owned.filter((subject) => registered.get(subject.id)?.has("ai-resource-ungoverned")).map((s) => label(s.id)),
    ).toEqual([]);
  });

  it("judges every type outside ownership too: each AI asset in a region the policy does not approve blocks", () => {
    const strict = parsePolicy(
      "approved_regions:\n  aws: [eu-north-1]\n  azure: [norwayeast]\n  gcp: [europe-north1]\ngate:\n  fail_on: medium\n",
      "aigov.yaml",
    );
    const blocked = blockingRules(strict);
    const assets = subjects.filter((subject) => subject.subject === "asset");
    const label = (id: string) => walked.find((entry) => entry.address === id)!.label;
    expect(
      assets.filter((subject) => !blocked.get(subject.id)?.has("ai-region-not-approved")).map((s) => label(s.id)),
    ).toEqual([]);
  });

  it("blocks the AI keys (a Bedrock API key that never expires, an unrestricted Google API key)", () => {
    const blocked = blockingRules(defaultPolicy());
    const keys = subjects.filter((subject) => subject.subject === "key");
    expect(keys.map((key) => key.id).sort()).toEqual([
      "aws_iam_service_specific_credential.walk",
      "google_apikeys_key.walk",
    ]);
    expect(keys.filter((key) => (blocked.get(key.id)?.size ?? 0) === 0)).toEqual([]);
  });

  it("judges a type newer than the catalog, in every family and every Azure AI provider, as owned AI of kind unclassified", () => {
    const future = subjects.filter((subject) => subject.kind === "unclassified");
    expect(future.length).toBeGreaterThanOrEqual(aiTypeFamilies().length + armAiNamespaces().length);
    for (const [prefix] of aiTypeFamilies()) {
      expect(aiTypeInfo(`${prefix}walk_future_type`), prefix).toMatchObject({ kind: "unclassified", primary: true });
    }
  });
});
