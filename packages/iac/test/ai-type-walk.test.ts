import { readFileSync } from "node:fs";
import { join } from "node:path";
import { defaultPolicy, loadRules, parsePolicy, type Policy, type Rule } from "@aigov/core";
import { parse as parseYaml } from "yaml";
import { beforeAll, describe, expect, it } from "vitest";
import {
  aiTypeFamilies,
  aiTypeInfo,
  armAiNamespaces,
  armAiType,
  judgePlanned,
  knownAiTypes,
  knownArmAiTypes,
  type PlannedSubject,
  readPlanDocument,
} from "../src/index.ts";
import { PLANS, plan, resourceChange } from "./plan-fixture.ts";

/**
 * Every AI type the gate recognizes, walked: the catalog's named types, the providers' AI types committed as test
 * data (test/fixtures/providers: aws, awscc, azurerm, google-beta and the ARM types azapi deploys), and a type newer
 * than the catalog in every AI family. Each must become a planned subject that a rule judges and that can block the
 * gate; each listed type has a kind of its own, and every primary one blocks when it carries no owner.
 */
const providers = join(PLANS, "../providers");
interface ProviderList {
  readonly version: string;
  readonly types: readonly { readonly type: string; readonly tagged?: boolean; readonly tags?: string | null }[];
}
const list = (name: string) =>
  JSON.parse(readFileSync(join(providers, `${name}-ai-types.json`), "utf8")) as ProviderList;
const awscc = list("awscc");
const LISTS: Readonly<Record<string, ProviderList>> = {
  aws: list("aws"),
  awscc,
  azurerm: list("azurerm"),
  "google/google-beta": list("google-beta"),
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
// azapi types judged by the ARM type they name (walked below with ARM types of their own).
const AZAPI = new Set(["azapi_resource", "azapi_data_plane_resource", "azapi_update_resource"]);

function terraformType(type: string): Walked {
  const address = `${type}.walk`;
  const values = { ...(type.startsWith("azurerm_") ? { location: "westeurope" } : {}), ...CONDITIONAL_VALUES[type] };
  return { label: type, address, change: resourceChange(address, type, ["create"], values) };
}

function armType(type: string, index: number, azapiType = "azapi_resource", body: unknown = {}): Walked {
  const address = `${azapiType}.walk_${index}`;
  const values = { type: `${type}@2025-06-01`, name: "walk", location: "westeurope", body };
  return {
    label: `${azapiType} ${type}`,
    address,
    change: resourceChange(address, azapiType, ["create"], values, {
      provider: "registry.terraform.io/azure/azapi",
    }),
  };
}

const terraformTypes = new Set([
  ...knownAiTypes().filter((type) => !AZAPI.has(type)),
  ...Object.values(LISTS).flatMap((entry) => entry.types.map((listed) => listed.type)),
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
const walked: Walked[] = [
  ...[...terraformTypes].sort().map(terraformType),
  ...[...armTypes.values()].map((type, index) => armType(type, index)),
  // A Foundry agent in a project's data plane, and an update that turns on key auth of an existing AI account.
  armType("Microsoft.Foundry/agents", 0, "azapi_data_plane_resource", { definition: { model: "gpt-4o" } }),
  armType("Microsoft.CognitiveServices/accounts", 0, "azapi_update_resource", {
    properties: { disableLocalAuth: false },
  }),
];

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
const label = (id: string) => walked.find((entry) => entry.address === id)!.label;

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
  it(`walks ${walked.length} types: the catalog, the providers' lists, the ARM AI types, and a newer type in every family`, () => {
    expect(LISTS.aws!.types.length).toBeGreaterThanOrEqual(118);
    expect(awscc.types.length).toBeGreaterThanOrEqual(98);
    expect(LISTS.azurerm!.types.length).toBeGreaterThanOrEqual(42);
    expect(LISTS["google/google-beta"]!.types.length).toBeGreaterThanOrEqual(155);
    expect(arm.types.length).toBeGreaterThanOrEqual(96);
    expect(walked.length).toBeGreaterThan(knownAiTypes().length + awscc.types.length);
  });

  it("turns every one into a planned subject (none is skipped)", () => {
    const ids = new Set(subjects.map((subject) => subject.id));
    expect(walked.filter((entry) => !ids.has(entry.address)).map((entry) => entry.label)).toEqual([]);
  });

  it("blocks every owned type that carries no owner and is not registered, and lets it through once registered", () => {
    const blocked = blockingRules(defaultPolicy());
    const owned = subjects.filter(
      (subject) => subject.subject === "asset" && subject.part !== true && ungovernedKinds.includes(subject.kind),
    );
    expect(owned.length).toBeGreaterThan(300);
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

  it("judges parts through their parent: ownership rules skip them, the others judge them", () => {
    const blocked = blockingRules(defaultPolicy());
    const parts = subjects.filter((subject) => subject.subject === "asset" && subject.part === true);
    expect(parts.length).toBeGreaterThan(100);
    expect(
      parts.filter((subject) => blocked.get(subject.id)?.has("ai-resource-ungoverned")).map((s) => label(s.id)),
    ).toEqual([]);
  });

  it("judges every type outside ownership too: each AI asset in a region the policy does not approve blocks", () => {
    const strict = parsePolicy(
      "approved_regions:\n  aws: [eu-north-1]\n  azure: [norwayeast]\n  gcp: [europe-north1]\ngate:\n  fail_on: medium\n",
      "aigov.yaml",
    );
    const blocked = blockingRules(strict);
    const assets = subjects.filter((subject) => subject.subject === "asset");
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

  it("blocks an azapi update that turns on key auth of an existing AI account, without judging its ownership", () => {
    const blocked = blockingRules(parsePolicy("gate:\n  fail_on: medium\n", "aigov.yaml"));
    const update = subjects.find((subject) => subject.id === "azapi_update_resource.walk_0");
    expect(update).toMatchObject({ kind: "ai-account", part: true, keyAuth: true });
    expect(update).not.toHaveProperty("public");
    expect([...(blocked.get("azapi_update_resource.walk_0") ?? [])]).toContain("ai-key-auth-enabled");
    expect(subjects.find((subject) => subject.id === "azapi_data_plane_resource.walk_0")).toMatchObject({
      kind: "agent",
      type: "Microsoft.Foundry/agents",
      models: ["gpt-4o"],
    });
  });

  it("judges a type newer than the catalog, in every family and every Azure AI provider, as owned AI of kind unclassified", () => {
    const future = subjects.filter((subject) => subject.kind === "unclassified");
    expect(future.length).toBeGreaterThanOrEqual(aiTypeFamilies().length + armAiNamespaces().length);
    for (const [prefix] of aiTypeFamilies()) {
      expect(aiTypeInfo(`${prefix}walk_future_type`), prefix).toMatchObject({ kind: "unclassified", primary: true });
    }
  });
});

// A tagged type is a resource a team owns, except a version or alias of one (it carries its resource's owner), an AI
// setting, and a Dialogflow CX intent (labelled, but a piece of its agent's conversation design).
const TAGGED_PARTS = /_(?:version|alias)$|^google_dialogflow_cx_intent$/;
const SETTING_KINDS = new Set(["setting", "logging-config", "enabled-api"]);

describe.each(Object.entries(LISTS))("the %s provider's AI types", (_provider, { version, types }) => {
  const infos = types.map((entry) => ({ ...entry, info: aiTypeInfo(entry.type) }));
  const primary = infos.filter((entry) => entry.info?.primary === true);

  it(`recognizes all ${types.length} (${version}), each with a kind of its own`, () => {
    expect(infos.filter((entry) => entry.info === undefined).map((entry) => entry.type)).toEqual([]);
    expect(infos.filter((entry) => entry.info?.kind === "unclassified").map((entry) => entry.type)).toEqual([]);
    expect(primary.filter((entry) => entry.info?.kind === "other").map((entry) => entry.type)).toEqual([]);
  });

  it("names every type that takes tags or labels a primary resource, unless it is a version, alias or setting", () => {
    const tagged = infos.filter((entry) => entry.tagged === true || (entry.tags !== undefined && entry.tags !== null));
    expect(tagged.length).toBeGreaterThan(0);
    expect(
      tagged
        .filter((entry) => entry.info?.primary !== true)
        .filter((entry) => !TAGGED_PARTS.test(entry.type) && !SETTING_KINDS.has(entry.info!.kind))
        .map((entry) => entry.type),
    ).toEqual([]);
  });

  it(`blocks each of its ${primary.length} primary types when a planned one carries no owner`, () => {
    const blocked = blockingRules(defaultPolicy());
    const unblocked = primary.filter(
      (entry) =>
        !SETTING_KINDS.has(entry.info!.kind) && !blocked.get(`${entry.type}.walk`)?.has("ai-resource-ungoverned"),
    );
    expect(unblocked.map((entry) => entry.type)).toEqual([]);
  });
});

describe("the ARM AI types azapi deploys", () => {
  it(`gives each of the ${arm.types.length} a kind of its own`, () => {
    const kinds = arm.types.map((entry) => ({ type: entry.type, ai: armAiType(entry.type) }));
    expect(
      kinds.filter((entry) => entry.ai === undefined || entry.ai.kind === "unclassified").map((e) => e.type),
    ).toEqual([]);
    expect(kinds.filter((entry) => entry.ai?.primary === true && entry.ai.kind === "other").map((e) => e.type)).toEqual(
      [],
    );
  });
});
