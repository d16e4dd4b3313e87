import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AigovError } from "@aigov/core";
import { judgePlanned } from "@aigov/iac";
import { readGateInput } from "@aigov/iac/gate";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider/index.js";
import { SagemakerEndpoint } from "@cdktf/provider-aws/lib/sagemaker-endpoint/index.js";
import { SagemakerEndpointConfiguration } from "@cdktf/provider-aws/lib/sagemaker-endpoint-configuration/index.js";
import { CognitiveAccount } from "@cdktf/provider-azurerm/lib/cognitive-account/index.js";
import { AzurermProvider } from "@cdktf/provider-azurerm/lib/provider/index.js";
import { GoogleProvider } from "@cdktf/provider-google/lib/provider/index.js";
import { VertexAiEndpoint } from "@cdktf/provider-google/lib/vertex-ai-endpoint/index.js";
import { App, Aspects, type IAspect, TerraformStack, TerraformVariable, Testing } from "cdktf";
import { Construct, type IConstruct } from "constructs";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  AigovAspect,
  AigovSuppressions,
  type Governance,
  governApp,
  loadGovernance,
  SUPPRESSION_METADATA,
} from "../src/index.ts";

const dirs: string[] = [];
function outdir(): string {
  const dir = mkdtempSync(join(tmpdir(), "aigov-cdktf-"));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/**
 * The governance-core rules of the default pack. The tests judge with these alone so that they test the wiring,
 * suppressions and waivers, and keep meaning the same as more rules join the pack.
 */
const CORE_RULES = [
  "ai-resource-ungoverned",
  "ai-public-network-access",
  "ai-key-auth-enabled",
  "ai-no-customer-managed-key",
  "ai-invocation-logging-disabled",
];
let governance: Governance;
beforeAll(async () => {
  const full = await loadGovernance();
  governance = { ...full, rules: full.rules.filter((rule) => CORE_RULES.includes(rule.id)) };
  expect(governance.rules.map((rule) => rule.id).sort()).toEqual([...CORE_RULES].sort());
});

/** An AWS stack with one SageMaker endpoint; `tags` decide whether it is governed. */
function awsStack(app: Construct, id: string, tags?: Record<string, string>): TerraformStack {
  const stack = new TerraformStack(app, id);
  new AwsProvider(stack, "aws", { region: "eu-west-1" });
  new SagemakerEndpoint(stack, "endpoint", {
    name: `${id}-endpoint`,
    endpointConfigName: "cfg",
    ...(tags ? { tags } : {}),
  });
  return stack;
}

function synthError(app: App): string {
  try {
    app.synth();
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error("synth passed but should have failed");
}

function stackJson(dir: string, stack: string): { resource: Record<string, Record<string, unknown>> } {
  return JSON.parse(readFileSync(join(dir, "stacks", stack, "cdk.tf.json"), "utf8"));
}

describe("governApp (cdktf 0.21, real provider constructs)", () => {
  it("fails synth for an ungoverned SageMaker endpoint and names its construct path", async () => {
    const app = new App({ outdir: outdir() });
    awsStack(app, "ml");
    await governApp(app, governance);
    const message = synthError(app);
    expect(message).toContain("[ml/endpoint]");
    expect(message).toContain("ai-resource-ungoverned");
  });

  it("passes governed AWS, Azure and Google AI resources and writes cdk.tf.json", async () => {
    const dir = outdir();
    const app = new App({ outdir: dir });
    const aws = new TerraformStack(app, "aws");
    // The owner comes from the provider's default_tags, as terraform merges it into tags_all.
    new AwsProvider(aws, "aws", { region: "eu-west-1", defaultTags: [{ tags: { owner: "ml-platform@example.com" } }] });
    new SagemakerEndpoint(aws, "endpoint", { name: "scoring", endpointConfigName: "cfg" });
    const azure = new TerraformStack(app, "azure");
    new AzurermProvider(azure, "azurerm", { features: [{}] });
    new CognitiveAccount(azure, "openai", {
      name: "oai",
      kind: "OpenAI",
      location: "westeurope",
      resourceGroupName: "rg",
      skuName: "S0",
      localAuthEnabled: false,
      publicNetworkAccessEnabled: false,
      tags: { owner: "ai-team@example.com" },
    });
    const google = new TerraformStack(app, "google");
    new GoogleProvider(google, "google", { project: "p1", region: "europe-west4" });
    new VertexAiEndpoint(google, "vertex", {
      name: "ep",
      displayName: "ep",
      location: "europe-west4",
      network: "projects/123/global/networks/ml-vpc",
      labels: { owner: "ml" },
    });
    const governed = await governApp(app, governance);
    app.synth();
    expect(Object.keys(stackJson(dir, "azure").resource)).toEqual(["azurerm_cognitive_account"]);
    expect(governed.findings.filter((f) => f.outcome === "error")).toEqual([]);
    expect(governed.findings.some((f) => f.finding.ruleId === "ai-resource-ungoverned")).toBe(false);
  });

  it("gives the same findings as `aigov gate cdktf.out` on the synthesized app", async () => {
    const dir = outdir();
    const app = new App({ outdir: dir });
    awsStack(app, "aws", { owner: "ml-platform@example.com" });
    const azure = new TerraformStack(app, "azure");
    new AzurermProvider(azure, "azurerm", { features: [{}] });
    new CognitiveAccount(azure, "openai", {
      name: "oai",
      kind: "OpenAI",
      location: "westeurope",
      resourceGroupName: "rg",
      skuName: "S0",
      localAuthEnabled: false,
      publicNetworkAccessEnabled: false,
      tags: { owner: "ai-team@example.com" },
    });
    const governed = await governApp(app, governance);
    app.synth();
    const gated = judgePlanned(await readGateInput(dir), { rules: governance.rules, policy: governance.policy });
    expect(gated.exitCode).toBe(0);
    expect(governed.findings.length).toBeGreaterThan(0);
    expect(governed.findings.map((f) => f.finding.id).sort()).toEqual(gated.findings.map((f) => f.id).sort());
    // Findings below the threshold are warnings on their construct: reported, not blocking.
    const warning = governed.findings.find((f) => f.outcome === "warning" && f.constructPath === "azure/openai");
    expect(warning).toBeDefined();
    const openai = app.node.findChild("azure").node.findChild("openai");
    expect(
      openai.node.metadata.some(
        (m) => m.type === "@cdktf/warn" && String(m.data).includes(`[aigov] ${warning?.finding.ruleId}`),
      ),
    ).toBe(true);
  });

  it("blocks the ungoverned Azure OpenAI account and Vertex endpoint with their construct paths", async () => {
    const azureApp = new App({ outdir: outdir() });
    const azure = new TerraformStack(azureApp, "azure");
    new AzurermProvider(azure, "azurerm", { features: [{}] });
    new CognitiveAccount(azure, "openai", {
      name: "oai",
      kind: "OpenAI",
      location: "westeurope",
      resourceGroupName: "rg",
      skuName: "S0",
    });
    const azureGoverned = await governApp(azureApp, governance);
    const azureMessage = synthError(azureApp);
    expect(azureMessage).toContain("[azure/openai] [aigov] ai-resource-ungoverned (high)");
    // Key auth and public access are the Azure defaults when not set: both are reported too.
    expect(azureGoverned.findings.map((f) => f.finding.ruleId)).toEqual(
      expect.arrayContaining(["ai-resource-ungoverned", "ai-public-network-access"]),
    );

    const googleApp = new App({ outdir: outdir() });
    const google = new TerraformStack(googleApp, "google");
    new GoogleProvider(google, "google", { project: "p1" });
    new VertexAiEndpoint(google, "vertex", { name: "ep", displayName: "ep", location: "europe-west4" });
    await governApp(googleApp, governance);
    expect(synthError(googleApp)).toContain("[google/vertex] [aigov] ai-resource-ungoverned (high)");
  });

  it("synthesizes cross-stack references unchanged while judging both stacks", async () => {
    const dir = outdir();
    const app = new App({ outdir: dir });
    const shared = new TerraformStack(app, "shared");
    new AwsProvider(shared, "aws", { region: "eu-west-1" });
    const config = new SagemakerEndpointConfiguration(shared, "config", {
      name: "cfg",
      productionVariants: [
        { variantName: "main", modelName: "m", initialInstanceCount: 1, instanceType: "ml.m5.large" },
      ],
      tags: { owner: "ml@example.com" },
    });
    const serving = new TerraformStack(app, "serving");
    new AwsProvider(serving, "aws", { region: "eu-west-1" });
    new SagemakerEndpoint(serving, "endpoint", {
      name: "e",
      endpointConfigName: config.name,
      tags: { owner: "ml@example.com" },
    });
    const governed = await governApp(app, governance);
    app.synth();
    expect(governed.governor.judgedStacks).toEqual(new Set(["shared", "serving"]));
    const endpoint = stackJson(dir, "serving").resource.aws_sagemaker_endpoint?.endpoint as {
      endpoint_config_name: string;
    };
    expect(endpoint.endpoint_config_name).toMatch(
      /^\$\{data\.terraform_remote_state\.cross-stack-reference-input-shared\./,
    );
  });

  it("judges the final tree: an owner tag added by another aspect after governApp counts", async () => {
    const app = new App({ outdir: outdir() });
    const stack = awsStack(app, "tagged");
    await governApp(app, governance);
    class OwnerTags implements IAspect {
      visit(node: IConstruct): void {
        if (node instanceof SagemakerEndpoint) node.tags = { ...(node.tagsInput ?? {}), owner: "ml@example.com" };
      }
    }
    Aspects.of(stack).add(new OwnerTags());
    expect(() => app.synth()).not.toThrow();
  });

  it("governs a stack added after governApp", async () => {
    const app = new App({ outdir: outdir() });
    awsStack(app, "first", { owner: "a@example.com" });
    await governApp(app, governance);
    awsStack(app, "late");
    const message = synthError(app);
    expect(message).toContain("[late/endpoint]");
    expect(message).not.toContain("[first/endpoint]");
  });

  it("refuses to pass when synth starts before the policy and rules have loaded", () => {
    const app = new App({ outdir: outdir() });
    awsStack(app, "eager", { owner: "a@example.com" });
    void governApp(app, { policy: undefined });
    expect(synthError(app)).toMatch(/\[eager\].*still loading/);
  });

  it("reports a tag known only after apply as unknown, which the default policy blocks", async () => {
    const app = new App({ outdir: outdir() });
    const stack = new TerraformStack(app, "vars");
    new AwsProvider(stack, "aws", { region: "eu-west-1" });
    const owner = new TerraformVariable(stack, "owner", { type: "string" });
    new SagemakerEndpoint(stack, "endpoint", {
      name: "e",
      endpointConfigName: "cfg",
      tags: { owner: owner.stringValue },
    });
    const governed = await governApp(app, governance);
    expect(synthError(app)).toContain("[vars/endpoint]");
    expect(governed.findings.find((f) => f.finding.ruleId === "ai-resource-ungoverned")?.finding.status).toBe(
      "unknown",
    );
  });
});

describe("wiring: no way of adding governance leaves a stack silently ungoverned", () => {
  it("Aspects.of(app).add(aspect) governs every stack (cdktf itself never runs app-level aspects)", () => {
    const app = new App({ outdir: outdir() });
    awsStack(app, "one", { owner: "a@example.com" });
    awsStack(app, "two");
    const aspect = new AigovAspect(governance);
    Aspects.of(app).add(aspect);
    expect(synthError(app)).toContain("[two/endpoint]");
    expect(new Set(aspect.findings.map((f) => f.stack))).toEqual(new Set(["two"]));
  });

  it("an aspect on a grouping construct above the stacks governs them", () => {
    const app = new App({ outdir: outdir() });
    const group = new Construct(app, "team");
    awsStack(group, "svc");
    Aspects.of(group).add(new AigovAspect(governance));
    expect(synthError(app)).toContain("[team/svc/endpoint]");
  });

  it("Aspects.of(stack).add(await AigovAspect.create()) governs that stack", async () => {
    const app = new App({ outdir: outdir() });
    const stack = awsStack(app, "single");
    Aspects.of(stack).add(await AigovAspect.create());
    expect(synthError(app)).toContain("[single/endpoint]");
  });

  it("an aspect added inside a stack still governs the whole stack", () => {
    const app = new App({ outdir: outdir() });
    const stack = awsStack(app, "inner");
    const other = new Construct(stack, "unrelated");
    Aspects.of(other).add(new AigovAspect(governance));
    expect(synthError(app)).toContain("[inner/endpoint]");
  });

  it("App({ skipValidation: true }) does not skip governance", async () => {
    const app = new App({ outdir: outdir(), skipValidation: true });
    awsStack(app, "noval");
    await governApp(app, governance);
    expect(synthError(app)).toContain("[noval/endpoint]");
  });

  it("a stack whose synthesis bypasses the guard fails the app's validation instead of passing", async () => {
    const app = new App({ outdir: outdir() });
    const stack = awsStack(app, "custom");
    await governApp(app, governance);
    // A hand-written synthesizer that never runs cdktf's synthesis hooks.
    stack.synthesizer = { synthesize: () => undefined };
    expect(synthError(app)).toContain("[aigov] stack custom was not judged during synth: it is not governed");
  });

  it("Testing.fullSynth judges a stack of a governed app", async () => {
    const app = new App({ outdir: outdir() });
    const stack = awsStack(app, "unit");
    await governApp(app, governance);
    expect(() => Testing.fullSynth(stack)).toThrow(/\[unit\/endpoint\]/);
  });

  it("governApp refuses anything but the App", async () => {
    const app = new App({ outdir: outdir() });
    const stack = awsStack(app, "s", { owner: "a@example.com" });
    await expect(governApp(stack, governance)).rejects.toThrow(AigovError);
    app.synth();
  });
});

describe("suppressions and waivers", () => {
  it("a suppression with a reason lets synth pass and is reported as suppressed", async () => {
    const app = new App({ outdir: outdir() });
    const stack = awsStack(app, "sup");
    const endpoint = stack.node.findChild("endpoint");
    AigovSuppressions.of(endpoint).add({
      rule: "ai-resource-ungoverned",
      reason: "sandbox account, torn down nightly by ci",
    });
    const governed = await governApp(app, governance);
    app.synth();
    const finding = governed.findings.find((f) => f.finding.ruleId === "ai-resource-ungoverned");
    expect(finding?.outcome).toBe("suppressed");
    expect(finding?.suppression?.reason).toBe("sandbox account, torn down nightly by ci");
    expect(
      endpoint.node.metadata.some(
        (m) => m.type === "@cdktf/info" && String(m.data).includes("suppressed ai-resource-ungoverned"),
      ),
    ).toBe(true);
  });

  it("a suppression on the stack covers the resources below it", async () => {
    const app = new App({ outdir: outdir() });
    const stack = awsStack(app, "stacksup");
    AigovSuppressions.of(stack).add({ rule: "ai-resource-ungoverned", reason: "whole stack is a throwaway demo" });
    await governApp(app, governance);
    expect(() => app.synth()).not.toThrow();
  });

  it("a suppression without a reason is refused when declared", () => {
    const app = new App({ outdir: outdir() });
    const stack = awsStack(app, "noreason");
    const endpoint = stack.node.findChild("endpoint");
    expect(() => AigovSuppressions.of(endpoint).add({ rule: "ai-resource-ungoverned", reason: "" })).toThrow(
      /without a reason is refused/,
    );
    expect(() => AigovSuppressions.of(endpoint).add({ rule: "ai-resource-ungoverned", reason: "ok" })).toThrow(
      AigovError,
    );
  });

  it("a suppression written around the API without a reason does not suppress and fails synth", async () => {
    const app = new App({ outdir: outdir() });
    const stack = awsStack(app, "raw");
    stack.node.findChild("endpoint").node.addMetadata(SUPPRESSION_METADATA, { rule: "ai-resource-ungoverned" });
    const governed = await governApp(app, governance);
    const message = synthError(app);
    expect(message).toContain("suppression on raw/endpoint refused");
    expect(governed.findings.find((f) => f.finding.ruleId === "ai-resource-ungoverned")?.outcome).toBe("error");
  });

  it("a policy waiver with reason and expiry applies to the synthesized address", async () => {
    const dir = outdir();
    const policy = join(dir, "aigov.yaml");
    writeFileSync(
      policy,
      [
        "version: 1",
        "waivers:",
        "  - rule: ai-resource-ungoverned",
        "    subject: aws_sagemaker_endpoint.endpoint",
        "    reason: pilot approved by the AI board",
        "    approver: ciso@example.com",
        "    expires: 2099-01-01",
        "",
      ].join("\n"),
    );
    const app = new App({ outdir: join(dir, "out") });
    awsStack(app, "waived");
    const governed = await governApp(app, { ...(await loadGovernance({ policy })), rules: governance.rules });
    app.synth();
    expect(governed.findings.find((f) => f.finding.ruleId === "ai-resource-ungoverned")?.outcome).toBe("waived");
  });

  it("in a multi-stack app a waiver names the stack-prefixed address, as `aigov gate cdktf.out` does", async () => {
    const dir = outdir();
    const policy = join(dir, "aigov.yaml");
    writeFileSync(
      policy,
      [
        "version: 1",
        "waivers:",
        "  - rule: ai-resource-ungoverned",
        "    subject: dev/aws_sagemaker_endpoint.endpoint",
        "    reason: dev stack, no customer data",
        "    approver: ciso@example.com",
        "",
      ].join("\n"),
    );
    const app = new App({ outdir: join(dir, "out") });
    awsStack(app, "dev");
    awsStack(app, "prod");
    const governed = await governApp(app, { ...(await loadGovernance({ policy })), rules: governance.rules });
    const message = synthError(app);
    expect(message).toContain("[prod/endpoint]");
    expect(message).not.toContain("[dev/endpoint]");
    expect(
      governed.findings.find((f) => f.stack === "dev" && f.finding.ruleId === "ai-resource-ungoverned")?.finding.subject
        .id,
    ).toBe("dev/aws_sagemaker_endpoint.endpoint");
  });
});

describe("cdktn (the community fork) with real @cdktn/provider-aws constructs", () => {
  async function forkApp(ungoverned: string) {
    const cdktn = await import("cdktn");
    const { AwsProvider: TnAwsProvider } = await import("@cdktn/provider-aws/lib/provider/index.js");
    const { SagemakerEndpoint: TnSagemakerEndpoint } = await import(
      "@cdktn/provider-aws/lib/sagemaker-endpoint/index.js"
    );
    const app = new cdktn.App({ outdir: outdir() });
    for (const id of ["governed", ungoverned]) {
      const stack = new cdktn.TerraformStack(app, id);
      new TnAwsProvider(stack, "aws", { region: "eu-west-1" });
      new TnSagemakerEndpoint(stack, "endpoint", {
        name: id,
        endpointConfigName: "cfg",
        ...(id === "governed" ? { tags: { owner: "ml@example.com" } } : {}),
      });
    }
    return { app, cdktn };
  }

  it("governApp fails synth naming the construct path of the ungoverned endpoint", async () => {
    const { app } = await forkApp("shadow");
    const governed = await governApp(app, governance);
    expect(() => app.synth()).toThrow(/\[shadow\/endpoint\] \[aigov\] ai-resource-ungoverned/);
    expect(governed.governor.judgedStacks).toEqual(new Set(["governed", "shadow"]));
  });

  it("Aspects.of(app).add(aspect) governs every cdktn stack too", async () => {
    const { app, cdktn } = await forkApp("shadow2");
    const aspect = new AigovAspect(governance);
    cdktn.Aspects.of(app).add(aspect);
    expect(() => app.synth()).toThrow(/\[shadow2\/endpoint\]/);
    expect(aspect.governor.judgedStacks).toEqual(new Set(["governed", "shadow2"]));
  });
});
