import { isUnknown, loadRules, parsePolicy, type Rule } from "@aigov/core";
import { beforeAll, describe, expect, it } from "vitest";
import { judgePlanned, type PlannedSubject, readCdktfStack, readPlanDocument } from "../src/index.ts";
import { plan, resourceChange } from "./plan-fixture.ts";

// An Azure child resource (a model deployment, an RAI policy, an ML compute) has no location: ARM puts it where its
// parent is, and the gate must judge it there, not as "unknown (comes from the provider configuration)".

const SUBSCRIPTION = "/subscriptions/8c1a5f2e-1d2b-4c3d-9e4f-5a6b7c8d9e0f";
const WORKSPACE_ID = `${SUBSCRIPTION}/resourceGroups/rg-ml/providers/Microsoft.MachineLearningServices/workspaces/research`;

/** A plan as `terraform show -json` writes it: a module instance with an account and its deployment, and an
 * existing workspace (no-op) with a new compute instance that names it by id through a variable. */
function childPlan(): Record<string, unknown> {
  const account = 'module.openai["prod"].azurerm_cognitive_account.this';
  const deployment = 'module.openai["prod"].azurerm_cognitive_deployment.chat';
  const policy = 'module.openai["prod"].azurerm_cognitive_account_rai_policy.strict';
  return plan(
    [
      resourceChange(
        account,
        "azurerm_cognitive_account",
        ["create"],
        { name: "acme-openai", kind: "OpenAI", location: "swedencentral", sku_name: "S0", tags: { owner: "ml" } },
        { afterUnknown: { id: true, endpoint: true } },
      ),
      resourceChange(
        deployment,
        "azurerm_cognitive_deployment",
        ["create"],
        {
          name: "chat",
          model: [{ format: "OpenAI", name: "gpt-4o", version: "2024-11-20" }],
          sku: [{ name: "Standard" }],
        },
        { afterUnknown: { id: true, cognitive_account_id: true } },
      ),
      resourceChange(
        policy,
        "azurerm_cognitive_account_rai_policy",
        ["create"],
        { name: "strict", base_policy_name: "Microsoft.Default" },
        { afterUnknown: { id: true, cognitive_account_id: true } },
      ),
      resourceChange(
        "azurerm_machine_learning_workspace.research",
        "azurerm_machine_learning_workspace",
        ["no-op"],
        { id: WORKSPACE_ID, name: "research", location: "westeurope", public_network_access_enabled: false },
        {
          before: { id: WORKSPACE_ID, name: "research", location: "westeurope", public_network_access_enabled: false },
        },
      ),
      resourceChange(
        "azurerm_machine_learning_compute_instance.notebook",
        "azurerm_machine_learning_compute_instance",
        ["create"],
        { name: "notebook", machine_learning_workspace_id: WORKSPACE_ID, virtual_machine_size: "STANDARD_DS2_V2" },
        { afterUnknown: { id: true } },
      ),
    ],
    {
      configuration: {
        provider_config: { azurerm: { name: "azurerm", full_name: "registry.terraform.io/hashicorp/azurerm" } },
        root_module: {
          resources: [
            {
              address: "azurerm_machine_learning_compute_instance.notebook",
              mode: "managed",
              type: "azurerm_machine_learning_compute_instance",
              name: "notebook",
              provider_config_key: "azurerm",
              expressions: { machine_learning_workspace_id: { references: ["var.workspace_id"] } },
            },
          ],
          module_calls: {
            openai: {
              source: "./modules/openai",
              for_each_expression: { references: ["var.environments"] },
              module: {
                resources: [
                  {
                    address: "azurerm_cognitive_account.this",
                    mode: "managed",
                    type: "azurerm_cognitive_account",
                    name: "this",
                    provider_config_key: "azurerm",
                    expressions: { location: { references: ["var.location"] } },
                  },
                  {
                    address: "azurerm_cognitive_deployment.chat",
                    mode: "managed",
                    type: "azurerm_cognitive_deployment",
                    name: "chat",
                    provider_config_key: "azurerm",
                    expressions: {
                      cognitive_account_id: {
                        references: ["azurerm_cognitive_account.this.id", "azurerm_cognitive_account.this"],
                      },
                    },
                  },
                  {
                    address: "azurerm_cognitive_account_rai_policy.strict",
                    mode: "managed",
                    type: "azurerm_cognitive_account_rai_policy",
                    name: "strict",
                    provider_config_key: "azurerm",
                    expressions: {
                      cognitive_account_id: {
                        references: ["azurerm_cognitive_account.this.id", "azurerm_cognitive_account.this"],
                      },
                    },
                  },
                ],
              },
            },
          },
        },
      },
    },
  );
}

/** A Terraform interpolation as cdktf writes it into cdk.tf.json. */
const interpolation = (expression: string) => `\${${expression}}`;

const regions = (subjects: readonly PlannedSubject[]) =>
  Object.fromEntries(subjects.map((subject) => [subject.id, subject.region]));

let rules: Rule[];
beforeAll(async () => {
  rules = await loadRules({ policy: parsePolicy("approved_regions: [westeurope]\n", "aigov.yaml") });
});

describe("an Azure child resource takes its parent's location", () => {
  it("in a plan: through the reference in configuration (a new parent) or the parent's id (an existing one)", () => {
    const { subjects } = readPlanDocument(childPlan(), "plan.json");
    expect(regions(subjects)).toEqual({
      'module.openai["prod"].azurerm_cognitive_account.this': "swedencentral",
      'module.openai["prod"].azurerm_cognitive_deployment.chat': "swedencentral",
      'module.openai["prod"].azurerm_cognitive_account_rai_policy.strict': "swedencentral",
      "azurerm_machine_learning_workspace.research": "westeurope",
      "azurerm_machine_learning_compute_instance.notebook": "westeurope",
    });
  });

  it("the gate judges the deployment in its account's region: not approved, like the account", () => {
    const policy = parsePolicy("approved_regions: [westeurope]\n", "aigov.yaml");
    const result = judgePlanned(readPlanDocument(childPlan(), "plan.json").subjects, { rules, policy });
    const outside = result.findings
      .filter((finding) => finding.ruleId === "ai-region-not-approved")
      .map((finding) => `${finding.subject.id} ${finding.status}`)
      .sort();
    expect(outside).toEqual([
      'module.openai["prod"].azurerm_cognitive_account.this open',
      'module.openai["prod"].azurerm_cognitive_account_rai_policy.strict open',
      'module.openai["prod"].azurerm_cognitive_deployment.chat open',
    ]);
  });

  it("azapi: a deployment takes the account's location through parent_id; a project that names its own keeps it", () => {
    const azapi = (name: string, type: string, values: Record<string, unknown>) =>
      resourceChange(
        `azapi_resource.${name}`,
        "azapi_resource",
        ["create"],
        { name, type, ...values },
        {
          afterUnknown: { id: true, ...(values.parent_id === undefined ? { parent_id: true } : {}) },
          provider: "registry.terraform.io/azure/azapi",
        },
      );
    const configured = (name: string, parent: string) => ({
      address: `azapi_resource.${name}`,
      mode: "managed",
      type: "azapi_resource",
      name,
      expressions: { parent_id: { references: [`${parent}.id`, parent] } },
    });
    const document = plan(
      [
        azapi("account", "Microsoft.CognitiveServices/accounts@2024-10-01", {
          location: "francecentral",
          parent_id: `${SUBSCRIPTION}/resourceGroups/rg-ai`,
          body: { kind: "AIServices", sku: { name: "S0" }, properties: { disableLocalAuth: true } },
        }),
        azapi("gpt", "Microsoft.CognitiveServices/accounts/deployments@2024-10-01", {
          body: {
            sku: { name: "Standard", capacity: 10 },
            properties: { model: { format: "OpenAI", name: "gpt-4o" } },
          },
        }),
        azapi("project", "Microsoft.CognitiveServices/accounts/projects@2025-04-01-preview", {
          location: "swedencentral",
          body: { properties: {} },
        }),
      ],
      {
        configuration: {
          root_module: {
            resources: [configured("gpt", "azapi_resource.account"), configured("project", "azapi_resource.account")],
          },
        },
      },
    );
    expect(regions(readPlanDocument(document, "plan.json").subjects)).toEqual({
      "azapi_resource.account": "francecentral",
      "azapi_resource.gpt": "francecentral",
      "azapi_resource.project": "swedencentral",
    });
  });

  it("a parent the plan does not hold leaves the child's location unknown, as before", () => {
    const document = childPlan();
    const changes = document.resource_changes as Record<string, unknown>[];
    document.resource_changes = changes.filter((change) => change.type !== "azurerm_machine_learning_workspace");
    const compute = readPlanDocument(document, "plan.json").subjects.find(
      (subject) => subject.id === "azurerm_machine_learning_compute_instance.notebook",
    );
    expect(compute?.region).toEqual({ $unknown: true, reason: "region comes from the provider configuration" });
  });

  it("in a cdktf synth: through the interpolation, with the parent's location as ARM spells it, or unknown as it is", () => {
    const stack = (location: string) => ({
      resource: {
        azurerm_cognitive_account: {
          openai: { name: "acme-openai", kind: "OpenAI", location, sku_name: "S0" },
        },
        azurerm_cognitive_deployment: {
          gpt: {
            cognitive_account_id: interpolation("azurerm_cognitive_account.openai.id"),
            name: "gpt-4o-mini",
            model: { format: "OpenAI", name: "gpt-4o-mini", version: "2024-07-18" },
            sku: { name: "Standard" },
          },
        },
      },
    });
    expect(regions(readCdktfStack(stack("West Europe"), "cdk.tf.json", "ai/").subjects)).toEqual({
      "ai/azurerm_cognitive_account.openai": "westeurope",
      "ai/azurerm_cognitive_deployment.gpt": "westeurope",
    });
    const interpolated = readCdktfStack(
      stack(interpolation("azurerm_resource_group.rg.location")),
      "cdk.tf.json",
    ).subjects;
    const deployment = interpolated.find((subject) => subject.id === "azurerm_cognitive_deployment.gpt")!;
    expect(isUnknown(deployment.region) && deployment.region.reason).toBe(
      "location is its parent's (azurerm_cognitive_account.openai): known after apply",
    );
  });
});
