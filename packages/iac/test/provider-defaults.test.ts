import { describe, expect, it } from "vitest";
import { defaultPolicy, loadRules } from "@aigov/core";
import { judgePlanned, type PlannedSubject, readCdktfStack, readPlanDocument } from "../src/index.ts";

/** The ai-resource-ungoverned findings on these subjects, under the default policy. */
async function ungovernedFindings(subjects: readonly PlannedSubject[]) {
  const policy = defaultPolicy();
  const rules = await loadRules({ policy });
  return judgePlanned(subjects, { rules, policy }).findings.filter(
    (finding) => finding.ruleId === "ai-resource-ungoverned",
  );
}

const ungovernedInSynth = (document: Record<string, unknown>) =>
  ungovernedFindings(readCdktfStack(document, "cdk.tf.json").subjects);

/** A cdktf synth with an owner set once, on the provider: terraform merges it into every resource's tags_all. */
function synth(defaultTags: unknown): Record<string, unknown> {
  return {
    provider: {
      aws: [{ region: "eu-west-1", ...(defaultTags === undefined ? {} : { default_tags: [{ tags: defaultTags }] }) }],
    },
    resource: {
      aws_sagemaker_endpoint: {
        chat: { name: "chat", endpoint_config_name: "chat-config", "//": { metadata: { path: "ml/chat" } } },
      },
    },
  };
}

/** The same with the google provider's default_labels, which terraform merges into effective_labels. */
function googleSynth(defaultLabels: unknown): Record<string, unknown> {
  return {
    provider: {
      google: [
        {
          project: "acme-ml",
          region: "europe-west4",
          ...(defaultLabels === undefined ? {} : { default_labels: defaultLabels }),
        },
      ],
    },
    resource: { google_vertex_ai_endpoint: { chat: { name: "chat", display_name: "chat", location: "europe-west4" } } },
  };
}

describe("cdk.tf.json provider default tags", () => {
  it("an owner in the aws provider's default_tags governs the resources of the stack, as in a plan", async () => {
    expect(await ungovernedInSynth(synth(undefined))).toHaveLength(1);
    expect(await ungovernedInSynth(synth({ owner: "ml-platform" }))).toHaveLength(0);
  });

  it("an owner in the google provider's default_labels governs the resources of the stack, as in a plan", async () => {
    expect(await ungovernedInSynth(googleSynth(undefined))).toHaveLength(1);
    expect(await ungovernedInSynth(googleSynth({ owner: "ml-platform" }))).toHaveLength(0);
  });

  it("in a plan, a Vertex AI endpoint's owner label from default_labels (effective_labels) governs it; unknown ones fall back to labels", async () => {
    const plan = (after: Record<string, unknown>, afterUnknown: Record<string, unknown> = {}) => ({
      format_version: "1.2",
      resource_changes: [
        {
          address: "google_vertex_ai_endpoint.chat",
          mode: "managed",
          type: "google_vertex_ai_endpoint",
          name: "chat",
          provider_name: "registry.terraform.io/hashicorp/google",
          change: {
            actions: ["create"],
            before: null,
            after: { name: "chat", location: "europe-west4", project: "acme-ml", ...after },
            after_unknown: afterUnknown,
          },
        },
      ],
    });
    const ungoverned = (document: unknown) => ungovernedFindings(readPlanDocument(document, "plan.json").subjects);
    expect(
      await ungoverned(
        plan({ labels: {}, effective_labels: { owner: "ml-platform" }, terraform_labels: { owner: "ml-platform" } }),
      ),
    ).toHaveLength(0);
    expect(await ungoverned(plan({ labels: {} }, { effective_labels: true, terraform_labels: true }))).toHaveLength(1);
    expect(
      await ungoverned(plan({ labels: { owner: "ml-platform" } }, { effective_labels: true, terraform_labels: true })),
    ).toHaveLength(0);
  });

  it("a malformed resource block is still refused", () => {
    expect(() =>
      readCdktfStack(
        {
          provider: { aws: [{ default_tags: [{ tags: { owner: "x" } }] }] },
          resource: { aws_sagemaker_endpoint: "nope" },
        },
        "cdk.tf.json",
      ),
    ).toThrowError(expect.objectContaining({ code: "CDKTF_SHAPE" }));
  });
});
