import { describe, expect, it } from "vitest";
import { defaultPolicy, loadRules } from "@aigov/core";
import { judgePlanned, readCdktfStack } from "../src/index.ts";

/** A cdktf synth with an owner set once, on the provider: terraform merges it into every resource's tags_all. */
function synth(defaultTags: unknown): Record<string, unknown> {
  return {
    provider: { aws: [{ region: "eu-west-1", ...(defaultTags === undefined ? {} : { default_tags: [{ tags: defaultTags }] }) }] },
    resource: {
      aws_sagemaker_endpoint: {
        chat: { name: "chat", endpoint_config_name: "chat-config", "//": { metadata: { path: "ml/chat" } } },
      },
    },
  };
}

describe("cdk.tf.json provider default tags", () => {
  it("an owner in the aws provider's default_tags governs the resources of the stack, as in a plan", async () => {
    const policy = defaultPolicy();
    const rules = await loadRules({ policy });
    const ungoverned = (document: Record<string, unknown>) =>
      judgePlanned(readCdktfStack(document, "cdk.tf.json").subjects, { rules, policy }).findings.filter((finding) => finding.ruleId === "ai-resource-ungoverned");
    expect(ungoverned(synth(undefined))).toHaveLength(1);
    expect(ungoverned(synth({ owner: "ml-platform" }))).toHaveLength(0);
  });

  it("a malformed resource block is still refused", () => {
    expect(() => readCdktfStack({ provider: { aws: [{ default_tags: [{ tags: { owner: "x" } }] }] }, resource: { aws_sagemaker_endpoint: "nope" } }, "cdk.tf.json")).toThrowError(
      expect.objectContaining({ code: "CDKTF_SHAPE" }),
    );
  });
});
