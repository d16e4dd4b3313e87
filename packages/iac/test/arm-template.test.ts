import type { Asset } from "@aigov/core";
import { describe, expect, it } from "vitest";
import { evaluateArmExpression, evaluateArmValue } from "../src/arm-template-expression.ts";
import { readGateText } from "../src/index.ts";

const SCHEMA = "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#";

const read = (template: Record<string, unknown>) =>
  readGateText(JSON.stringify({ $schema: SCHEMA, contentVersion: "1.0.0.0", ...template }), "azuredeploy.json");

const account = (extra: Record<string, unknown> = {}) => ({
  type: "Microsoft.CognitiveServices/accounts",
  apiVersion: "2024-10-01",
  name: "oai",
  location: "eastus",
  kind: "OpenAI",
  sku: { name: "S0" },
  properties: { publicNetworkAccess: "Disabled", disableLocalAuth: true },
  ...extra,
});

describe("ARM expressions", () => {
  const scope = {
    parameter: (name: string) => ({ prefix: "ai", models: ["gpt-4o", "o3"], n: 2 })[name],
    variable: (name: string) => ({ deployments: [{ name: "chat", model: { name: "gpt-4o" } }] })[name],
    copyIndex: 1,
  };

  it("evaluates the pure functions, member access and copyIndex", () => {
    expect(evaluateArmExpression("concat(parameters('prefix'), '-', 'oai')", scope)).toBe("ai-oai");
    expect(evaluateArmExpression("format('{0}/{1}', parameters('prefix'), 'it''s')", scope)).toBe("ai/it's");
    expect(evaluateArmExpression("parameters('models')[copyIndex()]", scope)).toBe("o3");
    expect(evaluateArmExpression("variables('deployments')[0].model.name", scope)).toBe("gpt-4o");
    expect(evaluateArmExpression("length(parameters('models'))", scope)).toBe(2);
    expect(evaluateArmExpression("if(equals(parameters('n'), 2), toUpper('a'), 'b')", scope)).toBe("A");
    expect(evaluateArmExpression("copyIndex(10)", scope)).toBe(11);
  });

  it("a key named __proto__ is data, never the object's prototype", () => {
    const value = evaluateArmValue(JSON.parse('{"__proto__": {"owner": "[parameters(\'prefix\')]"}}'), scope) as object;
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(value, "__proto__")?.value).toEqual({ owner: "ai" });
    const merged = evaluateArmExpression(
      "union(createObject('__proto__', createObject('x', 1)), createObject('y', 2))",
      scope,
    );
    expect(Object.getPrototypeOf(merged)).toBe(Object.prototype);
    expect(Object.keys(merged as object).sort()).toEqual(["__proto__", "y"]);
  });

  it("what the deployment decides is unknown, and so is everything built from it", () => {
    expect(evaluateArmExpression("resourceGroup().location", scope)).toEqual({
      $unknown: true,
      reason: "resourceGroup() is the resource group, known when the template deploys",
    });
    expect(evaluateArmExpression("concat('oai-', uniqueString(resourceGroup().id))", scope)).toMatchObject({
      $unknown: true,
    });
    expect(evaluateArmExpression("reference('x').endpoint", scope)).toMatchObject({ $unknown: true });
    expect(evaluateArmExpression("myns.myfunc('a')", scope)).toMatchObject({ $unknown: true });
  });

  it("refuses what is not ARM syntax, and calls nested deeper than any template nests them", () => {
    expect(() => evaluateArmExpression("concat('a'", scope)).toThrow("expected )");
    expect(() => evaluateArmExpression("'open", scope)).toThrow("not closed");
    expect(() => evaluateArmExpression(`${"concat(".repeat(50_000)}'a'${")".repeat(50_000)}`, scope)).toThrow(
      "nested more than 256 deep",
    );
    expect(evaluateArmExpression(`${"concat(".repeat(200)}'a'${")".repeat(200)}`, scope)).toBe("a");
  });
});

describe("ARM templates", () => {
  it("parameters' defaults and variables name and place the account; its body gives its facts", () => {
    const input = read({
      parameters: {
        name: { type: "string", defaultValue: "oai" },
        location: { type: "string", defaultValue: "westeurope" },
      },
      variables: { accountName: "[concat(parameters('name'), '-prod')]" },
      resources: [
        account({
          name: "[variables('accountName')]",
          location: "[parameters('location')]",
          tags: { owner: "ml-platform" },
          properties: {},
        }),
      ],
    });
    expect(input).toMatchObject({ source: "arm", resources: 1 });
    expect(input.subjects).toEqual([
      expect.objectContaining({
        id: "Microsoft.CognitiveServices/accounts/oai-prod",
        type: "Microsoft.CognitiveServices/accounts",
        name: "oai-prod",
        region: "westeurope",
        tags: { owner: "ml-platform" },
        public: true,
        keyAuth: true,
        change: expect.objectContaining({ action: "create" }),
      }),
    ]);
  });

  it("a location only the deployment knows leaves the region unknown", () => {
    const [asset] = read({ resources: [account({ location: "[resourceGroup().location]" })] }).subjects as Asset[];
    expect(asset!.region).toEqual({
      $unknown: true,
      reason: "the region of the resource group the template deploys to",
    });
    expect(asset!.account).toEqual({ $unknown: true, reason: "the subscription the template deploys to" });
    expect(asset!.public).toBe(false);
    expect(asset!.keyAuth).toBe(false);
  });

  it("a copy loop with a known count is expanded, each instance named with copyIndex", () => {
    const input = read({
      parameters: { models: { type: "array", defaultValue: ["gpt-4o", "gpt-4o-mini", "o3-mini"] } },
      resources: [
        account(),
        {
          type: "Microsoft.CognitiveServices/accounts/deployments",
          apiVersion: "2024-10-01",
          name: "[format('oai/{0}', parameters('models')[copyIndex()])]",
          copy: { name: "models", count: "[length(parameters('models'))]", mode: "serial", batchSize: 1 },
          sku: { name: "Standard", capacity: 10 },
          properties: { model: { format: "OpenAI", name: "[parameters('models')[copyIndex()]]" } },
        },
      ],
    });
    expect(input.resources).toBe(4);
    const deployments = input.subjects.filter((subject) => subject.kind === "deployment") as Asset[];
    expect(deployments.map((deployment) => [deployment.id, deployment.models])).toEqual([
      ["Microsoft.CognitiveServices/accounts/oai/deployments/gpt-4o", ["gpt-4o"]],
      ["Microsoft.CognitiveServices/accounts/oai/deployments/gpt-4o-mini", ["gpt-4o-mini"]],
      ["Microsoft.CognitiveServices/accounts/oai/deployments/o3-mini", ["o3-mini"]],
    ]);
  });

  it("a copy loop whose count only the deployment knows is judged once, with what copyIndex decides unknown", () => {
    const input = read({
      parameters: { models: { type: "array" } },
      resources: [
        {
          type: "Microsoft.CognitiveServices/accounts/deployments",
          apiVersion: "2024-10-01",
          name: "[format('oai/{0}', parameters('models')[copyIndex()])]",
          copy: { name: "models", count: "[length(parameters('models'))]" },
          properties: { model: { format: "OpenAI", name: "gpt-4o" } },
        },
      ],
    });
    expect(input.subjects.map((subject) => subject.id)).toEqual([
      "Microsoft.CognitiveServices/accounts/deployments/[format('oai/{0}', parameters('models')[copyIndex()])]",
    ]);
  });

  it("children declared inside their parent take the parent's type and name", () => {
    const input = read({
      resources: [
        account({
          resources: [
            {
              type: "deployments",
              apiVersion: "2024-10-01",
              name: "chat",
              properties: { model: { format: "OpenAI", name: "gpt-4o" }, raiPolicyName: "strict" },
            },
          ],
        }),
      ],
    });
    expect(input.resources).toBe(2);
    expect(input.subjects[1]).toMatchObject({
      id: "Microsoft.CognitiveServices/accounts/oai/deployments/chat",
      type: "Microsoft.CognitiveServices/accounts/deployments",
      name: "chat",
      guardrail: true,
      part: true,
    });
  });

  it("reads languageVersion 2.0 templates (symbolic names), skips existing and conditioned-off resources", () => {
    const input = read({
      languageVersion: "2.0",
      parameters: { deploySearch: { type: "bool", defaultValue: false } },
      resources: {
        shared: account({ existing: true }),
        search: {
          type: "Microsoft.Search/searchServices",
          apiVersion: "2024-06-01-preview",
          name: "docs",
          location: "eastus",
          condition: "[parameters('deploySearch')]",
          properties: {},
        },
        ml: {
          type: "Microsoft.MachineLearningServices/workspaces",
          apiVersion: "2024-10-01",
          name: "research",
          location: "eastus",
          properties: { publicNetworkAccess: "Disabled" },
        },
      },
    });
    expect(input.subjects.map((subject) => [subject.id, subject.kind])).toEqual([
      ["Microsoft.MachineLearningServices/workspaces/research", "workspace"],
    ]);
  });

  it("nested deployments are named as not inspected; non-AI resources are counted, not judged", () => {
    const input = read({
      resources: [
        { type: "Microsoft.Storage/storageAccounts", apiVersion: "2023-01-01", name: "st", location: "eastus" },
        {
          type: "Microsoft.Resources/deployments",
          apiVersion: "2022-09-01",
          name: "ai-module",
          properties: { mode: "Incremental", template: { resources: [account()] } },
        },
      ],
    });
    expect(input).toMatchObject({
      resources: 2,
      subjects: [],
      modulesNotInspected: ["Microsoft.Resources/deployments/ai-module"],
    });
  });

  it("an expression that is not ARM syntax is refused with where it is", () => {
    expect(() => read({ resources: [account({ name: "[concat('a', ]" })] })).toThrow(
      expect.objectContaining({
        code: "TEMPLATE_EXPRESSION",
        message: expect.stringContaining("resources[0]"),
        position: { file: "azuredeploy.json" },
      }),
    );
  });

  it("a secure parameter's default never reaches the output", () => {
    const input = read({
      parameters: { apiKey: { type: "securestring", defaultValue: "hunter2-very-secret" } },
      resources: [
        {
          type: "Microsoft.CognitiveServices/accounts/connections",
          apiVersion: "2025-04-01-preview",
          name: "oai/openai",
          properties: { category: "OpenAI", authType: "ApiKey", credentials: { key: "[parameters('apiKey')]" } },
        },
      ],
    });
    expect(JSON.stringify(input.subjects)).not.toContain("hunter2");
    expect(input.subjects[0]).toMatchObject({ kind: "credential-provider" });
  });
});
