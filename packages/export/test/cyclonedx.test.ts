import { describe, expect, it } from "vitest";
import { cyclonedxAiBom } from "../src/index.ts";
import { validateCycloneDx } from "./cyclonedx-validator.ts";
import { bedrockModel, notebook, openaiAccount, vertexEndpoint } from "./finding-fixtures.ts";

describe("CycloneDX 1.6 AI-BOM", () => {
  const bom = cyclonedxAiBom([notebook, openaiAccount, vertexEndpoint, bedrockModel], {
    serialNumber: "urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79",
    timestamp: "2026-11-22T04:05:07.123Z",
  });
  type Json = Record<string, unknown>;
  const components = bom.components as Json[];
  const services = bom.services as Json[];

  it("passes the library's strict JSON Schema validation", async () => {
    expect(await validateCycloneDx(JSON.stringify(bom))).toBeNull();
  });

  it("lists models as machine-learning-model components with a model card where facts are known", () => {
    const haiku = components.find((component) => component["bom-ref"] === bedrockModel.id);
    expect(haiku).toMatchObject({
      type: "machine-learning-model",
      name: "anthropic.claude-3-haiku-20240307-v1:0",
      publisher: "anthropic",
      modelCard: { modelParameters: { task: "text-generation", architectureFamily: "claude" } },
    });
    const gpt = components.find((component) => component.name === "gpt-4o");
    expect(gpt).toMatchObject({
      type: "machine-learning-model",
      "bom-ref": "model:azure:gpt-4o",
      modelCard: { modelParameters: { architectureFamily: "gpt" } },
    });
    expect(components.find((component) => component["bom-ref"] === notebook.id)).toMatchObject({
      type: "platform",
      name: "research-nb",
    });
  });

  it("lists AI services as services that depend on the models they serve", () => {
    expect(services.map((service) => service.name).sort()).toEqual(["churn-endpoint", "contoso-oai"]);
    expect(services.find((service) => service.name === "contoso-oai")).toMatchObject({
      provider: { name: "Microsoft Azure" },
      endpoints: ["https://contoso-oai.openai.azure.com/"],
      authenticated: true,
      trustZone: "public",
      "x-trust-boundary": true,
    });
    expect(bom.dependencies).toContainEqual({ ref: openaiAccount.id, dependsOn: ["model:azure:gpt-4o"] });
    expect(bom.dependencies).toContainEqual({ ref: vertexEndpoint.id, dependsOn: ["model:gcp:gemini-1.5-pro"] });
  });

  it("the validator rejects a broken BOM (so the check can fail)", async () => {
    const broken = { ...bom, components: [{ ...components[0], type: "ai-model" }] };
    expect(await validateCycloneDx(JSON.stringify(broken))).not.toBeNull();
  });
});
