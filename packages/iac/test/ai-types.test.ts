import { describe, expect, it } from "vitest";
import { aiTypeInfo, isAiResourceType, normalizedTypes } from "../src/index.ts";
import { readGateSource } from "../src/gate.ts";
import { planJson, planPath } from "./plan-fixture.ts";

// One resource per pike example file (JamesWoolfenden/pike terraform/*/backup/<type>.tf): the 128 AI types.
const pikeTypes = (planJson("pike-ai-types-plan.json").resource_changes as { type: string }[]).map(
  (change) => change.type,
);

describe("AI type catalog", () => {
  it("recognizes all 128 AI resource types of the pike corpus", () => {
    expect(pikeTypes).toHaveLength(128);
    expect(pikeTypes.filter((type) => !isAiResourceType(type))).toEqual([]);
  });

  it("recognizes azurerm_ai_services, azurerm_ai_foundry and azurerm_ai_foundry_project as Azure AI", () => {
    for (const type of ["azurerm_ai_services", "azurerm_ai_foundry", "azurerm_ai_foundry_project"]) {
      expect(aiTypeInfo(type)?.provider).toBe("azure");
    }
    expect(aiTypeInfo("azurerm_ai_services")?.kind).toBe("ai-account");
  });

  it("recognizes Gemini for Google Cloud, Azure AI Search children, Video Indexer and awscc AI types", () => {
    for (const type of [
      "google_gemini_code_repository_index",
      "google_gemini_logging_setting",
      "azurerm_search_shared_private_link_service",
      "azurerm_video_indexer_account",
      "awscc_bedrock_agent",
      "azapi_resource",
    ]) {
      expect(isAiResourceType(type), type).toBe(true);
    }
  });

  it("recognizes AI types newer than the catalog by their family prefix, as owned AI of kind unclassified", () => {
    expect(aiTypeInfo("google_vertex_ai_some_future_resource")).toMatchObject({
      provider: "gcp",
      kind: "unclassified",
      primary: true,
    });
    expect(aiTypeInfo("aws_bedrockagent_some_future_resource")).toMatchObject({
      provider: "aws",
      kind: "unclassified",
    });
  });

  it("does not call storage, compute or IAM types AI", () => {
    for (const type of [
      "aws_s3_bucket",
      "aws_instance",
      "azurerm_storage_account",
      "google_storage_bucket",
      "aws_iam_role",
      "google_compute_instance",
      "null_resource",
    ]) {
      expect(isAiResourceType(type)).toBe(false);
    }
  });

  it("normalizes at least 30 governance-relevant types with facts of their own", () => {
    expect(normalizedTypes().length).toBeGreaterThanOrEqual(30);
  });

  it("turns a plan holding one of each pike type into 128 planned AI subjects", async () => {
    const input = await readGateSource(planPath("pike-ai-types-plan.json"));
    expect(input.resources).toBe(128);
    expect(input.subjects).toHaveLength(128);
    expect(new Set(input.subjects.map((subject) => subject.provider))).toEqual(new Set(["aws", "azure", "gcp"]));
    // The pike key has no restrictions, so it may call Gemini: it is an AI key.
    const key = input.subjects.find((subject) => subject.id.endsWith("google_apikeys_key.pike"));
    expect(key).toMatchObject({ subject: "key", type: "gcp-api-key", unrestricted: true });
  });
});
